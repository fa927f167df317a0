"""iCIMS career portals, read through the portal's own HTML pages (iCIMS has no public job API).

Pages, as the portal's iframe serves them (`in_iframe=1`: without it the page is an empty
branding wrapper):
  GET https://{portal}.icims.com/jobs/search?ss=1&in_iframe=1[&pr={page}]
      the search results, `pr` the page index from 0 (the page size is the company's setting:
      10, 20, 25 or 50). Each result is a row (`div.row`, in newer portals inside
      `li.iCIMS_JobCardItem`) in the `iCIMS_JobsTable`: an `a.iCIMS_Anchor` to
      https://{portal}.icims.com/jobs/{id}/{slug}/job?in_iframe=1 around the title (`h3`, `h2`
      in older templates; the link's title attribute is "{id} - {title}"), header fields
      (`div.header.left` / `div.header.right`, each a `span.sr-only.field-label` naming it and a
      value span: "Job Locations" "US-CA-Monrovia" or "IN-Bangalore | IN-Pune", "Requisition
      ID" "2026-15550", "Posted Date" with the time in the span's title, "5/6/2026 10:23 AM",
      and "3 hours ago" as its text), a `div.description` snippet, and `additionalFields`, a
      `dl.iCIMS_JobHeaderGroup` of `div.iCIMS_JobHeaderTag` dt/dd pairs the company chooses
      (Category, Position Type, Location Type, Company, Maximum Pay, ..., some labels suffixed
      "(Portal Searching)"). The pager says "Page 1 of 7" (in `iCIMS_SubHeader_Jobs`, or as the
      current page link's text, "Page" and "of 7" in sr-only spans); a page index past the
      last answers "Sorry, no jobs were found that match your search criteria.".
  GET https://{portal}.icims.com/jobs/{id}/{slug}/job?in_iframe=1
      the posting's page, with a schema.org JobPosting in JSON-LD: title, description (HTML,
      every section under its h2), datePosted ("2026-10-04T04:00:00.000Z": the day, at
      midnight US Eastern), validThrough, employmentType (FULL_TIME, PART_TIME, ..., OTHER),
      occupationalCategory (the Category), hiringOrganization, url (the page without the
      query), jobLocation [{address: {addressLocality, addressRegion, postalCode,
      addressCountry (a code), streetAddress, postOfficeBoxNumber}}]. iCIMS writes
      "UNAVAILABLE" for an empty part of an address (a remote posting's city): read as empty.
      A closed posting's page answers 410.

Every search page is read, one after another (iCIMS pages by session: pages read at once can
answer a neighbouring page), as many as the first page's "Page 1 of N" says; a page that says
it is another page than the one asked for, or is not a search page, makes the read short (the
company partial). Then every posting's page, for its text, date and structured place.

What a posting carries: from its page's JSON-LD the title, description, posted date, employment
type, places and (where stated) pay; from its row the id and public URL, the Category
(department; else the JSON-LD occupationalCategory), the place where the JSON-LD states none
(the row's "US-CA-Monrovia" codes read as city, region, country), the workplace from a
"Location Type" (or "Remote") field or a place that says "Remote", the employment type from
"Position Type" where the JSON-LD states none, the posted date from "Posted Date" where the
JSON-LD states none, and pay fields (worded by the company) as description sections. iCIMS
states no workplace of its own, and no salary in most JSON-LD.

Careers URLs: {portal}.icims.com, the portal name being the company's choice ("careers-acme",
"jobs-acme", "uscareers-acme", "english-acme"): its search or any job page.
Mirror mapping: `root` replaces https://{portal}.icims.com, so the first page is
{root}/{portal}/jobs/search?ss=1&in_iframe=1 and a posting {root}/{portal}/jobs/{id}/{slug}/job.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/icims.py (the iframe search URL, pr
  from 0 with searchRelation=keyword_all on later pages, "Page N of M" and the highest pr link
  as the page count, the iCIMS_ListingsPage marker, sequential paging because of sessions,
  canonical job URLs /jobs/{id}/job?in_iframe=1, reserved hosts api, app, help, support, www)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/icims.py (iCIMS_JobCardItem rows, the
  "Job Locations" header, the posted date in a span's title, "US-CA-Monrovia" codes,
  iCIMS_JobHeaderTag dt/dd pairs with Category, the JSON-LD fields on every job page)
- public scrapers and fixtures found by code search: rows with "Requisition ID" and
  "Category (Portal Searching)" / "Position Type (Portal Searching)" (a StoneX portal), "Page
  1 of 5" pagers and `<span class="sr-only">of 7 , Current Page</span>` links, "Location
  Type" and "Posted Date" fields (an EMCOR scraper), verbatim JSON-LD from careers-gdms and
  careers-herbalife job pages (addressLocality "UNAVAILABLE", postOfficeBoxNumber
  "UNAVAILABLE", employmentType "OTHER", occupationalCategory), and a portal study (page sizes
  20 and 50, "Search Results Page X of Y" in iCIMS_SubHeader_Jobs, "Maximum Pay" fields, 410
  for closed postings, no sitemaps)
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.errors import FetchError
from tasks.fetch.sources.common import (
    collect_pages,
    describe,
    employment_type,
    join_location,
    places,
    remote_policy,
    stated_places,
    subdomain_boards,
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

SOURCE = Source.icims
HOSTS = frozenset({".icims.com"})
# iCIMS's own hosts: the marketing site, the API, the app, login, help, community and docs.
_NOT_PORTALS = frozenset(
    {
        "www",
        "api",
        "app",
        "login",
        "help",
        "support",
        "care",
        "community",
        "developer",
        "developers",
        "status",
        "cdn",
        "static",
        "blog",
        "marketplace",
    }
)

board_url, api_url = subdomain_boards(
    SOURCE, ".icims.com", _NOT_PORTALS, "/jobs/search?ss=1&in_iframe=1", "portal subdomain"
)

_JOB_PATH = re.compile(r"/jobs/(\d+)(?:/[^/?#]+)?/job/?$")
_PAGE_OF = re.compile(r"\bPage\s+(\d+)\s+of\s+(\d+)\b", re.I)
_NO_JOBS = re.compile(r"\bno jobs were found\b", re.I)
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
# "US-CA-Monrovia", "IN-Bangalore", "US-Remote": a country code, perhaps a region code, a city.
_CODED_PLACE = re.compile(r"^([A-Z]{2,3})-(?:([A-Z0-9]{1,3})-)?(\S.*)$")
_ROWS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' iCIMS_JobCardItem ')]"
    " | //*[contains(@class, 'iCIMS_JobsTable')]//*[contains(concat(' ', normalize-space(@class),"
    " ' '), ' row ')][.//a[contains(@class, 'iCIMS_Anchor')]]"
)
_SR_LABEL = "contains(@class, 'sr-only')"


def _document(markup: Any) -> Any:
    if not isinstance(markup, str | bytes) or not markup.strip():
        raise ValueError(f"icims: expected an iCIMS job search page, got {describe(markup)}")
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"icims: expected an iCIMS job search page ({exc})") from exc


def _squash(text: Any) -> str:
    return " ".join(str(text or "").split())


def _text(element: Any) -> str:
    """An element's text, its nodes apart ("Remote" then "Page 1 of 3": not "RemotePage")."""
    return _squash(" ".join(element.xpath(".//text()[not(ancestor::script or ancestor::style)]")))


