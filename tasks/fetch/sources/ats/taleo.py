"""Oracle Taleo Business Edition (TBE) career sites, read through their RSS feed and job list.

A TBE career site is one career website (`cws`) of one organization (`org`) on a pod of a shard
host: https://{shard}.tbe.taleo.net/{pod}/ats/careers/v2/searchResults?org={ORG}&cws={N}
("phf.tbe.taleo.net/phf02"; older links: tbe.taleo.net/NA1/ats/careers/requisition.jsp?...).

The feed: GET https://{shard}.tbe.taleo.net/{pod}/ats/servlet/Rss?org={ORG}&cws={N}
&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2
  <rss xmlns:taleo="urn:TBERss"><channel><title>{Company} Job Feed</title><item><title/>
  <link>(.../ats/careers/requisition.jsp?org=..&cws=..&rid=.., which redirects to the v2 page)
  </link><guid/><description>(the ad, flattened to text)</description><pubDate>(RFC 822, the
  posting date)</pubDate><taleo:reqId/><taleo:location>("US - Texas, Houston, Helix Corporate",
  "Chicago (Loop), IL")</taleo:location><taleo:locationCity/><taleo:locationState>("US-TX")
  </taleo:locationState><taleo:locationCountry>("US", missing on some rows)
  </taleo:locationCountry><taleo:department/><taleo:html-description>(the ad as HTML)
  </taleo:html-description></item>...</channel></rss>
Unpaged, and not the whole site: the feed is the career site's recent postings, and one tenant's
feed was measured holding fewer items than its own job list; some sites switch it off.

So the job list is read too, for which postings are open: GET .../ats/careers/v2/searchResults
?org={ORG}&cws={N}[&rowFrom={offset}], server-rendered HTML, ten rows a page (no page size is
honoured), each row an `a.viewJobLink` to .../careers/v2/viewRequisition?org=..&cws=..&rid={id};
some themes state the total in `span.oracletaleocwsv2-panel-number`, and every real list page
carries the `oracletaleocwsv2` classes (a dead tenant answers 200 with a login or "Come Back
Soon" page, which is an error here). Paging holds to the JSESSIONID cookie the first page sets
(without it a later page is empty); the fetcher's client keeps it. A listed posting the feed
leaves out is read from its page, .../careers/v2/viewRequisition?...&rid={id}: its schema.org
JobPosting JSON-LD (datePosted, jobLocation, employmentType, description) where the page has
it, else the `div[name=cwsJobDescription]` text; a closed posting's page ("Job Not Available")
is left out. The list and job pages are web pages, read as the site's robots.txt allows. When
the list cannot be read the feed's postings are kept and the company is noted partial; when the
feed cannot be read, every listed posting is read from its page.

The feed states no employment type, workplace or pay (the ad's prose keeps pay for enrichment);
a posting read from its page has the employment type its JSON-LD states.

Careers URLs: any {shard}.tbe.taleo.net (or tbe.taleo.net) URL under /{pod}/ats/ with org and
cws. Taleo Enterprise career sections ({tenant}.taleo.net/careersection/...) are another
product, not read here.
Mirror mapping: `root` replaces https://{shard}.tbe.taleo.net, so the feed is
{root}/{pod}/ats/servlet/Rss?org=..&cws=..&..., the list and job pages beside it.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/taleo.py and src/shared/taleo.py (the
  v2 searchResults / viewRequisition URLs, ten rows a page with rowFrom, the panel-number
  total, the jscroll-next cursor, the oracletaleocwsv2 marker, shard hosts and pods)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/taleo.py (viewJobLink rows, each listed
  twice; the detail page's JobPosting JSON-LD with datePosted, employmentType, jobLocation)
- public TBE readers found by code search: an RSS reader listing the item fields (taleo:reqId,
  taleo:location / City / State "US-TX" / Country "US", taleo:department,
  taleo:html-description, pubDate as the posting date); a "taleo_tbe" adapter measuring that
  the feed is a capped sample of the site, that pubDate matches the page's datePosted, that
  locationCountry is missing on some rows and that a closed rid answers "Job Not Available";
  a TypeScript adapter (paging holds to the session cookie; dead tenants answer 200); a
  scraper whose notes show detail pages without JSON-LD and their cwsJobDescription block
- feeds quoted in public code: phf.tbe.taleo.net/phf01/ats/servlet/Rss?org=OAS2&cws=39&WebPage=
  SRCHR_V2&WebVersion=0&_rss_version=2, ch.tbe.taleo.net/CH06/ats/servlet/Rss?org=CVENT2&cws=40
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from tasks.errors import FetchError
from tasks.fetch.sources.common import (
    Page,
    collect_pages,
    get_xml,
    host_of,
    html_to_text,
    join_location,
    no_board,
    note_skipped,
    on_hosts,
    parse_datetime,
    parse_xml,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
    with_query,
    xml_text,
)
from tasks.fetch.sources.jsonld import jsonld_postings
from tasks.models import Company, Posting, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.taleo
HOSTS = frozenset({"tbe.taleo.net", ".tbe.taleo.net"})
PAGE_SIZE = 10  # the list's fixed page
_FEED_QUERY = {"WebPage": "SRCHR_V2", "WebVersion": "0", "_rss_version": "2"}
_T = "{urn:TBERss}"
_MARKER = "oracletaleocwsv2"
_CLOSED = re.compile(r"no longer available|job not available", re.IGNORECASE)


# ---------------------------------------------------------------- URLs


def _site(url: str) -> tuple[str, str, str, str] | None:
    """(host, pod, org, cws) of a URL on a TBE career site."""
    path = segments(url)
    if not on_hosts(url, HOSTS) or len(path) < 2 or path[1].lower() != "ats":
        return None
    query = parse_qs(urlsplit(url).query)
    org, cws = (text_of((query.get(key) or [""])[0]) for key in ("org", "cws"))
    return (host_of(url), path[0], org, cws) if org and cws else None


def _query(org: str, cws: str, **more: Any) -> str:
    return urlencode({"org": org, "cws": cws, **more})


def board_url(url: str) -> str | None:
    if not (site := _site(url)):
        return None
    host, pod, org, cws = site
    return f"https://{host}/{pod}/ats/careers/v2/searchResults?{_query(org, cws)}"


def api_url(careers_url: str, root: str | None = None) -> str:
    if not (site := _site(careers_url)):
        raise no_board(SOURCE, "org and cws", careers_url)
    host, pod, org, cws = site
    base = (root or f"https://{host}").rstrip("/")
    return f"{base}/{pod}/ats/servlet/Rss?{_query(org, cws, **_FEED_QUERY)}"


def _job_page(host: str, pod: str, org: str, cws: str, rid: str) -> str:
    return f"https://{host}/{pod}/ats/careers/v2/viewRequisition?{_query(org, cws, rid=rid)}"


class _Board:
    """Where a career site's list and job pages are, beside its feed (on a mirror too)."""

    def __init__(self, feed_url: str) -> None:
        self.base = feed_url.split("/ats/", 1)[0]
        query = parse_qs(urlsplit(feed_url).query)
        self.org, self.cws = ((query.get(key) or [""])[0] for key in ("org", "cws"))
        self.list_url = f"{self.base}/ats/careers/v2/searchResults?{_query(self.org, self.cws)}"

    def job_page(self, rid: str) -> str:
        return f"{self.base}/ats/careers/v2/viewRequisition?{_query(self.org, self.cws, rid=rid)}"


