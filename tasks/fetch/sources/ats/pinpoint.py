"""Pinpoint career sites, read through the public job postings JSON endpoint (no key).

Endpoint: GET https://{tenant}.pinpointhq.com/postings.json, the careers site's own XHR, which
Pinpoint's developer docs call the "job postings JSON endpoint". The whole board comes in one
answer, unpaged (`?page` and `?per_page` are ignored, no total is stated), with the full text:
`{"data": [{"id" ("290785"), "title", "url" (https://{tenant}.pinpointhq.com/en/postings/{uuid},
or the tenant's vanity host), "path" ("/en/postings/{uuid}"), "description",
"key_responsibilities", "skills_knowledge_expertise", "benefits" (HTML, each section after the
first under its tenant-chosen "{section}_header"), "location": {"id", "name", "city", "province",
"postal_code", "street_address"}, "workplace_type" ("onsite", "hybrid", "remote"),
"workplace_type_text" ("Onsite"), "employment_type" ("full_time", "permanent_full_time",
"fixed_term_contract", "contract_temp", "internship", ...), "employment_type_text" ("Full Time"),
"compensation" ("$110,000 - $180,000 / year"), "compensation_visible" (bool),
"compensation_minimum", "compensation_maximum" (numbers or null), "compensation_currency"
("USD"), "compensation_frequency" ("year", "month", "week", "day", "hour", "two_weeks"),
"deadline_at" (closing date, mostly null), "reporting_to", "job": {"id", "requisition_id",
"department": {"id", "name"}, "division": {"id", "name"} | null}}]}`.

A posting has one `location`, and it names no country: `name` is the tenant's label for the
place, often an office ("Woking Office"), `city` and `province` are the place itself, and some
tenants type the country into `province` ("UK"). The listing states no posting date (the
posting's page carries one in its JSON-LD); `deadline_at` is when applications close, not a
posted date, so `posted_at` stays empty. Pay is published only when `compensation_visible` is
true; a tenant can state it as prose alone (`compensation` with no amounts), which goes into
the description for enrichment to read.

Careers URLs: {tenant}.pinpointhq.com[/en/postings/{uuid}].
Mirror mapping: `root` replaces https://{tenant}.pinpointhq.com, so the API is
{root}/{tenant}/postings.json.

Sources:
- https://developers.pinpointhq.com/docs/jobs-widget-overview (the job postings JSON endpoint)
  and https://developers.pinpointhq.com/reference/post-jobs (employment_type codes)
- colophon-group/jobseek apps/crawler/src/core/monitors/pinpoint.py (`data` list, the four
  sections and their headers, job.department / job.division, compensation_* fields and
  compensation_visible, workplace_type values)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/pinpoint.py (one response, no pagination;
  location {city, name, province})
- a public scraper project (package `headstart`), found by code search: its
  headstart/scrapers/pinpoint.py and the log of its measurement of 13,419 live rows from 433
  boards (docs/pinpoint/2026-09-23_postings-api-measurement.md): the 25 listing keys, no date
  field on any row, one location per posting, frequencies year / hour / month / week / day /
  two_weeks, hidden rows never carrying amounts
- live captures quoted in public test fixtures (impulsespace and menzies boards: location
  {id, city, name, postal_code, province, street_address}, job {id, requisition_id, department,
  division}, compensation "$110,000 - $180,000 / year", province "UK")
"""

from typing import Any

from tasks.fetch.sources.common import (
    as_dict,
    employment_type,
    join_location,
    list_in,
    remote_policy,
    salary_period,
    salary_range,
    sections_text,
    single_json,
    stated_places,
    subdomain_boards,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, Salary, Source, country_code

SOURCE = Source.pinpoint
HOSTS = frozenset({".pinpointhq.com"})
# Pinpoint's own hosts: the marketing site, the app (its sitemap index), docs, help and status.
_NOT_TENANTS = frozenset(
    {"www", "app", "api", "developers", "docs", "help", "support", "status", "blog"}
)
# The sections after `description`, each under its `{section}_header`; the default heading is
# the one Pinpoint's editor offers, for a tenant that left the header empty.
_SECTIONS = (
    ("key_responsibilities", "Key Responsibilities"),
    ("skills_knowledge_expertise", "Skills, Knowledge and Expertise"),
    ("benefits", "Benefits"),
)


board_url, api_url = subdomain_boards(
    SOURCE, ".pinpointhq.com", _NOT_TENANTS, "/postings.json", "tenant subdomain"
)


def _salary(job: dict) -> Salary | None:
    """The stated pay range, only where the tenant publishes it."""
    if job.get("compensation_visible") is not True:
        return None
    frequency = str(job.get("compensation_frequency") or "")
    # A fortnightly amount has no SalaryPeriod, and "week" would state half the pay as the
    # weekly rate: no structured salary (the prose still reaches the description).
    if "two" in frequency.lower():
        return None
    return salary_range(
        job.get("compensation_minimum"),
        job.get("compensation_maximum"),
        job.get("compensation_currency"),
        salary_period(frequency),
    )


def _province_country(province: str | None) -> str | None:
    """The country a tenant typed into `province` ("UK", "United Kingdom"), else None.

    A two-letter province is a state or province code that can also be an ISO country (CA, CO,
    IN), and Georgia is a US state as well as a country: those stay regions.
    """
    if not province or province.lower() == "georgia":
        return None
    if len(province) <= 2 and province.upper() != "UK":
        return None
    return country_code(province)


def _locations(place: dict) -> list:
    """The place as city/region/country, from `city` and `province` only: `name` is a label
    ("Woking Office", "Shipboard") that would read as a city; the free-text location keeps it."""
    city, province = text_of(place.get("city")), text_of(place.get("province"))
    country = _province_country(province)
    return stated_places(
        {"city": city, "region": None if country else province, "country": country}
    )


def _display(place: dict) -> str | None:
    """`name` first, then `city` and `province` unless the name already says them ("Denver, CO"
    and city "Denver": "Denver, CO, Colorado")."""
    parts: list[str] = []
    said: set[str] = set()
    for value in (place.get("name"), place.get("city"), place.get("province")):
        text = text_of(value)
        if text and text.lower() not in said:
            parts.append(text)
            said.update(part.strip().lower() for part in text.split(","))
    return join_location(*parts)


def _department(job: dict) -> str | None:
    requisition = as_dict(job.get("job"))
    department = requisition.get("department")
    return text_of(department.get("name")) if isinstance(department, dict) else None


def _description(job: dict) -> str:
    sections: list[tuple[Any, Any]] = [(None, job.get("description"))]
    sections += [
        (text_of(job.get(f"{key}_header")) or default, job.get(key)) for key, default in _SECTIONS
    ]
    if job.get("compensation_visible") is True:
        # The pay as the posting page shows it: the only statement of pay where the tenant wrote
        # prose and no amounts ("£26,123 pro rata per annum").
        sections.append(("Compensation", text_of(job.get("compensation"))))
    return sections_text(sections)


def _fields(job: dict) -> dict:
    place = as_dict(job.get("location"))
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("url") or ""),
        "location": _display(place),
        "locations": _locations(place),
        "department": _department(job),
        "description": _description(job),
        "remote": remote_policy(job.get("workplace_type"))
        or remote_policy(job.get("workplace_type_text")),
        "employment_type": employment_type(job.get("employment_type"))
        or employment_type(job.get("employment_type_text")),
        "salary": _salary(job),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(list_in(payload, SOURCE, "data"), company, SOURCE, _fields)


fetch = single_json(parse)