def _label(text: str) -> str:
    """A field's label as a key: "Category (Portal Searching)" is "category"."""
    return re.sub(r"\s*\(portal searching\)\s*", " ", text, flags=re.I).strip(" :").lower()


def _row_fields(row: Any) -> dict[str, tuple[str, str, str]]:
    """Each labelled field of a result row: its label as a key -> (value text, the value's title
    attribute, the label as shown)."""
    fields: dict[str, tuple[str, str, str]] = {}
    for n, header in enumerate(row.xpath(".//div[contains(@class, 'header')]")):
        label = _squash(" ".join(header.xpath(f".//span[{_SR_LABEL}]//text()")))
        values = header.xpath(f".//span[not({_SR_LABEL})]")
        text = _squash(" ".join(v.text_content() for v in values))
        stamp = next((str(v.get("title")) for v in values if v.get("title")), "")
        if label or text or stamp:
            fields.setdefault(_label(label) or f"header {n}", (text, stamp, label or "header"))
    for tag in row.xpath(".//*[contains(@class, 'iCIMS_JobHeaderTag')]"):
        label = _squash(" ".join(tag.xpath(".//dt//text()")))
        values = tag.xpath(".//dd")
        text = _squash(" ".join(v.text_content() for v in values))
        stamp = next((str(v.get("title")) for v in tag.xpath(".//dd//*[@title]")), "")
        if label:
            fields.setdefault(_label(label), (text, stamp, label))
    return fields


