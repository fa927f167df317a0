"""Rippling Recruiting job boards, read through the board's public JSON API (no key).

Endpoints, the XHRs of the board page https://ats.rippling.com/{slug}/jobs (a client-rendered
shell that states no JSON-LD):
  GET https://api.rippling.com/platform/api/ats/v2/board/{slug}/jobs
      ?groupJobsByLocation=true&page={n}&pageSize={size}
      -> {"items": [{"id" (a UUID), "name", "url" (https://ats.rippling.com/{slug}/jobs/{id}),
         "department": {"name"}, "locations": [{"name" ("New York, NY", "Remote (Connecticut,
         US)"), "city", "state", "country" ("United States"), "countryCode" ("US"),
         "workplaceType" ("ON_SITE", "HYBRID", "REMOTE")}]}], "page" (from 0), "pageSize",
         "totalItems", "totalPages"}   (pageSize at most 1000; no text, no date, no pay)
  GET https://api.rippling.com/platform/api/ats/v2/board/{slug}/jobs/{id}
      -> {"uuid", "name", "url", "companyName", "description": {"company", "role"} (HTML
         sections), "employmentType": {"label" (the code: "SALARIED_FT", "SALARIED_PT",
         "HOURLY_FT", "HOURLY_PT", "CONTRACTOR", "TEMP", "INTERN"), "id" (the company's own
         words: "Salaried, full-time")}, "createdOn" ("2026-03-31T17:37:26.093000-07:00"),
         "payRangeDetails": [{"location", "currency", "frequency" ("YEAR", "HOUR", "MONTH"),
         "rangeStart", "rangeEnd", "isRemote"}] (one band per location or tier; [] where none is
         published), "workLocations" (display strings), "department": {"name", "base_department",
         "department_tree"}, "unlistedFromSearch", "board": {"slug", ...}}
The list is paged by `page` (from 0) and `pageSize` (100 here), to the board's `totalItems`; it
has no job text, so every posting's detail is read too, concurrently. A posting that closed
between the two calls (404) is left out.

Without `groupJobsByLocation=true` a posting open in N places comes as N rows sharing one `id`,
each with one location; rows that still share an id are merged here, their places joined.
Several places can state different workplace types: the posting takes the most flexible of them
(remote, then hybrid, then on-site). `employmentType` has its two fields the wrong way round:
`id` is the company's label and is read first ("Intern" under a code of HOURLY_PT says more),
then the `label` code. Pay is stated as amounts: the salary spans the bands that share the first
band's currency and period (a job paid by location has one band per place); where the bands
differ, each is listed in the description under "Pay ranges" with the place it applies to. The
posting date is `createdOn`. `companyName`, `department_tree` and `unlistedFromSearch` are not
carried (the board is the company's; the list's department is the top of the tree; a posting the
list shows is on the board).

Careers URLs: ats.rippling.com/{slug}[/jobs[/{id}]], also with a locale first
(/en-US/{slug}/jobs) or /embed/ in front, and ats.us1.rippling.com; the slug is case-sensitive
and kept as written. The old {company}.rippling-ats.com boards (/job/{number}/{title}) are
another product whose names public sources do not tie to a board slug: not recognised.
Mirror mapping: `root` replaces https://api.rippling.com, so the API is
{root}/platform/api/ats/v2/board/{slug}/jobs.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/rippling.py and core/scrapers/rippling.py
  (the v1 board list and the per-job detail: description.company / .role, workLocations,
  employmentType.label codes, createdOn, payRangeDetails rangeStart / rangeEnd / currency /
  frequency; careers URLs on ats.rippling.com and ats.us1.rippling.com with a locale prefix)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/rippling.py (list then detail, employmentType
  {"label": "SALARIED_FT", "id": "Salaried, full-time"}, the label codes)
- "The Rippling job board API, measured" (dev.to/adderleydata, October 2026): the v2 list the
  board itself calls, with groupJobsByLocation=true&page=0&pageSize=1000, case-sensitive slugs,
  404 {"error_code": "RESOURCE_NOT_FOUND", "message": "Job Board not found"}
- public client code found by code search: v2 list pages {items, page, pageSize, totalItems,
  totalPages} with location rows {name, city, state, country, countryCode, workplaceType};
  tests folding rows that share an id into one posting; the v2 detail URL .../jobs/{id}; a
  detail fixture with createdOn "2026-03-31T17:37:26.093000-07:00" and a YEAR band; notes on the
  OpenAPI (pageSize at most 1000, "100 requests every 10 minutes"); payRangeDetails entries
  {location, currency, frequency, rangeStart, rangeEnd, isRemote}, per location and in more
  than one currency on one job; department {name, base_department, department_tree}
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from tasks.fetch.sources.common import (
    Page,
    api_base,
    as_dict,
    as_list,
    collect_pages,
    describe,
    employment_type,
    list_in,
    no_board,
    number,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    under,
    with_details,
    with_query,
)
from tasks.models import Company, EmploymentType, Posting, RemotePolicy, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.rippling
HOSTS = frozenset({"ats.rippling.com", "ats.us1.rippling.com"})
PAGE_SIZE = 100
# The API's board path: api.rippling.com/platform/api/ats/v2/board/{slug}/jobs, and the same API
# on the board host, ats.rippling.com/api/v2/board/{slug}/jobs.
_API_PATH = re.compile(r"/(?:platform/api/ats|api)/v\d+/board/([^/?#]+)", re.IGNORECASE)
_API_HOSTS = frozenset({"api.rippling.com", *HOSTS})
_LOCALE = re.compile(r"[a-z]{2}(-[A-Za-z]{2})?")
# First path segments of the board host that name no board.
_NOT_BOARDS = frozenset({"api", "static", "assets", "_next", "favicon.ico", "robots.txt"})
_CODES = {
    "SALARIED_FT": EmploymentType.full_time,
    "HOURLY_FT": EmploymentType.full_time,
    "FULL_TIME": EmploymentType.full_time,
    "SALARIED_PT": EmploymentType.part_time,
    "HOURLY_PT": EmploymentType.part_time,
    "PART_TIME": EmploymentType.part_time,
    "CONTRACTOR": EmploymentType.contract,
    "CONTRACT": EmploymentType.contract,
    "TEMP": EmploymentType.temporary,
    "TEMPORARY": EmploymentType.temporary,
    "INTERN": EmploymentType.internship,
    "INTERNSHIP": EmploymentType.internship,
}
# The most flexible workplace a posting's places state wins.
_FLEXIBILITY = (RemotePolicy.remote, RemotePolicy.hybrid, RemotePolicy.onsite)


def _slug(url: str, any_host: bool = False) -> str | None:
    """The board slug of a board page, job page, embed or API URL (case kept); `any_host`: the
    API path on a mirror too."""
    path = urlsplit(url).path
    if (any_host or on_hosts(url, _API_HOSTS)) and (match := _API_PATH.search(path)):
        return unquote(match[1])
    if not on_hosts(url, HOSTS):
        return None
    parts = [unquote(part) for part in segments(url)]
    if parts[:1] == ["embed"]:
        parts = parts[1:]
    # /en-US/acme/jobs; a bare two-letter first segment is a locale only before a slug.
    if (locale := _LOCALE.fullmatch(parts[0] if parts else "")) and (
        locale[1] or parts[1:2] not in ([], ["jobs"])
    ):
        parts = parts[1:]
    if not parts or parts[0].lower() in _NOT_BOARDS or parts[0] == "jobs":
        return None
    return parts[0]


def board_url(url: str) -> str | None:
    slug = _slug(url)
    return f"https://ats.rippling.com/{quote(slug)}/jobs" if slug else None


def api_url(careers_url: str, root: str | None = None) -> str:
    slug = _slug(careers_url)
    if not slug:
        raise no_board(SOURCE, "board slug", careers_url)
    base = api_base(root, "https://api.rippling.com")
    return f"{base}/platform/api/ats/v2/board/{quote(slug)}/jobs"


def _grouped(rows: list) -> list:
    """One row per posting: rows sharing an `id` (one per place) merged, their places joined."""
    merged: dict[str, dict] = {}
    out: list = []
    for row in rows:
        key = row.get("id") if isinstance(row, dict) else None
        if key is None:
            out.append(row)
        elif key in merged:
            first = merged[key]
            first["locations"] = [*as_list(first.get("locations")), *as_list(row.get("locations"))]
        else:
            merged[key] = dict(row)
            out.append(merged[key])
    return out


def _places(job: dict) -> list[dict]:
    return [place for place in as_list(job.get("locations")) if isinstance(place, dict)]


def _location(job: dict, detail: dict) -> str | None:
    names = [place.get("name") for place in _places(job)]
    return places(*names) or places(*as_list(detail.get("workLocations")))


def _locations(job: dict, detail: dict) -> list:
    stated = [
        {
            "city": place.get("city"),
            "region": place.get("state"),
            "country": place.get("countryCode") or place.get("country"),
        }
        if any(place.get(key) for key in ("city", "state", "country", "countryCode"))
        else place.get("name")
        for place in _places(job)
    ]
    return stated_places(*(stated or as_list(detail.get("workLocations"))))


def _remote(job: dict) -> RemotePolicy | None:
    stated = {remote_policy(place.get("workplaceType")) for place in _places(job)}
    return next((policy for policy in _FLEXIBILITY if policy in stated), None)


def _employment(kind: Any) -> EmploymentType | None:
    kind = as_dict(kind)
    code = str(kind.get("label") or "").strip().upper()
    return employment_type(kind.get("id")) or _CODES.get(code) or employment_type(code)


def _bands(detail: dict) -> list[dict]:
    return [
        band
        for band in as_list(detail.get("payRangeDetails"))
        if isinstance(band, dict)
        and (number(band.get("rangeStart")) or number(band.get("rangeEnd")))
    ]


def _salary(detail: dict) -> Salary | None:
    """The span of the bands in the first band's currency and period."""
    bands = _bands(detail)
    if not bands:
        return None
    unit = (bands[0].get("currency"), bands[0].get("frequency"))
    same = [band for band in bands if (band.get("currency"), band.get("frequency")) == unit]
    lows = [v for band in same if (v := number(band.get("rangeStart"))) is not None]
    highs = [v for band in same if (v := number(band.get("rangeEnd"))) is not None]
    return salary_range(
        min(lows) if lows else None,
        max(highs) if highs else None,
        unit[0],
        salary_period(unit[1]),
    )


