"""JOIN (join.com) career pages, read through JOIN's public jobs API (no key).

A board is https://join.com/companies/{slug}. JOIN's public API is keyed by the company's numeric
id, which no careers URL shows: the careers page (a Next.js page) carries it in its embedded
`__NEXT_DATA__` JSON, at props.pageProps.initialState.company {"id", "name", "domain" (the slug),
...}. So the board's URL here is that careers page, read once for the id, and then:
  GET https://join.com/api/public/companies/{id}/jobs?locale=en&page={n}&pageSize=5
      -> {"items": [{"id" (a number), "idParam" ("{id}-{title-slug}", the job page's path),
         "title", "createdAt" (ISO 8601, UTC), "workplaceType" ("ONSITE", "HYBRID", "REMOTE"),
         "city": {"cityName", "countryName"}, "country": {"name"}, "employmentType": {"name"}
         ("Full-time", "Part-time", "Internship", ...), "category": {"name"},
         "salaryAmountFrom" / "salaryAmountTo": {"amount" (minor units: cents), "currency"},
         "salaryFrequency" ("PER_YEAR", "PER_MONTH", "PER_HOUR", ...)}],
         "pagination": {"rowCount", "pageCount", ...}}
      Pages count from 1. Since mid-2026 the API refuses a pageSize above 5 with 422 and a bare
      list of validation errors ([{"param": "pageSize", "msg": "Invalid value"}]), so a board is
      read five postings a page, to `rowCount`.
  GET https://join.com/api/public/jobs/{id}?locale=en
      -> one job: the list's fields plus "description" (Markdown: "## " headings, "* " bullets,
         **bold**), or, on some postings, the parts "intro", "tasks", "requirements", "benefits",
         "outro"; and "company": {"id", "name", "domain"}.
The list has no job text, so every job's detail is read too, concurrently; one that closed
between the two calls (404) is left out. A job's public page is
https://join.com/companies/{slug}/{idParam}.

Stated and carried: title, job page, id, city and country, workplace, the employment type's
name, the category (JOIN's only grouping, the department field), createdAt (publishedAt where a
job states it), pay where amounts are entered (converted from cents; `salaryFrequency` is set,
"PER_YEAR", even where no amount is), and the text. Not stated: a region, and several places per
job (a job has one city).

Careers URLs: join.com/companies/{slug}[/{idParam}] (www.join.com too).
Mirror mapping: `root` replaces https://join.com, so the careers page is
{root}/companies/{slug} and the API {root}/api/public/....

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/join.py (careers page __NEXT_DATA__ at
  props.pageProps.initialState.jobs.items and .pagination.pageCount, `?page=N` paging fixed at
  5 jobs a page, job pages https://join.com/companies/{slug}/{idParam})
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/join_com.py (slug -> company id from the
  page's "company": {"id", "name", "domain"}, with a check that `domain` is the slug asked for:
  JOIN has served placeholder pages of another company; the jobs API with `items` and
  `pagination`; city as {"cityName", "countryName"}, employmentType and department/category as
  {"name"}; publishedAt or createdAt; the job pages' JSON-LD)
- a public scraper project (package `headstart`), found by code search: its
  headstart/scrapers/join.py (pageSize refused above 5 since 2026-07, the validation error as a
  bare list, pagination.pageCount, the detail /api/public/jobs/{id}?locale=en with "description"
  or intro / tasks / requirements, category.name as department, workplaceType values,
  salaryAmountFrom / salaryAmountTo {amount in cents, currency} and salaryFrequency PER_YEAR /
  PER_MONTH / PER_HOUR, confirmed against a live job in 2026-09)
- other public clients found by code search: a Go adapter (pageSize capped at 5, 422 above;
  pageCount 0 for an empty board; city {cityName, countryName}; the detail's Markdown
  description and company.domain), a TypeScript adapter (detail parts intro, tasks,
  requirements, benefits, outro; status "ONLINE"), and a Python one (pagination.rowCount and
  pageCount; country {name}; createdAt "2025-10-23T09:15:49.907Z")
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.fetch.sources.common import (
    api_base,
    as_dict,
    collect_pages,
    describe,
    employment_type,
    html_to_text,
    join_location,
    list_in,
    no_board,
    number,
    on_hosts,
    parse_datetime,
    remote_policy,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
)
from tasks.models import Company, Posting, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.join
HOSTS = frozenset({"join.com", "www.join.com"})
PAGE_SIZE = 5  # the most the public jobs API accepts
_SLUG = re.compile(r"[A-Za-z0-9][\w-]*")
# The parts a job's text comes in when it has no single `description`.
_PARTS = (
    ("intro", None),
    ("tasks", "Tasks"),
    ("requirements", "Requirements"),
    ("benefits", "Benefits"),
    ("outro", None),
)


def _slug(url: str) -> str | None:
    path = segments(url)
    if not on_hosts(url, HOSTS) or len(path) < 2 or path[0] != "companies":
        return None
    return path[1] if _SLUG.fullmatch(path[1]) else None


def board_url(url: str) -> str | None:
    slug = _slug(url)
    return f"https://join.com/companies/{slug}" if slug else None


def api_url(careers_url: str, root: str | None = None) -> str:
    """The careers page, where the company's id is; the API calls follow from it."""
    slug = _slug(careers_url)
    if not slug:
        raise no_board(SOURCE, "company slug", careers_url)
    return f"{api_base(root, 'https://join.com')}/companies/{slug}"


# ---------------------------------------------------------------- the careers page


