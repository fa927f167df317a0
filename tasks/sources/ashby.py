"""Ashby job boards, read through the public Job Posting API.

Endpoint: GET https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true
(docs: https://developers.ashbyhq.com/docs/public-job-posting-api). The answer is
`{"apiVersion", "jobs": [{"id", "title", "department", "team", "employmentType", "location",
"secondaryLocations", "isRemote", "workplaceType", "publishedAt", "isListed", "jobUrl",
"descriptionPlain", "descriptionHtml", "compensation": {"summaryComponents": [{"compensationType",
"interval", "currencyCode", "minValue", "maxValue"}]}}]}`. Unlisted postings are skipped.
"""

import logging
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
from tasks.sources.common import html_to_text, jobs_of, parse_datetime, salary_range, to_postings

logger = logging.getLogger(__name__)

HOSTS = frozenset({"jobs.ashbyhq.com"})

_EMPLOYMENT = {
    "fulltime": EmploymentType.full_time,
    "parttime": EmploymentType.part_time,
    "contract": EmploymentType.contract,
    "intern": EmploymentType.internship,
    "temporary": EmploymentType.temporary,
}
_WORKPLACE = {"remote": RemotePolicy.remote, "hybrid": RemotePolicy.hybrid}
_WORKPLACE |= {"onsite": RemotePolicy.onsite}
_INTERVAL = {
    "1 YEAR": SalaryPeriod.year,
    "1 MONTH": SalaryPeriod.month,
    "1 WEEK": SalaryPeriod.week,
    "1 DAY": SalaryPeriod.day,
    "1 HOUR": SalaryPeriod.hour,
}


def api_url(careers_url: str) -> str:
    board = next((s for s in urlsplit(careers_url).path.split("/") if s), "")
    if not board:
        raise ValueError(f"ashby: no job board name in careers URL {careers_url!r}")
    return f"https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true"


def _key(value: Any) -> str:
    return "".join(ch for ch in str(value or "").lower() if ch.isalnum())


def _remote(job: dict) -> RemotePolicy | None:
    if policy := _WORKPLACE.get(_key(job.get("workplaceType"))):
        return policy
    # Without workplaceType, isRemote false could still mean hybrid: only `true` is a statement.
    return RemotePolicy.remote if job.get("isRemote") is True else None


def _salary(compensation: Any) -> Salary | None:
    components = compensation.get("summaryComponents") if isinstance(compensation, dict) else None
    for item in components or []:
        if isinstance(item, dict) and item.get("compensationType") == "Salary":
            salary = salary_range(
                item.get("minValue"),
                item.get("maxValue"),
                item.get("currencyCode"),
                _INTERVAL.get(item.get("interval")),
            )
            if salary:
                return salary
    return None


def _fields(job: dict) -> dict | None:
    if job.get("isListed") is False:
        return None
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("jobUrl") or ""),
        "location": str(job.get("location") or "").strip() or None,
        "department": job.get("department") or job.get("team") or None,
        "description": str(job.get("descriptionPlain") or "").strip()
        or html_to_text(str(job.get("descriptionHtml") or "")),
        "posted_at": parse_datetime(job.get("publishedAt")),
        "remote": _remote(job),
        "employment_type": _EMPLOYMENT.get(_key(job.get("employmentType"))),
        "salary": _salary(job.get("compensation")),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(jobs_of(payload, Source.ashby), company, Source.ashby, _fields)
