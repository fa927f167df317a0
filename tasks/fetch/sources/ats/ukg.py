"""UKG Pro Recruiting (UltiPro) job boards, read through the board's own search XHR and each
opportunity's page (no key).

Endpoints, what a board page at https://{host}/{tenant}/JobBoard/{board} calls (UKG documents
no public job-board API):
  POST https://{host}/{tenant}/JobBoard/{board}/JobBoardView/LoadSearchResults
       {"opportunitySearch": {"Top": 50, "Skip": N, "QueryString": "", "OrderBy": [...],
       "OrderByKey": null, "Filters": [], "Coordinates": null, "Extent": null,
       "ProximitySearchType": 0}}   (PascalCase; a body without the wrapper or with a null
       ProximitySearchType answers an empty board, 200, not an error)
       -> {"opportunities": [{"Id" (a GUID), "Title", "RequisitionNumber", "Featured",
          "FullTime" (bool), "JobCategoryName", "PostedDate" (ISO, UTC: when the opportunity was
          published to this board), "BriefDescription" (a teaser), "JobLocationType" (0, 1, 2 or
          null), "OpportunityType", "Locations": [{"Id", "LocalizedName", "LocalizedDescription",
          "Address": {"Line1", "City", "PostalCode", "State": {"Code", "Name"}, "Country":
          {"Code" ("USA", alpha-3), "Name"}}, "Coordinates"}]}], "totalCount", "locations"}
       The board page pages by 50 (`pageSize: 50`); Skip advances by what came back, until
       totalCount. An unknown board GUID answers totalCount 0.
  GET  https://{host}/{tenant}/JobBoard/{board}/OpportunityDetail?opportunityId={Id}
       -> the opportunity's HTML page, which carries the whole opportunity as the argument of
          `new US.Opportunity.CandidateOpportunityDetail({...})`: the list fields plus
          "Description" (HTML, the full text), "UpdatedDate", "Salaried", "HoursPerWeek",
          "PayRangeVisible", "PayRange": {"PayRangeMinimum", "PayRangeMaximum"} (numbers or
          strings), "PayRangeCurrencyCode", "CompensationAnnualMinimum" / "...Maximum",
          "CompensationHourlyMinimum" / "...Maximum", "CompensationCurrencyCode",
          "PayTransparencyPolicyStatement", "JobBoardMemberships": [{"JobBoardId",
          "PublishedExternal", "ExternalPostedDate"}], "OpportunityIsClosed", and the criteria
          lists. A closed or unknown opportunity answers 200 with the page shell and no model.
The list has only a teaser, so each opportunity's page is read too, concurrently; one that is
gone (404, no model, or OpportunityIsClosed) is left out. Its model replaces the list row, except
`PostedDate`, which on the page is when the requisition was made: the posting date is the board
membership's ExternalPostedDate, else the list's PostedDate (the same moment).

Workplace: JobLocationType 0 hybrid, 1 on-site, 2 remote, as UKG's own locale file
(Content/locales/en-US/translation.json) labels them; two clients guessed 0 was on-site from
what they saw, the two that read the locale file say hybrid. Without one, a location named
"Remote - USA" says remote. FullTime says full- or part-time and nothing else. Pay: PayRange
only where PayRangeVisible is true (it is filled even where the employer hides it, and most do),
yearly for a Salaried opportunity and hourly for one that is not; else the
CompensationAnnual* / CompensationHourly* range, whose names state the period. CompensationAmount
(a single figure, seen hidden) is not a published pay. Pay in the text stays in the description,
as does PayTransparencyPolicyStatement. A JobCategoryName of "All" (one tenant's placeholder on
every job) names no department.

robots.txt of recruiting.ultipro.com (as quoted by a public client, 2026-09-20): `Disallow: /`,
`Allow: */JobBoard/`, `Disallow: */JobBoardView`. The search is read as the ATS's API, as every
adapter reads its ATS's API; the opportunity pages are allowed (Allow: */JobBoard/), but Python's
robots parser, which knows no wildcards and applies the first matching line, would refuse them,
so they are read as API documents too.

Careers URLs: https://recruiting[N].ultipro.com/{tenant}/JobBoard/{board}[/OpportunityDetail
?opportunityId=...], recruiting.ultipro.ca, and {tenant}.rec.pro.ukg.net (same paths). A URL
without the board GUID (https://recruiting.ultipro.com/{tenant}, which redirects to the default
board) names no board.
Mirror mapping: `root` replaces https://{host}; the path, which names tenant and board, stays:
{root}/{tenant}/JobBoard/{board}/JobBoardView/LoadSearchResults.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/ukg.py and src/shared/ukg.py (hosts
  recruiting[2-9].ultipro.com, recruiting.ultipro.ca, *.rec.pro.ukg.net; opportunities /
  totalCount, Top / Skip, the list fields, JobLocationType from the locale file)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/ukg.py (the search body with OrderBy and
  ProximitySearchType 0, page size 50, the CandidateOpportunityDetail model, its Description,
  UpdatedDate, OpportunityIsClosed, Compensation* and PayRange fields)
- public client code and notes found by code search: a field survey of a live board (Meyer,
  MEY1000MEYER: the full list row, "USA" country codes, "Remote - USA" locations, the silent
  empty answer to a wrong body, the detail's field list); an adapter checked against several
  live tenants (list PostedDate vs detail PostedDate, PayRangeVisible false on most boards,
  unknown board GUIDs answering totalCount 0); a connector matching the list PostedDate to the
  board's JobBoardMemberships ExternalPostedDate; a scraper reading Salaried for PayRange; one
  noting JobCategoryName "All"; the robots.txt lines above.
Not verified: whether the Compensation* amounts are always shown on the page (three clients
read them as published pay), PayRange's period beyond Salaried, and JobLocationType's labels
beyond the sources above.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from tasks.fetch.sources.common import (
    Page,
    api_base,
    as_dict,
    collect_pages,
    describe,
    host_of,
    join_location,
    list_in,
    no_board,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
)
from tasks.models import (
    Company,
    EmploymentType,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.ukg
HOSTS = frozenset({".ultipro.com", ".ultipro.ca", ".rec.pro.ukg.net"})
PAGE_SIZE = 50  # the board page's own pageSize
_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_LOCATION_TYPE = {0: RemotePolicy.hybrid, 1: RemotePolicy.onsite, 2: RemotePolicy.remote}
_MODEL = re.compile(r"CandidateOpportunityDetail\s*\(\s*")
_HTML = "text/html,application/xhtml+xml"


def _board(url: str) -> tuple[str, str, str] | None:
    """(origin, tenant, board GUID) of a UKG board, opportunity or search URL."""
    if not on_hosts(url, HOSTS):
        return None
    path = segments(url)
    if len(path) >= 3 and path[1].lower() == "jobboard" and _GUID.fullmatch(path[2]):
        return f"https://{host_of(url)}", path[0], path[2].lower()
    return None


def board_url(url: str) -> str | None:
    board = _board(url)
    return f"{board[0]}/{board[1]}/JobBoard/{board[2]}" if board else None


def api_url(careers_url: str, root: str | None = None) -> str:
    board = _board(careers_url)
    if board is None:
        raise no_board(SOURCE, "tenant and job board", careers_url)
    origin, tenant, guid = board
    return f"{api_base(root, origin)}/{tenant}/JobBoard/{guid}/JobBoardView/LoadSearchResults"


def search(skip: int) -> dict:
    """The search the board page posts: every opportunity, newest first."""
    return {
        "opportunitySearch": {
            "Top": PAGE_SIZE,
            "Skip": skip,
            "QueryString": "",
            "OrderBy": [
                {"Value": "postedDateDesc", "PropertyName": "PostedDate", "Ascending": False}
            ],
            "OrderByKey": None,
            "Filters": [],
            "Coordinates": None,
            "Extent": None,
            "ProximitySearchType": 0,
        }
    }


def _named(value: Any, key: str) -> str | None:
    """`State` / `Country` are {"Code", "Name"} objects; a client may flatten them to text."""
    return text_of(value.get(key)) if isinstance(value, dict) else text_of(value)


def _label(location: dict) -> str | None:
    """The location's name: a place, an office, or "Remote - USA"."""
    return text_of(location.get("LocalizedName")) or text_of(location.get("LocalizedDescription"))


