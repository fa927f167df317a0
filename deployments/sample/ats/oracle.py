"""Oracle Recruiting Cloud candidate-experience REST resources.

  GET /oracle/{host}/hcmRestApi/resources/latest/recruitingCEJobRequisitions
      ?onlyData=true&expand=requisitionList...&finder=findReqs;siteNumber={site},limit=..,
      offset=..[,selectedLocationsFacet=..][,selectedCategoriesFacet=..]
      [,selectedWorkplaceTypesFacet=..]                                the site's search
  GET /oracle/{host}/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails
      ?expand=all&onlyData=true&finder=ById;Id="{id}",siteNumber={site}   one requisition

The mirror keeps the tenant's host ({tenant}.fa.{dc}.oraclecloud.com) as the first path segment;
the board is the host's first label, and any site number serves it (one is required).

Quirks of the real API kept on purpose: paging lives in the finder (limit 25 unless stated,
at most 200); the search serves nothing past offset 10,000 while TotalJobsCount announces every
match, and a tenant whose name starts with "huge" stops at offset 30 instead, so that a small
board needs splitting too; each facet lists only its 10 largest values, places at two levels
("United States" and "San Francisco, CA, United States"); a place filter also matches a
posting's secondary location (job 1 is also open in Lisbon); values of one facet are OR-ed
(";"), facets AND-ed; without expand=requisitionList... the search lists no requisitions; the
list dates a posting by day (PostedDate), the detail to the second (ExternalPostedStartDate);
pay is a flexfield in words, never amounts; a tenant whose name starts with "closing" lists one
requisition more, whose detail answers 200 with no items (closed since it was listed). The
search lists in board order whatever sortBy says.
"""

import re
import zlib
from typing import Any
from urllib.parse import quote

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board
from deployments.sample.jobs import Job, blocks_html, iso_time
from deployments.sample.reply import Reply

OFFSET_CAP = 10_000
SMALL_CAP = 30  # tenants named "huge...": the same refusal on a board of a few hundred
FACET_VALUES = 10
_RESOURCES = "/oracle/" + NAME + "/hcmRestApi/resources/latest/"
_WORKPLACE = {
    "remote": ("ORA_REMOTE", "Remote"),
    "hybrid": ("ORA_HYBRID", "Hybrid"),
    "onsite": ("ORA_ON_SITE", "On-site"),
}
# (WorkerType, ContractType, JobType, JobSchedule)
_EMPLOYMENT = {
    "full_time": ("Employee", "Permanent", "Regular", "Full time"),
    "part_time": ("Employee", "Permanent", "Regular", "Part time"),
    "contract": ("Contingent Worker", "Contract", None, "Full time"),
    "temporary": ("Employee", "Fixed Term", "Temporary", "Full time"),
    "internship": ("Employee", "Fixed Term", "Intern", "Full time"),
}


def oracle_id(name: str) -> int:
    """A facet value's id, as Oracle numbers its geographies and job families."""
    return 300_000_000_000_000 + zlib.crc32(name.encode()) % 1_000_000_000


def primary_place(job: Job) -> str:
    return f"{job.city}, {job.region}, {job.country}"


def _places(job: Job) -> list[tuple[str, str]]:
    """(place, its country) of each location a posting is listed in."""
    found = [(primary_place(job), job.country)]
    if job.n == 1:
        city, region, country, _ = SECOND_OFFICE
        found.append((f"{city}, {region}, {country}", country))
    return found


def _secondary(job: Job) -> list[dict]:
    return [
        {"Name": place, "CountryCode": SECOND_OFFICE[3], "GeographyId": oracle_id(place)}
        for place, _ in _places(job)[1:]
    ]


def _work_location(job: Job) -> list[dict]:
    return [
        {
            "LocationId": oracle_id(f"office {job.city}"),
            "LocationName": f"{job.city} Office",
            "AddressLine1": f"{job.n} Main Street",
            "TownOrCity": job.city,
            "PostalCode": f"{10_000 + job.n}",
            "Country": job.country_code,
            "Region1": None,
            "Region2": job.region,
            "Latitude": None,
            "Longitude": None,
        }
    ]


