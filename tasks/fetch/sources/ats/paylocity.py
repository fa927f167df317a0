"""Paylocity Recruiting job boards, read from the board page's embedded list and each job's page
(no key).

Pages (web pages, read as such: robots.txt is honoured):
  GET https://recruiting.paylocity.com/Recruiting/Jobs/All/{board}[/{name}]
      -> HTML whose script sets `window.pageData = {"Jobs": [{"JobId" (a number), "JobTitle",
         "LocationName" (the employer's label: "Houston, TX", "LI-Remote", "Hybrid - Bengaluru
         India"), "JobLocation": {"Name", "City", "State", "Country" ("USA"), "Zip", "Address",
         "Metro", "County", "LocationId"}, "PublishedDate" (ISO with an offset), "Description"
         (empty, or a teaser of about 110 characters), "HiringDepartment", "IsInternal", "IsRemote",
         "IndeedRemoteType", "ShouldDisplayLocation"}], "ModuleId", "ModuleTitle", "Locations",
         "Departments", "ShowInternal", ...};`   The whole board, unpaged. The {name} segment is
         cosmetic: the board GUID alone names the board.
  GET https://recruiting.paylocity.com/Recruiting/Jobs/Details/{JobId}
      -> the job's server-rendered page: `span.job-preview-title`, `div.preview-location` (place,
         work arrangement and department, separated by bullets, in no fixed order) and
         `div.job-preview-details`, where each `div.job-listing-header` ("Description",
         "Requirements", "Job Type", "Salary Description") heads the `div` after it. Some pages
         also carry a schema.org JobPosting in JSON-LD (employmentType, baseSalary). A job that
         has closed redirects to /Recruiting/Jobs/JobNotFound, which answers 200.
The list has no text, so each job's page is read too, concurrently; a job whose page is gone
(404, JobNotFound, or no job content) is left out. Rows with IsInternal true are for employees
and are left out.

Fields: title, the job page, JobId, the place (JobLocation's city, state and country, else
LocationName), the department, PublishedDate, every section of the page as the description
(pay that Paylocity has only as prose, "Salary Description", stays there), the employment type
from "Job Type" (else the JSON-LD employmentType), pay only from a JSON-LD baseSalary. Workplace:
a work-arrangement word in LocationName or on the page ("Fully Remote", "Hybrid"), else IsRemote
true; IsRemote false says nothing (it disagrees with the labels in both directions), and
IndeedRemoteType's values are documented nowhere, so it is not read.

Paylocity's documented Job Feed (GET https://recruiting.paylocity.com/recruiting/v2/api/feed/jobs/
{key}, documented at https://recruiting.paylocity.com/Recruiting/v2/api/feed/documentation:
{"jobs": [{"jobId", "title", "description", "requirements", "salaryDescription",
"hiringDepartment", "jobLocation": {"locationDisplayName", "city", "state", ...},
"publishedDate", "applyUrl", "displayUrl", ...}]}) would give the text in one answer, but its
key is one the employer issues to its syndication partners: some board GUIDs work as keys, others
do not, so a careers URL cannot be read through it.

Careers URLs: https://recruiting.paylocity.com/Recruiting/Jobs/All/{board}[/{name}] (any case;
also shard hosts such as 2000recruiting.paylocity.com). A job page (/Recruiting/Jobs/Details/
{id}) names no board.
Mirror mapping: `root` replaces https://{host}; the path stays:
{root}/Recruiting/Jobs/All/{board}[/{name}], and job pages {root}/Recruiting/Jobs/Details/{id}.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/paylocity.py and src/shared/paylocity.py
  (window.pageData read with a JSON decoder, Jobs, JobId / JobTitle / LocationName /
  PublishedDate / HiringDepartment / IsRemote, the Details/{JobId} page, hosts *recruiting.
  paylocity.com, the list's description a teaser)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/paylocity.py (IsInternal rows skipped,
  JobLocation {LocationId, City, State, Country}, IndeedRemoteType, ModuleId / ModuleTitle, the
  detail's JSON-LD JobPosting and the job-listing-header sections as its fallback, 404 for a job
  closed since the list)
- public client code found by code search: a fetcher checked against live boards (the
  preview-location line in no fixed order, every job-listing-header section with the labels
  above, closed jobs redirecting to JobNotFound with a 200, IsRemote unreliable, no salary in
  the list); fixtures of live rows (JobLocation {Name, Metro "US, Remote", Country}, Zip,
  Address, County, "Description" empty or a 110-character teaser, "LI-Remote"); clients of the
  v2 feed (its fields, and that only some board GUIDs work as its key).
Not verified: how often a job page carries JSON-LD (one client reads it first, another found
none), and the format of the preview-location line on every board.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml import html as lxml_html

from tasks.fetch.sources.common import (
    api_base,
    as_dict,
    employment_type,
    host_of,
    html_to_text,
    join_location,
    list_in,
    no_board,
    on_hosts,
    parse_datetime,
    remote_policy,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
)
from tasks.fetch.sources.jsonld import jsonld_postings
from tasks.models import Company, Posting, RemotePolicy, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.paylocity
HOSTS = frozenset({".paylocity.com"})
_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_PAGE_DATA = re.compile(r"\bwindow\.pageData\s*=\s*")
_BULLETS = re.compile(r"\s*[•\u2022|]\s*")


def _board(url: str) -> tuple[str, str, str | None] | None:
    """(origin, board GUID, name) of a Paylocity board URL."""
    host = host_of(url)
    if not on_hosts(url, HOSTS) or not host.split(".")[0].endswith("recruiting"):
        return None
    path = segments(url)
    listing = [p.lower() for p in path[:3]] == ["recruiting", "jobs", "all"]
    if listing and len(path) >= 4 and _GUID.fullmatch(path[3]):
        return f"https://{host}", path[3].lower(), path[4] if len(path) > 4 else None
    return None


def _board_path(board: tuple[str, str, str | None]) -> str:
    _, guid, name = board
    return f"/Recruiting/Jobs/All/{guid}" + (f"/{name}" if name else "")


def board_url(url: str) -> str | None:
    board = _board(url)
    return board[0] + _board_path(board) if board else None


def api_url(careers_url: str, root: str | None = None) -> str:
    """The board page itself: it carries the list."""
    board = _board(careers_url)
    if board is None:
        raise no_board(SOURCE, "board GUID", careers_url)
    return api_base(root, board[0]) + _board_path(board)


def _origin(url: str) -> str:
    """Everything before /Recruiting/Jobs/...: the host, or a mirror's root."""
    match = re.search(r"/recruiting/jobs/", url, re.IGNORECASE)
    return url[: match.start()] if match else url.rstrip("/")


