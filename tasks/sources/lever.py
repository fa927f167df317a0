"""Lever job sites, read through the public Postings API.

Endpoint: GET https://api.lever.co/v0/postings/{site}?mode=json, or
https://api.eu.lever.co/v0/postings/{site}?mode=json for the EU instance
(docs: https://github.com/lever/postings-api). The answer is a JSON list of postings
`{"id", "text", "hostedUrl", "categories": {"location", "commitment", "team", "department"},
"createdAt" (epoch ms), "descriptionPlain", "lists": [{"text", "content"}], "additionalPlain",
"workplaceType", "salaryRange": {"min", "max", "currency", "interval"}}`.
"""

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tasks.models import (
    Company,
    EmploymentType,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)
from tasks.sources.common import html_to_text, salary_range, to_postings

logger = logging.getLogger(__name__)

HOSTS = frozenset({"jobs.lever.co", "jobs.eu.lever.co"})

_WORKPLACE = {"remote": RemotePolicy.remote, "hybrid": RemotePolicy.hybrid}
_WORKPLACE |= {"on-site": RemotePolicy.onsite, "onsite": RemotePolicy.onsite}
_INTERVAL = {
    "per-year-salary": SalaryPeriod.year,
    "per-month-salary": SalaryPeriod.month,
    "per-week-salary": SalaryPeriod.week,
    "per-day-wage": SalaryPeriod.day,
    "per-hour-wage": SalaryPeriod.hour,
}
# Lever's commitment is a category each company names itself: match the usual spellings.
_COMMITMENT = [
    ("intern", EmploymentType.internship),
    ("contract", EmploymentType.contract),
    ("freelance", EmploymentType.contract),
    ("temp", EmploymentType.temporary),
    ("fixed", EmploymentType.temporary),
    ("part", EmploymentType.part_time),
    ("full", EmploymentType.full_time),
    ("permanent", EmploymentType.full_time),
]


def api_url(careers_url: str) -> str:
    parts = urlsplit(careers_url)
    site = next((s for s in parts.path.split("/") if s), "")
    if not site:
        raise ValueError(f"lever: no site name in careers URL {careers_url!r}")
    eu = (parts.hostname or "").lower() == "jobs.eu.lever.co"
    return f"https://api.{'eu.' if eu else ''}lever.co/v0/postings/{site}?mode=json"


def _employment(commitment: Any) -> EmploymentType | None:
    text = str(commitment or "").lower()
    return next((kind for word, kind in _COMMITMENT if word in text), None)


def _salary(raw: Any) -> Salary | None:
    if not isinstance(raw, dict):
        return None
    return salary_range(
        raw.get("min"), raw.get("max"), raw.get("currency"), _INTERVAL.get(raw.get("interval"))
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


def _fields(job: dict) -> dict:
    categories = job.get("categories") if isinstance(job.get("categories"), dict) else {}
    return {
        "title": str(job.get("text") or ""),
        "url": str(job.get("hostedUrl") or ""),
        "location": categories.get("location") or None,
        "department": categories.get("department") or categories.get("team") or None,
        "description": _description(job),
        "posted_at": _posted_at(job.get("createdAt")),
        "remote": _WORKPLACE.get(str(job.get("workplaceType") or "").lower()),
        "employment_type": _employment(categories.get("commitment")),
        "salary": _salary(job.get("salaryRange")),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    if not isinstance(payload, list):
        raise ValueError(f"lever: expected a JSON list of postings, got {type(payload).__name__}")
    return to_postings(payload, company, Source.lever, _fields)
