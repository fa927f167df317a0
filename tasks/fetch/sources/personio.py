"""Personio career pages, read through their public XML feed (no key).

Endpoint: GET https://{company}.jobs.personio.de/xml (or .jobs.personio.com), documented at
https://developer.personio.de/docs/retrieving-open-job-positions and
https://support.personio.de/hc/en-us/articles/207576365 (German texts unless ?language=en is
added, which an api_url override can do). The whole board comes in one document:
  <workzag-jobs><position><id/><subcompany/><office/><additionalOffices><office/>...
  </additionalOffices><department/><recruitingCategory/><name/><jobDescriptions><jobDescription>
  <name/><value>(HTML in CDATA)</value></jobDescription>...</jobDescriptions><employmentType/>
  (permanent, intern, trainee, freelance, temporary, working_student)<seniority/><schedule/>
  (full-time, part-time)<yearsOfExperience/><occupation/><createdAt/></position>...</workzag-jobs>
The feed carries no job URL: a posting's page is {board}/job/{id}. It states no remote policy or
salary. The XML is read with lxml without DTDs, entities or network access.

Careers URLs: {company}.jobs.personio.de[/job/{id}] and {company}.jobs.personio.com.
Mirror mapping: `root` replaces https://{company}.jobs.personio.{de,com}, so the feed is
{root}/{company}/xml.
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
    sections_text,
    subdomain,
    to_postings,
    xml_text,
)
from tasks.models import Company, Posting, Source

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


def _position(element: etree._Element) -> dict:
    offices = [xml_text(element, "{*}office")]
    offices += [o.text for o in element.iterfind("{*}additionalOffices/{*}office")]
    return {
        "id": xml_text(element, "{*}id"),
        "name": xml_text(element, "{*}name"),
        "offices": offices,
        "department": xml_text(element, "{*}department"),
        "employment": [xml_text(element, "{*}employmentType"), xml_text(element, "{*}schedule")],
        "createdAt": xml_text(element, "{*}createdAt"),
        "sections": [
            (xml_text(d, "{*}name"), d.findtext("{*}value"))
            for d in element.iterfind("{*}jobDescriptions/{*}jobDescription")
        ],
    }


def _fields(job: dict, board: str) -> dict:
    return {
        "title": job["name"] or "",
        "url": f"{board}/job/{job['id']}" if board and job["id"] else "",
        "location": places(*job["offices"]),
        "department": job["department"],
        "description": sections_text(job["sections"]),
        "posted_at": parse_datetime(job["createdAt"]),
        # "permanent" + "part-time" is part-time: the type and the schedule are read together.
        "employment_type": employment_type(" ".join(filter(None, job["employment"]))),
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