def _flexfields(job: Job) -> list[dict]:
    if job.pay is None:
        return []
    return [{"Prompt": "Pay Range", "Value": job.pay.text, "ControlType": "TextArea"}]


def _requisition(job: Job) -> dict:
    worker, contract, kind, schedule = _EMPLOYMENT[job.employment]
    code, label = _WORKPLACE[job.remote]
    return {
        "Id": str(job.number),
        "Title": job.title,
        "PostedDate": job.posted_at.date().isoformat(),
        "PostingEndDate": None,
        "Language": "US",
        "PrimaryLocationCountry": job.country_code,
        "GeographyId": oracle_id(primary_place(job)),
        "HotJobFlag": False,
        "WorkplaceTypeCode": code,
        "JobFamily": job.department,
        "JobFunction": job.team,
        "WorkerType": worker,
        "ContractType": contract,
        "ManagerLevel": None,
        "JobSchedule": schedule,
        "JobShift": None,
        "JobType": kind,
        "StudyLevel": None,
        "LegalEmployer": job.company,
        "BusinessUnit": None,
        "Department": None,
        "Organization": None,
        "MediaThumbURL": None,
        "ShortDescriptionStr": job.blocks[0][1],
        "PrimaryLocation": primary_place(job),
        "Distance": 0,
        "TrendingFlag": False,
        "BeFirstToApplyFlag": False,
        "Relevancy": 10,
        "WorkplaceType": label,
        "ExternalQualificationsStr": None,
        "ExternalResponsibilitiesStr": None,
        "secondaryLocations": _secondary(job),
        "otherWorkLocations": [],
        "workLocation": _work_location(job),
        "requisitionFlexFields": _flexfields(job),
    }


def _detail(job: Job) -> dict:
    intro, role, duties, needs, *rest = job.blocks
    item = _requisition(job)
    for key in ("PostedDate", "Distance", "Relevancy", "MediaThumbURL", "Language"):
        del item[key]
    return item | {
        "Category": job.department,
        "RequisitionType": "Experienced",
        "RequisitionId": job.number * 10,
        "ExternalPostedStartDate": iso_time(job.posted_at),
        "ExternalPostedEndDate": None,
        "JobFamilyId": oracle_id(job.department),
        "ExternalDescriptionStr": blocks_html([intro, role, *rest]),
        "ExternalResponsibilitiesStr": blocks_html([duties]),
        "ExternalQualificationsStr": blocks_html([needs]),
        "OrganizationDescriptionStr": "",
        "CorporateDescriptionStr": f"<p>{job.company} is an equal opportunity employer.</p>",
        "ContentLocale": "en",
        "NumberOfOpenings": 1,
        "media": [],
        "primaryLocationCoordinates": [],
        "skills": [],
    }


def _finder(query: dict, kind: str) -> dict[str, str] | None:
    """The finder's parameters ("findReqs;siteNumber=CX_1,limit=25,...") or None if another."""
    name, _, rest = (query.get("finder") or [""])[0].partition(";")
    if name != kind:
        return None
    return dict(part.split("=", 1) for part in rest.split(",") if "=" in part)


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _facet(values: dict[tuple[Any, str], int]) -> list[dict]:
    ranked = sorted(values.items(), key=lambda item: (-item[1], item[0][1]))
    return [{"Id": i, "Name": name, "TotalCount": n} for (i, name), n in ranked[:FACET_VALUES]]


def _facets(jobs: list[Job]) -> dict[str, list[dict]]:
    places: dict[tuple[Any, str], int] = {}
    categories: dict[tuple[Any, str], int] = {}
    workplaces: dict[tuple[Any, str], int] = {}
    for job in jobs:
        for name in dict.fromkeys(n for place in _places(job) for n in place):
            places[(oracle_id(name), name)] = places.get((oracle_id(name), name), 0) + 1
        category = (oracle_id(job.department), job.department)
        categories[category] = categories.get(category, 0) + 1
        workplace = _WORKPLACE[job.remote]
        workplaces[workplace] = workplaces.get(workplace, 0) + 1
    return {
        "locationsFacet": _facet(places),
        "workLocationsFacet": [],
        "workplaceTypesFacet": _facet(workplaces),
        "titlesFacet": [],
        "categoriesFacet": _facet(categories),
        "organizationsFacet": [],
        "postingDatesFacet": [],
        "flexFieldsFacet": [],
    }