def _place(location: dict) -> tuple[str | None, dict | None]:
    """(display text, structured place) of one entry of `Locations`."""
    address = as_dict(location.get("Address"))
    state, country = address.get("State"), address.get("Country")
    city = text_of(address.get("City"))
    region = _named(state, "Name") or _named(state, "Code")
    country_name = _named(country, "Name") or _named(country, "Code")
    text = join_location(city, region, country_name)
    label = _label(location)
    if not text:
        return label, None  # "Remote - USA", or an office's name: the parser reads the text
    code = _named(country, "Code") or country_name
    return text, {"city": city, "region": region, "country": code}


def _remote(job: dict, labels: list[str]) -> RemotePolicy | None:
    kind = job.get("JobLocationType")
    if isinstance(kind, int) and not isinstance(kind, bool) and kind in _LOCATION_TYPE:
        return _LOCATION_TYPE[kind]
    return next((policy for label in labels if (policy := remote_policy(label))), None)


def _amount_pay(job: dict) -> Salary | None:
    """The pay the posting states as amounts: PayRange where PayRangeVisible (it is filled even
    where the employer hides it), else the Compensation* range of a year or an hour."""
    pay = as_dict(job.get("PayRange")) if job.get("PayRangeVisible") is True else {}
    salaried = job.get("Salaried")
    ranged = (
        {True: SalaryPeriod.year, False: SalaryPeriod.hour}.get(salaried)
        if isinstance(salaried, bool)
        else None
    )
    range_currency = job.get("PayRangeCurrencyCode") or job.get("CompensationCurrencyCode")
    currency = job.get("CompensationCurrencyCode") or job.get("PayRangeCurrencyCode")
    return (
        salary_range(pay.get("PayRangeMinimum"), pay.get("PayRangeMaximum"), range_currency, ranged)
        or salary_range(
            job.get("CompensationAnnualMinimum"),
            job.get("CompensationAnnualMaximum"),
            currency,
            SalaryPeriod.year,
        )
        or salary_range(
            job.get("CompensationHourlyMinimum"),
            job.get("CompensationHourlyMaximum"),
            currency,
            SalaryPeriod.hour,
        )
    )


