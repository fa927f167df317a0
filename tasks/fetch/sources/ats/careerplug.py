"""CareerPlug job boards, read from the board's own pages: its job list, then each job's page.

CareerPlug has no public job API (its API at api.careerplug.com needs an OAuth client of the
account). A board is server-rendered HTML:
  GET https://{company}.careerplug.com/jobs?page={n}
      the job list, paged from 1: a table (id "job_table") whose rows link each job as
      /jobs/{id} (absolute or relative); a page past the last lists none. Embeds frame the same
      list (/jobs?embed=1).
  GET https://{company}.careerplug.com/jobs/{id}
      the job's page, with a schema.org JobPosting in its JSON-LD: "title", "url",
      "identifier": {"value": "3570902"}, "datePosted" ("2026-08-28T17:41:41+00:00" or a date),
      "employmentType", "jobLocation": {"address": {"addressLocality", "addressRegion",
      "postalCode", "addressCountry" ("US" or "United States")}, "name"}, "baseSalary"
      (a MonetaryAmount: "currency", "value": {"minValue", "maxValue", "unitText": "HOUR"}),
      "hiringOrganization", "validThrough", "description"
The list states no more than the link and the title, so each job's page is read too
(concurrently; a job closed since it was listed is left out). The description arrives
HTML-escaped inside the JSON string (markup as text, "&lt;h2&gt;..."): it is unescaped once
more before it becomes plain text. CareerPlug states no department and no workplace beyond
schema.org's TELECOMMUTE.

Careers URLs: {company}.careerplug.com[/jobs[/{id}]].
Mirror mapping: `root` replaces https://{company}.careerplug.com, so the list is
{root}/{company}/jobs and a job {root}/{company}/jobs/{id}.

Sources:
- a public scraper of CareerPlug boards found by code search (its careerplug module: the
  {company}.careerplug.com/jobs list, ?page=1, 2, ... until a page lists no job, the links in
  the element with id "job_table", then each job page)
- a public JSON-LD resolver's fixtures measured on live vendor pages (CAREERPLUG_PAGE: the
  /jobs/{id} page, identifier {"name", "value"}, datePosted with an offset, jobLocation
  address, and the description HTML-escaped inside the JSON string: 151 "&lt;", no real tag)
- public aggregator records of CareerPlug postings (iicrc-careers.careerplug.com/jobs/3489663:
  baseSalary with unitText HOUR, hiringOrganization, jobLocation with postalCode and
  "United States", validThrough, employmentType) and embeds (/jobs?embed=1 in an iframe,
  cpats.s3.amazonaws.com/assets/embed.js; ?locale=en)
- a public CareerPlug API client's tests (api.careerplug.com/jobs needs an access token)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from tasks.fetch.sources.common import (
    collect_pages,
    html_to_text,
    subdomain_boards,
    text_of,
    to_postings,
    under,
    with_details,
    with_query,
)
from tasks.fetch.sources.jsonld import jsonld_postings
from tasks.models import Company, Posting, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.careerplug
HOSTS = frozenset({".careerplug.com"})
# CareerPlug's own hosts: the marketing site, the app, the API, help and status.
_NOT_COMPANIES = frozenset(
    {"www", "app", "api", "help", "support", "status", "blog", "login", "ats", "info"}
)
_JOB_LINK = re.compile(r"/jobs/(\d+)(?:[/?#]|$)")
_NO_JOBS = re.compile(r"\bno (?:open |current )?(?:jobs|positions|openings)\b", re.IGNORECASE)
_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>", re.IGNORECASE)

board_url, api_url = subdomain_boards(
    SOURCE, ".careerplug.com", _NOT_COMPANIES, "/jobs", "company subdomain"
)


def listed(markup: str, page_url: str, first: bool = False) -> list[dict]:
    """The jobs a list page links ({"id", "title"}), in order, each once. The job table is read
    where there is one, else the whole page. The first page must be a job list: one with
    neither a job table nor a job link that does not say it has no openings is no board (a
    ValueError, not an empty board that would close every posting)."""
    try:
        document = lxml_html.fromstring(markup)
    except (etree.ParserError, ValueError):
        document = None
    tables = document.xpath("//*[@id='job_table']") if document is not None else []
    if document is None or (first and not tables and not _JOB_LINK.search(markup)):
        text = " ".join(document.text_content().split()) if document is not None else ""
        if first and not _NO_JOBS.search(text):
            raise ValueError(
                f"{SOURCE}: expected a job list (a table with id 'job_table') at {page_url}, "
                f"got {text[:60]!r}"
            )
        return []
    links = tables[0].xpath(".//a[@href]") if tables else document.xpath("//a[@href]")
    jobs: dict[str, dict] = {}
    for link in links:
        url = urljoin(page_url, str(link.get("href")).strip())
        found = _JOB_LINK.search(url)
        if not found or (found[1] in jobs and jobs[found[1]]["title"]):
            continue
        jobs[found[1]] = {"id": found[1], "title": " ".join(link.text_content().split())}
    return list(jobs.values())


def detail(markup: Any, page_url: str) -> dict:
    """A job page's JobPosting fields; {} for a page without one."""

    postings = jsonld_postings(str(markup or ""), page_url)
    if not postings:
        return {}
    fields = {key: value for key, value in postings[0].items() if value not in (None, "", [])}
    text = fields.get("description") or ""
    if _TAG.search(text):  # markup escaped inside the JSON string: now markup, read once more
        fields["description"] = html_to_text(text)
    return fields


def _fields_of(company: Company):
    def fields(job: dict) -> dict:
        job_id = str(job.get("id") or "")
        values = {
            "title": text_of(job.get("title")) or "",
            "url": job.get("url") or _job_page(company, job_id),
            "external_id": text_of(job.get("external_id")) or job_id or None,
            "description": job.get("description") or "",
        }
        for key in ("location", "locations", "posted_at", "remote", "employment_type", "salary"):
            if job.get(key) not in (None, "", []):
                values[key] = job[key]
        return values

    return fields


def _job_page(company: Company, job_id: str) -> str:
    """https://{company}.careerplug.com/jobs/{id}, from the careers URL (tests read a mirror)."""
    board = board_url(str(company.careers_url)) or board_url(str(company.api_url or ""))
    return f"{board}jobs/{job_id}" if board and job_id else ""


def parse(payload: Any, company: Company) -> list[Posting]:
    """One list page (HTML) as postings: titles and job pages only, which the job pages fill."""
    url = str(company.api_url or company.careers_url)
    jobs = listed(payload if isinstance(payload, str) else "", url, first=True)
    return to_postings(jobs, company, SOURCE, _fields_of(company))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    pages = iter(range(1, 10_000))

    async def read_page(offset: int) -> tuple[list, int | None]:
        page = next(pages)
        page_url = with_query(url, page=page)
        return listed((await fetcher.page(page_url)).text, page_url, first=page == 1), None

    # A page size is not stated: pages are read until one lists nothing new.
    jobs = await collect_pages(read_page, 1, SOURCE)

    async def read(page_url: str) -> dict:
        return detail((await fetcher.page(page_url)).text, page_url)

    merged = await with_details(
        fetcher, jobs, lambda job: under(url, job["id"]), lambda fields: fields, SOURCE, read=read
    )
    return to_postings(merged, company, SOURCE, _fields_of(company))
