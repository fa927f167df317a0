"""Personio XML feed.

GET /personio/{company}/xml
"""

import re
from typing import Any
from xml.sax.saxutils import escape

from deployments.sample.ats.boards import NAME, ad_sections, board
from deployments.sample.jobs import Job, iso_time
from deployments.sample.reply import Reply


def _xml(tag: str, text: Any) -> str:
    return f"<{tag}>{escape(str(text))}</{tag}>"


_PERSONIO_TYPE = {
    "full_time": ("permanent", "full-time"),
    "part_time": ("permanent", "part-time"),
    "contract": ("freelance", "full-time"),
    "temporary": ("temporary", "full-time"),
    "internship": ("intern", "full-time"),
}


def personio_id(job: Job) -> int:
    return job.number % 10_000_000


def personio_feed(jobs: list[Job]) -> str:
    positions = []
    for job in jobs:
        kind, schedule = _PERSONIO_TYPE[job.employment]
        sections = "".join(
            f"<jobDescription>{_xml('name', title)}<value><![CDATA[{text}]]></value>"
            "</jobDescription>"
            for title, text in ad_sections(job)
        )
        more = f"<additionalOffices>{_xml('office', 'Hamburg')}</additionalOffices>"
        positions.append(
            "<position>"
            + _xml("id", personio_id(job))
            + _xml("subcompany", f"{job.company} GmbH")
            + _xml("office", job.city)
            + (more if job.n == 1 else "")
            + _xml("department", job.department)
            + _xml("recruitingCategory", job.team)
            + _xml("name", job.title)
            + f"<jobDescriptions>{sections}</jobDescriptions>"
            + _xml("employmentType", kind)
            + _xml(
                "seniority", "entry-level" if job.level in ("intern", "junior") else "experienced"
            )
            + _xml("schedule", schedule)
            + _xml("yearsOfExperience", "1-2" if job.level == "junior" else "3-5")
            + _xml("occupation", "software_and_web_development")
            + _xml("occupationCategory", "it_software")
            + _xml("createdAt", iso_time(job.posted_at, 2))
            + "</position>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>{"".join(positions)}</workzag-jobs>'
    )


def _personio(site: Any, query: dict, body: bytes, company: str) -> Reply:
    return Reply(200, "application/xml", personio_feed(board(site, company)))


ROUTES = [
    ("GET", re.compile(rf"/personio/{NAME}/xml/?"), _personio),
]
