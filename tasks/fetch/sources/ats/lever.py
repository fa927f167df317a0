"""Lever job sites, read through the public Postings API.

Endpoint: GET https://api.lever.co/v0/postings/{site}?mode=json, or
https://api.eu.lever.co/v0/postings/{site}?mode=json for the EU instance
(docs: https://github.com/lever/postings-api). The answer is a JSON list of postings
`{"id", "text", "hostedUrl", "categories": {"location", "commitment", "team", "department"},
"createdAt" (epoch ms), "descriptionPlain", "lists": [{"text", "content"}], "additionalPlain",
"workplaceType", "salaryRange": {"min", "max", "currency", "interval"}}`. The API pages with
`skip` and `limit` (all postings when no limit is given): we ask for PAGE_SIZE at a time and stop
at a short page.

`categories.allLocations` lists every location text of a posting (`categories.location` is the
primary one); `workplaceType` is "remote", "hybrid", "on-site" or "unspecified" (no statement);
`categories.commitment` is the employer's own label, often not English ("CDI", "Werkstudent").

Careers URLs: jobs.lever.co/{site}[/{posting}[/apply]] and jobs.eu.lever.co/{site}.
Mirror mapping: `root` replaces https://api.lever.co (or api.eu.lever.co), the path stays.

Sources:
- https://github.com/lever/postings-api (README: allLocations, workplaceType, salaryRange)
- colophon-group/jobseek apps/crawler/src/core/monitors/lever.py (allLocations before location)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tasks.fetch.sources.common import (
    Page,
    api_base,
    as_dict,
    collect_pages,
    employment_type,
    host_of,
    html_to_text,
    no_board,
    on_hosts,
    places,
    remote_policy,
    salary_period,
    salary_range,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_query,
)
from tasks.models import Company, Posting, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.lever
HOSTS = frozenset({"jobs.lever.co", "jobs.eu.lever.co"})
PAGE_SIZE = 100


def _site(url: str) -> str | None:
    path = segments(url)
    return path[0] if path and on_hosts(url, HOSTS) else None


def board_url(url: str) -> str | None:
    site = _site(url)
    return f"https://{host_of(url)}/{site}" if site else None


def api_url(careers_url: str, root: str | None = None) -> str:
    site = _site(careers_url)
    if not site:
        raise no_board(SOURCE, "site name", careers_url)
    eu = host_of(careers_url) == "jobs.eu.lever.co"
    base = api_base(root, f"https://api.{'eu.' if eu else ''}lever.co")
    return f"{base}/v0/postings/{site}?mode=json"


def _salary(raw: Any) -> Salary | None:
    if not isinstance(raw, dict):
        return None
    return salary_range(
        raw.get("min"), raw.get("max"), raw.get("currency"), salary_period(raw.get("interval"))
    )


def _posted_at(created_ms: Any) -> datetime | None:
    if not isinstance(created_ms, int | float) or isinstance(created_ms, bool):
        return None
    try:
        return datetime.fromtimestamp(created_ms / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _description(job: dict) -> str:
    parts = [str(job.get("descriptionPlain") or "").strip()]
    for item in job.get("lists") or []:
        if isinstance(item, dict):
            parts += [
                str(item.get("text") or "").strip(),
                html_to_text(str(item.get("content") or "")),
            ]
    parts.append(str(job.get("additionalPlain") or "").strip())
    return "\n\n".join(p for p in parts if p)


def _places(categories: dict) -> list[str]:
    """Every location text: the primary location first, then the rest of allLocations."""
    listed = categories.get("allLocations")
    names = listed if isinstance(listed, list) else []
    names = [text for name in [categories.get("location"), *names] if (text := text_of(name))]
    return list(dict.fromkeys(names))


def _fields(job: dict) -> dict:
    categories = as_dict(job.get("categories"))
    names = _places(categories)  # text only: a location of another shape costs only itself
    return {
        "title": str(job.get("text") or ""),
        "url": str(job.get("hostedUrl") or ""),
        "location": places(*names),
        "locations": stated_places(*names),
        "department": categories.get("department") or categories.get("team") or None,
        "description": _description(job),
        "posted_at": _posted_at(job.get("createdAt")),
        "remote": remote_policy(job.get("workplaceType")),
        "employment_type": employment_type(categories.get("commitment")),
        "salary": _salary(job.get("salaryRange")),
    }


def _postings_list(payload: Any) -> list:
    if not isinstance(payload, list):
        raise ValueError(f"lever: expected a JSON list of postings, got {type(payload).__name__}")
    return payload


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    async def page(offset: int) -> Page:
        payload = await fetcher.get_json(with_query(url, skip=offset, limit=PAGE_SIZE))
        return _postings_list(payload), None

    return to_postings(await collect_pages(page, PAGE_SIZE, SOURCE), company, SOURCE, _fields)


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(_postings_list(payload), company, SOURCE, _fields)
