"""Jobvite career sites, read through the site's own HTML pages (the v2 API needs a key).

Pages, on the one host every Jobvite career site shares, https://jobs.jobvite.com/{company}:
  GET https://jobs.jobvite.com/{company}/search/?p={page}
      every opening, 50 a page, `p` from 0 (the trailing slash matters: /search?p=1 answers
      the first page again). Each row links /{company}/job/{id} ("oaGwAfwG"), in one of two
      layouts: a table (`table.jv-job-list`, `td.jv-job-list-name` holding the link,
      `td.jv-job-list-location`, on some sites `td.jv-job-list-type` "Full-Time") or cards (the
      link first, the name and location as divs inside it). A posting in several places says
      only "3 Locations". `div.jv-pagination-text` reads "1-50 of 224"; a site with no
      openings says "No results found".
  GET https://jobs.jobvite.com/{company}/job/{id}
      the posting: `h2.jv-header` (title), `p.jv-job-detail-meta` ("Category", then each place,
      between `span.jv-inline-separator`s; on some sites a pay line after a <br>),
      `div.jv-job-detail-description` (the text), and on most sites a schema.org JobPosting in
      JSON-LD: title, description, datePosted ("2026-07-18"), employmentType, identifier (the
      id), industry (the category), jobLocation with addressCountry (which the list leaves
      out), baseSalary where published. A closed posting answers 200 with the site's job list
      ("The job listing no longer exists.") or redirects to /{company}/jobs?error=404.
The list names no department and dates nothing, so every posting's page is read too.
/{company}/jobs ("View All", grouped under department headings) is not read: it can hold fewer
rows than the search pages count (97 of 224 on one site).

What a posting carries: the JSON-LD's title, text, posted date, employment type, places and
pay where it has them; else the page's title, text and the meta's places; the category from
the meta (else the JSON-LD's industry); the employment type from the list's type cell where
the JSON-LD states none; the workplace from the place text ("Remote, United States", "Hybrid
Remote, Salt Lake City, Utah"), since Jobvite has no workplace field; and the meta's pay line
in the description. Paging reads until the stated total; a page that starts elsewhere than
asked, or is not a search page, makes the read short (the company partial).

Careers URLs: jobs.jobvite.com/{company}[/jobs, /search, /job/{id}], jobs.jobvite.com/careers/
{company}[/jobs]. The older embeds, app.jobvite.com (or hire.jobvite.com)/CompanyJobs/
Careers.aspx?c={account id}, are recognised as Jobvite but name only an account id, not the
company's site: they need the jobs.jobvite.com careers URL.
Mirror mapping: `root` replaces https://jobs.jobvite.com, so the first page is
{root}/{company}/search/?p=0 and a posting {root}/{company}/job/{id}.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/jobvite.py and src/shared/jobvite.py
  (tenant routes /{company}, /{company}/jobs, /careers/{company}, /{company}/job/{id} with
  6-64 character ids, reserved api / careers / help / support / www, "1-50 of N" in
  jv-pagination-text, /{company}/search/?p=N&c= next links, category pages behind "Show More",
  unknown companies redirected to www.jobvite.com/support/job-seeker-support/?invalid=1)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/jobvite.py (/search?p=N pages, .jv-job-list
  rows with .jv-job-list-name / .jv-job-list-location, "N Locations", the JSON-LD fields
  description, datePosted, identifier, industry, employmentType, jobLocation, baseSalary,
  .jv-job-detail-meta "Department | Location", .jv-job-detail-description, 404/410)
- public scrapers and fixtures found by code search: a measured read of
  jobs.jobvite.com/nutanix (224 postings over 5 search pages of 50, "View All" 97), the table
  and card layouts, `/search/?p=1` paging where `/search?p=1` does not, td.jv-job-list-type,
  "Hybrid Remote , Salt Lake City, Utah" and "Remote, United States" places, the meta's pay
  line, closed postings answering the job list with "The job listing no longer exists." or a
  303 to /jobs?error=404, and the legacy Careers.aspx?c= / CompanyJobs/Xml.aspx?c= URLs
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.errors import FetchError
from tasks.fetch.sources.common import (
    api_base,
    collect_pages,
    describe,
    employment_type,
    host_of,
    html_to_text,
    no_board,
    places,
    remote_policy,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
    with_query,
)
from tasks.fetch.sources.jsonld import jsonld_postings
from tasks.models import Company, Posting, RemotePolicy, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

logger = logging.getLogger(__name__)

SOURCE = Source.jobvite
SITE = "https://jobs.jobvite.com"
# The career sites, and the older embeds' hosts (recognised, but they name no site).
HOSTS = frozenset({"jobs.jobvite.com", "app.jobvite.com", "hire.jobvite.com"})
PAGE_SIZE = 50
# First path segments on jobs.jobvite.com that are Jobvite's own, not a company's.
_NOT_COMPANIES = frozenset(
    {"api", "careers", "help", "support", "www", "companyjobs", "__assets__", "static", "j"}
)
_JOB_PATH = re.compile(r"^/(?:careers/)?([A-Za-z0-9][A-Za-z0-9_-]*)/job/([A-Za-z0-9_-]{3,64})/?$")
_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)\s+of\s+(\d+)", re.I)
_NO_RESULTS = re.compile(r"\bno (?:results|jobs|positions|openings) (?:found|available)\b", re.I)
_SEVERAL = re.compile(r"^\d+\s+locations?$", re.I)
_GONE = re.compile(r"job listing no longer exists", re.I)


def _company(url: str) -> str | None:
    if host_of(url) != "jobs.jobvite.com":
        return None
    parts = segments(url)
    if parts and parts[0].lower() == "careers":
        parts = parts[1:]
    name = parts[0].lower() if parts else ""
    valid = re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name)
    return name if valid and name not in _NOT_COMPANIES else None


def board_url(url: str) -> str | None:
    name = _company(url)
    return f"{SITE}/{name}/jobs" if name else None


def api_url(careers_url: str, root: str | None = None) -> str:
    name = _company(careers_url)
    if not name:
        raise no_board(SOURCE, "company name (jobs.jobvite.com/{company})", careers_url)
    return f"{api_base(root, SITE)}/{name}/search/?p=0"


# ---------------------------------------------------------------- search pages


def _document(markup: Any, what: str) -> Any:
    if not isinstance(markup, str | bytes) or not markup.strip():
        raise ValueError(f"jobvite: expected a Jobvite {what}, got {describe(markup)}")
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"jobvite: expected a Jobvite {what} ({exc})") from exc


def _text(element: Any) -> str:
    """An element's text, its nodes apart, whitespace squashed."""
    parts = element.xpath(".//text()[not(ancestor::script or ancestor::style)]")
    return re.sub(r"\s+,", ",", " ".join(" ".join(parts).split()))


