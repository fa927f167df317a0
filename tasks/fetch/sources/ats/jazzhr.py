"""JazzHR career boards (applytojob.com), read through the board's job list and each job page.

JazzHR publishes no job-board API: the board is server-rendered HTML, and these are read (no key):
  GET https://{company}.applytojob.com/apply/jobs
      -> the embed listing, one table with the whole board, unpaged (3,450 rows seen on one
         page): <table id="jobs_table"><tr id="row_job_{YYYYMMDDHHMMSS}_{KEY}">
           <td><a class="job_title_link" href="/apply/jobs/details/{board code}?&">{title}</a>
               <br /><span class="resumator_department">{department}</span></td>
           <td>{location, as the employer typed it: "Raleigh, NC", "Remote"}</td></tr>
         (the same page repeats each posting in a mobile <div class="jobs_row">, ignored). A
         board with nothing open still has the table; a departed tenant answers 200 with a page
         without it, which is an error here, not an empty board.
  GET https://{company}.applytojob.com/apply/{board code}
      -> the job page (410 once the posting is gone): the description in
         <div id="job-description"> (classic theme: id="resumator-job-description"), labelled
         attributes id="resumator-job-employment" ("Full Time", "Contracted to Full Time";
         custom themes: "resumator-job-type"), id="resumator-job-experience" ("Mid Level"),
         title="Department", title="Location" (classic: <strong>Type: </strong> prefixes), and
         on about 70% of pages a schema.org JobPosting JSON-LD (datePosted, a bare date;
         employmentType; jobLocation; jobLocationType TELECOMMUTE; baseSalary, a MonetaryAmount
         with unitText HOUR / YEAR), the only place a date or pay is stated.
Every job page is read, concurrently; a posting gone between the two reads is left out.

What is carried: title, job page (/apply/{board code}: the title slug the board adds is
decorative), board code as id, location (the list's text) and structured places (the
JSON-LD's, where they name a country, else the text read as places), workplace (TELECOMMUTE,
else the location's words: "Remote"), employment type (the page's label, finer than the
JSON-LD's enum), department (list, else page), posted date and salary (JSON-LD only), and the
description, with the experience label as an "Experience" section (the only seniority stated).
Not stated: a posting date or pay on pages without JSON-LD; the row id's timestamp is the
record's creation, not its publication (earlier than datePosted on 311 of 1,063 pages), so it is
not used.

The XML feed https://app.jazz.co/feeds/export/jobs/{company} (id, status, title, department,
url, city, state, country, postalcode, description, type, experience) is not used: it states
no posting date and no pay, so the job pages would be read anyway, and it is keyed by a company
name that is not always the board's subdomain (404 for unknown names).

Careers URLs: {company}.applytojob.com/apply[/jobs], .../apply/{code}[/{Title-Slug}],
.../apply/jobs/details/{code}. Mirror mapping: `root` replaces https://{company}.applytojob.com,
so the list is {root}/{company}/apply/jobs and a job page {root}/{company}/apply/{code}.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/jazzhr.py (the one server-rendered
  listing at /apply/jobs, id="job_listings_wrapper", /apply/jobs/details/{id} links)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/jazzhr.py (the row markup: tr#row_job_...,
  a.job_title_link, span.resumator_department, the location in the last cell; the job page's
  JobPosting JSON-LD with description, employmentType, datePosted, jobLocation, baseSalary,
  and div.job_description on older themes)
- a public scraper's measured notes found by code search (a 1,000-tenant sample, 2026-09): the
  mobile duplicate rows, no paging, departed tenants answering 200 without jobs_table, the job
  page at /apply/{code} (410 when gone), the labelled attributes and their theme spellings,
  JSON-LD on 69.7% of pages, the row id's creation time; other public clients and tests for the
  page markup (job-attributes-container, title="Location", experienceRequirements) and for the
  export feed's fields
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.fetch.sources.common import (
    as_dict,
    describe,
    employment_type,
    html_to_text,
    remote_policy,
    segments,
    stated_places,
    subdomain,
    subdomain_boards,
    text_of,
    to_postings,
    under,
    with_details,
)
from tasks.fetch.sources.jsonld import jsonld_postings
from tasks.models import Company, Posting, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.jazzhr
HOSTS = frozenset({".applytojob.com"})
_NOT_COMPANIES = frozenset({"www", "app", "api", "help", "support", "status", "blog"})

board_url, api_url = subdomain_boards(
    SOURCE, ".applytojob.com", _NOT_COMPANIES, "/apply/jobs", "company subdomain"
)


def _document(markup: Any) -> Any:
    if not isinstance(markup, str) or not markup.strip():
        return None
    try:
        return lxml_html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def _text(element: Any) -> str | None:
    markup = lxml_html.tostring(element, encoding="unicode", with_tail=False)
    return html_to_text(markup) or None


def listing(markup: Any) -> list[dict]:
    """The rows of an /apply/jobs page: {"id", "title", "department", "location"}; ValueError
    for a page without the jobs table (a departed tenant, or no listing at all)."""
    document = _document(markup)
    tables = document.xpath('//table[@id="jobs_table"]') if document is not None else []
    if not tables:
        got = describe(markup) if not isinstance(markup, str) else repr(markup[:60])
        raise ValueError(f"{SOURCE}: expected the /apply/jobs listing's jobs_table, got {got}")
    rows = []
    for row in tables[0].xpath('.//tr[starts-with(@id, "row_job_")]'):
        link = next(iter(row.xpath('.//a[contains(@class, "job_title_link")]')), None)
        href = link.get("href", "") if link is not None else ""
        path = segments(href)
        code = path[3] if path[:3] == ["apply", "jobs", "details"] and len(path) > 3 else None
        cells = row.xpath("./td")
        department = row.xpath('.//span[contains(@class, "resumator_department")]')
        rows.append(
            {
                "id": code,
                "title": _text(link) if link is not None else None,
                "department": _text(department[0]) if department else None,
                "location": _text(cells[-1]) if len(cells) > 1 else None,
            }
        )
    return rows


def _attribute(document: Any, xpath: str) -> str | None:
    """A labelled attribute's value, without the classic theme's "<strong>Type: </strong>"."""
    for element in document.xpath(xpath):
        element = _copy_without_labels(element)
        if text := _text(element):
            return " ".join(text.split())
    return None


def _copy_without_labels(element: Any) -> Any:
    copy = lxml_html.fromstring(lxml_html.tostring(element, encoding="unicode", with_tail=False))
    for label in copy.xpath(".//strong"):
        label.drop_tree()
    return copy


def page_fields(markup: str, page_url: str) -> dict:
    """What a job page adds to its row: the labelled attributes and description of its HTML,
    and date, pay, places and workplace from its JobPosting JSON-LD where it has one."""

    document = _document(markup)
    if document is None:
        return {}
    posting = next(iter(jsonld_postings(markup, page_url)), {})
    description = document.xpath(
        '//*[@id="job-description" or @id="resumator-job-description"]'
    ) or document.xpath('//div[contains(@class, "job_description")]')
    return {
        "employment": _attribute(
            document, '//*[@id="resumator-job-employment" or @id="resumator-job-type"]'
        ),
        "experience": _attribute(document, '//*[@id="resumator-job-experience"]'),
        "department": _attribute(
            document, '//*[@id="resumator-job-department" or @title="Department"]'
        ),
        "location": _attribute(document, '//*[@id="resumator-job-location" or @title="Location"]'),
        "description": (_text(description[0]) if description else None)
        or posting.get("description"),
        "posted_at": posting.get("posted_at"),
        "salary": posting.get("salary"),
        "employment_type": posting.get("employment_type"),
        "remote": posting.get("remote"),
        "locations": [place for place in posting.get("locations") or [] if place.country],
    }


def _job_pages(company: Company) -> str | None:
    """https://{company}.applytojob.com, where the job pages are (on a mirror too)."""
    for url in (company.api_url, company.careers_url):
        if url and (name := subdomain(str(url), ".applytojob.com", _NOT_COMPANIES)):
            return f"https://{name}.applytojob.com"
    return None


