"""BambooHR career sites, read through the careers site's public JSON (no key).

Endpoints, the XHRs of the careers single-page app at https://{company}.bamboohr.com/careers:
  GET https://{company}.bamboohr.com/careers/list
      -> {"meta": {"totalCount"}, "result": [{"id" ("319", a string), "jobOpeningName",
         "departmentId", "departmentLabel", "employmentStatusLabel" (the company's own label:
         "Full-Time", "Part-Time", "Contractor", "Intern", "Probationary", "US Employee"),
         "location": {"city", "state"}, "atsLocation": {"country", "state", "province", "city"},
         "isRemote" (null on every board sampled), "locationType" ("0" on-site, "1" remote,
         "2" hybrid)}]}   (the whole board, unpaged; no job text and no date)
  GET https://{company}.bamboohr.com/careers/{id}/detail
      -> {"result": {"jobOpening": {"jobOpeningShareUrl" (https://{company}.bamboohr.com/
         careers/{id}), "jobOpeningName", "jobOpeningStatus" ("Open"), "departmentLabel",
         "employmentStatusLabel", "location": {"city", "state", "postalCode", "addressCountry"},
         "atsLocation", "isRemote", "locationType", "description" (HTML), "datePosted" (a date),
         "compensation" (free text, "$60,000 - $75,000 per year", or null),
         "minimumExperience" ("Mid-Level", or null)}}}
The list has no job text, so every posting's detail is read too, concurrently. A posting that
closed between the two calls (404) is left out.

A posting's place is in `location` (on-site and hybrid openings) or `atsLocation` (remote
openings put their region there and leave `location` empty); each part is read from the first
that states it. `atsLocation` often repeats the country in every field ({"country": "Poland",
"province": "Poland", "city": "Poland"}): a city or region that is the country names no city.
Pay is prose, not amounts: it goes into the description (as "Compensation") for enrichment to
read, as does `minimumExperience`, the only statement of seniority.

Careers URLs: {company}.bamboohr.com/careers[/{id}] (older boards: /jobs/, /jobs/embed2.php).
Mirror mapping: `root` replaces https://{company}.bamboohr.com, so the API is
{root}/{company}/careers/list and a detail {root}/{company}/careers/{id}/detail.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/bamboohr.py (careers/list, `result`,
  meta.totalCount, location / atsLocation with addressCountry and province, locationType
  "0" / "1" / "2" as onsite / remote / hybrid, reserved hosts api, app, help, static, www)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/bamboohr.py (careers/{id}/detail:
  result.jobOpening with description, employmentStatusLabel, compensation as a string,
  datePosted, location {city, state, addressCountry}, share URL careers/{id}); it reads the
  list from the embed widget and says careers/list answered 404 in its tests, which the other
  sources, later, do not see
- public scraper notes and fixtures found by code search: a real kumu.bamboohr.com list row
  (atsLocation {"country": "Philippines", "province": "NCR", ...}, employmentStatusLabel
  Intern / Contractor / Probationary / Full-Time, locationType "2"); a measured-shape document
  (location and atsLocation mutually exclusive, the repeated-country atsLocation, isRemote
  always null); a Ruby importer reading jobOpeningShareUrl, minimumExperience, jobOpeningStatus
  and location.postalCode / addressCountry from the detail
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from tasks.fetch.sources.common import (
    as_dict,
    describe,
    employment_type,
    join_location,
    list_in,
    note_skipped,
    parse_datetime,
    sections_text,
    stated_places,
    subdomain,
    subdomain_boards,
    text_of,
    to_postings,
    under,
    with_details,
)
from tasks.models import Company, Posting, RemotePolicy, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.bamboohr
HOSTS = frozenset({".bamboohr.com"})
# BambooHR's own hosts: the marketing site, the API gateway, the app, docs, help and status.
_NOT_COMPANIES = frozenset(
    {
        "www",
        "api",
        "app",
        "help",
        "support",
        "status",
        "static",
        "documentation",
        "developers",
        "partners",
        "marketplace",
        "blog",
    }
)
_LOCATION_TYPE = {"0": RemotePolicy.onsite, "1": RemotePolicy.remote, "2": RemotePolicy.hybrid}

board_url, api_url = subdomain_boards(
    SOURCE, ".bamboohr.com", _NOT_COMPANIES, "/careers/list", "company subdomain"
)


def _place(job: dict) -> dict:
    """City, region and country, each from `location` or else `atsLocation`."""
    stated, ats = as_dict(job.get("location")), as_dict(job.get("atsLocation"))

    def first(*values: Any) -> str | None:
        return next((text for value in values if (text := text_of(value))), None)

    country = first(stated.get("addressCountry"), stated.get("country"), ats.get("country"))
    region = first(
        stated.get("state"), stated.get("province"), ats.get("state"), ats.get("province")
    )
    city = first(stated.get("city"), ats.get("city"))
    # {"country": "Poland", "province": "Poland", "city": "Poland"}: the country alone.
    said = (country or "").casefold()
    return {
        "city": None if city and city.casefold() == said else city,
        "region": None if region and region.casefold() == said else region,
        "country": country,
    }


def _remote(job: dict) -> RemotePolicy | None:
    if policy := _LOCATION_TYPE.get(str(job.get("locationType") or "").strip()):
        return policy
    # isRemote false is said of on-site and hybrid openings alike: not a policy.
    return RemotePolicy.remote if job.get("isRemote") is True else None


def _description(job: dict) -> str:
    return sections_text(
        [
            (None, job.get("description")),
            # Pay as the posting states it, prose that names no structured amounts.
            ("Compensation", text_of(job.get("compensation"))),
            ("Minimum Experience", text_of(job.get("minimumExperience"))),
        ]
    )


def _job_pages(company: Company) -> str | None:
    """https://{company}.bamboohr.com/careers, where a job's page is when the detail (with its
    share URL) was not read: from the API URL, or the careers URL on a mirror."""
    for url in (company.api_url, company.careers_url):
        if url and (name := subdomain(str(url), ".bamboohr.com", _NOT_COMPANIES)):
            return f"https://{name}.bamboohr.com/careers"
    return None


def _fields_of(company: Company):
    pages = _job_pages(company)

    def fields(job: dict) -> dict:
        place = _place(job)
        url = text_of(job.get("jobOpeningShareUrl"))
        if not url and pages and job.get("id") is not None:
            url = f"{pages}/{job['id']}"
        text = text_of(job.get("location"))  # a label where a client flattened it
        return {
            "title": str(job.get("jobOpeningName") or ""),
            "url": url or "",
            "location": text or join_location(place["city"], place["region"], place["country"]),
            "locations": stated_places(text if text else place),
            "department": text_of(job.get("departmentLabel")),
            "description": _description(job),
            "posted_at": parse_datetime(job.get("datePosted")),
            "remote": _remote(job),
            "employment_type": employment_type(job.get("employmentStatusLabel")),
        }

    return fields


def _detail(payload: Any) -> dict:
    """The `jobOpening` of a detail answer; ValueError for any other shape."""
    opening = as_dict(as_dict(payload).get("result")).get("jobOpening")
    if not isinstance(opening, dict):
        raise ValueError(
            f"bamboohr: expected a JSON object with a 'result.jobOpening' object, "
            f"got {describe(payload)}"
        )
    return opening


def detail_url(list_url: str, job_id: Any) -> str:
    """.../careers/{id}/detail next to the list at .../careers/list, on a mirror too."""
    parts = urlsplit(list_url)
    careers = urlunsplit(parts._replace(path=parts.path.rstrip("/").removesuffix("/list")))
    return under(careers, str(job_id), "detail")


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    payload = await fetcher.get_json(url)
    listed = list_in(payload, SOURCE, "result")
    announced = as_dict(payload.get("meta")).get("totalCount")
    if isinstance(announced, int) and announced > len(listed):
        note_skipped(
            f"{SOURCE}: the board announced {announced} openings; its list held {len(listed)}"
        )

    def detail(job: dict) -> str | None:
        return detail_url(url, job["id"]) if job.get("id") is not None else None

    jobs = await with_details(fetcher, listed, detail, _detail, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields_of(company))


def parse(payload: Any, company: Company) -> list[Posting]:
    """The list: the postings without their text and date (each detail's `jobOpening`, merged
    into its row, adds them)."""
    return to_postings(list_in(payload, SOURCE, "result"), company, SOURCE, _fields_of(company))
