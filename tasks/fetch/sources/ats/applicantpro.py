"""ApplicantPro career sites, read through the JSON their job-list app calls (no key).

A board is https://{tenant}.applicantpro.com/jobs/, a page whose script names the board's numeric
domain id (`componentData: { domainId : 19218 }`, `"domain_id":"12345"`, or a /core/jobs/{id}
call). The API needs that id, so the careers page is read first, then:
  GET https://{tenant}.applicantpro.com/core/jobs/{domainId}?getParams={}
      (`getParams` must be there: without it the endpoint answers 500; `{}` is enough)
      -> {"success": true, "message", "data": {"jobCount", "jobs": [{"id" (4124648),
         "title", "jobUrl" (https://{tenant}.applicantpro.com/jobs/{id}, or relative),
         "jobLocation" ("Brea, CA, USA, 92821"), "city", "abbreviation" ("CA"), "stateName",
         "iso3" ("USA"), "streetAddress", "workplaceType" ("Onsite", "Remote", "Hybrid"),
         "employmentType" ("Full Time"), "classification" (the tenant's label), "orgTitle"
         (department), "parentTitle", "startDateRef" ("Jun 22, 2026"), "endDateRef",
         "untilFilled", "payType" ("Salary", "Hourly"), "payTypeFrame" ("per year",
         "per hour"), "minSalary", "maxSalary" ("110,000", strings), "payDetails" ("DOE")}]}}
      (the whole board, unpaged; no job text)
  GET https://{tenant}.applicantpro.com/core/jobs/{domainId}/{id}/job-details
      -> {"success": true, "data": {"id", "title", "advertisingDescriptionHtml" (the ad),
         "description" (the internal one, its fallback), "advertisingDescription", "benefits",
         "startDateRef" ("22-Jun-2026"), "endDateRef", "hideFromIndeed", ...}}
Every job's detail is read for its text, concurrently; a job closed since it was listed (404) is
left out. A list shorter than its `jobCount` is noted as a short read.

Pay is structured where minSalary / maxSalary are amounts, per payTypeFrame (else payType:
"Salary" is yearly, "Hourly" hourly); the currency is not stated, and none is guessed.
`payDetails` ("DOE", "plus tips") joins the description, as do the benefits.

Careers URLs: {tenant}.applicantpro.com/jobs/[{id}], www.applicantpro.com/openings/{tenant}/jobs.
api_url gives the careers page, where the domain id is read (a URL that already names
/core/jobs/{domainId} is used as it is).
Mirror mapping: `root` replaces https://{tenant}.applicantpro.com, so the careers page is
{root}/{tenant}/jobs/, the list {root}/{tenant}/core/jobs/{domainId} and a detail
{root}/{tenant}/core/jobs/{domainId}/{id}/job-details.

Sources:
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/applicantpro.py and tests/test_applicantpro.py
  (domainId from the careers page, getParams={}, success / data.jobs / jobCount, every list
  field named above with real values, the job-details endpoint with advertisingDescriptionHtml /
  description / benefits / startDateRef "22-Jun-2026", 404 for a closed job)
- public providers found by code search: one documents the endpoint as the Vue app's XHR with
  the whole board in one call, `domain_id` / /core/widget/ in the page, workplaceType "Onsite",
  payTypeFrame and payType, stateName / abbreviation / iso3; one notes that the endpoint answers
  500 without getParams; a TypeScript client reads `"domain_id":"12345"` from
  courierCurrentRouteData and relative jobUrl values; a test names the
  www.applicantpro.com/openings/{tenant}/jobs board address
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from tasks.fetch.sources.common import (
    describe,
    employment_type,
    host_of,
    join_location,
    no_board,
    note_skipped,
    parse_datetime,
    remote_policy,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    subdomain,
    text_of,
    to_postings,
    with_details,
)
from tasks.models import Company, Posting, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.applicantpro
HOSTS = frozenset({".applicantpro.com"})
_SUFFIX = ".applicantpro.com"
# ApplicantPro's own hosts: the marketing site, the app, help and static files.
_NOT_TENANTS = frozenset({"www", "jobs", "static", "api", "app", "help", "support", "blog"})
_DOMAIN_ID = re.compile(
    r"""domainId["']?\s*:\s*["']?(\d+)|domain_id["']?\s*[:=]\s*["']?(\d+)|/core/(?:jobs|widget)/(\d+)"""
)
_LIST = re.compile(r"^(.*)/core/jobs/(\d+)/?$")
_PERIODS = {"salary": "year", "hourly": "hour"}


def _tenant(url: str) -> str | None:
    if host_of(url) == "www.applicantpro.com":  # www.applicantpro.com/openings/{tenant}/jobs
        parts = segments(url)
        return parts[1].lower() if len(parts) >= 2 and parts[0] == "openings" else None
    return subdomain(url, _SUFFIX, _NOT_TENANTS)


def board_url(url: str) -> str | None:
    tenant = _tenant(url)
    return f"https://{tenant}{_SUFFIX}/jobs/" if tenant else None