def _matches(job: Job, finder: dict[str, str]) -> bool:
    """Whether a posting passes the finder's facet filters (";" between values of one)."""
    stated = {
        "selectedLocationsFacet": {str(oracle_id(n)) for place in _places(job) for n in place},
        "selectedCategoriesFacet": {str(oracle_id(job.department))},
        "selectedWorkplaceTypesFacet": {_WORKPLACE[job.remote][0]},
    }
    return all(
        not finder.get(name) or set(finder[name].split(";")) & values
        for name, values in stated.items()
    )


def _envelope(items: list[dict], self_url: str) -> dict:
    return {
        "items": items,
        "count": len(items),
        "hasMore": False,
        "limit": 25,
        "offset": 0,
        "links": [{"rel": "self", "href": self_url, "name": "items", "kind": "collection"}],
    }


def _listed(site: Any, tenant: str) -> list[Job]:
    return board(site, tenant, extra=1 if tenant.startswith("closing") else 0)


def _search(site: Any, query: dict, body: bytes, host: str) -> Reply:
    finder = _finder(query, "findReqs")
    if finder is None or not finder.get("siteNumber"):
        return Reply.json({"title": "Bad Request", "detail": "finder findReqs"}, status=400)
    tenant = host.split(".")[0]
    limit = min(max(1, _number(finder.get("limit"), 25)), 200)
    offset = max(0, _number(finder.get("offset"), 0))
    cap = SMALL_CAP if tenant.startswith("huge") else OFFSET_CAP
    jobs = [job for job in _listed(site, tenant) if _matches(job, finder)]
    page = jobs[offset : min(offset + limit, cap)] if offset < cap else []
    expand = (query.get("expand") or [""])[0]
    search = {
        "SearchId": 1,
        "Keyword": None,
        "Offset": offset,
        "Limit": limit,
        "SortBy": finder.get("sortBy", "RELEVANCY"),
        "TotalJobsCount": len(jobs),
        "SiteNumber": finder["siteNumber"],
        "Facets": finder.get("facetsList"),
        "LastSelectedFacet": finder.get("lastSelectedFacet"),
        "SelectedLocationsFacet": finder.get("selectedLocationsFacet"),
        "SelectedCategoriesFacet": finder.get("selectedCategoriesFacet"),
        "SelectedWorkplaceTypesFacet": finder.get("selectedWorkplaceTypesFacet"),
        # Without the expand the search lists no requisitions, only its counts.
        "requisitionList": [_requisition(job) for job in page]
        if "requisitionList" in expand
        else [],
    } | _facets(jobs)
    return Reply.json(_envelope([search], f"https://{host}/hcmRestApi/resources/latest"))


def _details(site: Any, query: dict, body: bytes, host: str) -> Reply:
    finder = _finder(query, "ById")
    expand = (query.get("expand") or [""])[0]
    if finder is None or not finder.get("siteNumber") or "requisitionList" in expand:
        return Reply.json({"title": "Bad Request", "detail": "finder ById"}, status=400)
    wanted = finder.get("Id", "").strip('"')
    job = next((j for j in board(site, host.split(".")[0]) if str(j.number) == wanted), None)
    items = [_detail(job)] if job else []  # closed: an empty answer, not a 404
    return Reply.json(_envelope(items, f"https://{host}/{quote(wanted)}"))


ROUTES = [
    ("GET", re.compile(_RESOURCES + "recruitingCEJobRequisitions/?"), _search),
    ("GET", re.compile(_RESOURCES + "recruitingCEJobRequisitionDetails/?"), _details),
]