def company_of(markup: str, slug: str) -> dict:
    """The `company` of a careers page's __NEXT_DATA__; ValueError without one, or when the page
    is another company's (JOIN has served placeholder pages of another tenant)."""
    try:
        document = lxml_html.fromstring(markup)
        found = document.xpath('//script[@id="__NEXT_DATA__"]/text()')
        data = json.loads(found[0]) if found else None
    except (etree.ParserError, ValueError):
        data = None
    state = as_dict(as_dict(as_dict(data).get("props")).get("pageProps")).get("initialState")
    company = as_dict(state).get("company")
    if not isinstance(company, dict) or company.get("id") in (None, ""):
        raise ValueError(
            f"join: expected the careers page's __NEXT_DATA__ with "
            f"props.pageProps.initialState.company.id, got {describe(data)}"
        )
    domain = text_of(company.get("domain"))
    if domain and domain.casefold() != slug.casefold():
        raise ValueError(f"join: the careers page of {slug!r} is company {domain!r}'s")
    return company


# ---------------------------------------------------------------- a job


def _name(value: Any) -> str | None:
    """A {"name": ...} object's name, or a plain string."""
    return text_of(value.get("name")) if isinstance(value, dict) else text_of(value)


def _salary(job: dict) -> Salary | None:
    """The pay range, where amounts are entered (JOIN states them in cents)."""
    low, high = as_dict(job.get("salaryAmountFrom")), as_dict(job.get("salaryAmountTo"))
    amounts = [number(side.get("amount")) for side in (low, high)]
    low_amount, high_amount = (None if a is None else a / 100 for a in amounts)
    currency = low.get("currency") or high.get("currency")
    return salary_range(
        low_amount, high_amount, currency, salary_period(job.get("salaryFrequency"))
    )


def markdown_text(text: Any) -> str:
    """JOIN's Markdown (or HTML, where a client passes the page's) as plain text."""
    lines = []
    for line in html_to_text(str(text or "")).split("\n"):
        line = re.sub(r"^#{1,6}\s+", "", line)  # "## Your tasks"
        line = re.sub(r"^[*+•]\s+", "- ", line)  # "* Python"
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [text](link)
        line = re.sub(r"\*\*|__", "", line).strip()  # **bold**
        if line and line != "-":
            lines.append(line)
    return "\n".join(lines)


def _description(job: dict) -> str:
    if text := markdown_text(job.get("description")):
        return text
    return sections_text((heading, markdown_text(job.get(key))) for key, heading in _PARTS)


def _fields_of(slug: str | None):
    def fields(job: dict) -> dict:
        city = job.get("city")
        city_name = _name(city) or text_of(as_dict(city).get("cityName"))
        city_name = city_name or text_of(as_dict(city).get("label"))
        country = _name(job.get("country")) or text_of(as_dict(city).get("countryName"))
        page = text_of(job.get("idParam"))
        return {
            "title": str(job.get("title") or ""),
            "url": f"https://join.com/companies/{slug}/{page}" if slug and page else "",
            "location": join_location(city_name, country),
            "locations": stated_places({"city": city_name, "country": country}),
            "remote": remote_policy(job.get("workplaceType")),
            "employment_type": employment_type(_name(job.get("employmentType"))),
            "department": _name(job.get("department")) or _name(job.get("category")),
            "posted_at": parse_datetime(job.get("publishedAt") or job.get("createdAt")),
            "salary": _salary(job),
            "description": _description(job),
        }

    return fields


def _text_of_detail(payload: Any) -> dict:
    """The text of a job's detail answer; ValueError for any other shape."""
    if not isinstance(payload, dict) or ("title" not in payload and "id" not in payload):
        raise ValueError(
            f"join: expected a job object from the detail API, got {describe(payload)}"
        )
    keys = ("description", "publishedAt", *(key for key, _ in _PARTS))
    return {key: payload[key] for key in keys if payload.get(key)}


def _board_slug(company: Company) -> str | None:
    """The company's slug, for its job pages: from the API URL, or the careers URL."""
    for url in (company.api_url, company.careers_url):
        if url and (slug := _slug(str(url))):
            return slug
    return None


# ---------------------------------------------------------------- reading a board


def _origin(url: str) -> str:
    """Where the careers page at `url` is served: https://join.com, or a mirror's root."""
    parts = urlsplit(url)
    path = parts.path.split("/companies/", 1)[0]
    return urlunsplit(parts._replace(path=path, query="", fragment="")).rstrip("/")


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    page = await fetcher.page(url)
    # The slug the page answered for (a renamed company's old URL redirects); a mirror's host is
    # no join.com, its slug the path's last part.
    slug = _slug(page.url) or _slug(url) or segments(url)[-1]
    company_id = company_of(page.text, slug)["id"]
    base = _origin(url)
    jobs_url = f"{base}/api/public/companies/{company_id}/jobs"

    async def read_page(offset: int) -> tuple[list, int | None]:
        params = {"locale": "en", "page": offset // PAGE_SIZE + 1, "pageSize": PAGE_SIZE}
        payload = await fetcher.get_json(jobs_url, params=params)
        rows = number(as_dict(as_dict(payload).get("pagination")).get("rowCount"))
        return list_in(payload, SOURCE, "items"), None if rows is None else int(rows)

    listed = await collect_pages(read_page, PAGE_SIZE, SOURCE)

    def detail(job: dict) -> str | None:
        job_id = job.get("id")
        return None if job_id is None else f"{base}/api/public/jobs/{job_id}?locale=en"

    jobs = await with_details(fetcher, listed, detail, _text_of_detail, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields_of(slug))


def parse(payload: Any, company: Company) -> list[Posting]:
    """One page of the jobs API: the postings without their text (each detail adds it)."""
    items = list_in(payload, SOURCE, "items")
    return to_postings(items, company, SOURCE, _fields_of(_board_slug(company)))
