"""Recruitee career sites, read through the public Careers Site API (no key).

Endpoint: GET https://{company}.recruitee.com/api/offers/ (docs: https://docs.recruitee.com/reference/offers
and https://career.recruitee.com/docs/index.html). The whole board comes in one answer,
`{"offers": [{"id", "slug", "title", "careers_url", "description", "requirements" (HTML),
"location", "city", "country", "country_code", "remote", "hybrid", "on_site",
"employment_type_code" ("fulltime_permanent", "parttime_fixed_term", "internship", ...),
"department", "published_at", "created_at" ("2025-10-20 10:11:12 UTC"), "salary": {"min", "max",
"currency", "period"}}]}`; salary amounts come as strings ("18.50") and are null when unstated.
An offer also carries `state_name`/`state_code` (the first location's) and `locations`, every place
it is offered in, each `{"id", "city", "state_name", "state_code", "country", "country_code",
"postal_code", "street", "name"}`. The free-text `location` can be "Remote job" while those hold
the place, so the structured fields win over it.

Careers URLs: {company}.recruitee.com[/o/{slug}].
Mirror mapping: `root` replaces https://{company}.recruitee.com, so the API is
{root}/{company}/api/offers/.

Sources:
- https://docs.recruitee.com/reference/offers and https://docs.recruitee.com/reference/locations
  (location fields: city, state_name, state_code, country_code, postal_code, street)
- https://docs.recruitee.com/docs/feed (hybrid and on_site flags, locations list)
- colophon-group/jobseek apps/crawler/src/core/monitors/recruitee.py (locations list, flags)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/recruitee.py (city/state_code/country_code,
  employment_type_code values)
"""

import re
from typing import Any

from tasks.fetch.sources.common import (
    employment_type,
    join_location,
    list_in,
    parse_datetime,
    places,
    remote_from_flags,
    salary_period,
    salary_range,
    sections_text,
    single_json,
    stated_places,
    subdomain_boards,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, Salary, Source

SOURCE = Source.recruitee
HOSTS = frozenset({".recruitee.com"})
_NOT_COMPANIES = frozenset({"www", "app", "api", "docs", "support", "blog", "help"})
_NOT_A_PLACE = re.compile(r"\b(?:fully|remote|hybrid|on-?site|job|jobs|work)\b", re.IGNORECASE)


board_url, api_url = subdomain_boards(
    SOURCE, ".recruitee.com", _NOT_COMPANIES, "/api/offers/", "company subdomain"
)


def _salary(raw: Any) -> Salary | None:
    if not isinstance(raw, dict):
        return None
    return salary_range(
        raw.get("min"), raw.get("max"), raw.get("currency"), salary_period(raw.get("period"))
    )


def _place(raw: Any) -> dict | None:
    """One structured place (an offer or an entry of its `locations`) as city/region/country."""
    if not isinstance(raw, dict):
        return None
    place = {
        "city": text_of(raw.get("city")),
        "region": text_of(raw.get("state_name")) or text_of(raw.get("state_code")),
        "country": text_of(raw.get("country_code")) or text_of(raw.get("country")),
    }
    return place if any(place.values()) else None


def _structured(job: dict) -> list[dict]:
    """The offer's places from its `locations` list, else from its own city/state/country."""
    listed = job.get("locations") if isinstance(job.get("locations"), list) else []
    found = [place for raw in listed if (place := _place(raw))]
    if not found and (own := _place(job)):
        found = [own]
    return found


def _display(raw: dict) -> str | None:
    return join_location(
        raw.get("city"), raw.get("state_name"), raw.get("country") or raw.get("country_code")
    )


def _free_text(job: dict) -> str | None:
    """The free-text location, unless it only says the job is remote ("Remote job")."""
    text = text_of(job.get("location"))
    return text if text and _NOT_A_PLACE.sub("", text).strip(" ,-") else None


def _fields(job: dict) -> dict:
    structured = _structured(job)
    listed = job.get("locations") if isinstance(job.get("locations"), list) else []
    named = [_display(raw) for raw in listed if isinstance(raw, dict)]
    free = _free_text(job)
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("careers_url") or ""),
        "location": places(*named) or _display(job) or free,
        "locations": stated_places(*structured) if structured else stated_places(free),
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
