"""Paylocity Recruiting board pages and job pages (HTML).

  GET /paylocity/Recruiting/Jobs/All/{board}/{name}     the board: `window.pageData` in a script
  GET /paylocity/Recruiting/Jobs/Details/{JobId}        one job's page
  GET /paylocity/Recruiting/Jobs/JobNotFound            where a closed job's page redirects

The board is named by its `name` segment here (the real one ignores it and goes by the GUID).
The list carries no text ("Description" is empty), dates jobs with a -05:00 offset, countries as
alpha-3 codes, and two rows more: one internal (IsInternal true, for employees only) and one closed
since, whose page redirects (302) to JobNotFound, which answers 200. A remote job is at
"LI-Remote" with no city (IsRemote true), a hybrid one at "Hybrid - {city}". Each job's page has
its sections under job-listing-header divs (Description, Job Type, Salary Description: pay as
prose); every other page also has a JSON-LD JobPosting with the pay as a baseSalary.
"""

import html
import json
import re
from typing import Any

from deployments.sample.ats.boards import COMMITMENT, NAME, board
from deployments.sample.jobs import Job, blocks_html, iso_time
from deployments.sample.reply import Reply, base_salary, html_page, jsonld_script

_ALPHA3 = {"US": "USA", "DE": "DEU", "NL": "NLD", "FR": "FRA", "GB": "GBR", "CA": "CAN"}
_UNIT = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}
_SCHEMA_TYPE = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
# Job pages name no board: the boards served so far say which job a JobId is.
_SERVED: dict[int, tuple[Job, bool]] = {}


def _label(job: Job) -> str:
    if job.remote == "remote":
        return "LI-Remote"
    if job.remote == "hybrid":
        return f"Hybrid - {job.city}"
    return f"{job.city}, {job.region}"


def _row(job: Job, internal: bool = False) -> dict:
    remote = job.remote == "remote"
    return {
        "JobId": job.number,
        "JobTitle": job.title,
        "LocationName": _label(job),
        "PublishedDate": iso_time(job.posted_at, -5),
        "Description": "",
        "IsInternal": internal,
        "HiringDepartment": job.department,
        "JobLocation": {
            "LocationId": 10_000 + job.n,
            "Name": _label(job),
            "City": None if remote else job.city,
            "State": None if remote else job.region,
            "Country": _ALPHA3[job.country_code],
            "Zip": None if remote else f"{10_000 + job.n}",
            "Address": None,
            "Metro": f"{job.country_code}, Remote" if remote else None,
            "County": None,
        },
        "IsRemote": remote,
        "IndeedRemoteType": 1 if remote else 2,
        "ShouldDisplayLocation": True,
    }


def _board_page(site: Any, query: dict, body: bytes, guid: str, name: str) -> Reply:
    *jobs, closed, internal = board(site, name, extra=2)
    for job in jobs:
        _SERVED[job.number] = (job, True)
    _SERVED[closed.number] = (closed, False)  # closed before its page is read
    rows = [_row(job) for job in [*jobs, closed]] + [_row(internal, internal=True)]
    data = {
        "Jobs": rows,
        "ModuleId": "11566",
        "ModuleTitle": jobs[0].company if jobs else name,
        "Locations": ["All Locations", *dict.fromkeys(_label(job) for job in jobs)],
        "Departments": ["All Departments", *dict.fromkeys(job.department for job in jobs)],
        "ShowInternal": False,
        "LeadJoinUrl": f"/Recruiting/PublicLeads/New/{guid}",
    }
    script = f"<script>window.pageData = {json.dumps(data)};</script>"
    return Reply.html(html_page("Career Opportunities", '<div id="app"></div>' + script))


def _posting_ld(job: Job) -> str:
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "datePosted": iso_time(job.posted_at, -5),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "hiringOrganization": {"@type": "Organization", "name": job.company},
        "description": blocks_html(job.blocks),
    }
    if job.pay:
        posting["baseSalary"] = base_salary(job.pay, _UNIT[job.pay.period])
    return jsonld_script(posting)


def _job_page(job: Job) -> str:
    sections = [("Description", blocks_html(job.blocks))]
    sections.append(("Job Type", html.escape(COMMITMENT[job.employment])))
    if job.pay:
        sections.append(("Salary Description", html.escape(job.pay.text)))
    details = "".join(
        f'<div class="job-listing-header">{label}</div><div>{body}</div>'
        for label, body in sections
    )
    arrangement = {"remote": "Fully Remote", "hybrid": "Hybrid"}.get(job.remote)
    line = " &bull; ".join(
        part for part in (html.escape(_label(job)), arrangement, job.department) if part
    )
    page = (
        f'<div class="job-preview-header"><span class="job-preview-title left">'
        f"<span>{html.escape(job.title)}</span></span>"
        f'<div class="preview-location">{line}</div></div>'
        f'<div class="job-preview-details"><div><a href="/Recruiting/Jobs/Apply/{job.number}">'
        f"Apply</a></div>{details}</div>"
    )
    return html_page(job.title, page, head=_posting_ld(job) if job.n % 2 == 0 else "")


def _details(site: Any, query: dict, body: bytes, job_id: str) -> Reply:
    served = _SERVED.get(int(job_id))
    if served is None:
        return Reply(404, "text/html", html_page("Not found", "<h1>404</h1>"))
    job, open_ = served
    if not open_:
        return Reply(302, "text/html", "", {"Location": "/paylocity/Recruiting/Jobs/JobNotFound"})
    return Reply.html(_job_page(job))


def _not_found(site: Any, query: dict, body: bytes) -> Reply:
    text = "<h1>Job Not Found</h1><p>The job you are looking for is no longer available.</p>"
    return Reply.html(html_page("Job Not Found", text))


ROUTES = [
    (
        "GET",
        re.compile(rf"/paylocity/Recruiting/Jobs/All/([0-9a-fA-F-]{{36}})/{NAME}/?"),
        _board_page,
    ),
    ("GET", re.compile(r"/paylocity/Recruiting/Jobs/Details/(\d+)/?"), _details),
    ("GET", re.compile(r"/paylocity/Recruiting/Jobs/JobNotFound/?"), _not_found),
]
