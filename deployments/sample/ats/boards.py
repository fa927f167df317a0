"""What every sample ATS board shares: the generated jobs of a board, and how the ATSes spell
the sample's employment types and levels.
"""

import functools
import re
from typing import Any

from deployments.sample.jobs import Job, blocks_html, generate_jobs

# How several ATSes spell the sample's employment types and levels.
COMMITMENT = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
}
LEVELS = {"intern": "Internship", "junior": "Entry Level", "mid": "Mid-Senior Level"}
SECOND_OFFICE = ("Lisbon", "Lisbon", "Portugal", "PT")  # no generated job is there


@functools.lru_cache(maxsize=64)
def _generated(slug: str, count: int) -> tuple[Job, ...]:
    return tuple(generate_jobs(slug, count))


def board(site: Any, slug: str, extra: int = 0) -> list[Job]:
    """The board's postings (plus `extra` more for a route's quirk): "-N" in the name sets N."""
    sized = re.search(r"-(\d+)$", slug)
    count = min(int(sized[1]), 2000) if sized else site.postings_per_company
    return list(_generated(slug, count + extra))


def slugify(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def ad_sections(job: Job) -> list[tuple[str, str]]:
    """The ad in the four parts SmartRecruiters, Personio, Workable and Recruitee split it into."""
    intro, role, duties, needs, *rest = job.blocks
    return [
        ("Company Description", blocks_html([intro])),
        ("Job Description", blocks_html([role, duties])),
        ("Qualifications", blocks_html([needs])),
        ("Additional Information", blocks_html(rest)),
    ]


def int_param(query: dict, name: str, default: int) -> int:
    try:
        return int((query.get(name) or [default])[0])
    except ValueError:
        return default


def flag(query: dict, name: str) -> bool:
    return (query.get(name) or [""])[0].lower() in ("true", "1", "yes")


NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
