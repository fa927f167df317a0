"""SmartRecruiters career sites, read through the public Posting API (no key).

Endpoints (docs: https://developers.smartrecruiters.com/docs/posting-api and
https://dev.smartrecruiters.com/customer-api/posting-api/endpoints/postings/):
  GET https://api.smartrecruiters.com/v1/companies/{companyIdentifier}/postings?limit=100&offset=N
      -> {"offset", "limit", "totalFound", "content": [{"id", "name", "refNumber", "releasedDate",
         "company": {"identifier"}, "location": {"city", "region", "country" (ISO code, "us"),
         "remote", "hybrid", "fullLocation", "address", "postalCode", "latitude", "longitude"},
         "department": {"label"}, "typeOfEmployment": {"id", "label"}, "experienceLevel":
         {"id", "label"}, "ref"}]}   (limit is capped at 100; pages until totalFound)
  GET .../postings/{postingId}
      -> the same fields plus "postingUrl", "applyUrl", "language": {"code"}, "jobAd":
         {"sections": {"companyDescription", "jobDescription", "qualifications",
         "additionalInformation"}: {"title", "text" (HTML)}} and, on a minority of postings,
         "compensation": {"min", "max", "currency", "period" ("YEARLY", "MONTHLY", ...)}
The list carries no job text (nor compensation), so every posting's detail is read too,
concurrently. A posting that closed between the two calls (404) is left out.

Employment type comes from `typeOfEmployment.id` ("permanent", "contract", "intern", ...): the
label is the employer's wording in the posting's language ("Festanstellung", "Vollzeit"), so it
is read only when the id says nothing. A city or region of "Remote" names no place.

Sources for the shapes:
  https://dev.smartrecruiters.com/customer-api/posting-api/objects/posting/ (Posting, Location)
  a trimmed real BoschGroup list and detail response, checked 2026-10-09 (public research notes
    found by code search, "SmartRecruiters, Workable, Recruitee and Arbeitnow public job APIs")
  live-verified notes of a job-agent project on CERN/NBCUniversal3 details (compensation
    {min, max, currency, period}, CHF/MONTHLY and USD/YEARLY), found by code search
  colophon-group/jobseek apps/crawler/src/core/scrapers/smartrecruiters.py (detail fields)
  public test fixtures with typeOfEmployment ids permanent/contract/intern (code search)

Careers URLs: careers.smartrecruiters.com/{companyIdentifier} and
jobs.smartrecruiters.com/{companyIdentifier}/{postingId}-{slug}.
Mirror mapping: `root` replaces https://api.smartrecruiters.com, the path stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tasks.fetch.sources.common import (
    Page,
    api_base,
    as_dict,
    collect_pages,
    describe,
    employment_type,
    join_location,
    list_in,
    no_board,
    on_hosts,
    parse_datetime,
    remote_from_flags,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    to_postings,
    under,
    with_details,
    with_query,
)
from tasks.models import Company, EmploymentType, Posting, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.smartrecruiters
HOSTS = frozenset({"careers.smartrecruiters.com", "jobs.smartrecruiters.com"})
PAGE_SIZE = 100  # the API's maximum
_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def _company(url: str) -> str | None:
    path = segments(url)
    return path[0] if path and on_hosts(url, HOSTS) else None


def board_url(url: str) -> str | None:
    company = _company(url)
    return f"https://careers.smartrecruiters.com/{company}" if company else None


def api_url(careers_url: str, root: str | None = None) -> str:
    company = _company(careers_url)
    if not company:
        raise no_board(SOURCE, "company identifier", careers_url)
    return f"{api_base(root, 'https://api.smartrecruiters.com')}/v1/companies/{company}/postings"


def _label(value: Any) -> str | None:
    return (value.get("label") or None) if isinstance(value, dict) else None


def _url(job: dict) -> str:
    if job.get("postingUrl"):
        return str(job["postingUrl"])
    company = as_dict(job.get("company")).get("identifier")
    if not company or not job.get("id"):
        return ""
    return f"https://jobs.smartrecruiters.com/{company}/{job['id']}"


def _location(place: dict) -> str | None:
    country = str(place.get("country") or "").upper()  # an ISO code, "de"
    return place.get("fullLocation") or join_location(
        place.get("city"), place.get("region"), country
    )


def _employment(kind: Any) -> EmploymentType | None:
    """The stable id first ("permanent"); the localised label only when the id says nothing."""
    kind = as_dict(kind)
    return employment_type(kind.get("id")) or employment_type(kind.get("label"))


def _salary(compensation: Any) -> Salary | None:
    pay = as_dict(compensation)
    if not {"min", "max"} & pay.keys():  # some clients read it nested one level down
        pay = as_dict(pay.get("salary")) or pay
    return salary_range(
        pay.get("min"), pay.get("max"), pay.get("currency"), salary_period(pay.get("period"))
    )


def _fields(job: dict) -> dict:
    place = as_dict(job.get("location"))
    sections = as_dict(as_dict(job.get("jobAd")).get("sections"))
    return {
        "title": str(job.get("name") or ""),
        "url": _url(job),
        "location": _location(place),
        "locations": stated_places(place),  # a city of "Remote" is no place
        "department": _label(job.get("department")),
        "description": sections_text(
            (as_dict(sections.get(name)).get("title"), as_dict(sections.get(name)).get("text"))
            for name in _SECTIONS
        ),
        "posted_at": parse_datetime(job.get("releasedDate")),
        # Both flags false is a statement (on-site); an older posting without `hybrid` says nothing.
        "remote": remote_from_flags(
            place.get("remote"),
            place.get("hybrid"),
            onsite=place.get("remote") is False and place.get("hybrid") is False,
        ),
        "employment_type": _employment(job.get("typeOfEmployment")),
        "salary": _salary(job.get("compensation")),
    }


def _detail(detail: Any) -> dict:
    if not isinstance(detail, dict):
        raise ValueError(f"smartrecruiters: expected a posting object, got {describe(detail)}")
    return detail


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    async def page(offset: int) -> Page:
        payload = await fetcher.get_json(with_query(url, limit=PAGE_SIZE, offset=offset))
        return list_in(payload, SOURCE, "content"), payload.get("totalFound")

    def detail_url(job: dict) -> str | None:
        return under(url, str(job["id"])) if job.get("id") else None

    listed = await collect_pages(page, PAGE_SIZE, SOURCE)
    jobs = await with_details(fetcher, listed, detail_url, _detail, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields)


def parse(payload: Any, company: Company) -> list[Posting]:
    """One page of the list: the postings without their job text."""
    return to_postings(list_in(payload, SOURCE, "content"), company, SOURCE, _fields)
