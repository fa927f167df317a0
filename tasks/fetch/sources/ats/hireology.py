"""Hireology career sites, read through the careers API the career site itself calls.

Endpoint: GET https://api.hireology.com/v2/public/careers/{slug}?page={n}&page_size={size}
(pages from 1), sent with the anonymous token the career site mints into every page load
(`Authorization: Bearer {apiToken}`, from `var startingData = {"apiUrl", "apiToken",
"careersPath"}` in https://careers.hireology.com/{slug}; it lives about 30 minutes, so it is
read afresh for every board; some clients read the API without it, so a page that cannot be read
leaves the call unauthenticated rather than failing the board).
  -> {"data": [{"id" (2827500, a number), "name", "status" ("Open"), "created_at"
     ("2026-07-27T19:10:31.370Z"), "employment_status" ("Full Time - hourly", "Part Time",
     "Contract"), "job_description" (HTML), "locations": [{"address", "city", "state" ("NE"),
     "zip_code"}], "remote" (true / false), "blind_posted", "job_family": {"id", "name"},
     "career_site_url" (https://careers.hireology.com/{slug}/{id}/description, the slug of the
     hiring location, which can be a child of the board's group), "application_path",
     "organization": {"id", "name" (the hiring location: "Anderson Ford of Lincoln"), "type"},
     "compensation": {"is_comp_range", "comp_single_amount", "comp_range_min",
     "comp_range_max" (numbers as strings, "25.0"), "comp_period" ("hour", "year"),
     "comp_frequency" (how often it is paid: "weekly")}}], "count" (the board's total),
     "page", "page_size"}
Paging reads pages of 100 until `count`; a board whose pages end before it is partial. Rows not
"Open" are left out.

Places name no country: each is read as its text ("Lincoln, NE"), which the state code places
in the US or Canada. Pay is a structured range, or a single amount when `is_comp_range` is
false, in an unstated currency (the boards are North American; no currency is guessed).
`job_family` is the department; the hiring location's name joins the description (as
"Employer"). `remote` false says only "not remote".

Careers URLs: careers.hireology.com/{slug}[/{id}/description], {slug}.hireology.careers.
Mirror mapping: `root` replaces https://api.hireology.com, so the API is
{root}/v2/public/careers/{slug}, and the career page with the token {root}/{slug}.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/hireology.py (the endpoint, page and
  page_size, `count`, `data`, status "Open", name / job_description / locations {city, state} /
  employment_status / remote / created_at / career_site_url / job_family / organization, the
  careers.hireology.com/{slug} and {slug}.hireology.careers hosts; no token)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/hireology.py and tests/test_hireology.py (the
  apiToken from `var startingData` sent as a Bearer token, {"data", "count", "page",
  "page_size"}, ids as numbers, locations with address and zip_code, compensation with
  is_comp_range / comp_single_amount / comp_range_min / comp_range_max / comp_period /
  comp_frequency, the /{slug}/{id}/description job page of a child location)
- public adapters found by code search: a TypeScript client's constants (the token is anonymous,
  minted into every careers page load, `"apiToken"\\s*:\\s*"..."`), a scraper's notes (the token
  lives about 30 minutes; `is_comp_range` decides between a single amount and a range), and a
  provider test (a board of a parent group listing its child locations' jobs, several locations
  on one job, page_size 100 paging until `count`)
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from tasks.errors import FetchError
from tasks.fetch.sources.common import (
    as_dict,
    collect_pages,
    employment_type,
    host_of,
    join_location,
    list_in,
    no_board,
    parse_datetime,
    places,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_query,
)
from tasks.models import Company, Posting, RemotePolicy, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

logger = logging.getLogger(__name__)

SOURCE = Source.hireology
HOSTS = frozenset({"careers.hireology.com", ".hireology.careers", "api.hireology.com"})
_API = "https://api.hireology.com"
_API_PATH = "/v2/public/careers/"
_CAREERS = "https://careers.hireology.com"
_NOT_SLUGS = frozenset({"www", "api", "app", "static", "assets", "js", "css"})
PAGE_SIZE = 100
_TOKEN = re.compile(r'"apiToken"\s*:\s*"([^"]+)"')


def _slug(url: str) -> str | None:
    host, parts = host_of(url), segments(url)
    if host == "careers.hireology.com":
        slug = unquote(parts[0]) if parts else None
    elif host == "api.hireology.com":  # /v2/public/careers/{slug}, /v1/careers/{slug}
        slug = unquote(parts[-1]) if len(parts) >= 3 and parts[-2] == "careers" else None
    elif host.endswith(".hireology.careers"):
        slug = host.removesuffix(".hireology.careers")
        slug = None if "." in slug else slug
    else:
        slug = None
    return slug if slug and slug.lower() not in _NOT_SLUGS else None


def board_url(url: str) -> str | None:
    slug = _slug(url)
    return f"{_CAREERS}/{quote(slug, safe='')}" if slug else None


def api_url(careers_url: str, root: str | None = None) -> str:
    slug = _slug(careers_url)
    if not slug:
        raise no_board(SOURCE, "careers slug", careers_url)
    return f"{(root or _API).rstrip('/')}{_API_PATH}{quote(slug, safe='')}"


def _careers_page(url: str) -> str:
    """The career page that carries the token: careers.hireology.com/{slug}, or {root}/{slug}
    next to the API on a mirror."""
    parts = urlsplit(url)
    base, _, slug = parts.path.rpartition(_API_PATH)
    if parts.hostname == "api.hireology.com":
        return f"{_CAREERS}/{slug}"
    return f"{parts.scheme}://{parts.netloc}{base}/{slug}"


async def _token(fetcher: Fetcher, url: str) -> str | None:
    page = _careers_page(url)
    try:
        found = _TOKEN.search((await fetcher.page(page)).text)
    except FetchError as exc:
        logger.warning("hireology: no token from %s, reading the API without one: %s", page, exc)
        return None
    return found[1] if found else None


def _place(place: Any) -> str | None:
    if isinstance(place, str):
        return text_of(place)
    if not isinstance(place, dict):
        return None
    return join_location(place.get("city"), place.get("state"))


def _salary(job: dict) -> Salary | None:
    pay = as_dict(job.get("compensation"))
    if pay.get("is_comp_range") is True:
        low, high = pay.get("comp_range_min"), pay.get("comp_range_max")
    else:
        low = high = pay.get("comp_single_amount")
    return salary_range(low, high, None, salary_period(pay.get("comp_period")))


def _name(value: Any) -> str | None:
    return text_of(value.get("name")) if isinstance(value, dict) else None


def _fields_of(company: Company):
    slug = next(
        (s for url in (company.careers_url, company.api_url) if url and (s := _slug(str(url)))),
        None,
    )

    def fields(job: dict) -> dict | None:
        if str(job.get("status") or "Open").strip().lower() != "open":
            return None
        url = text_of(job.get("career_site_url"))
        if not url and slug and job.get("id") is not None:
            url = f"{_CAREERS}/{quote(slug, safe='')}/{job['id']}/description"
        stated = job.get("locations") if isinstance(job.get("locations"), list) else []
        named = [text for place in stated if (text := _place(place))]
        return {
            "title": str(job.get("name") or ""),
            "url": url or "",
            "location": places(*named),
            "locations": stated_places(*named),
            "department": _name(job.get("job_family")),
            "description": sections_text(
                [(None, job.get("job_description")), ("Employer", _name(job.get("organization")))]
            ),
            "posted_at": parse_datetime(job.get("created_at")),
            "remote": RemotePolicy.remote if job.get("remote") is True else None,
            "employment_type": employment_type(job.get("employment_status")),
            "salary": _salary(job),
        }

    return fields


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(list_in(payload, SOURCE, "data"), company, SOURCE, _fields_of(company))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    token = await _token(fetcher, url)
    headers = {"Authorization": f"Bearer {token}"} if token else None

    async def read_page(offset: int) -> tuple[list, int | None]:
        page_url = with_query(url, page=offset // PAGE_SIZE + 1, page_size=PAGE_SIZE)
        payload = await fetcher.get_json(page_url, headers=headers)
        total = payload.get("count") if isinstance(payload, dict) else None
        return list_in(payload, SOURCE, "data"), total

    jobs = await collect_pages(read_page, PAGE_SIZE, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields_of(company))