def _title(anchor: Any, job_id: str) -> str:
    heading = anchor.xpath(".//h3 | .//h2 | .//h1")
    if heading:
        return _squash(heading[0].text_content())
    shown = _squash(" ".join(anchor.xpath(f".//text()[not(ancestor::span[{_SR_LABEL}])]")))
    return shown or _squash(str(anchor.get("title") or "")).removeprefix(f"{job_id} - ")


def _rows(document: Any, page_url: str) -> list[dict]:
    """The result rows of a search page, each as the fields it states."""
    rows, seen = [], set()
    for row in document.xpath(_ROWS):
        anchor = next(
            (
                a
                for a in row.xpath(".//a[@href]")
                if _JOB_PATH.search(urlsplit(urljoin(page_url, a.get("href"))).path)
            ),
            None,
        )
        if anchor is None:
            continue
        href = urljoin(page_url, anchor.get("href").strip())
        job_id = _JOB_PATH.search(urlsplit(href).path)[1]
        if job_id in seen:  # a card and its inner row are one posting
            continue
        seen.add(job_id)
        snippet = row.xpath(".//div[contains(@class, 'description')]")
        rows.append(
            {
                "id": job_id,
                "title": _title(anchor, job_id),
                "href": href,
                "fields": _row_fields(row),
                "snippet": _squash(snippet[0].text_content()) if snippet else None,
            }
        )
    return rows


def _is_listing(document: Any) -> bool:
    marked = document.xpath(
        "//*[contains(@class, 'iCIMS_ListingsPage') or contains(@class, 'iCIMS_JobsTable')]"
    )
    return bool(marked) or bool(_NO_JOBS.search(_text(document)))


def _page_of(document: Any) -> tuple[int | None, int] | None:
    """(this page, pages) as the pager says "Page 2 of 7"; None when it says nothing. Every
    page link of the pager reads "Page k of 7": this page is the sub-header's or the selected
    link's (None when neither says)."""
    found = _PAGE_OF.findall(_text(document))
    if not found:
        return None
    here = document.xpath(
        "//*[contains(@class, 'iCIMS_SubHeader_Jobs')]"
        " | //*[contains(@class, 'iCIMS_Paging')]"
        "//a[contains(concat(' ', normalize-space(@class), ' '), ' selected ')]"
    )
    said = (_PAGE_OF.search(_text(element)) for element in here)
    current = next((int(match[1]) for match in said if match), None)
    return current, max(int(pages) for _, pages in found)


def listing(markup: Any, page_url: str) -> tuple[list[dict], tuple[int | None, int] | None]:
    """A search page's rows and its "Page k of N"; ValueError when it is no search page."""
    document = _document(markup)
    rows = _rows(document, page_url)
    if not rows and not _is_listing(document):
        raise ValueError(
            f"icims: expected an iCIMS job search page (an iCIMS_JobsTable), got "
            f"{_squash(document.findtext('.//title')) or 'a page without one'!r}"
        )
    return rows, _page_of(document)


# ---------------------------------------------------------------- fields


def _coded_place(code: str) -> dict | str:
    """ "US-CA-Monrovia" as {"city", "region", "country"}; other text as it is."""
    match = _CODED_PLACE.match(code.strip())
    if not match:
        return code.strip()
    return {"city": match[3].strip(), "region": match[2], "country": match[1]}


def _field(fields: dict, *words: str, without: str = "\0") -> tuple[str, str]:
    """(text, title) of the first field whose label has one of `words` (and not `without`)."""
    for word in words:
        for label, (text, stamp, _) in fields.items():
            if word in label and without not in label and (text or stamp):
                return text, stamp
    return "", ""


def _list_date(*texts: str) -> datetime | None:
    """ "5/6/2026 10:23 AM" (the portal's local time): its day, as midnight UTC."""
    for text in texts:
        if match := _DATE.search(text or ""):
            try:
                return datetime(int(match[3]), int(match[1]), int(match[2]), tzinfo=UTC)
            except ValueError:
                continue
    return None


def _row_places(fields: dict) -> list:
    text, _ = _field(fields, "location", without="type")
    return [_coded_place(piece) for piece in text.split("|") if piece.strip()]


def _place_name(place: dict | str) -> str | None:
    if isinstance(place, str):
        return place or None
    return join_location(place["city"], place["region"], place["country"])


def _remote(ld: dict, row: dict, listed: list) -> RemotePolicy | None:
    if ld.get("remote"):
        return ld["remote"]
    if policy := remote_policy(_field(row, "location type", "workplace", "remote")[0]):
        return policy
    named = " ".join(str(_place_name(place)) for place in listed)
    return RemotePolicy.remote if re.search(r"\bremote\b", named, re.I) else None