def _public_site(company: Company, board: _Board) -> tuple[str, str, str, str] | None:
    """The real career site (host, pod, org, cws), for job pages: the feed may be a mirror."""
    for url in (company.careers_url, company.api_url, board.list_url):
        if url and (site := _site(str(url))):
            return site
    return None


# ---------------------------------------------------------------- the feed


def _region(state: str | None, country: str | None) -> tuple[str | None, str | None]:
    """(region, country) of taleo:locationState: "US-TX" is Texas's ISO 3166-2 code, which also
    names the country where taleo:locationCountry is missing."""
    code = re.fullmatch(r"([A-Za-z]{2})-(.+)", state or "")
    if code and (not country or code[1].upper() == country.upper()):
        return code[2], country or code[1].upper()
    return state, country


def _ad(markup: str | None) -> str:
    markup = markup or ""
    if "<" not in markup and "&lt;" in markup:  # escaped once more
        markup = html.unescape(markup)
    return html_to_text(markup)


def _item(item: etree._Element) -> dict:
    link = xml_text(item, "link") or xml_text(item, "guid") or ""
    rid = xml_text(item, f"{_T}reqId") or (parse_qs(urlsplit(link).query).get("rid") or [""])[0]
    city = xml_text(item, f"{_T}locationCity")
    region, country = _region(
        xml_text(item, f"{_T}locationState"), xml_text(item, f"{_T}locationCountry")
    )
    label = xml_text(item, f"{_T}location")
    place = {"city": city, "region": region, "country": country}
    html_ad = item.findtext(f"{_T}html-description")
    site = _site(link)
    return {
        "title": xml_text(item, "title") or "",
        # The link is the old requisition.jsp address, which redirects to the v2 page.
        "url": _job_page(*site, rid) if site and rid else link,
        "external_id": rid or link or None,
        "location": label or join_location(city, region, country),
        "locations": stated_places(place if any(place.values()) else label),
        "department": xml_text(item, f"{_T}department"),
        "description": _ad(html_ad) if text_of(html_ad) else _ad(item.findtext("description")),
        "posted_at": parse_datetime(xml_text(item, "pubDate")),
    }


