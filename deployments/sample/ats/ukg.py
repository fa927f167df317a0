"""UKG Pro Recruiting (UltiPro) board search and opportunity pages.

  POST /ukg/{tenant}/JobBoard/{board}/JobBoardView/LoadSearchResults
  GET  /ukg/{tenant}/JobBoard/{board}/OpportunityDetail?opportunityId={Id}   one opportunity's
                                                                             page (HTML)

The search wants the page's own PascalCase body under "opportunitySearch" with
ProximitySearchType 0: any other body answers an empty board (200, totalCount 0), as UKG does. It
pages with Top / Skip and states totalCount on every page. Countries are alpha-3 codes ("USA");
a remote opportunity is listed at "Remote - {country}" with no city. The list has a teaser only;
the page carries the whole opportunity as the argument of `new
US.Opportunity.CandidateOpportunityDetail({...})`, its HTML escaped as \\u003c, with a PostedDate
of its own (the requisition's, before the board's ExternalPostedDate). Pay: yearly ranges as
strings with Salaried true, hourly ones as numbers with Salaried false; a monthly range is there
but hidden (PayRangeVisible false). The list carries one opportunity more, closed since, whose
page answers 200 with the shell and no model.
"""

import json
import re
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, html_page

_ALPHA3 = {
    "US": "USA",
    "DE": "DEU",
    "NL": "NLD",
    "FR": "FRA",
    "GB": "GBR",
    "CA": "CAN",
    "PT": "PRT",
}
_LOCATION_TYPE = {"hybrid": 0, "onsite": 1, "remote": 2}  # UKG's locale file's labels
_GUID = r"([0-9a-fA-F-]{36})"


def _when(moment: Any) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _location(job: Job, n: int, city: str, region: str, country: str, code: str) -> dict:
    remote = job.remote == "remote"
    name = f"Remote - {_ALPHA3[code]}" if remote else city
    return {
        "Id": f"{job.uid[:30]}{n:06d}",
        "LocalizedName": name,
        "LocalizedDescription": name,
        "Address": {
            "Line1": None if remote else f"{10 + job.n} Main Street",
            "Line2": None,
            "City": None if remote else city,
            "PostalCode": None if remote else f"{10_000 + job.n}",
            "State": None if remote else {"Code": region, "Name": region},
            "Country": {"Code": _ALPHA3[code], "Name": country},
        },
        "DisplayName": False,
        "DisplayAddress": True,
        "SourceOfTruth": 1,
        "Coordinates": None,
    }


def _row(job: Job) -> dict:
    places = [_location(job, 1, job.city, job.region, job.country, job.country_code)]
    if job.n == 1 and job.remote != "remote":
        places.append(_location(job, 2, *SECOND_OFFICE))
    return {
        "Id": job.uid,
        "Featured": job.n == 1,
        "Title": job.title,
        "RequisitionNumber": f"REQ{job.number % 1_000_000:06d}",
        "FullTime": job.employment != "part_time",
        "JobCategoryName": job.department,
        "Locations": places,
        "PostedDate": _when(job.posted_at),
        "BriefDescription": job.blocks[0][1],
        "MatchScore": 1.0,
        "MatchedLocations": [],
        "Distance": None,
        "JobLocationType": _LOCATION_TYPE[job.remote],
        "OpportunityType": 0,
    }


def _pay(job: Job) -> dict:
    pay = job.pay
    if pay is None:
        low = high = None
    elif pay.period == "year":
        low, high = f"{pay.min:.2f}", f"{pay.max:.2f}"
    else:
        low, high = pay.min, pay.max
    return {
        "Salaried": pay is None or pay.period != "hour",
        "PayRangeVisible": pay is not None and pay.period in ("year", "hour"),
        "PayRange": {"PayRangeMinimum": low, "PayRangeMaximum": high},
        "PayRangeCurrencyCode": pay.currency if pay else None,
        "CompensationAnnualMinimum": None,
        "CompensationAnnualMaximum": None,
        "CompensationHourlyMinimum": None,
        "CompensationHourlyMaximum": None,
        "CompensationCurrencyCode": None,
    }


def _model(job: Job, guid: str) -> dict:
    row = _row(job)
    del row["MatchScore"], row["MatchedLocations"], row["Distance"]
    return (
        row
        | {
            "PostedDate": _when(job.posted_at.replace(day=1)),  # the requisition's own date
            "UpdatedDate": _when(job.posted_at),
            "Description": blocks_html(job.blocks),
            "HoursPerWeek": 20 if job.employment == "part_time" else 40,
            "TravelRequired": False,
            "PayTransparencyPolicyStatement": None,
            "JobBoardMemberships": [
                {"JobBoardId": "00000000-0000-4000-8000-000000000001", "PublishedExternal": False},
                {
                    "JobBoardId": guid,
                    "PublishedExternal": True,
                    "ExternalPostedDate": _when(job.posted_at),
                },
            ],
            "OpportunityIsClosed": False,
            "EducationCriteria": [],
            "SkillCriteria": [],
        }
        | _pay(job)
    )


def _search(site: Any, query: dict, body: bytes, tenant: str, guid: str) -> Reply:
    empty = {"opportunities": [], "totalCount": 0, "locations": []}
    try:
        search = json.loads(body or b"{}")["opportunitySearch"]
        top, skip = int(search["Top"]), int(search["Skip"])
    except (ValueError, TypeError, KeyError):
        return Reply.json(empty)  # UKG answers a body it does not know with an empty board
    if search.get("ProximitySearchType") != 0 or top < 1 or skip < 0:
        return Reply.json(empty)
    jobs = board(site, tenant, extra=1)  # the extra one closes before its page is read
    rows = [_row(job) for job in jobs[skip : skip + top]]
    return Reply.json({"opportunities": rows, "totalCount": len(jobs), "locations": []})


def _opportunity(site: Any, query: dict, body: bytes, tenant: str, guid: str) -> Reply:
    wanted = (query.get("opportunityId") or [""])[0].lower()
    job = next((j for j in board(site, tenant) if j.uid == wanted), None)
    script = ""
    if job is not None:
        model = json.dumps(_model(job, guid.lower())).replace("<", "\\u003c")
        script = (
            "<script>$(function () { var opportunity = new "
            f"US.Opportunity.CandidateOpportunityDetail({model}); ko.applyBindings(opportunity); "
            "});</script>"
        )
    shell = '<div id="opportunity" data-bind="with: opportunity"></div>'  # a closed one: no model
    return Reply.html(html_page("Opportunity Details", shell + script))


ROUTES = [
    (
        "POST",
        re.compile(rf"/ukg/{NAME}/JobBoard/{_GUID}/JobBoardView/LoadSearchResults/?"),
        _search,
    ),
    ("GET", re.compile(rf"/ukg/{NAME}/JobBoard/{_GUID}/OpportunityDetail/?"), _opportunity),
]