def _classed(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _row(anchor: Any, href: str) -> dict:
    """One listed posting: its link, and the name, place and type cells around it."""
    match = _JOB_PATH.match(urlsplit(href).path)
    row = next(iter(anchor.xpath("ancestor::tr[1] | ancestor::li[1]")), anchor)

    def cell(name: str) -> str | None:
        found = anchor.xpath(f".//*[{_classed(name)}]") or row.xpath(f".//*[{_classed(name)}]")
        return text_of(_text(found[0])) if found else None

    named = anchor.xpath(f".//*[{_classed('jv-job-list-name')}]")
    return {
        "id": match[2],
        "company": match[1].lower(),
        "title": _text(named[0]) if named else _text(anchor),
        "place": cell("jv-job-list-location"),
        "type": cell("jv-job-list-type"),
    }


def listing(markup: Any, page_url: str) -> tuple[list[dict], tuple[int, int, int] | None]:
    """A search page's rows and its "1-50 of 224" (None where it states none); ValueError when
    it is no Jobvite search page."""
    document = _document(markup, "search page")
    lists = document.xpath(f"//*[{_classed('jv-job-list')}]")
    anchors = [a for container in lists for a in container.xpath(".//a[@href]")]
    rows, seen = [], set()
    for anchor in anchors or document.xpath("//a[@href]"):
        href = urljoin(page_url, anchor.get("href").strip())
        if not _JOB_PATH.match(urlsplit(href).path):
            continue
        row = _row(anchor, href)
        if row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)
    pager = document.xpath(f"//*[{_classed('jv-pagination-text')}]")
    stated = _RANGE.search(_text(pager[0])) if pager else None
    if not rows and not (lists or pager or _NO_RESULTS.search(_text(document))):
        title = " ".join((document.findtext(".//title") or "").split())
        raise ValueError(
            f"jobvite: expected a Jobvite search page (a jv-job-list), got "
            f"{title or 'a page without one'!r}"
        )
    return rows, tuple(int(n) for n in stated.groups()) if stated else None


# ---------------------------------------------------------------- posting pages