def api_url(careers_url: str, root: str | None = None) -> str:
    tenant = _tenant(careers_url)
    if not tenant:
        raise no_board(SOURCE, "tenant subdomain", careers_url)
    path = urlsplit(careers_url).path.rstrip("/")
    origin = f"{root.rstrip('/')}/{tenant}" if root else f"https://{tenant}{_SUFFIX}"
    if listed := _LIST.match(path):  # the list's own URL names the domain id
        return f"{origin}/core/jobs/{listed[2]}"
    return f"{origin}/jobs/"


def domain_id(markup: str) -> str | None:
    """The board's domain id, as the careers page's script names it."""
    found = _DOMAIN_ID.search(markup or "")
    return next(group for group in found.groups() if group) if found else None


def _data(payload: Any, what: str) -> dict:
    data = payload.get("data") if isinstance(payload, dict) else None
    if (
        not isinstance(payload, dict)
        or payload.get("success") is not True
        or not isinstance(data, dict)
    ):
        raise ValueError(
            f"{SOURCE}: expected a JSON object with success true and a 'data' {what}, "
            f"got {describe(payload)}"
        )
    return data


def jobs_of(payload: Any) -> list:
    """The list answer's jobs; ValueError for any other shape."""
    jobs = _data(payload, "object with a 'jobs' list").get("jobs")
    if not isinstance(jobs, list):
        raise ValueError(
            f"{SOURCE}: expected a JSON object with success true and a 'data' object with a "
            f"'jobs' list, got {describe(payload.get('data'))}"
        )
    return jobs


def _detail(payload: Any) -> dict:
    """The fields a job-details answer adds: its text, benefits and start date."""
    data = _data(payload, "object")
    fields = {
        "description_html": data.get("advertisingDescriptionHtml")
        or data.get("description")
        or data.get("advertisingDescription"),
        "benefits": data.get("benefits"),
        "startDateRef": data.get("startDateRef"),  # where stated, it wins over the list's
    }
    return {key: value for key, value in fields.items() if value}


def _posted(value: Any) -> datetime | None:
    """startDateRef: "Jun 22, 2026" in the list, "22-Jun-2026" in the detail, or ISO."""
    text = text_of(value)
    for form in ("%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%m/%d/%Y"):
        try:
            return datetime.strptime(text or "", form).replace(tzinfo=UTC)
        except ValueError:
            continue
    return parse_datetime(text)


def _salary(job: dict) -> Salary | None:
    period = salary_period(job.get("payTypeFrame")) or salary_period(
        _PERIODS.get(str(job.get("payType") or "").strip().lower())
    )
    return salary_range(job.get("minSalary"), job.get("maxSalary"), None, period)


def _fields_of(company: Company, origin: str | None):
    """`origin`: the tenant's https://{tenant}.applicantpro.com, for relative job URLs."""
    board = board_url(str(company.careers_url)) or board_url(str(company.api_url or ""))
    origin = board.removesuffix("/jobs/") if board else origin

    def fields(job: dict) -> dict:
        job_id = str(job.get("id") or "")
        url = text_of(job.get("jobUrl"))
        url = urljoin(f"{origin}/", url) if url and origin else url
        if not url and origin and job_id:
            url = f"{origin}/jobs/{job_id}"
        city = text_of(job.get("city"))
        region = text_of(job.get("abbreviation")) or text_of(job.get("stateName"))
        country = text_of(job.get("iso3"))
        pay = text_of(job.get("payDetails"))
        return {
            "title": str(job.get("title") or ""),
            "url": url or "",
            "location": text_of(job.get("jobLocation")) or join_location(city, region, country),
            "locations": stated_places({"city": city, "region": region, "country": country}),
            "department": text_of(job.get("orgTitle")),
            "description": sections_text(
                [
                    (None, job.get("description_html")),
                    ("Benefits", text_of(job.get("benefits"))),
                    ("Pay", pay),
                ]
            ),
            "posted_at": _posted(job.get("startDateRef")),
            "remote": remote_policy(job.get("workplaceType")),
            "employment_type": employment_type(job.get("employmentType"))
            or employment_type(job.get("classification")),
            "salary": _salary(job),
        }

    return fields


def parse(payload: Any, company: Company) -> list[Posting]:
    """The list: every job without its text (each job-details answer, merged in, adds it)."""
    return to_postings(jobs_of(payload), company, SOURCE, _fields_of(company, None))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    path = urlsplit(url)._replace(query="", fragment="").geturl().rstrip("/")
    if listed := _LIST.match(path):
        origin, board = listed[1], listed[2]
    else:
        origin = path.removesuffix("/jobs")
        board = domain_id((await fetcher.page(f"{origin}/jobs/")).text)
        if not board:
            raise ValueError(f"{SOURCE}: no domain id on the careers page {origin}/jobs/")
    list_url = f"{origin}/core/jobs/{board}"
    payload = await fetcher.get_json(list_url, params={"getParams": "{}"})
    jobs = jobs_of(payload)
    count = payload["data"].get("jobCount")
    if isinstance(count, int) and count > len(jobs):
        note_skipped(f"{SOURCE}: the board counts {count} jobs and lists {len(jobs)}")

    def detail_url(job: dict) -> str | None:
        return f"{list_url}/{job['id']}/job-details" if job.get("id") is not None else None

    merged = await with_details(fetcher, jobs, detail_url, _detail, SOURCE)
    return to_postings(merged, company, SOURCE, _fields_of(company, origin))
