"""Oracle Recruiting Cloud (Oracle HCM Candidate Experience) career sites, read through the REST
resources the candidate-experience pages call themselves (no key).

Endpoints, on the tenant's Fusion host ({tenant}.fa[.{dc}].oraclecloud.com):
  GET /hcmRestApi/resources/latest/recruitingCEJobRequisitions?onlyData=true
      &expand=requisitionList.workLocation,requisitionList.otherWorkLocations,
       requisitionList.secondaryLocations,flexFieldsFacet.values,requisitionList.requisitionFlexFields
      &finder=findReqs;siteNumber={site},facetsList=LOCATIONS%3B...%3BFLEX_FIELDS,limit={n},
       offset={n},sortBy=POSTING_DATES_DESC[,lastSelectedFacet={FACET},selected...Facet={id}]
      -> {"items": [{"TotalJobsCount", "Offset", "Limit", "SiteNumber", "requisitionList": [{"Id"
         (a string), "Title", "PostedDate" (a date), "PrimaryLocation" ("Bangalore, Karnataka,
         India"), "PrimaryLocationCountry" ("IN"), "WorkplaceTypeCode" ("ORA_REMOTE",
         "ORA_HYBRID", "ORA_ON_SITE" or null), "WorkplaceType" (its label, or ""), "JobFamily",
         "JobFunction", "JobSchedule", "ContractType", "WorkerType", "JobType", "Department",
         "Organization", "ShortDescriptionStr", "secondaryLocations": [{"Name", "CountryCode"}],
         "workLocation": [{"TownOrCity", "Region2", "Country", ...}], "requisitionFlexFields"}],
         "locationsFacet" / "categoriesFacet" / "organizationsFacet" / "workplaceTypesFacet" /
         "workLocationsFacet" / "postingDatesFacet": [{"Id", "Name", "TotalCount"}]}],
         "count", "hasMore", "limit", "offset", "links"}
      Paging lives inside `finder` (a top-level offset is ignored); `limit` is capped at 200;
      without `expand=requisitionList...` the list comes back empty. Pages can be a few rows
      short mid-board, so paging runs to TotalJobsCount, not to the first short page.
  GET /hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails?expand=all&onlyData=true
      &finder=ById;Id="{id}",siteNumber={site}
      -> {"items": [{"Id", "Title", "Category", "ExternalPostedStartDate" (a timestamp),
         "ExternalDescriptionStr", "ExternalResponsibilitiesStr", "ExternalQualificationsStr",
         "OrganizationDescriptionStr", "CorporateDescriptionStr" (HTML), "JobSchedule",
         "ContractType", "WorkerType", "JobType", "Organization", "Department", "JobFamily",
         "PrimaryLocation", "secondaryLocations", "WorkplaceTypeCode", "requisitionFlexFields":
         [{"Prompt", "Value", "ControlType"}], "skills": [{"Skill"}]}]}
      A posting closed since it was listed answers 200 with no items: it is left out.
The list has no job text, so every posting's detail is read too, concurrently.

Large boards: the search serves no result past offset 10,000 (OFFSET_CAP) while TotalJobsCount
announces every posting (Kroger: an empty page at offset 10,000 of ~14,700). Such a search is
split by its facets: each value the answer lists (a place, a job category, an organization, a
workplace type) is searched on its own, a part still past the cap is split again (a place into
the places inside it, named "City, Region, Country" under "Country"; then the next facet), and
the parts merge by Id until they hold every announced posting. The facets list only the largest
values (public clients see the top ten places), so the next facet is searched when one falls
short, and a part that no facet splits gives the newest OFFSET_CAP of its postings. A board read
short of its total ends partial, saying how many were announced and how many were read. A facet
filter also matches secondary locations, so the parts overlap; merging by Id removes that.

Mapping: the place is PrimaryLocation plus every secondary location's Name (the country from
PrimaryLocationCountry where the primary names none); the workplace from WorkplaceTypeCode, else
its label; the employment type from WorkerType, ContractType, JobType and JobSchedule read
together ("Fixed Term" + "Full time" is temporary); the department from Department, else
Category, JobFamily or Organization; the date from ExternalPostedStartDate, else PostedDate.
Oracle states no pay amounts: a tenant words pay in the qualifications ("Hiring Range in USD
from: $92,500 to $209,500 per annum") or in a flexfield of its own ("Base Pay/Salary"), so every
flexfield (prompt and value) and every text section joins the description, for enrichment to
read; there is no structured salary.

Careers URLs: https://{tenant}.fa[.{dc}|.ocs].oraclecloud.com/hcmUI/CandidateExperience/{lang}/
sites/{site}[/requisitions|/jobs|/job/{id}|/requisitions/preview/{id}] (a site is "CX_1" or a
name, "LateralHiring"); a job's page is .../sites/{site}/job/{id}. Vanity hosts
(careers.oracle.com) are not recognised. Mirror mapping: `root` replaces https:// and keeps the
host as the first path segment, so the API is {root}/{host}/hcmRestApi/resources/latest/
recruitingCEJobRequisitions?...siteNumber={site} and both host and site stay named.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/oracle_hcm.py (the list URL with its
  expand and facetsList, limit 200 and `,offset=N` inside the finder, job pages
  .../sites/{site}/job/{Id}, PostedDate / PrimaryLocation / JobSchedule) and its PR #6404 (Kroger
  announcing ~14.7k with an empty page at offset 10,000) and #6539 (pages a few rows short
  mid-board)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/oracle.py (items[0].requisitionList and
  TotalJobsCount, no rows without expand, WorkplaceTypeCode ORA_REMOTE / ORA_HYBRID /
  ORA_ON_SITE, WorkerType / ContractType / JobSchedule / Department / Organization, the detail's
  ExternalDescriptionStr / ExternalResponsibilitiesStr / ExternalQualificationsStr)
- strelov1/freehire PR #195 (a top-level offset is ignored: paging must be inside the finder)
- public scrapers and fixtures found by code search: a full list answer from a KPMG tenant
  (every requisitionList field, workLocation with TownOrCity / Region2 / Country); a zod schema
  of both answers (facets as {Id, Name, TotalCount}, the detail's Category, CorporateDescriptionStr,
  ExternalPostedStartDate, skills); partitioning by selectedLocationsFacet with
  lastSelectedFacet, "the facet lists the largest places only", a location filter that also
  matches secondary locations; requisitionFlexFields {Prompt, Value, ControlType} carrying pay
  ("Salary Range", "Base Pay/Salary"); a closed posting's detail answering {"items": []};
  the details finder ById;Id="{id}",siteNumber={site} with expand=all
What the API does not state: pay as amounts, a department as such on most tenants (Category and
JobFamily stand in), the full facet value lists, and its offset cap (measured by peers, not
documented).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit

from tasks.fetch.sources.common import (
    Page,
    collect_pages,
    describe,
    employment_type,
    host_of,
    list_in,
    no_board,
    note_skipped,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
)
from tasks.models import Company, Location, Posting, RemotePolicy, Source, country_code

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.oracle
HOSTS = frozenset({".oraclecloud.com"})
PAGE_SIZE = 200  # the most the search gives at once
OFFSET_CAP = 10_000  # the search serves nothing past this offset, whatever it announces

_RESOURCES = "/hcmRestApi/resources/latest"
_SEARCH = "recruitingCEJobRequisitions"
_DETAILS = "recruitingCEJobRequisitionDetails"
_EXPAND = (
    "requisitionList.workLocation,requisitionList.otherWorkLocations,"
    "requisitionList.secondaryLocations,flexFieldsFacet.values,"
    "requisitionList.requisitionFlexFields"
)
_FACETS_LIST = (
    "LOCATIONS;WORK_LOCATIONS;WORKPLACE_TYPES;TITLES;CATEGORIES;ORGANIZATIONS;POSTING_DATES;"
    "FLEX_FIELDS"
)
# The facets a large search is split by, in order: (finder name, answer list, finder filter).
FACETS = (
    ("LOCATIONS", "locationsFacet", "selectedLocationsFacet"),
    ("CATEGORIES", "categoriesFacet", "selectedCategoriesFacet"),
    ("WORK_LOCATIONS", "workLocationsFacet", "selectedWorkLocationsFacet"),
    ("ORGANIZATIONS", "organizationsFacet", "selectedOrganizationsFacet"),
    ("WORKPLACE_TYPES", "workplaceTypesFacet", "selectedWorkplaceTypesFacet"),
)
# A board split into more searches than this reads the rest of its parts as capped windows: a
# facet answer that misleads (values that overlap, filters that narrow little) must not keep a
# worker busy for hours.
MAX_SEARCHES = 1_000
_SITE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SITE_NUMBER = re.compile(r"siteNumber=([A-Za-z0-9][A-Za-z0-9_.-]*)")

# ---------------------------------------------------------------- URLs


def _is_fusion_host(host: str) -> bool:
    """{tenant}.fa[.{dc}|.ocs].oraclecloud.com: a Fusion applications pod, not any Oracle host."""
    labels = host.split(".")
    return host.endswith(".oraclecloud.com") and "fa" in labels[1:-2]


def _board(url: str) -> tuple[str, str, str] | None:
    """(host, site, lang) of a candidate-experience page or one of its REST calls."""
    host = host_of(url)
    if not (on_hosts(url, HOSTS) and _is_fusion_host(host)):
        return None
    path = segments(url)
    if "CandidateExperience" in path and "sites" in path:
        at = path.index("sites")
        lang = path[at - 1] if at >= 1 and path[at - 1] != "CandidateExperience" else "en"
        site = path[at + 1] if len(path) > at + 1 else ""
        return (host, site, lang) if _SITE.fullmatch(site) else None
    if path[:2] == ["hcmRestApi", "resources"] and (found := _SITE_NUMBER.search(url)):
        return host, found[1], "en"
    return None


def board_url(url: str) -> str | None:
    board = _board(url)
    if board is None:
        return None
    host, site, lang = board
    return f"https://{host}/hcmUI/CandidateExperience/{lang}/sites/{site}"


def api_url(careers_url: str, root: str | None = None) -> str:
    board = _board(careers_url)
    if board is None:
        raise no_board(SOURCE, "Fusion host and site", careers_url)
    host, site, _ = board
    base = f"{root.rstrip('/')}/{host}" if root else f"https://{host}"
    return _search_url(f"{base}{_RESOURCES}", site, limit=PAGE_SIZE)


def _search_url(
    resources: str, site: str, *, limit: int, offset: int | None = None, filters: dict | None = None
) -> str:
    """A search of the site: `filters` maps a FACETS entry's finder name to one value id, the
    facet selected last at the end (the search UI names it too)."""
    filters = filters or {}
    finder = [f"facetsList={_FACETS_LIST}", f"limit={limit}"]
    if offset is not None:
        finder.append(f"offset={offset}")
    if filters:
        finder.append(f"lastSelectedFacet={list(filters)[-1]}")
    finder += [f"{parameter}={filters[name]}" for name, _, parameter in FACETS if name in filters]
    finder.append("sortBy=POSTING_DATES_DESC")
    # ";" and "," separate the finder's parts: inside a value they are escaped.
    parts = ",".join(k + "=" + quote(str(v), safe="") for k, v in (p.split("=", 1) for p in finder))
    return (
        f"{resources}/{_SEARCH}?onlyData=true&expand={_EXPAND}"
        f"&finder=findReqs;siteNumber={quote(site, safe='')},{parts}"
    )


def _endpoint(url: str) -> tuple[str, str]:
    """(the REST resources URL, the site number) of a search URL, on a mirror too."""
    parts = urlsplit(url)
    resources = parts._replace(query="", fragment="").geturl().rstrip("/")
    resources = resources.removesuffix(f"/{_SEARCH}")
    finder = dict(parse_qsl(parts.query)).get("finder", "")
    found = _SITE_NUMBER.search(finder)
    if not found:
        raise ValueError(f"{SOURCE}: no siteNumber in the search URL {url!r}")
    return resources, found[1]


def detail_url(resources: str, site: str, job_id: Any) -> str:
    finder = f"ById;Id={quote(json.dumps(str(job_id)), safe='')},siteNumber={quote(site, safe='')}"
    return f"{resources}/{_DETAILS}?expand=all&onlyData=true&finder={finder}"


def _job_pages(company: Company, url: str) -> str | None:
    """https://{host}/hcmUI/CandidateExperience/{lang}/sites/{site}: where job pages are, from
    the careers URL, else the API URL (on a mirror: the host it names in its path)."""
    for candidate in (str(company.careers_url), url):
        if board := board_url(candidate):
            return board
    resources, site = _endpoint(url)
    host = next((s for s in segments(resources) if _is_fusion_host(s.lower())), None)
    return f"https://{host.lower()}/hcmUI/CandidateExperience/en/sites/{site}" if host else None


# ---------------------------------------------------------------- postings


def _list(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _locations(job: dict, names: list[str]) -> list[Location]:
    found = stated_places(*names)
    primary = stated_places(names[0]) if names else []
    country = country_code(str(job.get("PrimaryLocationCountry") or ""))
    # A primary place named without its country ("Zug") takes PrimaryLocationCountry.
    if primary and primary[0].country is None and country and found and found[0] == primary[0]:
        found[0] = primary[0].model_copy(update={"country": country})
    if not found and country:
        found = [Location(country=country)]
    return found


def _first(job: dict, *keys: str) -> str | None:
    return next((text for key in keys if (text := text_of(job.get(key)))), None)


def _remote(job: dict) -> RemotePolicy | None:
    code = str(job.get("WorkplaceTypeCode") or "").strip().upper().removeprefix("ORA_")
    return remote_policy(code) or remote_policy(job.get("WorkplaceType"))


def _description(job: dict) -> str:
    flex = [
        (f.get("Prompt"), text_of(f.get("Value"))) for f in _list(job.get("requisitionFlexFields"))
    ]
    skills = ", ".join(s for f in _list(job.get("skills")) if (s := text_of(f.get("Skill"))))
    sections = [
        (None, job.get("ExternalDescriptionStr")),
        ("Responsibilities", job.get("ExternalResponsibilitiesStr")),
        ("Qualifications", job.get("ExternalQualificationsStr")),
        ("About the Organization", job.get("OrganizationDescriptionStr")),
        ("About the Company", job.get("CorporateDescriptionStr")),
        *flex,  # the tenant's own fields: pay where it states it
        ("Skills", skills),
    ]
    return sections_text(sections) or sections_text([(None, job.get("ShortDescriptionStr"))])


def _fields_of(pages: str | None):
    def fields(job: dict) -> dict:
        job_id = (str(job["Id"]).strip() or None) if job.get("Id") is not None else None
        secondary = [text_of(p.get("Name")) for p in _list(job.get("secondaryLocations"))]
        names = [n for n in [text_of(job.get("PrimaryLocation")), *secondary] if n]
        labels = (job.get(k) for k in ("WorkerType", "ContractType", "JobType", "JobSchedule"))
        return {
            "title": str(job.get("Title") or ""),
            "url": f"{pages}/job/{job_id}" if pages and job_id else "",
            "external_id": job_id,
            "location": places(*names),
            "locations": _locations(job, names),
            "department": _first(job, "Department", "Category", "JobFamily", "Organization"),
            "description": _description(job),
            "posted_at": parse_datetime(job.get("ExternalPostedStartDate"))
            or parse_datetime(job.get("PostedDate")),
            "remote": _remote(job),
            "employment_type": employment_type(" ".join(str(v) for v in labels if text_of(v))),
        }

    return fields


def _search_answer(payload: Any) -> dict:
    """The one search result of a search answer (`items[0]`); ValueError for any other shape."""
    items = list_in(payload, SOURCE, "items")
    if not items or not isinstance(items[0], dict):
        raise ValueError(f"{SOURCE}: expected a search result in 'items', got {describe(payload)}")
    list_in(items[0], SOURCE, "requisitionList")
    return items[0]


def parse(payload: Any, company: Company) -> list[Posting]:
    """One page of the search: the postings without their text (each detail adds it)."""
    jobs = _search_answer(payload)["requisitionList"]
    pages = board_url(str(company.careers_url)) or board_url(str(company.api_url or ""))
    return to_postings(jobs, company, SOURCE, _fields_of(pages))


# ---------------------------------------------------------------- reading a whole board


class _Search:
    """A site's search, split by its facets where it announces more than OFFSET_CAP postings."""

    def __init__(self, fetcher: Fetcher, resources: str, site: str):
        self.fetcher, self.resources, self.site = fetcher, resources, site
        self.searches = 0

    async def answer(self, filters: dict, offset: int) -> dict:
        self.searches += 1
        url = _search_url(
            self.resources, self.site, limit=PAGE_SIZE, offset=offset, filters=filters
        )
        return _search_answer(await self.fetcher.get_json(url))

    async def postings(self, filters: dict, first: dict, cap: bool) -> list:
        """Every posting of this search (its newest OFFSET_CAP when `cap`), from its `first`
        page on; a short read of a search within the cap is noted by collect_pages."""

        async def page(offset: int) -> Page:
            answer = first if offset == 0 else await self.answer(filters, offset)
            total = answer.get("TotalJobsCount")
            if cap and isinstance(total, int):
                total = min(total, OFFSET_CAP)
            return answer["requisitionList"], total

        return await collect_pages(page, PAGE_SIZE, SOURCE)

    async def read(self, filters: dict, names: dict, first: dict) -> dict[str, dict]:
        """The postings of the search `filters` (values `names`), by Id."""
        total = _total(first)
        if total <= OFFSET_CAP:
            return _by_id(await self.postings(filters, first, cap=False))
        found: dict[str, dict] = {}
        for facet, key, _ in FACETS:
            for value in _parts(first.get(key), names.get(facet), filters.get(facet), total):
                if self.searches >= MAX_SEARCHES:
                    break
                narrower = {k: v for k, v in filters.items() if k != facet} | {facet: value["Id"]}
                answer = await self.answer(narrower, 0)
                if _total(answer) >= total:  # the filter narrowed nothing: it is not honoured
                    continue
                found |= await self.read(narrower, names | {facet: value["Name"]}, answer)
                if len(found) >= total:
                    return found
        # No facet reaches the rest: the newest postings the search still serves.
        return found | _by_id(await self.postings(filters, first, cap=True))