def _band_text(band: dict) -> str:
    amounts = [
        f"{value:,.2f}".removesuffix(".00")
        for key in ("rangeStart", "rangeEnd")
        if (value := number(band.get(key))) is not None
    ]
    text = f"{text_of(band.get('currency')) or ''} {' - '.join(dict.fromkeys(amounts))}".strip()
    if frequency := text_of(band.get("frequency")):
        text += f" per {frequency.lower()}"
    if place := text_of(band.get("location")):
        text += f" ({place})"
    return text


def _pay_ranges(detail: dict) -> str | None:
    """Every band, one a line, where the bands differ (the salary holds only their span)."""
    bands = _bands(detail)
    amounts = {
        (b.get("currency"), b.get("frequency"), b.get("rangeStart"), b.get("rangeEnd"))
        for b in bands
    }
    if len(amounts) < 2:
        return None
    return "".join(f"<p>{html.escape(_band_text(band))}</p>" for band in bands)


def _markup(value: Any) -> str:
    """A section's HTML; some boards send it entity-escaped ("&lt;p&gt;")."""
    text = str(value or "")
    return html.unescape(text) if "<" not in text and "&lt;" in text else text


def _description(detail: dict) -> str:
    text = detail.get("description")
    sections = as_dict(text) if isinstance(text, dict) else {"role": text}
    parts: list[tuple[Any, Any]] = [(None, _markup(section)) for section in sections.values()]
    parts.append(("Pay ranges", _pay_ranges(detail)))
    return sections_text(parts)


