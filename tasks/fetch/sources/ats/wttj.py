"""Welcome to the Jungle (WTTJ) company pages, read through the public APIs behind them (no key).

Source value "wttj": the short name WTTJ itself and the public clients use, and the one that
keeps the source's name, its module, its sample-site path and its fixtures the same word.

A board is https://www.welcometothejungle.com/{locale}/companies/{slug}. Three public reads:
  GET https://api.welcometothejungle.com/api/v1/organizations/{slug}
      -> {"organization": {"slug" (the one the search index files jobs under; for some
         companies an older one than the page's), "reference", "name", ...}}
  POST https://csekhvms53-dsn.algolia.net/1/indexes/*/queries   (WTTJ's Algolia search, with
      the public search-only key every visitor's browser sends, and the site as Origin / Referer)
      {"requests": [{"indexName": "wk_cms_jobs_production", "params":
      "filters=organization.slug:{slug}&hitsPerPage=100&page={n}"}]}
      -> {"results": [{"hits": [{"objectID", "reference", "slug", "name", "website":
         {"reference"}, ...}], "nbHits", "nbPages", "page", "hitsPerPage"}]}
      Pages count from 0. WTTJ has rotated that key before: Algolia then answers 403 ("Invalid
      Application-ID or API key") and the board fails loudly. Algolia serves no hit past the
      1,000th of a query (paginationLimitedTo), so a company with more open jobs is read in
      part, and said so.
      The index holds one row per website a job is published on: the same job (one
      `reference`) can come several times, and is read once.
  GET https://api.welcometothejungle.com/api/v1/organizations/{slug}/jobs/{job slug}
      -> {"job": {"reference", "slug", "name", "status" ("published"; "archived", "expired"
         are closed), "language", "published_at" (ISO 8601), "contract_type" ("full_time",
         "part_time", "temporary", "internship", "apprenticeship", "freelance", "vie", ...),
         "remote" ("fulltime", "partial", "punctual", "no", "unknown"), "offices": [{"city",
         "state", "country", "country_code", "address", ...}] (or one "office"),
         "salary_min", "salary_max", "salary_currency", "salary_period" ("yearly", "monthly",
         "daily", "hourly"), "description", "profile" (HTML), "key_missions" (a list),
         "recruitment_process", "experience_level", "education_level", "profession", ...}}
The list hits carry no full text, so every job's detail is read too, concurrently; a job that
closed between the two calls (404) is left out. A job's page is
https://www.welcometothejungle.com/{locale}/companies/{slug}/jobs/{job slug}.

Stated and carried: title, page, the job's reference, every office (city, state, country),
workplace ("fulltime" remote, "partial" and "punctual" hybrid, "no" on-site, "unknown" none),
contract type, published_at, pay where amounts are stated, and the text: the description, key
missions, preferred experience (`profile`) and recruitment process under their headings. Not
stated: a department (WTTJ files a job under a profession, a job category, and its company's
sectors).

Careers URLs: www.welcometothejungle.com/{locale}/companies/{slug}[/jobs/{job slug}].
Mirror mapping: `root` replaces https://api.welcometothejungle.com and the Algolia host alike,
so the organization is {root}/api/v1/organizations/{slug} and the search {root}/1/indexes/....

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/welcometothejungle.py (the organization
  endpoint resolving the page's slug to the index's, the wk_cms_jobs_production index through
  /1/indexes/*/queries with filters=organization.slug:..., the public key, content type and
  Origin / Referer it needs, nbHits and the 1,000-hit ceiling, one row per website deduplicated
  by `reference`, the detail {"job": ...} with status, offices / office, contract_type, remote,
  published_at, salary_min / salary_max / salary_currency / salary_period, description,
  profile, key_missions, language; 404 for a job closed since it was listed)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/welcometothejungle.py (the same Algolia
  application and key, hitsPerPage at most 1,000, contract types full_time / part_time /
  freelance / temporary / internship / apprenticeship / vie, salary periods yearly / monthly /
  weekly / daily / hourly, remote values, job pages /{locale}/companies/{org}/jobs/{slug})
- public notes and tests found by code search: an Otta / WTTJ URL reference (the Algolia
  request and its 0-indexed pages, remote values fulltime / partial / punctual / none /
  unknown, paginationLimitedTo 1000, the detail endpoint and its fields, 404 for unknown
  slugs, the www host behind a bot challenge while the API host is not), a test suite over
  captured hits and a captured detail ("partial" as hybrid, "unknown" as no policy,
  published_at as ISO 8601), and notes that the REST jobs list of an organization answers 404
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from tasks.fetch.sources.common import (
    api_base,
    as_dict,
    collect_pages,
    describe,
    employment_type,
    join_location,
    no_board,
    on_hosts,
    parse_datetime,
    places,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
)
from tasks.models import Company, EmploymentType, Posting, RemotePolicy, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.wttj
HOSTS = frozenset({"welcometothejungle.com", "www.welcometothejungle.com"})
API = "https://api.welcometothejungle.com"
SEARCH = "https://csekhvms53-dsn.algolia.net"
INDEX = "wk_cms_jobs_production"
PAGE_SIZE = 100
# WTTJ's public search-only Algolia key, sent by every visitor's browser; the key is restricted
# to the site's Origin / Referer.
SEARCH_HEADERS = {
    "x-algolia-application-id": "CSEKHVMS53",
    "x-algolia-api-key": "4bd8f6215d0cc52b26430765769e65a0",
    "Content-Type": "application/x-www-form-urlencoded",  # a JSON body, as the site sends it
    "Origin": "https://www.welcometothejungle.com",
    "Referer": "https://www.welcometothejungle.com/",
}
_LOCALE = re.compile(r"[a-z]{2}(?:-[a-z]{2})?", re.I)
_SLUG = re.compile(r"[\w-]+")
_REMOTE = {
    "fulltime": RemotePolicy.remote,
    "full": RemotePolicy.remote,
    "partial": RemotePolicy.hybrid,
    "punctual": RemotePolicy.hybrid,  # remote now and then
    "no": RemotePolicy.onsite,
    "none": RemotePolicy.onsite,
}
_CONTRACT = {"vie": EmploymentType.temporary}  # Volontariat International en Entreprise
_CLOSED = frozenset({"archived", "expired", "closed"})


def _board(url: str) -> tuple[str, str] | None:
    """(locale, company slug) of a company page or job page."""
    path = segments(url)
    if not on_hosts(url, HOSTS) or len(path) < 3 or path[1] != "companies":
        return None
    locale, slug = path[0].lower(), path[2]
    return (locale, slug) if _LOCALE.fullmatch(locale) and _SLUG.fullmatch(slug) else None


def board_url(url: str) -> str | None:
    board = _board(url)
    return f"https://www.welcometothejungle.com/{board[0]}/companies/{board[1]}" if board else None


def api_url(careers_url: str, root: str | None = None) -> str:
    """The organization, whose slug the search index files the company's jobs under."""
    board = _board(careers_url)
    if not board:
        raise no_board(SOURCE, "company slug", careers_url)
    return f"{api_base(root, API)}/api/v1/organizations/{board[1]}"


