"""Personio career pages, read through their public XML feed (no key).

Endpoint: GET https://{company}.jobs.personio.de/xml (or .jobs.personio.com), documented at
https://developer.personio.de/docs/retrieving-open-job-positions and
https://support.personio.de/hc/en-us/articles/207576365 (German texts unless ?language=en is
added, which an api_url override can do). The whole board comes in one document:
  <workzag-jobs><position><id/><subcompany/><office/><additionalOffices><office/>...
  </additionalOffices><department/><recruitingCategory/><name/><jobDescriptions><jobDescription>
  <name/><value>(HTML in CDATA)</value></jobDescription>...</jobDescriptions><employmentType/>
  (permanent, intern, trainee, freelance, temporary, working_student)<seniority/><schedule/>
  (full-time, part-time, full-or-part-time)<yearsOfExperience/><occupation/><createdAt/>
  <salaryInformation><min/><max/><currencyCode/><type/></salaryInformation></position>...
  </workzag-jobs>
The feed carries no job URL: a posting's page is {board}/job/{id}. It states no remote policy; an
office name can ("Berlin (Remote)"), which the place reader drops. `salaryInformation` is present
only where the employer publishes pay; a bare text in it is read as free text. The schedule refines
the type: "permanent" + "part-time" is part-time, "full-or-part-time" says nothing more. The XML is
read with lxml without DTDs, entities or network access.

Careers URLs: {company}.jobs.personio.de[/job/{id}] and {company}.jobs.personio.com.
Mirror mapping: `root` replaces https://{company}.jobs.personio.{de,com}, so the feed is
{root}/{company}/xml.

Sources:
- https://developer.personio.de/docs/retrieving-open-job-positions (the feed's elements)
- https://dev.to/dododata/reading-personio-career-sites-through-their-xml-feed-what-is-in-it-and-five-things-to-handle-5445
  (a real <position> with <additionalOffices><office>Berlin (Remote)</office>)
- colophon-group/jobseek apps/crawler/src/core/monitors/personio.py (employmentType + schedule)
- a public Personio adapter found by code search (repository not named by the index) reading
  <salaryInformation> children min, max, currencyCode, type ("confirmed live 2026-09-24")
- https://apify.com/banyan/personio-jobs/output-schema (employment types and schedules as
  published: permanent, intern, trainee, working_student; full-time, part-time, full-or-part-time)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree

from tasks.fetch.sources.common import (
    board_origin,
    employment_type,
    get_xml,
    host_of,
    no_board,
    parse_datetime,
    parse_xml,
    places,
    salary_period,
    salary_range,
    sections_text,
    stated_places,
    subdomain,
    to_postings,
    xml_text,
)
from tasks.models import Company, Posting, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.personio
HOSTS = frozenset({".jobs.personio.de", ".jobs.personio.com"})


def _origin(url: str) -> str | None:
    """https://{company}.jobs.personio.de for any URL on a Personio board."""
    named = any(subdomain(url, suffix) for suffix in HOSTS)
    return f"https://{host_of(url)}" if named else None


def board_url(url: str) -> str | None:
    origin = _origin(url)
    return f"{origin}/" if origin else None


def api_url(careers_url: str, root: str | None = None) -> str:
    origin = _origin(careers_url)
    if not origin:
        raise no_board(SOURCE, "company subdomain", careers_url)
    return board_origin(root, host_of(origin).split(".")[0], origin) + "/xml"


def _salary(element: etree._Element | None) -> Salary | None:
    """<salaryInformation>: min, max, currencyCode and type (the period), or a bare text."""
    if element is None:
        return None
    if len(element):
        return salary_range(
            xml_text(element, "{*}min"),
            xml_text(element, "{*}max"),
            xml_text(element, "{*}currencyCode") or xml_text(element, "{*}currency"),
            salary_period(xml_text(element, "{*}type") or xml_text(element, "{*}period")),
        )
    from tasks.enrich.rules import parse_salary  # the free-text reader enrichment uses

    text = (element.text or "").strip()
    return parse_salary(text) if text else None


def _position(element: etree._Element) -> dict:
    offices = [xml_text(element, "{*}office")]
    offices += [o.text for o in element.iterfind("{*}additionalOffices/{*}office")]
    return {
        "id": xml_text(element, "{*}id"),
        "name": xml_text(element, "{*}name"),
        "offices": offices,
        "department": xml_text(element, "{*}department"),
        "employment": [xml_text(element, "{*}employmentType"), xml_text(element, "{*}schedule")],
        "salary": _salary(element.find("{*}salaryInformation")),
        "createdAt": xml_text(element, "{*}createdAt"),
        "sections": [
            (xml_text(d, "{*}name"), d.findtext("{*}value"))
            for d in element.iterfind("{*}jobDescriptions/{*}jobDescription")
        ],
    }


def _employment(kind: str | None, schedule: str | None) -> str:
    """The type and the schedule as one label; "full-or-part-time" adds nothing to the type."""
    if schedule and "or" in schedule.lower().replace("-", " ").split():
        schedule = None
    return " ".join(filter(None, [kind, schedule]))


def _fields(job: dict, board: str) -> dict:
    return {
        "title": job["name"] or "",
        "url": f"{board}/job/{job['id']}" if board and job["id"] else "",
        "location": places(*job["offices"]),
        "locations": stated_places(*job["offices"]),
        "department": job["department"],
        "description": sections_text(job["sections"]),
        "posted_at": parse_datetime(job["createdAt"]),
        # "permanent" + "part-time" is part-time: the type and the schedule are read together.
        "employment_type": employment_type(_employment(*job["employment"])),
        "salary": job["salary"],
    }


def parse(payload: Any, company: Company, board: str | None = None) -> list[Posting]:
    """The feed's postings; `board` is where their pages live (default: the careers URL's board)."""
    root = parse_xml(payload, SOURCE, "workzag-jobs")
    base = (board or _origin(str(company.careers_url)) or "").rstrip("/")
    jobs = [_position(p) for p in root.iterfind("{*}position")]
    return to_postings(jobs, company, SOURCE, lambda job: _fields(job, base))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    # Job pages live on the real board: the careers URL's, else the feed's own origin.
    board = _origin(str(company.careers_url)) or url.rsplit("/xml", 1)[0]
    return parse(await get_xml(fetcher, url), company, board)