def _total(answer: dict) -> int:
    total = answer.get("TotalJobsCount")
    return total if isinstance(total, int) and not isinstance(total, bool) else 0


def _by_id(jobs: list) -> dict[str, Any]:
    """Jobs by Id (one without, kept by its content, is skipped with a warning later)."""
    return {
        str(job["Id"])
        if isinstance(job, dict) and job.get("Id") is not None
        else json.dumps(job, sort_keys=True, default=str): job
        for job in jobs
    }


def _parts(values: Any, selected_name: str | None, selected_id: Any, total: int) -> list[dict]:
    """The facet values that split a search of `total` postings: each smaller than the search,
    inside the value already selected for this facet (a place in a place: "Austin, TX, United
    States" in "United States"), and not inside another value that is read anyway."""
    named = [
        v
        for v in _list(values)
        if v.get("Id") is not None
        and isinstance(v.get("TotalCount"), int)
        and 0 < v["TotalCount"] < total
        and str(v["Id"]) != str(selected_id)
        and (name := text_of(v.get("Name")))
        and (selected_name is None or name.casefold().endswith(", " + selected_name.casefold()))
    ]
    names = {str(v["Name"]).strip().casefold() for v in named}

    def inside_another(value: dict) -> bool:
        name = str(value["Name"]).strip().casefold()
        return any(name.endswith(", " + other) for other in names if other != name)

    return [v for v in named if not inside_another(v)]


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    resources, site = _endpoint(url)
    search = _Search(fetcher, resources, site)
    first = await search.answer({}, 0)
    found = await search.read({}, {}, first)
    announced = _total(first)
    if announced > OFFSET_CAP and len(found) < announced:  # collect_pages notes the others
        note_skipped(
            f"{SOURCE}: the board announced {announced} postings; {len(found)} read (its search "
            f"serves none past offset {OFFSET_CAP} and its facets did not reach the rest)"
        )

    async def read_detail(detail: str) -> dict | None:
        items = list_in(await fetcher.get_json(detail), SOURCE, "items")
        return items[0] if items and isinstance(items[0], dict) else None  # none: closed

    def detail(job: dict) -> str | None:
        return detail_url(resources, site, job["Id"]) if job.get("Id") is not None else None

    jobs = await with_details(fetcher, list(found.values()), detail, _detail, SOURCE, read_detail)
    return to_postings(jobs, company, SOURCE, _fields_of(_job_pages(company, url)))


def _detail(detail: Any) -> dict:
    """A requisition's detail, merged over its list row: what it leaves null the row keeps."""
    if not isinstance(detail, dict):
        raise ValueError(f"{SOURCE}: expected a requisition in 'items', got {describe(detail)}")
    return {key: value for key, value in detail.items() if value is not None}
