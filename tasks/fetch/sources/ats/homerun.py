"""Homerun career pages, read through each company's public Atom feed (no key).

Why the feed: Homerun's documented API (api.homerun.co/v2/vacancies) needs the company's own
Bearer key, and the career page {company}.homerun.co renders its job list in the browser (its
static HTML has no job links). Every career page links, as rel="alternate", to
  GET https://feed.homerun.co/{company}
      -> <feed xmlns="http://www.w3.org/2005/Atom"><title>{company name}</title><updated/>
         <entry><author><name/></author><title type="text"/>
           <link rel="alternate" type="text/html" href="https://{company}.homerun.co/{slug}"/>
           (or the company's own careers host) <id>job_Kn8xX76scpWFSwBrWpGA</id>
           <summary type="html"/> <description type="html">(the whole ad, HTML)</description>
           <department><name/></department> <location><name/></location> (the employer's
           label: "Amsterdam", "Remote", "Hybrid - London") <type><name/></type> ("Full-time")
           <salary_indication/> (display text, "€4,000 - €5,000 per month", or "£ per year"
           with no amount) <updated>2026-07-21 11:34:15</updated></entry>...</feed>
      the whole board in one answer, unpaged; 404 "Company not found" for an unknown name.
Every element is in the Atom namespace (the feed's default), so they are read namespace-blind.

What is carried: title, job page, id, location (every <location> name) and the places it names
(no country is stated: a label is read as places), workplace from the label's words ("Remote",
"Hybrid"), employment type, department, the description, and the salary indication as a
"Salary" section of it (display text, sometimes without an amount: not structured pay). Not
stated: a posting date (<updated> is when the vacancy was last edited, not published), a
country, a structured workplace or structured pay.

Careers URLs: {company}.homerun.co[/{slug}[/{lang}[/apply]]], and the feed itself
(feed.homerun.co/{company}). Reserved hosts: www, feed, api, app, the CDNs, help. Boards on a
company's own domain are not recognised (their feed is keyed by the Homerun subdomain).
Mirror mapping: `root` replaces https://feed.homerun.co, so the feed is {root}/{company}.

Sources:
- public feed readers found by code search: a TypeScript source reading feed.homerun.co/<token>
  (Atom; the board's static HTML has no job links; entry title, alternate link, department /
  location / type as <name> children, description or summary, 404 / 410 as a gone board); a
  provider with completeListing for the same feed reading author/name, salary_indication and
  noting that `updated` is an edit time, not publication; a scraper test with a full Atom
  sample (job_AAAA1111 ids, <updated>2026-04-13 08:46:19</updated>, location "Remote"); an
  investigation table (feed linked from every career page, 404 "Company not found", full
  HTML, location/name free text, no country, no remote field); a real entry quoted in notes
  (id job_Kn8xX76scpWFSwBrWpGA, https://ustwo-games.homerun.co/senior-environment-artist,
  salary_indication "£ per year" with no number, updated "2026-07-21 11:34:15")
- a sitemap-based reader's tests (job pages {company}.homerun.co/{slug}, /{slug}/{lang}/apply)
- the key-gated API's test fixture (api.homerun.co/v2/vacancies: salary_indication as an
  object there, which the feed does not carry)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree

from tasks.fetch.sources.common import (
    api_base,
    employment_type,
    get_xml,
    host_of,
    html_to_text,
    no_board,
    parse_xml,
    places,
    remote_policy,
    segments,
    stated_places,
    subdomain,
    to_postings,
    xml_text,
)
from tasks.models import Company, Posting, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.homerun
HOSTS = frozenset({".homerun.co"})
FEED = "https://feed.homerun.co"
# Homerun's own hosts: the marketing site, the feed, the app and API, CDNs, help and docs.
_NOT_COMPANIES = frozenset(
    {
        "www",
        "feed",
        "feeds",
        "api",
        "app",
        "cdn",
        "static",
        "assets",
        "media",
        "help",
        "support",
        "status",
        "blog",
        "developers",
        "embed",
        "widget",
    }
)


def _company(url: str) -> str | None:
    """The company's Homerun name: the board's subdomain, or the feed's path."""
    if host_of(url) == "feed.homerun.co":
        path = segments(url)
        return path[0].lower() if path else None
    return subdomain(url, ".homerun.co", _NOT_COMPANIES)


def board_url(url: str) -> str | None:
    company = _company(url)
    return f"https://{company}.homerun.co/" if company else None


def api_url(careers_url: str, root: str | None = None) -> str:
    company = _company(careers_url)
    if not company:
        raise no_board(SOURCE, "company subdomain", careers_url)
    return f"{api_base(root, FEED)}/{company}"


def _names(entry: etree._Element, tag: str) -> list[str]:
    """The <name> of every `tag` child (or its own text, where it has no <name>)."""
    found = []
    for element in entry.findall(f"{{*}}{tag}"):
        if text := xml_text(element, "{*}name") or (element.text or "").strip():
            found.append(text)
    return found


def _link(entry: etree._Element) -> str | None:
    links = entry.findall("{*}link")
    alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
    return next((link.get("href").strip() for link in alternate + links if link.get("href")), None)


def _entry(entry: etree._Element) -> dict:
    located = _names(entry, "location")
    text = xml_text(entry, "{*}description") or xml_text(entry, "{*}content")
    text = html_to_text(text or xml_text(entry, "{*}summary") or "")
    pay = xml_text(entry, "{*}salary_indication")
    location = places(*located)
    return {
        "external_id": xml_text(entry, "{*}id"),
        "title": xml_text(entry, "{*}title") or "",
        "url": _link(entry) or "",
        "location": location,
        "locations": stated_places(*located),
        "remote": next(filter(None, map(remote_policy, located)), None),
        "employment_type": next(filter(None, map(employment_type, _names(entry, "type"))), None),
        "department": next(iter(_names(entry, "department")), None),
        # Pay as the employer words it ("£ per year" when no amount is shown).
        "description": "\n\n".join(part for part in (text, pay and f"Salary\n{pay}") if part),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    entries = parse_xml(payload, SOURCE, "feed").findall("{*}entry")
    return to_postings([_entry(entry) for entry in entries], company, SOURCE, dict)


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    return parse(await get_xml(fetcher, url), company)