# ---------------------------------------------------------------- a job


def _text(value: Any) -> str | None:
    """A string, or an {"en": ..., "fr": ...} object's English (else first) text."""
    if isinstance(value, dict):
        value = value.get("en") or next((v for v in value.values() if isinstance(v, str)), None)
    return text_of(value)


def _offices(job: dict) -> list[dict]:
    offices = job.get("offices")
    if not isinstance(offices, list) or not offices:
        offices = [job.get("office")]
    return [office for office in offices if isinstance(office, dict)]


def _place(office: dict) -> dict:
    return {
        "city": _text(office.get("city")) or _text(office.get("local_city")),
        "region": _text(office.get("state")) or _text(office.get("local_state")),
        "country": text_of(office.get("country_code")) or _text(office.get("country")),
    }


def _employment(value: Any) -> EmploymentType | None:
    label = _text(value)
    return _CONTRACT.get(str(label).lower()) or employment_type(label)


def _list_html(items: Any) -> str:
    if not isinstance(items, list):
        return ""
    return "".join(f"<li>{item}</li>" for item in items if isinstance(item, str) and item.strip())


def _description(job: dict) -> str:
    return sections_text(
        [
            (None, job.get("summary") if not job.get("description") else None),
            ("Job Description", job.get("description")),
            ("Key Missions", _list_html(job.get("key_missions"))),
            ("Preferred Experience", job.get("profile")),
            ("Recruitment Process", job.get("recruitment_process")),
        ]
    )


