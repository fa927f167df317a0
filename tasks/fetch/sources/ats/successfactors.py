"""SAP SuccessFactors Recruiting career sites, read through the public XML feeds (no key).

Two kinds of career site, each with its own feed:

Career Site Builder (Recruiting Marketing, "RMK", formerly jobs2web) sites, on
{company}.jobs2web.com or the company's own domain (jobs.sap.com, careers.teva), publish every
posted job in one Google Base style RSS document, unpaged: GET https://{host}/googlefeed.xml
(the same items are served at /sitemal.xml, which api_url keeps where a careers URL names it):
  <rss xmlns:g="http://base.google.com/ns/1.0"><channel><title/><ttl>720</ttl><item>
  <title>(the title, mostly followed by its place: "Manager (Tempe, AZ, US, 85288)")</title>
  <description>(the whole ad, HTML in CDATA; some feeds escape it once more: &amp;lt;p&amp;gt;)
  </description><link>(the job page, https://{host}/job/{City}-{Title}/{id}/)</link>
  <guid>(the RMK job id)</guid><g:id/><g:location>("City, ST, CC, postal", "City, Country,
  postal", "City, CC")</g:location><g:employer/><g:job_function>(a category, or the placeholder
  "ATS_WEBFORM")</g:job_function><g:expiration_date>(YYYY-MM-DD)</g:expiration_date>
  [<pubDate/>, <g:job_type/>, <g:employment_type/> on some sites]</item>...</channel></rss>
Most sites state no posting date (`g:expiration_date` is when the posting closes, not a posted
date), no employment type, workplace or pay; pay in the ad's prose stays in the description. A
two-part `g:location` is "City, Country" ("Dimona, IL" is Israel, not Illinois): SuccessFactors
writes the country last. The place is dropped from the title where it repeats the location.

Legacy career sites on career{N}.successfactors.com / .eu and career{N}.sapsf.com / .eu
(/career?company={id}) serve the same postings as XML, unpaged (SAP KBA 2428902):
  GET https://{host}/career?company={id}&career_ns=job_listing_summary&resultType=XML
  -> <Job-Listing><Job><ReqId/><JobTitle/><Job-Description>(HTML)</Job-Description>
     <Posted-Date>(MM/DD/YYYY)</Posted-Date>[<Location/>]<filter1><label>Country</label>
     <value/></filter1>...<mfield1><label/><value/></mfield1>...</Job>...</Job-Listing>
The `filterN` / `mfieldN` columns differ per company, so they are read by their labels: places
("Posting Location", "Location", "City", "State/Province", "Country/Area"), the department
("Department", "Job Family / Functional Area", "Function", "Category"), the employment type
("Type of Employment", "Employment Type", "Work Schedule") and the workplace ("Remote Work
Option", "Location Type", "Work Place"). A wrong company id answers an HTML page with status
200, which is a clear error here. The feed states no job URL: a posting's page is
/career?career_ns=job_listing&company={id}&career_job_req_id={ReqId}. Posted-Date is month-first
by SAP's documentation; a feed with a date whose first part is above 12 is read day-first
throughout. No pay amounts are stated.

Careers URLs: {company}.jobs2web.com (and any Career Site Builder domain given as a careers URL,
or found on a company page through links only those sites have: /talentcommunity/...,
/services/rss/job/...); career{N}.successfactors.{com,eu} and career{N}.sapsf.{com,eu} with
?company={id} (links that Career Site Builder pages also carry). A page that only loads assets
from rmkcdn.successfactors.com names no board in its asset URLs.
Mirror mapping: `root` replaces the site's origin: {root}/{host label}/googlefeed.xml (the first
label of a jobs2web host, else the whole host) and {root}/career?company={id}&... .

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/rss.py and its tests (the "successfactors"
  preset: /googlefeed.xml on the career site's origin, g: namespace items with g:location,
  g:employer, g:job_function with the ATS_WEBFORM placeholder, g:expiration_date, pubDate on
  some feeds, the "(City, ST, CC, postal)" title suffix; detection by rmkcdn.successfactors.com
  and jobs2web.com in page markup) and _successfactors_legacy.py (career{N} hosts, company ids)
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/successfactors.py (/sitemal.xml, the same
  RSS with g:id; most feeds omit pubDate; g:job_type / g:employment_type on a few)
- a public research note found by code search comparing the two feeds on live sites (Teva, ICL,
  Perrigo, 2026-05): RSS fields every item carries, g:location spellings "Tel Aviv, Israel,
  6944020" / "Dimona, IL", ttl 720; the legacy <Job-Listing> feed with label / value filters,
  and its HTML answer (status 200) for a wrong company id
- a public SuccessFactors scanner found by code search (jobcannon) reading <Job-Listing>: ReqId,
  JobTitle, Job-Description, Posted-Date as MM/DD/YYYY, facets by label ("Posting Location",
  "Country", "Job Family / Functional Area", "Type of Employment"); another's notes (Ericsson:
  mfield "Country/Area", "state/province"; NetApp: <Location>) and a Go reader that settles
  month- or day-first from the whole feed
- public scrapers of legacy sites (ICC, Volkswagen) for the job page
  career?career_ns=job_listing&company={id}&career_job_req_id={id}; a public test fixture of a
  real escaped description (&amp;lt;p&amp;gt;)
- https://userapps.support.sap.com/sap/support/knowledge/en/3425858 and .../2361686 (RMK feed
  fields: "Combined Job Location", format City, State, Country)
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

from lxml import etree

from tasks.fetch.sources.common import (
    employment_type,
    get_xml,
    host_of,
    html_to_text,
    join_location,
    no_board,
    on_hosts,
    parse_datetime,
    parse_xml,
    remote_policy,
    stated_places,
    text_of,
    to_postings,
    xml_text,
)
from tasks.models import Company, Posting, Source, country_code

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.successfactors
_LEGACY_HOSTS = frozenset({".successfactors.com", ".successfactors.eu", ".sapsf.com", ".sapsf.eu"})
HOSTS = _LEGACY_HOSTS | {".jobs2web.com"}
FEED = "/googlefeed.xml"
_FEEDS = ("/googlefeed.xml", "/sitemal.xml")
# Links only Career Site Builder pages carry, on the career site's own host.
_CSB_PATHS = ("/talentcommunity/", "/services/rss/job")
_LEGACY_QUERY = "career_ns=job_listing_summary&resultType=XML"
_G = "{http://base.google.com/ns/1.0}"
_POSTAL = re.compile(r"^[A-Z0-9 -]*\d[A-Z0-9 -]*$", re.IGNORECASE)  # "85288", "SW1A 1AA"


# ---------------------------------------------------------------- URLs


def _legacy(url: str) -> tuple[str, str] | None:
    """(host, company id) of a legacy career site URL: career{N}.successfactors.* ?company=."""
    host = host_of(url)
    if not on_hosts(url, _LEGACY_HOSTS) or not re.match(r"career\d*\.", host):
        return None
    company = text_of((parse_qs(urlsplit(url).query).get("company") or [""])[0])
    return (host, company) if company else None


def _csb_origin(url: str) -> str | None:
    """https://{host} of a Career Site Builder site: a jobs2web host, a feed URL, or a link only
    those sites have (any host but SuccessFactors' own)."""
    parts = urlsplit(url)
    host = host_of(url)
    if not host or parts.scheme not in ("http", "https", ""):
        return None
    if on_hosts(url, {".jobs2web.com"}):
        return f"https://{host}" if not host.startswith("www.") else None
    if on_hosts(url, _LEGACY_HOSTS):
        return None
    path = parts.path.lower()
    if path.startswith(_CSB_PATHS) or path in _FEEDS:
        return f"https://{host}"
    return None


def board_url(url: str) -> str | None:
    if legacy := _legacy(url):
        host, company = legacy
        return f"https://{host}/career?company={quote(company)}"
    origin = _csb_origin(url)
    return f"{origin}/" if origin else None


def api_url(careers_url: str, root: str | None = None) -> str:
    if legacy := _legacy(careers_url):
        host, company = legacy
        base = (root or f"https://{host}").rstrip("/")
        return f"{base}/career?company={quote(company)}&{_LEGACY_QUERY}"
    host = host_of(careers_url)
    # SuccessFactors' own hosts name a site only as above; any other host is a career site.
    if not _csb_origin(careers_url) and (not host or on_hosts(careers_url, HOSTS)):
        raise no_board(SOURCE, "career site or company id", careers_url)
    path = urlsplit(careers_url).path.lower()
    feed = path if path in _FEEDS else FEED
    if root:
        name = host.split(".")[0] if on_hosts(careers_url, {".jobs2web.com"}) else host
        return f"{root.rstrip('/')}/{name}{feed}"
    return f"https://{host}{feed}"


# ---------------------------------------------------------------- Career Site Builder RSS


def _place(text: str | None) -> tuple[str | None, dict | str | None]:
    """A g:location as (display text, place): "Tempe, AZ, US, 85288" is Tempe, AZ, US; with two
    parts the last is the country ("Dimona, IL"). Postal codes are no place."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip() and not _POSTAL.match(p)]
    if not parts:
        return None, None
    shown = ", ".join(parts)
    if len(parts) >= 2 and country_code(parts[-1]):
        region = parts[1] if len(parts) >= 3 else None
        return shown, {"city": parts[0], "region": region, "country": parts[-1]}
    return shown, shown


def _title(title: str | None, city: str | None) -> str:
    """The title without the place SuccessFactors appends when it names the posting's city."""
    title = (title or "").strip()
    suffix = re.search(r"\s*\(([^()]*)\)\s*$", title)
    if suffix and city and suffix[1].split(",")[0].strip().casefold() == city.casefold():
        return title[: suffix.start()].strip() or title
    return title


def _ad(markup: str | None) -> str:
    """The ad as text; an ad escaped once more ("&lt;p&gt;...") is unescaped first."""
    markup = markup or ""
    if "<" not in markup and "&lt;" in markup:
        markup = html.unescape(markup)
    return html_to_text(markup)


def _item(item: etree._Element) -> dict:
    shown, place = _place(xml_text(item, f"{_G}location"))
    city = place.get("city") if isinstance(place, dict) else (shown or "").split(",")[0]
    function = xml_text(item, f"{_G}job_function")
    kind = xml_text(item, f"{_G}job_type") or xml_text(item, f"{_G}employment_type")
    return {
        "title": _title(xml_text(item, "title"), city),
        "url": xml_text(item, "link") or "",
        "external_id": next(
            (text for tag in (f"{_G}id", "guid", "link") if (text := xml_text(item, tag))), None
        ),
        "location": shown,
        "locations": stated_places(place) if place else [],
        "department": None if function == "ATS_WEBFORM" else function,
        "description": _ad(item.findtext("description")),
        "posted_at": parse_datetime(xml_text(item, "pubDate")),
        "employment_type": employment_type(kind),
        "remote": remote_policy(kind) if kind else None,
    }


# ---------------------------------------------------------------- legacy <Job-Listing>

_FACETS = {  # what a column's label says it holds, in order of preference
    "location": ("posting location", "location"),
    "city": ("city",),
    "region": ("state", "province", "region"),
    "country": ("country",),
    "department": ("department", "functional area", "job family", "function", "category"),
    "employment": ("employment", "job type", "work schedule", "schedule", "contract"),
    "remote": ("remote", "location type", "work place", "workplace", "work arrangement"),
}


def _facets(job: etree._Element) -> dict[str, str]:
    """The job's labelled columns (filterN, mfieldN), label (lower case) to value."""
    found: dict[str, str] = {}
    for column in job:
        name = etree.QName(column).localname if isinstance(column.tag, str) else ""
        if name.startswith(("filter", "mfield")):
            label, value = xml_text(column, "label"), xml_text(column, "value")
            if label and value:
                found.setdefault(label.lower(), html.unescape(value).strip())
    return found


def _facet(facets: dict[str, str], kind: str) -> str | None:
    for word in _FACETS[kind]:
        for label, value in facets.items():
            if word in label and not (kind == "location" and "type" in label):
                return value
    return None


def _date(text: str | None, day_first: bool) -> Any:
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", (text or "").strip())
    if not found:
        return parse_datetime(text)
    first, second, year = found.groups()
    month, day = (second, first) if day_first else (first, second)
    return parse_datetime(f"{year}-{int(month):02d}-{int(day):02d}")


def _job(job: etree._Element, facets: dict[str, str]) -> dict:
    place = {k: _facet(facets, k) for k in ("city", "region", "country")}
    where = xml_text(job, "Location") or _facet(facets, "location")
    label = where or join_location(place["city"], place["region"], place["country"])
    return {
        "external_id": xml_text(job, "ReqId"),
        "title": html.unescape(xml_text(job, "JobTitle") or ""),
        "location": label,
        "locations": stated_places(where if where else place),
        "department": _facet(facets, "department"),
        "description": _ad(job.findtext("Job-Description")),
        "date": xml_text(job, "Posted-Date"),
        "employment_type": employment_type(_facet(facets, "employment")),
        "remote": remote_policy(_facet(facets, "remote")),
    }


def _job_pages(company: Company) -> str | None:
    """https://{host}/career?career_ns=job_listing&company={id}: a legacy site's job pages, from
    the careers URL (the real site, also on a mirror), else the feed URL."""
    for url in (company.careers_url, company.api_url):
        if url and (legacy := _legacy(str(url))):
            host, board = legacy
            return f"https://{host}/career?career_ns=job_listing&company={quote(board)}"
    return None


def _legacy_jobs(root: etree._Element, company: Company) -> list[dict]:
    jobs = [(job, _facets(job)) for job in root.iterfind("Job")]
    dates = [xml_text(job, "Posted-Date") or "" for job, _ in jobs]
    day_first = any(int(m[1]) > 12 for d in dates if (m := re.match(r"(\d{1,2})/", d.strip())))
    pages = _job_pages(company)
    rows = []
    for job, facets in jobs:
        row = _job(job, facets)
        row["posted_at"] = _date(row.pop("date"), day_first)
        req = row["external_id"]
        row["url"] = f"{pages}&career_job_req_id={quote(req)}" if pages and req else ""
        rows.append(row)
    return rows


# ---------------------------------------------------------------- reading


def parse(payload: Any, company: Company) -> list[Posting]:
    """A Career Site Builder feed (<rss>) or a legacy site's <Job-Listing>."""
    root = parse_xml(payload, SOURCE, "rss", "Job-Listing")
    if etree.QName(root).localname == "Job-Listing":
        return to_postings(_legacy_jobs(root, company), company, SOURCE, dict)
    channel = root.find("channel")
    items = [_item(item) for item in channel.iterfind("item")] if channel is not None else []
    return to_postings(items, company, SOURCE, dict)


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    return parse(await get_xml(fetcher, url), company)
