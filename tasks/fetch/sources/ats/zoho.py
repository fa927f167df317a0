"""Zoho Recruit career sites, read through the career site's public JSON (no key).

Endpoint, the XHR of the career site at https://{tenant}.zohorecruit.{tld}/jobs/{page} and of
its embed widget (rec_embed_js.load({page_name, source, site})):
  GET https://{tenant}.zohorecruit.{tld}/recruit/v2/public/Job_Openings?pagename={page}
      &source=CareerSite
      -> {"code": "success", "data": [{"id" ("435765000017272887", a string), "Posting_Title"
         (the public title), "Job_Opening_Name" (the internal one), "City", "State", "Country",
         "Zip_Code" (names, "" when unset: remote openings often leave all three empty),
         "Remote_Job" (true / false), "Job_Type" ("Full time", "Part time", "Permanent",
         "Contract", "Temporary", "Internship", ...), "Industry", "Work_Experience" ("4-5 years",
         "Fresher"), "Required_Skills" (text), "Salary" (text: "$90,000 - $120,000", "25000",
         "INR 20,000 monthly"), "Currency" (an ISO code, in multi-currency orgs),
         "Date_Opened" ("10/30/2025", month first; some tenants "2026-07-16"),
         "Job_Description" (HTML), "$url" (the job page, https://{tenant}.zohorecruit.{tld}/
         jobs/{page}/{id}/{slug}?source=CareerSite)}], "info": {...}}
The whole board comes in one answer: the endpoint rejects `page` and `per_page` (400
EXTRA_PARAM_FOUND), so there is nothing to page through. Should `info.more_records` ever say
there is more, the read is noted as short (the company is then partial).

Which fields appear is the tenant's choice: the career site's field settings decide, so
Job_Description, Date_Opened, Salary or the place can each be missing from a whole board (one
public client measured two of six tenants publishing the text and the date). Nothing states a
department (`Industry` is the employer's industry, kept as a section of the description, as are
the experience and skills asked for) or a hybrid workplace: `Remote_Job` true is remote, false
says only "not remote". `Salary` is free text: a bare amount becomes a structured salary (in
`Currency` where stated, with no period, which Zoho does not state); anything else is prose and
joins the description. A date with a first part over 12 is read day first.

Careers URLs: {tenant}.zohorecruit.{com,eu,in,com.au}/jobs/{page}[/{id}/{slug}] (the page is
"Careers" unless the tenant renamed it; it is the API's `pagename`). Career sites on a
tenant's own domain (careers.zohocorp.com) are not recognised.
Mirror mapping: `root` replaces https://{tenant}.zohorecruit.{tld}, so the API is
{root}/{tenant}/recruit/v2/public/Job_Openings?pagename={page}&source=CareerSite.

Sources:
- vbkatarnaware/careeros careeros/providers/zoho_recruit.py (the endpoint with pagename=Careers,
  verified against six tenants on .com and .in; `code: "success"`, `data`, `$url`,
  Posting_Title / Job_Opening_Name, City / State / Country, Job_Type, Industry,
  Date_Opened as %m/%d/%Y, page / per_page rejected with EXTRA_PARAM_FOUND, 403 ORG_NOT_FOUND
  for an unknown tenant or page name, Job_Description and Date_Opened per tenant)
- a public job-portal plugin found by code search (zoho_recruit plugin: `{"code", "data",
  "info"}`, no pagination, `$url`, Date_Opened "MM/DD/YYYY", empty-string places on remote
  postings, .com / .in / multi-part regional TLDs such as .com.au)
- public scraper tests with captured answers (InstaSafe, Indium, Lumiq, Indiagold: ids, Job_Type
  "Full time" / "Permanent", Work_Experience, Required_Skills, Remote_Job, Date_Opened
  "10/30/2025" and "2026-07-16", the `extra_fields` parameter of the embed)
- a Romanian scraper of tickbird.zohorecruit.eu (the .eu data centre, Remote_Job, Job_Type,
  Industry, Work_Experience, `$url` with a built fallback /jobs/Careers/{id}/{slug})
- a Zoho Recruit record interface (Salary as a string, Remote_Job a boolean) and the embed
  widget's own configuration (static.zohocdn.com/recruit/embed_careers_site, page_name,
  source: "CareerSite", site)
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from tasks.fetch.sources.common import (
    employment_type,
    host_of,
    join_location,
    list_in,
    no_board,
    note_skipped,
    number,
    parse_datetime,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, RemotePolicy, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

logger = logging.getLogger(__name__)

SOURCE = Source.zoho
_DOMAINS = ("zohorecruit.com", "zohorecruit.eu", "zohorecruit.in", "zohorecruit.com.au")
HOSTS = frozenset(f".{domain}" for domain in _DOMAINS)
# Zoho's own hosts under the career-site domains.
_NOT_TENANTS = frozenset({"www", "api", "help", "static", "accounts", "recruit"})
_PAGE = "Careers"
_API_PATH = "/recruit/v2/public/Job_Openings"


def _tenant(url: str) -> tuple[str, str] | None:
    """(tenant, domain) of a career-site URL: ("acme", "zohorecruit.eu")."""
    host = host_of(url)
    for domain in sorted(_DOMAINS, key=len, reverse=True):  # .com.au before .com
        label = host.removesuffix("." + domain) if host.endswith("." + domain) else ""
        if label and "." not in label and label not in _NOT_TENANTS:
            return label, domain
    return None


def _page(url: str) -> str:
    """The career page's name, /jobs/{page}/..., which the API takes as `pagename`."""
    parts = segments(url)
    if len(parts) >= 2 and parts[0].lower() == "jobs":
        return unquote(parts[1])
    return _PAGE


