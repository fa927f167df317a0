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

from pydantic import ValidationError

from tasks.models import (
    Company,
    EmploymentType,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)
from tasks.sources.text import html_to_text, parse_datetime

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
        if not isinstance(item, dict) or item.get("compensationType") != "Salary":
            continue
        low, high = (
            v if isinstance(v, int | float) and not isinstance(v, bool) and v > 0 else None
            for v in (item.get("minValue"), item.get("maxValue"))
        )
        if (low is None and high is None) or item.get("minValue") == 0:  # "$0 - $500K": placeholder
            continue
        currency = str(item.get("currencyCode") or "").upper() or None
        return Salary(
            min=low, max=high, currency=currency, period=_INTERVAL.get(item.get("interval"))
        )
    return None


def parse(payload: Any, company: Company) -> list[Posting]:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        got = type(payload).__name__
        if isinstance(payload, dict):
            got += f" with keys {sorted(payload)[:5]}"
        raise ValueError(f"ashby: expected a JSON object with a 'jobs' list, got {got}")
    postings = []
    for job in payload["jobs"]:
        if not isinstance(job, dict):
            logger.warning("ashby %s: skipping a job that is not an object", company.name)
            continue
        if job.get("isListed") is False:
            continue
        title, url = str(job.get("title") or "").strip(), str(job.get("jobUrl") or "").strip()
        if not title or not url:
            logger.warning(
                "ashby %s: skipping job %s without title or URL", company.name, job.get("id")
            )
            continue
        description = str(job.get("descriptionPlain") or "").strip()
        try:
            posting = Posting(
                company_id=company.company_id,
                company=company.name,
                source=Source.ashby,
                title=title,
                url=url,
                external_id=str(job["id"]) if job.get("id") is not None else None,
                location=str(job.get("location") or "").strip() or None,
                department=job.get("department") or job.get("team") or None,
                description=description or html_to_text(str(job.get("descriptionHtml") or "")),
                posted_at=parse_datetime(job.get("publishedAt")),
                remote=_remote(job),
                employment_type=_EMPLOYMENT.get(_key(job.get("employmentType"))),
                salary=_salary(job.get("compensation")),
            )
        except ValidationError as exc:  # one odd posting must not sink the board
            logger.warning("ashby %s: skipping job %s: %s", company.name, job.get("id"), exc)
            continue
        postings.append(posting)
    return postings