def _items(payload: Any) -> list[dict]:
    channel = parse_xml(payload, SOURCE, "rss").find("channel")
    return [_item(item) for item in channel.iterfind("item")] if channel is not None else []


# ---------------------------------------------------------------- the list and job pages


def _rows(markup: str, page_url: str) -> tuple[list[dict], int | None]:
    """A list page's postings (rid, title, job page) and the total it states, if any."""
    if _MARKER not in markup.lower():
        raise ValueError(f"taleo: expected a career site job list, got {markup[:60]!r}")
    document = lxml_html.fromstring(markup)
    rows: dict[str, dict] = {}
    for link in document.xpath("//a[contains(@class, 'viewJobLink')][@href]"):
        url = urljoin(page_url, link.get("href"))
        rid = (parse_qs(urlsplit(url).query).get("rid") or [""])[0]
        title = " ".join(link.text_content().split())
        if rid and (rid not in rows or not rows[rid]["title"]):  # each row links twice
            rows[rid] = {"external_id": rid, "title": title, "url": url}
    numbers = {
        int(text)
        for span in document.xpath("//span[contains(@class, 'oracletaleocwsv2-panel-number')]")
        if (text := span.text_content().strip().replace(",", "")).isdigit()
    }
    return list(rows.values()), numbers.pop() if len(numbers) == 1 else None


async def _listing(fetcher: Fetcher, board: _Board) -> list[dict]:
    async def page(offset: int) -> Page:
        url = with_query(board.list_url, rowFrom=offset) if offset else board.list_url
        return _rows((await fetcher.page(url)).text, url)

    return await collect_pages(page, PAGE_SIZE, SOURCE)


def detail_fields(document: dict) -> dict:
    """A job page's fields: its JobPosting JSON-LD, else its description block; {"closed": True}
    for a posting closed since it was listed."""

    markup, url = document["markup"], document["url"]
    if found := jsonld_postings(markup, url):
        fields = found[0]
        keep = ("location", "locations", "description", "posted_at", "employment_type", "remote")
        return {key: fields[key] for key in keep if fields.get(key)}
    tree = lxml_html.fromstring(markup)
    block = tree.xpath("//div[@name='cwsJobDescription']")
    if block:
        return {"description": html_to_text(lxml_html.tostring(block[0], encoding="unicode"))}
    return {"closed": True} if _CLOSED.search(markup) else {}


async def _read_page(fetcher: Fetcher, url: str) -> dict:
    return {"url": url, "markup": (await fetcher.page(url)).text}


# ---------------------------------------------------------------- reading


def parse(payload: Any, company: Company) -> list[Posting]:
    """The feed's postings."""
    return to_postings(_items(payload), company, SOURCE, dict)


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    board = _Board(url)
    feed: list[dict] | None = None
    feed_error: FetchError | None = None
    try:
        feed = _items(await get_xml(fetcher, url))
    except FetchError as exc:  # a site can switch its feed off: the list and pages remain
        feed_error = exc
    try:
        listed = await _listing(fetcher, board)
    except (FetchError, ValueError) as exc:
        if feed is None:
            raise exc from feed_error
        note_skipped(f"taleo: job list not read, only the feed's postings are: {exc}")
        return to_postings(feed, company, SOURCE, dict)

    by_id = {job["external_id"]: job for job in feed or []}
    missing = [row for row in listed if row["external_id"] not in by_id]

    def page_of(row: dict) -> str:
        return board.job_page(row["external_id"])

    read = functools.partial(_read_page, fetcher)
    read_ones = await with_details(fetcher, missing, page_of, detail_fields, SOURCE, read=read)
    found = {row["external_id"]: row for row in read_ones if not row.get("closed")}
    if site := _public_site(company, board):
        for row in found.values():
            row["url"] = _job_page(*site, row["external_id"])
    # The list's order and membership; what only the feed states goes on after it.
    listed_ids = {row["external_id"] for row in listed}
    jobs = [by_id.get(row["external_id"]) or found.get(row["external_id"]) for row in listed]
    jobs += [job for rid, job in by_id.items() if rid not in listed_ids]
    return to_postings([job for job in jobs if job], company, SOURCE, dict)