def board_url(url: str) -> str | None:
    found = _tenant(url)
    if not found:
        return None
    tenant, domain = found
    return f"https://{tenant}.{domain}/jobs/{quote(_page(url))}"


def api_url(careers_url: str, root: str | None = None) -> str:
    found = _tenant(careers_url)
    if not found:
        raise no_board(SOURCE, "tenant subdomain", careers_url)
    tenant, domain = found
    origin = f"{root.rstrip('/')}/{tenant}" if root else f"https://{tenant}.{domain}"
    page = quote(_page(careers_url), safe="")
    return f"{origin}{_API_PATH}?pagename={page}&source=CareerSite"


def _posted(value: Any) -> datetime | None:
    """Date_Opened: ISO, or the US "10/30/2025" (day first where the first part is over 12)."""
    if parsed := parse_datetime(value):
        return parsed
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", str(value or "").strip())
    if not match:
        return None
    first, second, year = (int(part) for part in match.groups())
    month, day = (second, first) if first > 12 else (first, second)
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _remote(value: Any) -> RemotePolicy | None:
    """Remote_Job true is remote; false says only "not remote" (on-site or hybrid)."""
    if value is True or str(value).strip().lower() in ("true", "yes"):
        return RemotePolicy.remote
    return None


def _salary(job: dict) -> Salary | None:
    """A Salary that is a bare amount ("25000", "90,000.00"); prose states no structured pay."""
    amount = number(job.get("Salary"))
    return salary_range(amount, None, text_of(job.get("Currency")), None) if amount else None


def _description(job: dict) -> str:
    salary = text_of(job.get("Salary"))
    return sections_text(
        [
            (None, job.get("Job_Description")),
            ("Industry", text_of(job.get("Industry"))),
            ("Work Experience", text_of(job.get("Work_Experience"))),
            ("Required Skills", text_of(job.get("Required_Skills"))),
            # Pay as words ("INR 20,000 monthly"), for enrichment to read.
            ("Salary", None if number(salary) else salary),
        ]
    )


def _job_pages(company: Company) -> str | None:
    """https://{tenant}.zohorecruit.{tld}/jobs/{page}, where a job's page is when the answer
    names none ($url): from the careers URL (the API URL is on a mirror in tests)."""
    for url in (company.careers_url, company.api_url):
        if url and (board := board_url(str(url))):
            return board
    return None


def _fields_of(company: Company):
    pages = _job_pages(company)

    def fields(job: dict) -> dict:
        url = text_of(job.get("$url"))
        if not url and pages and text_of(str(job.get("id") or "")):
            url = f"{pages}/{job['id']}"
        city, region, country = (text_of(job.get(key)) for key in ("City", "State", "Country"))
        return {
            "title": text_of(job.get("Posting_Title")) or str(job.get("Job_Opening_Name") or ""),
            "url": url or "",
            "location": join_location(city, region, country),
            "locations": stated_places({"city": city, "region": region, "country": country}),
            "description": _description(job),
            "posted_at": _posted(job.get("Date_Opened")),
            "remote": _remote(job.get("Remote_Job")),
            "employment_type": employment_type(job.get("Job_Type")),
            "salary": _salary(job),
        }

    return fields


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(list_in(payload, SOURCE, "data"), company, SOURCE, _fields_of(company))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    payload = await fetcher.get_json(url)
    postings = parse(payload, company)
    info = payload.get("info")
    if isinstance(info, dict) and info.get("more_records") is True:
        # The endpoint takes no page parameter: what it did not send cannot be asked for.
        note_skipped(
            f"{SOURCE}: the board has more postings than its one answer of {len(payload['data'])}"
        )
    return postings