def page_data(markup: Any) -> dict:
    """The board page's `window.pageData` object; ValueError when the page has none."""
    text = markup if isinstance(markup, str) else ""
    start = _PAGE_DATA.search(text)
    try:
        data = json.JSONDecoder().raw_decode(text, start.end())[0] if start else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        got = "a page without it" if start is None else "something else"
        raise ValueError(f"paylocity: expected the board page's window.pageData object, got {got}")
    return data


def _place(job: dict) -> tuple[str | None, list]:
    where = as_dict(job.get("JobLocation"))
    city, state = text_of(where.get("City")), text_of(where.get("State"))
    country = text_of(where.get("Country"))
    text = join_location(city, state, country)
    label = text_of(job.get("LocationName"))
    if text and (city or state):
        return text, stated_places({"city": city, "region": state, "country": country})
    # No city: the label names the place for people ("LI-Remote", "Remote - US"), the country
    # for the record; only a row with neither is read from its label ("LI" is no Liechtenstein).
    if country:
        return label or text, stated_places({"country": country})
    return label, stated_places(label) if label else []


def _remote(job: dict) -> RemotePolicy | None:
    for label in (job.get("LocationName"), *job.get("_arrangements", ())):
        if policy := remote_policy(label):
            return policy
    return RemotePolicy.remote if job.get("IsRemote") is True else None