def _fields_of(company: Company):
    origin = _job_pages(company)

    def fields(job: dict) -> dict | None:
        page = as_dict(job.get("_page"))
        code = text_of(job.get("id"))
        location = text_of(job.get("location")) or page.get("location")
        experience = page.get("experience")
        return {
            "title": str(job.get("title") or ""),
            "url": f"{origin}/apply/{code}" if origin and code else "",
            "location": location,
            "locations": page.get("locations") or stated_places(location),
            "remote": page.get("remote") or remote_policy(location),
            "employment_type": employment_type(page.get("employment"))
            or page.get("employment_type"),
            "department": text_of(job.get("department")) or page.get("department"),
            "posted_at": page.get("posted_at"),
            "salary": page.get("salary"),
            "description": "\n\n".join(
                text
                for text in (page.get("description"), experience and f"Experience\n{experience}")
                if text
            ),
        }

    return fields


def detail_url(list_url: str, job: dict) -> str | None:
    """The job page /apply/{code} next to the list at /apply/jobs, on a mirror too."""
    code = text_of(job.get("id"))
    if not code:
        return None
    parts = urlsplit(list_url)
    portal = parts._replace(path=parts.path.rstrip("/").removesuffix("/jobs")).geturl()
    return under(portal, code)


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    rows = listing((await fetcher.page(url)).text)

    async def read(page_url: str) -> tuple[str, str]:
        return page_url, (await fetcher.page(page_url)).text

    def merged(page: tuple[str, str]) -> dict:
        return {"_page": page_fields(page[1], page[0])}

    jobs = await with_details(
        fetcher, rows, lambda job: detail_url(url, job), merged, SOURCE, read=read
    )
    return to_postings(jobs, company, SOURCE, _fields_of(company))


def parse(payload: Any, company: Company) -> list[Posting]:
    """An /apply/jobs page's rows as postings, without what only the job pages state."""
    return to_postings(listing(payload), company, SOURCE, _fields_of(company))
