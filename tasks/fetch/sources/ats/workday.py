"""Workday career sites, read through the CXS API their own job search pages call (no key).

Workday documents no public job-board API; every Workday career site's search page calls these,
and public scrapers read them the same way (code search, e.g. "neyaadeez/get-jobs" workday/*.go,
"Anant1213/job_scrapper" connectors/workday_cxs.py):
  POST https://{tenant}.wd{N}.myworkdayjobs.com/wday/cxs/{tenant}/{site}/jobs
       {"appliedFacets": {}, "limit": 20, "offset": N, "searchText": ""}
       -> {"total", "jobPostings": [{"title", "externalPath", "locationsText", "postedOn"
          ("Posted 3 Days Ago"), "remoteType", "bulletFields": [req id]}]}
       `limit` above 20 is refused, and `total` is stated on the first page only (0 after it).
  GET  https://{tenant}.wd{N}.myworkdayjobs.com/wday/cxs/{tenant}/{site}{externalPath}
       -> {"jobPostingInfo": {"id", "title", "jobDescription" (HTML), "location",
          "additionalLocations", "timeType" ("Full time"), "startDate" (the posting date),
          "jobReqId", "externalUrl", "remoteType"}}
The list has no job text or date, so each posting's detail is read too, concurrently; one that
closed between the calls (404) is left out. Workday states no department or salary.

The search returns at most 2,000 results per query, however many match (jobseek's monitor). Its
first page also lists `facets`: [{"facetParameter": "jobFamilyGroup", "values": [{"id",
"descriptor", "count"}]}, {"facetParameter": "locationMainGroup", "values": [{"facetParameter":
"locations", "values": [...]}, ...]}, ...] (groups nest facets), and `appliedFacets`
({"locations": [id, ...]}) narrows a search to postings with any of those values. A larger board
is read by partitioning its search along a facet whose values cover every posting, and a value
still over the limit along another facet within it; postings open in several places are found
once per place and kept once. What no partition reaches makes the read partial, with a reason.

The detail also carries `"country": {"descriptor", "id"}` and `"jobRequisitionLocation":
{"descriptor", "country": {"descriptor", "id", "alpha2Code"}}` (the primary place). `locationsText`
("3 Locations") only counts a multi-location posting's places: they are `location` plus
`additionalLocations`. Tenants name places themselves, often country first ("USA, IL, Chicago",
"Israel, Tel Aviv"). `remoteType` is "Remote", "Hybrid", "Flex" (hybrid) or
"On-site"/"Onsite", and absent on many postings; `timeType` is "Full time"/"Part time".
Sources used for the shapes:
- repo colophon-group/jobseek, apps/crawler/src/core/monitors/workday.py: the list API (limit
  20, results capped at 2,000 per query, split by facet past it); it reads no details.
- public client tests quoting live facet lists (NVIDIA-like `locationMainGroup` holding
  `locationHierarchy1` and `locations`, `jobFamilyGroup`, `remoteType` with counts).
- public client code and tests quoting live tenants (NVIDIA, Workday, GE Vernova, Bossard):
  jobPostingInfo.location/additionalLocations/jobRequisitionLocation/country/timeType/remoteType,
  list items with "remoteType": "Flex" and "locationsText": "3 Locations".

Careers URLs: {tenant}.wd{N}.myworkdayjobs.com/[{locale}/]{site}[/job/...] and
wd{N}.myworkdaysite.com/[{locale}/]recruiting/{tenant}/{site}.
Mirror mapping: `root` replaces https://{tenant}.wd{N}.myworkday...com; the path, which names
the tenant, stays: {root}/wday/cxs/{tenant}/{site}/jobs.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tasks.fetch.sources.common import (
    Page,
    api_base,
    collect_pages,
    describe,
    employment_type,
    host_of,
    html_to_text,
    list_in,
    no_board,
    note_skipped,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    segments,
    stated_places,
    text_of,
    to_postings,
    under,
    with_details,
)
from tasks.models import Company, Location, Posting, Source, country_code

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.workday
HOSTS = frozenset({".myworkdayjobs.com", ".myworkdaysite.com"})
PAGE_SIZE = 20  # the most the API gives at once
RESULT_CAP = 2_000  # the most results one search returns, however many match
_LOCALE = re.compile(r"[a-z]{2}(-[A-Za-z]{2,4})?")


def _board(url: str) -> tuple[str, str, str] | None:
    """(origin, tenant, site) of a Workday careers, job or API URL."""
    if not on_hosts(url, HOSTS):
        return None
    origin = f"https://{host_of(url)}"
    path = segments(url)
    if path and _LOCALE.fullmatch(path[0]):
        path = path[1:]
    if path[:2] == ["wday", "cxs"] and len(path) >= 4:
        return origin, path[2], path[3]
    if path[:1] == ["recruiting"] and len(path) >= 3:
        return origin, path[1], path[2]
    labels = host_of(url).split(".")
    if path and labels[-2] == "myworkdayjobs" and len(labels) == 4:
        return origin, labels[0], path[0]
    return None


def board_url(url: str) -> str | None:
    board = _board(url)
    if board is None:
        return None
    origin, tenant, site = board
    if origin.endswith(".myworkdaysite.com"):
        return f"{origin}/recruiting/{tenant}/{site}"
    return f"{origin}/{site}"


def api_url(careers_url: str, root: str | None = None) -> str:
    board = _board(careers_url)
    if board is None:
        raise no_board(SOURCE, "tenant and site", careers_url)
    origin, tenant, site = board
    return f"{api_base(root, origin)}/wday/cxs/{tenant}/{site}/jobs"


_COUNT_ONLY = re.compile(r"\d+\s+locations?", re.IGNORECASE)  # "3 Locations": no place


def _place_text(name: str) -> str:
    """A Workday place in the "city, region, country" order the place reader expects: tenants
    often write the country first ("USA, IL, Chicago", "Israel, Tel Aviv")."""
    parts = [part.strip() for part in name.split(",") if part.strip()]
    if len(parts) > 1 and country_code(parts[0]) and not country_code(parts[-1]):
        return ", ".join(reversed(parts))
    return name


def _country_of(job: dict) -> str | None:
    """The primary place's country, as the requisition location or the posting states it."""
    where = job.get("jobRequisitionLocation")
    country = where.get("country") if isinstance(where, dict) else None
    if not isinstance(country, dict):
        country = job.get("country")
    if not isinstance(country, dict):
        return None
    return country_code(str(country.get("alpha2Code") or "")) or country_code(
        str(country.get("descriptor") or "")
    )


