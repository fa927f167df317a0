"""Comeet (Spark Hire Recruit) career sites, read through Comeet's public Careers API.

A board is Comeet's hosted careers page https://www.comeet.com/jobs/{slug}/{uid}, the uid the
company's ("43.001", "B1.00D"). The Careers API wants that uid and the company's public token,
which no careers URL shows and which Comeet rotates (a stale one answers 400, "Account uid or
token are not valid"); the hosted careers page carries the current one, in its COMPANY_DATA
("token": a long hex string). So the board's URL here is that page, read once for the token,
and then:
  GET https://www.comeet.co/careers-api/2.0/company/{uid}/positions?token={token}&details=true
      -> [{"uid" ("8A.26E"), "name", "department", "email", "url_comeet_hosted_page",
         "url_active_page" (the company's own page for the position, where it has one),
         "employment_type" ("Full-time", "Part-time", "Internship", ...), "experience_level"
         ("Senior", "Student", ...), "internal_use_custom_id", "picture_url", "time_updated"
         ("2026-09-30T11:04:52Z"), "company_name", "workplace_type" ("On-site", "Hybrid",
         "Remote"), "location": {"name", "country" (a code), "city", "state", "postal_code",
         "street_name", "street_number", "timezone", "is_remote" (deprecated for
         workplace_type)}, "categories": [{"name", "value", "order"}] (the company's own
         fields), "details": [{"name" ("Description", "Requirements"), "value" (HTML),
         "order"}]}]   (a bare array: the whole board, with its text, in one answer)
A position's page is its url_comeet_hosted_page, else its url_active_page.

Stated and carried: title, page, uid, the location (its name, and city / state / country),
workplace (workplace_type, else the old is_remote flag), employment type, department, and the
text: every detail under its name, the experience level and the company's categories as
sections. Not stated: a posting date (time_updated is when the position last changed, so
posted_at stays empty) and pay (the Careers API publishes no salary range).

Careers URLs: www.comeet.com/jobs/{slug}/{uid}[/{position}/{position uid}] (comeet.co too).
Mirror mapping: `root` replaces both https://www.comeet.com and https://www.comeet.co, so the
careers page is {root}/jobs/{slug}/{uid} and the API {root}/careers-api/2.0/....

Sources:
- Comeet's developer documentation, developers.comeet.com: the Careers API overview (endpoint
  https://www.comeet.co/careers-api/2.0, the company UID in the path, the token as a query
  parameter) and the careers position model (every field above; workplace_type "On-site",
  "Hybrid" or "Remote"; location.is_remote deprecated)
- colophon-group/jobseek apps/crawler/src/core/monitors/comeet.py (hosted boards
  www.comeet.com/jobs/{company}/{board id}, the COMPANY_POSITIONS_DATA the page embeds,
  url_comeet_hosted_page / url_active_page, location name / city / state / country, details
  name and value, workplace_type, experience_level, time_updated)
- other public clients found by code search: a TypeScript adapter reading the token from the
  hosted page ("token": "[0-9A-F]{20,}") and calling positions?token=&details=true, rediscovering
  it on 400 / 401 / 403; notes on reading ATSes directly (tokens rotate, a truncated token
  fails; deactivated accounts answer an HTML page); a C# source (a bare array, every position
  with its body; details ordered by `order`; no posting date, only time_updated; is_internal
  positions left out); a Go test with a captured row (uid "8A.26E-E5.60A", employment_type
  "Internship", experience_level "Student")
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from tasks.fetch.sources.common import (
    api_base,
    as_dict,
    describe,
    employment_type,
    join_location,
    no_board,
    on_hosts,
    remote_policy,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, RemotePolicy, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.comeet
HOSTS = frozenset({"comeet.com", "www.comeet.com", "comeet.co", "www.comeet.co"})
_UID = re.compile(r"[0-9A-Fa-f]{2}\.[0-9A-Fa-f]{3}")
_SLUG = re.compile(r"[A-Za-z0-9][\w.-]*")
# COMPANY_DATA's "token" (not a csrf_token or another name ending in it).
_TOKEN = re.compile(r"""(?<![\w-])["']?token["']?\s*[:=]\s*["']([0-9A-Fa-f]{20,})["']""")