def _fields_of(origin: str):
    """Posting fields of a row (merged with its page's findings); job pages under `origin`."""

    def fields(job: dict) -> dict | None:
        if job.get("IsInternal") is True:
            return None  # posted to employees only
        job_id = job.get("JobId")
        location, located = _place(job)
        sections = job.get("_sections") or [(None, job.get("Description"))]
        kind = next((text for label, text in sections if str(label).lower() == "job type"), None)
        return {
            "title": str(job.get("JobTitle") or ""),
            "url": f"{origin}/Recruiting/Jobs/Details/{job_id}" if job_id is not None else "",
            "external_id": None if job_id is None else str(job_id),
            "location": location,
            "locations": located,
            "department": text_of(job.get("HiringDepartment")),
            "description": sections_text(sections),
            "posted_at": parse_datetime(job.get("PublishedDate")),
            "remote": _remote(job),
            "employment_type": employment_type(html_to_text(str(kind or "")))
            or job.get("_linked_employment"),
            "salary": job.get("_linked_salary"),
        }

    return fields


def _public_origin(company: Company, url: str) -> str:
    """Where job pages are: the careers URL's host, else the API URL's, else Paylocity's."""
    board = _board(str(company.careers_url)) or _board(url)
    return board[0] if board else "https://recruiting.paylocity.com"


def parse(payload: Any, company: Company) -> list[Posting]:
    """The board page's list (its pageData, or the page itself): the jobs without their text."""
    data = page_data(payload) if isinstance(payload, str) else payload
    jobs = list_in(data, SOURCE, "Jobs")
    origin = _public_origin(company, str(company.api_url or ""))
    return to_postings(jobs, company, SOURCE, _fields_of(origin))


def job_page(markup: str, page_url: str) -> dict | None:
    """What a job's page adds to its row; None for a page with no job (JobNotFound)."""
    try:
        document = lxml_html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    details = document.find_class("job-preview-details")
    if not details:
        return None
    sections = []
    for header in details[0].find_class("job-listing-header"):
        body = header.getnext()
        label = " ".join(header.text_content().split())
        if body is not None and label:
            sections.append((label, lxml_html.tostring(body, encoding="unicode")))
    if not sections:  # no headed sections: the container is the text, less its Apply button
        for link in details[0].xpath('.//a[contains(translate(@href, "APLY", "aply"), "/apply/")]'):
            link.drop_tree()
        sections = [(None, lxml_html.tostring(details[0], encoding="unicode"))]
    line = document.find_class("preview-location")
    parts = _BULLETS.split(line[0].text_content()) if line else []
    found = {
        "_sections": sections,
        "_arrangements": [part.strip() for part in parts if remote_policy(part)],
    }
    linked = next(iter(jsonld_postings(markup, page_url)), None)
    if linked:
        found |= {
            "_linked_employment": linked["employment_type"],
            "_linked_salary": linked["salary"],
        }
    return found


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    board = await fetcher.page(url)
    listed = list_in(page_data(board.text), SOURCE, "Jobs")
    jobs = [job for job in listed if not (isinstance(job, dict) and job.get("IsInternal") is True)]
    origin = _origin(url)  # where this read's job pages are: Paylocity, or the mirror

    async def read(detail_url: str) -> dict | None:
        response = await fetcher.page(detail_url)
        if "/jobnotfound" in response.url.lower():
            return None  # closed: Paylocity redirects to its "no longer available" page
        return job_page(response.text, response.url)

    def detail_url(job: dict) -> str | None:
        job_id = job.get("JobId")
        return f"{origin}/Recruiting/Jobs/Details/{job_id}" if job_id is not None else None

    merged = await with_details(fetcher, jobs, detail_url, lambda found: found, SOURCE, read=read)
    return to_postings(merged, company, SOURCE, _fields_of(_public_origin(company, url)))
