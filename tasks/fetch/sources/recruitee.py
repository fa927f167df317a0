"""Recruitee career sites, read through the public Careers Site API (no key).

Endpoint: GET https://{company}.recruitee.com/api/offers/ (docs: https://docs.recruitee.com/reference/offers
and https://career.recruitee.com/docs/index.html). The whole board comes in one answer,
`{"offers": [{"id", "slug", "title", "careers_url", "description", "requirements" (HTML),
"location", "city", "country", "country_code", "remote", "hybrid", "on_site",
"employment_type_code" ("fulltime_permanent", "parttime_fixed_term", "internship", ...),
"department", "published_at", "created_at" ("2025-10-20 10:11:12 UTC"), "salary": {"min", "max",
"currency", "period"}}]}`; salary amounts come as strings ("18.50") and are null when unstated.

Careers URLs: {company}.recruitee.com[/o/{slug}].
Mirror mapping: `root` replaces https://{company}.recruitee.com, so the API is
{root}/{company}/api/offers/.
"""

from typing import Any

from tasks.fetch.sources.common import (
    board_origin,
    employment_type,
    join_location,
    list_in,
    no_board,
    parse_datetime,
    remote_from_flags,
    salary_period,
    salary_range,
    sections_text,
    single_json,
    subdomain,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, Salary, Source

SOURCE = Source.recruitee
HOSTS = frozenset({".recruitee.com"})
_NOT_COMPANIES = frozenset({"www", "app", "api", "docs", "support", "blog", "help"})


def _company(url: str) -> str | None:
    return subdomain(url, ".recruitee.com", _NOT_COMPANIES)


def board_url(url: str) -> str | None:
    company = _company(url)
    return f"https://{company}.recruitee.com/" if company else None


def api_url(careers_url: str, root: str | None = None) -> str:
    company = _company(careers_url)
    if not company:
        raise no_board(SOURCE, "company subdomain", careers_url)
    return board_origin(root, company, f"https://{company}.recruitee.com") + "/api/offers/"


def _salary(raw: Any) -> Salary | None:
    if not isinstance(raw, dict):
        return None
    return salary_range(
        raw.get("min"), raw.get("max"), raw.get("currency"), salary_period(raw.get("period"))
    )


def _fields(job: dict) -> dict:
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("careers_url") or ""),
        "location": text_of(job.get("location"))
        or join_location(job.get("city"), job.get("country")),
        "department": text_of(job.get("department")),
        "description": sections_text(
            [(None, job.get("description")), ("Requirements", job.get("requirements"))]
        ),
        "posted_at": parse_datetime(job.get("published_at"))
        or parse_datetime(job.get("created_at")),
        "remote": remote_from_flags(job.get("remote"), job.get("hybrid"), job.get("on_site")),
        "employment_type": employment_type(job.get("employment_type_code")),
        "salary": _salary(job.get("salary")),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(list_in(payload, SOURCE, "offers"), company, SOURCE, _fields)


fetch = single_json(parse)