def _locations(job: dict, names: list[str]) -> list[Location]:
    found = stated_places(*(_place_text(name) for name in names))
    # A primary place named without its country ("Zug") takes the requisition's country.
    primary = stated_places(_place_text(names[0])) if names else []
    country = _country_of(job)
    if primary and primary[0].country is None and country and found and found[0] == primary[0]:
        found[0] = Location(city=primary[0].city, region=primary[0].region, country=country)
    return found


def _fields(job: dict, board: str) -> dict:
    """One posting's fields from a list item merged with its detail's `jobPostingInfo`."""
    path = str(job.get("externalPath") or "")
    extra = job.get("additionalLocations")
    names = [
        name
        for value in [job.get("location"), *(extra if isinstance(extra, list) else [])]
        if (name := text_of(value))
    ]
    listed = text_of(job.get("locationsText"))
    if not names and listed and not _COUNT_ONLY.fullmatch(listed):
        names = [listed]  # a list item without its detail: one place, named in the list
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("externalUrl") or (f"{board}{path}" if board and path else "")),
        "external_id": job.get("jobReqId") or path or None,
        "location": places(*names),
        "locations": _locations(job, names),
        "description": html_to_text(str(job.get("jobDescription") or "")),
        "posted_at": parse_datetime(job.get("startDate")),
        "remote": remote_policy(job.get("remoteType")),
        "employment_type": employment_type(job.get("timeType")),
    }


def parse(payload: Any, company: Company, board: str | None = None) -> list[Posting]:
    """One page of the search: the postings without their job text and date.

    `board` is the site their pages live on (default: the careers URL's).
    """
    base = (board or board_url(str(company.careers_url)) or "").rstrip("/")
    jobs = list_in(payload, SOURCE, "jobPostings")
    return to_postings(jobs, company, SOURCE, lambda job: _fields(job, base))