def _posted(job: dict, guid: str | None) -> Any:
    """This board's ExternalPostedDate, else the list's PostedDate."""
    memberships = job.get("JobBoardMemberships")
    for member in memberships if isinstance(memberships, list) else []:
        if (
            isinstance(member, dict)
            and member.get("PublishedExternal") is not False
            and (guid is None or str(member.get("JobBoardId") or "").lower() == guid)
            and (date := parse_datetime(member.get("ExternalPostedDate")))
        ):
            return date
    return parse_datetime(job.get("PostedDate"))


def _fields_of(board: str | None):
    guid = board.rsplit("/", 1)[-1].lower() if board else None

    def fields(job: dict) -> dict:
        entries = job.get("Locations")
        entries = (
            [entry for entry in entries if isinstance(entry, dict)]
            if isinstance(entries, list)
            else []
        )
        found = [_place(entry) for entry in entries]
        texts = [text for text, _ in found if text]
        labels = [label for entry in entries if (label := _label(entry))]
        job_id = text_of(job.get("Id"))
        full_time = job.get("FullTime")
        category = text_of(job.get("JobCategoryName"))
        description = job.get("Description") or job.get("BriefDescription")
        return {
            "title": str(job.get("Title") or ""),
            "url": f"{board}/OpportunityDetail?{urlencode({'opportunityId': job_id})}"
            if board and job_id
            else "",
            "external_id": job_id,
            "location": places(*texts),
            "locations": stated_places(*(place or text for text, place in found)),
            "department": None if category and category.lower() == "all" else category,
            "description": sections_text(
                [
                    (None, description),
                    ("Pay Transparency", text_of(job.get("PayTransparencyPolicyStatement"))),
                ]
            ),
            "posted_at": _posted(job, guid),
            "remote": _remote(job, labels),
            "employment_type": (
                {True: EmploymentType.full_time, False: EmploymentType.part_time}.get(full_time)
                if isinstance(full_time, bool)
                else None
            ),
            "salary": _amount_pay(job),
        }

    return fields


def _board_of(company: Company, url: str) -> str | None:
    """Where the job pages are: the careers URL's board, else the one the API URL names."""
    return board_url(str(company.careers_url)) or board_url(url)


def parse(payload: Any, company: Company) -> list[Posting]:
    """One page of the search: the postings with their teaser for text (each opportunity's
    page, merged into its row, adds the text, the pay and the board's posting date)."""
    jobs = list_in(payload, SOURCE, "opportunities")
    board = _board_of(company, str(company.api_url or ""))
    return to_postings(jobs, company, SOURCE, _fields_of(board))


def opportunity(markup: Any) -> dict | None:
    """The opportunity model a page carries; None for the shell of a closed or unknown one
    (no model, or OpportunityIsClosed); ValueError for a model that is not a JSON object."""
    text = markup if isinstance(markup, str) else ""
    start = _MODEL.search(text)
    if start is None:
        return None
    try:
        model, _ = json.JSONDecoder().raw_decode(text, start.end())
    except ValueError as exc:
        raise ValueError(f"ukg: the opportunity page's model is not JSON: {exc}") from exc
    if not isinstance(model, dict):
        raise ValueError(f"ukg: expected the opportunity model object, got {describe(model)}")
    return None if model.get("OpportunityIsClosed") is True else model


def _detail(model: dict) -> dict:
    """The page's model as row fields: its PostedDate (the requisition's) stays out, and the
    listed Id, which the page was asked for, names the posting."""
    return {key: value for key, value in model.items() if key not in ("PostedDate", "Id")}


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    async def page(offset: int) -> Page:
        payload = await fetcher.post_json(url, search(offset))
        return list_in(payload, SOURCE, "opportunities"), payload.get("totalCount")

    async def read(detail_url: str) -> dict | None:
        response = await fetcher.request("GET", detail_url, accept=_HTML, api=True)
        return opportunity(response.text)

    board_api = (
        urlsplit(url)._replace(query="").geturl().removesuffix("/JobBoardView/LoadSearchResults")
    )

    def detail_url(job: dict) -> str | None:
        job_id = text_of(job.get("Id"))
        return (
            f"{board_api}/OpportunityDetail?{urlencode({'opportunityId': job_id})}"
            if job_id
            else None
        )

    listed = await collect_pages(page, PAGE_SIZE, SOURCE)
    jobs = await with_details(fetcher, listed, detail_url, _detail, SOURCE, read=read)
    return to_postings(jobs, company, SOURCE, _fields_of(_board_of(company, url)))