def _meta(document: Any) -> tuple[list[str], list[str]]:
    """The meta line's parts ("Category", places...) and the lines after it (pay)."""
    found = document.xpath(f"//*[{_classed('jv-job-detail-meta')}]")
    if not found:
        return [], []
    lines: list[list[str]] = [[""]]
    meta = found[0]
    lines[-1][-1] += meta.text or ""
    for child in meta:
        if child.tag == "br":
            lines.append([""])
        elif "jv-inline-separator" in (child.get("class") or ""):
            lines[-1].append("")
        else:
            lines[-1][-1] += " " + _text(child)
        lines[-1][-1] += child.tail or ""
    clean = [[" ".join(part.split()).replace(" ,", ",") for part in line] for line in lines]
    first = [part for part in clean[0] if part]
    later = [" ".join(part for part in line if part) for line in clean[1:]]
    return first, [line for line in later if line]


def _posting_page(markup: str, page_url: str) -> dict | None:
    """A posting's page as the fields it states; None when it says the posting has closed."""

    document = _document(markup, "posting page")
    body = " ".join(document.xpath("//body/@class"))
    description = document.xpath(f"//*[{_classed('jv-job-detail-description')}]")
    if not description and ("jv-page-jobs" in body or _GONE.search(_text(document))):
        return None
    found = jsonld_postings(markup, page_url)
    ld = {key: value for key, value in (found[0] if found else {}).items() if value}
    meta, extra = _meta(document)
    header = document.xpath(f"//*[{_classed('jv-header')}]")
    industry = re.search(r'"industry"\s*:\s*("(?:[^"\\]|\\.)*")', markup)
    text = ld.get("description")
    if not text and description:
        text = html_to_text(lxml_html.tostring(description[0], encoding="unicode"))
    if not (ld or description):
        logger.warning("jobvite: %s states no posting; the row goes on alone", page_url)
    return {
        "ld": ld,
        "header": _text(header[0]) if header else None,
        "category": meta[0] if meta else (text_of(json.loads(industry[1])) if industry else None),
        "places": meta[1:],
        "text": "\n\n".join(part for part in (text, *extra) if part),
    }


# ---------------------------------------------------------------- fields


def _remote(ld: dict, named: list[str]) -> RemotePolicy | None:
    if ld.get("remote"):
        return ld["remote"]
    return next((policy for name in named if (policy := remote_policy(name))), None)


def _fields(job: dict) -> dict:
    ld: dict = job.get("ld") or {}
    place = job.get("place")
    listed = [] if not place or _SEVERAL.match(place) else [place]
    named = job.get("places") or listed
    return {
        "title": ld.get("title") or job.get("header") or job.get("title") or "",
        "url": f"{SITE}/{job.get('company')}/job/{job.get('id')}",
        "external_id": job.get("id"),
        "location": ld.get("location") or places(*named),
        "locations": ld.get("locations") or stated_places(*named),
        "department": job.get("category"),
        "description": job.get("text") or "",
        "posted_at": ld.get("posted_at"),
        "remote": _remote(ld, [*named, *listed]),
        "employment_type": ld.get("employment_type") or employment_type(job.get("type")),
        "salary": ld.get("salary"),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    """One search page: its postings as the rows state them, without their text, category and
    date (each posting's page, merged into its row by `fetch`, adds them)."""
    rows, _ = listing(payload, str(company.api_url or company.careers_url))
    return to_postings(rows, company, SOURCE, _fields)


# ---------------------------------------------------------------- fetching


def detail_url(list_url: str, row: dict) -> str:
    """{site}/{company}/job/{id} next to the search page at {site}/{company}/search/."""
    parts = urlsplit(list_url)
    site = parts.path.rstrip("/").rpartition("/")[0].rpartition("/")[0]
    path = f"{site}/{row['company']}/job/{row['id']}"
    return urlunsplit(parts._replace(path=path, query="", fragment=""))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    pages = iter(range(10**6))

    async def read_page(offset: int) -> tuple[list, int | None]:
        index = next(pages)
        page_url = with_query(url, p=index)
        try:
            rows, stated = listing((await fetcher.page(page_url)).text, page_url)
        except ValueError as exc:
            if index == 0:
                raise
            raise FetchError("parse", str(exc), url=page_url) from exc
        if stated and rows and stated[0] != offset + 1:
            raise FetchError(
                "parse",
                f"jobvite: asked for postings from {offset + 1}, got {stated[0]}-{stated[1]}",
                url=page_url,
            )
        return rows, stated[2] if stated else None

    listed = await collect_pages(read_page, PAGE_SIZE, SOURCE)

    async def read(page_url: str) -> dict | None:
        response = await fetcher.page(page_url)
        if "error=404" in urlsplit(response.url).query:  # redirected to the job list
            return None
        return _posting_page(response.text, page_url)

    def detail(row: dict) -> str:
        return detail_url(url, row)

    jobs = await with_details(fetcher, listed, detail, lambda found: found, SOURCE, read=read)
    return to_postings(jobs, company, SOURCE, _fields)