def _info(detail: Any) -> dict:
    info = detail.get("jobPostingInfo") if isinstance(detail, dict) else None
    if not isinstance(info, dict):
        raise ValueError(f"workday: expected a 'jobPostingInfo' object, got {describe(detail)}")
    return info


Facet = tuple[str, list[dict]]  # a facet's parameter, and its values ({"id", "count", ...})


def _facets(entries: Any) -> list[Facet]:
    """Every facet a search offers, groups (locationMainGroup) opened up."""
    found: list[Facet] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            continue
        values = [v for v in entry["values"] if isinstance(v, dict)]
        if any("facetParameter" in v for v in values):
            found += _facets(values)
        elif entry.get("facetParameter") and (ids := [v for v in values if v.get("id")]):
            found.append((str(entry["facetParameter"]), ids))
    return found


def _count(value: dict) -> int:
    count = value.get("count")
    return count if isinstance(count, int) else 0


def _split_along(facets: list[Facet], total: int, applied: dict) -> Facet | None:
    """The facet to partition a search of `total` results along: one not applied yet whose values
    count every posting (remoteType, say, leaves out on-site ones), preferring one with no value
    over the limit, then the fewest values (fewest searches)."""
    covering = [
        (name, values)
        for name, values in facets
        if name not in applied and sum(map(_count, values)) >= total
    ]
    return min(
        covering,
        key=lambda facet: (max(map(_count, facet[1])) >= RESULT_CAP, len(facet[1])),
        default=None,
    )


class _Search:
    """The board's search, partitioned by facet where one search cannot return every result."""

    def __init__(self, fetcher: Fetcher, url: str) -> None:
        self.fetcher, self.url = fetcher, url
        self.found: dict[str, Any] = {}  # externalPath (else the item) -> list item
        self.partitioned = False

    async def _page(self, applied: dict, offset: int) -> dict:
        search = {"appliedFacets": applied, "limit": PAGE_SIZE, "offset": offset, "searchText": ""}
        payload = await self.fetcher.post_json(self.url, search)
        list_in(payload, SOURCE, "jobPostings")  # a wrong shape is an error, said once, here
        return payload

    async def read(self, applied: dict, where: tuple[str, ...] = ()) -> int:
        """Every posting the search with `applied` facets matches, into `found`; the number of
        postings it announced. `where` names the applied values, for the read's notes."""
        first = await self._page(applied, 0)
        total = first.get("total") if isinstance(first.get("total"), int) else 0
        facet = _split_along(_facets(first.get("facets")), total, applied)
        if total >= RESULT_CAP and facet is not None:
            name, values = facet
            self.partitioned = True
            for value in values:
                label = text_of(value.get("descriptor")) or str(value["id"])
                await self.read({**applied, name: [value["id"]]}, (*where, label))
            return total

        async def page(offset: int) -> Page:
            if offset >= RESULT_CAP:  # the search returns nothing past it: said below
                return [], None
            payload = first if offset == 0 else await self._page(applied, offset)
            return payload["jobPostings"], total if total < RESULT_CAP else None

        for item in await collect_pages(page, PAGE_SIZE, SOURCE):
            key = item.get("externalPath") if isinstance(item, dict) else None
            self.found.setdefault(key or json.dumps(item, sort_keys=True), item)
        if total > RESULT_CAP:
            note_skipped(
                f"{SOURCE}: {total} postings match {' / '.join(where) or 'the search'}, more than "
                f"the {RESULT_CAP} one search returns, and no facet is left to split them: "
                f"{total - RESULT_CAP} not read"
            )
        return total


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    search = _Search(fetcher, url)
    announced = await search.read({})
    listed = list(search.found.values())
    if search.partitioned and len(listed) < announced:  # postings that state no facet value
        note_skipped(
            f"{SOURCE}: the board announced {announced} postings; its facets reached {len(listed)}"
        )

    site_api = urlsplit(url)._replace(query="").geturl().rstrip("/").removesuffix("/jobs")

    def detail_url(job: dict) -> str | None:
        return under(site_api, job["externalPath"]) if job.get("externalPath") else None

    jobs = await with_details(fetcher, listed, detail_url, _info, SOURCE)
    # Job pages live on the careers URL's site, else on the one the API URL names.
    board = (board_url(str(company.careers_url)) or board_url(url) or "").rstrip("/")
    return to_postings(jobs, company, SOURCE, lambda job: _fields(job, board))