def _fields_of(locale: str, slug: str | None):
    pages = f"https://www.welcometothejungle.com/{locale}/companies/{slug}/jobs" if slug else None

    def fields(job: dict) -> dict | None:
        if str(job.get("status") or "").lower() in _CLOSED:
            return None  # a republished job keeps its old archived_at: the status decides
        stated = _offices(job)
        offices = [_place(office) for office in stated]
        names = [
            join_location(place["city"], _text(office.get("country")) or place["country"])
            for place, office in zip(offices, stated, strict=True)
        ]
        page = text_of(job.get("slug"))
        return {
            "external_id": text_of(job.get("reference")) or page,
            "title": str(job.get("name") or ""),
            "url": f"{pages}/{page}" if pages and page else "",
            "location": places(*names),
            "locations": stated_places(*offices),
            "remote": _REMOTE.get(str(job.get("remote") or "").lower()),
            "employment_type": _employment(job.get("contract_type")),
            "posted_at": parse_datetime(job.get("published_at")),
            "salary": salary_range(
                job.get("salary_min", job.get("salary_minimum")),
                job.get("salary_max", job.get("salary_maximum")),
                job.get("salary_currency"),
                salary_period(job.get("salary_period")),
            ),
            "description": _description(job),
        }

    return fields


def _job_of(payload: Any) -> dict:
    """The `job` of a detail answer; ValueError for any other shape."""
    job = as_dict(payload).get("job")
    if not isinstance(job, dict):
        raise ValueError(
            f"wttj: expected a JSON object with a 'job' object, got {describe(payload)}"
        )
    return job


def hits_of(payload: Any) -> tuple[list, int | None]:
    """A search answer's hits and the total it announces; ValueError for another shape."""
    results = as_dict(payload).get("results")
    result = results[0] if isinstance(results, list) and results else None
    if not isinstance(result, dict) or not isinstance(result.get("hits"), list):
        raise ValueError(
            f"wttj: expected a search answer with results[0].hits, got {describe(payload)}"
        )
    total = result.get("nbHits")
    return result["hits"], total if isinstance(total, int) else None


def _website(hit: dict) -> Any:
    return as_dict(hit.get("website")).get("reference")


def distinct(hits: list, website: str | None) -> list[dict]:
    """One hit per job: the index lists a job once per website it is published on; the copy
    on the company's own website wins."""
    chosen: dict[str, dict] = {}
    for hit in hits:
        if not isinstance(hit, dict):
            continue
        key = text_of(hit.get("reference")) or text_of(hit.get("slug")) or json.dumps(hit)
        if key not in chosen or (_website(hit) == website and _website(chosen[key]) != website):
            chosen[key] = hit
    return list(chosen.values())


# ---------------------------------------------------------------- reading a board


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    base = url.split("/api/v1/organizations/", 1)[0]
    public = url.rstrip("/").rsplit("/", 1)[-1]
    careers = _board(str(company.careers_url))
    locale = careers[0] if careers else "en"
    organization = as_dict(as_dict(await fetcher.get_json(url)).get("organization"))
    indexed = text_of(organization.get("slug"))
    if not indexed:
        raise ValueError(f"wttj: expected an organization with a slug at {url}")
    search = f"{SEARCH if base == API else base}/1/indexes/*/queries"

    async def read_page(offset: int) -> tuple[list, int | None]:
        params = {"filters": f"organization.slug:{indexed}", "hitsPerPage": PAGE_SIZE}
        params["page"] = offset // PAGE_SIZE
        body = {"requests": [{"indexName": INDEX, "params": urlencode(params)}]}
        response = await fetcher.request(
            "POST",
            search,
            accept="application/json",
            api=True,
            headers=SEARCH_HEADERS,
            content=json.dumps(body),
        )
        return hits_of(response.json())

    listed = distinct(await collect_pages(read_page, PAGE_SIZE, SOURCE), public)

    def detail(hit: dict) -> str | None:
        page = text_of(hit.get("slug"))
        return f"{base}/api/v1/organizations/{quote(public)}/jobs/{quote(page)}" if page else None

    jobs = await with_details(fetcher, listed, detail, _job_of, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields_of(locale, public))


def parse(payload: Any, company: Company) -> list[Posting]:
    """One search answer: its jobs as the index states them (each detail adds the full text)."""
    careers = _board(str(company.careers_url))
    locale, slug = careers if careers else ("en", None)
    hits, _ = hits_of(payload)
    return to_postings(distinct(hits, slug), company, SOURCE, _fields_of(locale, slug))
