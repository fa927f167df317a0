"""HiBob career sites, read through the careers site's own job-ad API (no key).

Endpoint: GET https://{company}.careers.hibob.com/api/job-ad, the XHR of the careers site (an
Angular app). It answers 401 to a request that does not name the company: the site sends the
header `companyidentifier: {company}` and its own address as the Referer, and so does this
adapter. The whole board comes in one answer, unpaged, with the text:
`{"jobAdDetails": [{"id" (a UUID), "title", "department", "departmentId", "site" (the company's
name for the office: "London", "Cape-Town", "Israel"), "siteId", "country" (a name, on some
boards a code), "employmentType" ("Employee", "Contractor", ...), "employmentTypeId"
("Permanent", "Contractor", ...), "workspaceType" ("On-site", "Hybrid", "Remote"),
"workspaceTypeId" ("on_site", "hybrid", "remote"), "language" ("en"), "publishedAt"
("2025-11-20T08:53:08.443293133Z": nanoseconds), "description", "responsibilities",
"requirements", "benefits" (HTML), "sectionLabels" (the headings the company gave the sections),
"payTransparencyMinSalary", "payTransparencyMaxSalary" (numbers or null),
"payTransparencySalaryCurrency" ("USD"), "payTransparencySalaryPayPeriod" ("Annual",
"annually", "Monthly", "Hourly")}]}`.

A job's page is https://{company}.careers.hibob.com/jobs/{id}. A job has one place, the site
and its country; its employment type is the company's own label in `employmentType`, and where
that names no kind ("Employee"), in `employmentTypeId` ("Permanent"). Pay is published only by
companies that turn pay transparency on; an amount of 0 is a placeholder. Not stated: a region,
a city apart from the site's name.

Careers URLs: {company}.careers.hibob.com[/jobs/{id}].
Mirror mapping: `root` replaces https://{company}.careers.hibob.com, so the API is
{root}/{company}/api/job-ad.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/hibob.py and its tests (/api/job-ad,
  `jobAdDetails`, the Referer the API wants, the job page /jobs/{id}, the four HTML sections,
  site / country, employmentType and employmentTypeId, workspaceType and workspaceTypeId,
  publishedAt, language, the payTransparency* fields; a test row with employmentTypeId
  "Permanent" and employmentType "Employee", workspaceTypeId "hybrid", period "annually",
  publishedAt with nanoseconds)
- other public clients found by code search: a Python scraper sending `companyidentifier` and
  the Referer; TypeScript connectors that say the API answers 401 without the
  `companyidentifier` header, with a schema of the ad (`sectionLabels`, workspaceTypeId values
  on_site / hybrid / remote) and a captured board (valr: site "Cape-Town", ids as UUIDs,
  period "Annual"); a test corpus with country "CH", period "Monthly" and a 0 minimum
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tasks.fetch.sources.common import (
    as_dict,
    employment_type,
    join_location,
    list_in,
    parse_datetime,
    remote_policy,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    subdomain,
    subdomain_boards,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.hibob
HOSTS = frozenset({".careers.hibob.com"})
_SUFFIX = ".careers.hibob.com"
_NOT_COMPANIES = frozenset({"www", "api", "app", "help", "support", "status"})
# The sections after `description`, with the heading the careers site shows when the company
# gave none.
_SECTIONS = (
    ("responsibilities", "Responsibilities"),
    ("requirements", "Requirements"),
    ("benefits", "Benefits"),
)

board_url, api_url = subdomain_boards(
    SOURCE, _SUFFIX, _NOT_COMPANIES, "/api/job-ad", "company subdomain"
)


def _company_name(url: str) -> str | None:
    """The company's label: the subdomain, or on a mirror the path part before /api/job-ad."""
    if name := subdomain(url, _SUFFIX, _NOT_COMPANIES):
        return name
    path = segments(url)
    return path[-3] if path[-2:] == ["api", "job-ad"] and len(path) >= 3 else None


def _description(job: dict) -> str:
    labels = as_dict(job.get("sectionLabels"))
    sections = [(labels.get("description"), job.get("description"))]
    sections += [(labels.get(key) or heading, job.get(key)) for key, heading in _SECTIONS]
    return sections_text(sections)


def _fields_of(company: Company):
    name = next(
        (
            n
            for url in (company.api_url, company.careers_url)
            if url and (n := _company_name(str(url)))
        ),
        None,
    )
    pages = f"https://{name}{_SUFFIX}/jobs" if name else None

    def fields(job: dict) -> dict:
        job_id = text_of(job.get("id"))
        location = join_location(job.get("site"), job.get("country"))
        kind = employment_type(job.get("employmentType"))
        workplace = job.get("workspaceTypeId") or job.get("workspaceType")
        period = salary_period(job.get("payTransparencySalaryPayPeriod"))
        return {
            "external_id": job_id,
            "title": str(job.get("title") or ""),
            "url": f"{pages}/{job_id}" if pages and job_id else "",
            "location": location,
            "locations": stated_places(location),
            "remote": remote_policy(workplace),
            "employment_type": kind or employment_type(job.get("employmentTypeId")),
            "department": text_of(job.get("department")),
            "posted_at": parse_datetime(job.get("publishedAt")),
            "salary": salary_range(
                job.get("payTransparencyMinSalary"),
                job.get("payTransparencyMaxSalary"),
                job.get("payTransparencySalaryCurrency"),
                period,
            ),
            "description": _description(job),
        }

    return fields


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    name = _company_name(url) or ""
    careers = url.removesuffix("/api/job-ad") + "/"
    headers = {"companyidentifier": name, "Referer": careers}
    return parse(await fetcher.get_json(url, headers=headers), company)


def parse(payload: Any, company: Company) -> list[Posting]:
    jobs = list_in(payload, SOURCE, "jobAdDetails")
    return to_postings(jobs, company, SOURCE, _fields_of(company))