def _board(url: str) -> tuple[str, str] | None:
    """(slug, uid) of a hosted careers page or position URL."""
    path = segments(url)
    if not on_hosts(url, HOSTS) or len(path) < 3 or path[0] != "jobs":
        return None
    slug, uid = path[1], path[2]
    return (slug, uid.upper()) if _SLUG.fullmatch(slug) and _UID.fullmatch(uid) else None


def board_url(url: str) -> str | None:
    board = _board(url)
    return f"https://www.comeet.com/jobs/{board[0]}/{board[1]}" if board else None


def api_url(careers_url: str, root: str | None = None) -> str:
    """The hosted careers page, where the token is; the API call follows from it."""
    board = _board(careers_url)
    if not board:
        raise no_board(SOURCE, "company slug and uid", careers_url)
    return f"{api_base(root, 'https://www.comeet.com')}/jobs/{board[0]}/{board[1]}"


def token_of(markup: str) -> str:
    """The Careers API token a hosted careers page carries; ValueError without one."""
    if match := _TOKEN.search(markup):
        return match[1]
    if "deactivated" in markup.lower():
        raise ValueError("comeet: the careers page says the account is deactivated")
    raise ValueError("comeet: expected the careers page's COMPANY_DATA with a token, found none")


# ---------------------------------------------------------------- a position


def _ordered(items: Any) -> list[dict]:
    rows = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    return sorted(rows, key=lambda item: item["order"] if isinstance(item.get("order"), int) else 0)


def _description(job: dict) -> str:
    sections = [(d.get("name"), d.get("value")) for d in _ordered(job.get("details"))]
    sections.append(("Experience Level", text_of(job.get("experience_level"))))
    fields = [
        f"{name}: {value}"
        for c in _ordered(job.get("categories"))
        if (name := text_of(c.get("name"))) and (value := text_of(c.get("value")))
    ]
    sections.append(("Categories", "<br>".join(fields)))
    return sections_text(sections)


def _remote(job: dict, place: dict) -> RemotePolicy | None:
    if policy := remote_policy(job.get("workplace_type")):
        return policy
    return RemotePolicy.remote if place.get("is_remote") is True else None


def _fields(job: dict) -> dict | None:
    if job.get("is_internal") is True:  # not public: never on the company's careers page
        return None
    place = as_dict(job.get("location"))
    parts = {
        "city": place.get("city"),
        "region": place.get("state"),
        "country": place.get("country"),
    }
    named = text_of(place.get("name"))
    return {
        "external_id": text_of(job.get("uid")),
        "title": str(job.get("name") or ""),
        "url": text_of(job.get("url_comeet_hosted_page"))
        or text_of(job.get("url_active_page"))
        or "",
        "location": named or join_location(*parts.values()),
        "locations": stated_places(parts if any(parts.values()) else named),
        "remote": _remote(job, place),
        "employment_type": employment_type(job.get("employment_type")),
        "department": text_of(job.get("department")),
        "description": _description(job),
    }


# ---------------------------------------------------------------- reading a board


def positions_url(page_url: str, token: str) -> str:
    """The Careers API's positions of the board whose hosted page is `page_url`: on
    www.comeet.co, or on a mirror under the root the page is served from."""
    parts = urlsplit(page_url)
    root, _, rest = parts.path.partition("/jobs/")
    uid = rest.split("/")[1]
    host = "www.comeet.co" if on_hosts(page_url, HOSTS) else parts.netloc
    path = f"{root}/careers-api/2.0/company/{uid}/positions"
    query = f"token={token}&details=true"
    return urlunsplit((parts.scheme, host, path, query, ""))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    page = await fetcher.page(url)
    return parse(await fetcher.get_json(positions_url(url, token_of(page.text))), company)


def parse(payload: Any, company: Company) -> list[Posting]:
    if not isinstance(payload, list):
        raise ValueError(f"comeet: expected a JSON array of positions, got {describe(payload)}")
    return to_postings(payload, company, SOURCE, _fields)
