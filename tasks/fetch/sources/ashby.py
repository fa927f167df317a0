"""Ashby job boards, read through the public Job Posting API.

Endpoint: GET https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true
(docs: https://developers.ashbyhq.com/docs/public-job-posting-api). The whole board comes in one
answer, `{"apiVersion", "jobs": [{"id", "title", "department", "team", "employmentType",
"location", "secondaryLocations": [{"location"}], "isRemote", "workplaceType", "publishedAt",
"isListed", "jobUrl", "descriptionPlain", "descriptionHtml", "compensation":
{"summaryComponents": [{"compensationType", "interval", "currencyCode", "minValue",
"maxValue"}]}}]}`. Unlisted postings are skipped; a posting open in several places has them all
in its location ("Canada; USA").

Careers URLs: jobs.ashbyhq.com/{board}[/{posting}], and the embed script
jobs.ashbyhq.com/{board}/embed.
Mirror mapping: `root` replaces https://api.ashbyhq.com, the path stays.
"""

from typing import Any

from tasks.fetch.sources.common import (
    api_base,
    employment_type,
    html_to_text,
    jobs_of,
    no_board,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    salary_period,
    salary_range,
    segments,
    single_json,
    to_postings,
)
from tasks.models import Company, Posting, RemotePolicy, Salary, Source

SOURCE = Source.ashby
HOSTS = frozenset({"jobs.ashbyhq.com"})


def _board(url: str) -> str | None:
    path = segments(url)
    return path[0] if path and on_hosts(url, HOSTS) else None


def board_url(url: str) -> str | None:
    board = _board(url)
    return f"https://jobs.ashbyhq.com/{board}" if board else None


def api_url(careers_url: str, root: str | None = None) -> str:
    board = _board(careers_url)
    if not board:
        raise no_board(SOURCE, "job board name", careers_url)
    base = api_base(root, "https://api.ashbyhq.com")
    return f"{base}/posting-api/job-board/{board}?includeCompensation=true"


def _remote(job: dict) -> RemotePolicy | None:
    if policy := remote_policy(job.get("workplaceType")):
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
                salary_period(item.get("interval")),
            )
            if salary:
                return salary
    return None


def _place(secondary: Any) -> Any:
    return secondary.get("location") if isinstance(secondary, dict) else None


def _fields(job: dict) -> dict | None:
    if job.get("isListed") is False:
        return None
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("jobUrl") or ""),
        "location": places(job.get("location"), *map(_place, job.get("secondaryLocations") or [])),
        "department": job.get("department") or job.get("team") or None,
        "description": str(job.get("descriptionPlain") or "").strip()
        or html_to_text(str(job.get("descriptionHtml") or "")),
        "posted_at": parse_datetime(job.get("publishedAt")),
        "remote": _remote(job),
        "employment_type": employment_type(job.get("employmentType")),
        "salary": _salary(job.get("compensation")),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(jobs_of(payload, SOURCE), company, SOURCE, _fields)


fetch = single_json(parse)