def _department(job: dict, detail: dict) -> str | None:
    listed = as_dict(job.get("department"))
    own = as_dict(detail.get("department"))
    tree = as_list(own.get("department_tree"))
    return (
        text_of(listed.get("name"))
        or text_of(listed.get("label"))
        or text_of(own.get("base_department"))
        or (text_of(tree[0]) if tree else None)
        or text_of(own.get("name"))
    )


def _job_pages(list_url: str | None) -> str | None:
    """https://ats.rippling.com/{slug}/jobs, where a job's page is when a row names none."""
    slug = _slug(list_url, any_host=True) if list_url else None
    return f"https://ats.rippling.com/{quote(slug)}/jobs" if slug else None


def _fields_of(list_url: str | None):
    pages = _job_pages(list_url)

    def fields(job: dict) -> dict:
        detail = as_dict(job.get("detail"))
        url = text_of(job.get("url")) or text_of(detail.get("url"))
        if not url and pages and text_of(job.get("id")):
            url = f"{pages}/{job['id']}"
        return {
            "title": str(job.get("name") or detail.get("name") or ""),
            "url": url or "",
            "location": _location(job, detail),
            "locations": _locations(job, detail),
            "department": _department(job, detail),
            "description": _description(detail),
            "posted_at": parse_datetime(detail.get("createdOn")),
            "remote": _remote(job) or _remote(detail),
            "employment_type": _employment(detail.get("employmentType"))
            or _employment(job.get("employmentType")),
            "salary": _salary(detail),
        }

    return fields


def _detail(payload: Any) -> dict:
    """A posting's detail, kept apart from its list row (both name a `department`)."""
    if not isinstance(payload, dict):
        raise ValueError(f"rippling: expected a job post object, got {describe(payload)}")
    return {"detail": payload}


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    async def page(offset: int) -> Page:
        payload = await fetcher.get_json(
            with_query(
                url, groupJobsByLocation="true", page=offset // PAGE_SIZE, pageSize=PAGE_SIZE
            )
        )
        return list_in(payload, SOURCE, "items"), payload.get("totalItems")

    def detail_url(job: dict) -> str | None:
        return under(url, str(job["id"])) if text_of(job.get("id")) else None

    listed = _grouped(await collect_pages(page, PAGE_SIZE, SOURCE))
    jobs = await with_details(fetcher, listed, detail_url, _detail, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields_of(url))


def parse(payload: Any, company: Company) -> list[Posting]:
    """One page of the list: the postings without their text, date, pay and employment type
    (each detail, merged into its row under "detail", adds them)."""
    rows = _grouped(list_in(payload, SOURCE, "items"))
    board = company.api_url or company.careers_url
    return to_postings(rows, company, SOURCE, _fields_of(str(board) if board else None))