def _posted(ld: dict, row: dict) -> datetime | None:
    if ld.get("posted_at"):
        return ld["posted_at"]
    text, stamp = _field(row, "posted", "posting date")
    # A card's right header may hold the date alone, in its title.
    stamps = (s for _, s, _ in row.values() if s)
    return _list_date(stamp, text) or _list_date(*stamps)


def _description(job: dict, row: dict) -> str:
    """The posting's text (else the row's snippet), then pay as the company's fields word it."""
    parts = [text_of(job.get("ld", {}).get("description")) or text_of(job.get("snippet"))]
    parts += [f"{shown}\n{text}" for label, (text, _, shown) in row.items() if _is_pay(label)]
    return "\n\n".join(part for part in parts if part)


def _is_pay(label: str) -> bool:
    return bool(re.search(r"\b(?:pay|salary|compensation|wage)\b", label))


def _fields(job: dict) -> dict:
    ld: dict = job.get("ld") or {}
    row: dict = job.get("fields") or {}
    listed = _row_places(row)
    return {
        "title": ld.get("title") or job.get("title") or "",
        "url": urlunsplit(urlsplit(job.get("href") or "")._replace(query="", fragment="")),
        "external_id": job.get("id"),
        "location": ld.get("location") or places(*map(_place_name, listed)),
        "locations": ld.get("locations") or stated_places(*listed),
        "department": text_of(_field(row, "category", "department")[0]) or job.get("category"),
        "description": _description(job, row),
        "posted_at": _posted(ld, row),
        "remote": _remote(ld, row, listed),
        "employment_type": ld.get("employment_type")
        or employment_type(_field(row, "position type", "employment type", "job type")[0]),
        "salary": ld.get("salary"),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    """One search page: its postings as the rows state them, without their text (each posting's
    page, merged into its row by `fetch`, adds it)."""
    rows, _ = listing(payload, str(company.api_url or company.careers_url))
    return to_postings(rows, company, SOURCE, _fields)


# ---------------------------------------------------------------- fetching


def detail_url(list_url: str, href: str) -> str | None:
    """The posting's page next to the search page (on a mirror too), in its iframe form."""
    match = re.search(r"/jobs/\d+(?:/[^/?#]+)?/job/?$", urlsplit(href).path)
    if not match:
        return None
    parts = urlsplit(list_url)
    base = parts.path.rpartition("/jobs/search")[0]
    return urlunsplit(parts._replace(path=base + match[0], query="in_iframe=1", fragment=""))


def _posting_page(markup: str, page_url: str) -> dict:
    """The JSON-LD JobPosting of a posting's page as Posting fields, and its category."""

    # iCIMS's "UNAVAILABLE" stands for an empty part of an address.
    found = jsonld_postings(markup.replace('"UNAVAILABLE"', '""'), page_url)
    if not found:
        logger.warning("icims: no JobPosting JSON-LD on %s; the row goes on alone", page_url)
        return {}
    category = re.search(r'"occupationalCategory"\s*:\s*("(?:[^"\\]|\\.)*")', markup)
    fields = {key: value for key, value in found[0].items() if value}
    return {"ld": fields, "category": text_of(json.loads(category[1])) if category else None}


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    first, stated = listing((await fetcher.page(url)).text, url)
    pages = stated[1] if stated else 1
    indexes = itertools.count()

    async def read_page(offset: int) -> tuple[list, None]:
        index = next(indexes)
        if index == 0:
            return first, None
        if index >= pages:  # the pager's last page has been read
            return [], None
        page_url = with_query(url, pr=index, searchRelation="keyword_all")
        try:
            rows, said = listing((await fetcher.page(page_url)).text, page_url)
        except ValueError as exc:
            raise FetchError("parse", str(exc), url=page_url) from exc
        if said and said[0] is not None and said[0] != index + 1:
            raise FetchError(
                "parse", f"icims: asked for page {index + 1}, got page {said[0]}", url=page_url
            )
        return rows, None

    listed = await collect_pages(read_page, max(1, len(first)), SOURCE)

    async def read(page_url: str) -> dict:
        return _posting_page((await fetcher.page(page_url)).text, page_url)

    def detail(row: dict) -> str | None:
        return detail_url(url, row.get("href") or "")

    jobs = await with_details(fetcher, listed, detail, lambda found: found, SOURCE, read=read)
    return to_postings(jobs, company, SOURCE, _fields)
