"""Gem job boards, read through Gem's public Job Board API (no key).

Endpoint: GET https://api.gem.com/job_board/v0/{vanity_url_path}/job_posts/ (Gem's API reference,
api.gem.com/job_board/v0/reference: "job board information can be read by anyone using your job
board's vanity URL path", and "The Job Board API does not use pagination"). The whole board comes
in one answer, a JSON list shaped like Greenhouse's job posts: `[{"id" (an opaque string,
"am9icG9zdDp..."), "title", "absolute_url" (https://jobs.gem.com/{board}/{id}), "content" (HTML),
"content_plain", "location": {"name"}, "offices": [{"id", "name", "location": {"name"}}],
"departments": [{"id", "name", "parent_id", "child_ids"}], "location_type" ("in_office",
"hybrid", "remote"), "employment_type" ("full_time", "part_time", "contract", "temporary",
"intern", "volunteer"), "first_published_at", "created_at", "updated_at" (ISO 8601, UTC),
"requisition_id", "internal_job_id"}]`.

A post's places are its `location` and every office's location (a post whose location is a label
such as "Global" still names its offices). The posting date is `first_published_at` (else
`created_at`; `updated_at` is no posting date). Gem has no structured pay field in the sources
read: pay is prose in the description, where it stays; `pay_input_ranges` (Greenhouse's pay
transparency shape, `[{"min_cents", "max_cents", "currency_type", "title"}]`), which one public
client reads from Gem, is carried where a post has it. The requisition id names no Posting field.

Careers URLs: jobs.gem.com/{board}[/{id}] (the board is Gem's "vanity URL path", kept as written)
and the API URL itself. Mirror mapping: `root` replaces https://api.gem.com, so the API is
{root}/job_board/v0/{board}/job_posts/.

Sources:
- colophon-group/jobseek apps/crawler/src/core/monitors/gem.py (the endpoint, one request, no
  pagination; absolute_url, content, location.name, offices[].location.name, departments,
  employment_type and location_type codes, first_published_at) and its tests (offices with
  {"name", "location": {"name"}}, "2025-11-24T14:56:56.569Z")
- kalil0321/ats-scrapers src/ats_scrapers/scrapers/gem.py (jobs.gem.com/{board}; it reads the
  board page's GraphQL instead, whose fields match: employmentType, locationType, department,
  firstPublishedTsSec, requisitionId)
- Gem help center, "The Job Board API" (help.gem.com): the hosted board, the embed, the API
- public client code and fixtures found by code search: posts with "location_type": "in_office",
  "requisition_id", "updated_at", "content_plain", ids like "am9icG9zdDpleGFtcGxl", a post whose
  location is "Global" with an office in San Francisco; an employment_type enum of contract /
  full_time / intern / part_time / temporary; a client reading pay_input_ranges
"""

import html
from typing import Any
from urllib.parse import quote, unquote

from tasks.fetch.sources.common import (
    api_base,
    describe,
    employment_type,
    html_to_text,
    no_board,
    number,
    on_hosts,
    parse_datetime,
    remote_policy,
    salary_period,
    salary_range,
    segments,
    single_json,
    stated_places,
    text_of,
    to_postings,
)
from tasks.models import Company, Posting, Salary, SalaryPeriod, Source

SOURCE = Source.gem
HOSTS = frozenset({"jobs.gem.com"})
_API_HOSTS = frozenset({"api.gem.com"})
# First path segments of jobs.gem.com that name no board.
_NOT_BOARDS = frozenset({"api", "www", "app", "docs", "help", "support", "static", "assets"})


def _board(url: str, any_host: bool = False) -> str | None:
    """The board's vanity path in a board, job or API URL (`any_host`: the API path on a mirror)."""
    parts = [unquote(part) for part in segments(url)]
    if any_host or on_hosts(url, _API_HOSTS):
        for i, part in enumerate(parts[:-2]):
            if (part, parts[i + 1]) == ("job_board", "v0"):
                return parts[i + 2]
        return None
    if not on_hosts(url, HOSTS) or not parts or parts[0].lower() in _NOT_BOARDS:
        return None
    return parts[0]


def board_url(url: str) -> str | None:
    board = _board(url)
    return f"https://jobs.gem.com/{quote(board)}" if board else None


def api_url(careers_url: str, root: str | None = None) -> str:
    board = _board(careers_url)
    if not board:
        raise no_board(SOURCE, "board path", careers_url)
    return f"{api_base(root, 'https://api.gem.com')}/job_board/v0/{quote(board)}/job_posts/"


def _name(value: Any) -> str | None:
    """A place's name: {"name": ...} in Gem's posts, a bare string in Greenhouse-like ones."""
    return text_of(value.get("name")) if isinstance(value, dict) else text_of(value)


def _offices(job: dict) -> list[str]:
    offices = [o for o in job.get("offices") or [] if isinstance(o, dict)]
    return [name for o in offices if (name := _name(o.get("location")) or _name(o.get("name")))]


def _location(job: dict) -> str | None:
    return _name(job.get("location")) or "; ".join(dict.fromkeys(_offices(job))) or None


def _department(job: dict) -> str | None:
    named = [d for d in job.get("departments") or [] if isinstance(d, dict) and _name(d)]
    leaves = [d for d in named if not d.get("child_ids")]  # the most specific department
    return _name((leaves or named)[0]) if named else None


def _salary(job: dict) -> Salary | None:
    """A pay transparency range (in cents) where the post has one; a year's pay unless its
    title names another period."""
    for pay in job.get("pay_input_ranges") or []:
        if not isinstance(pay, dict):
            continue
        low, high = number(pay.get("min_cents")), number(pay.get("max_cents"))
        period = salary_period(pay.get("title")) or SalaryPeriod.year
        found = salary_range(
            low and low / 100, high and high / 100, pay.get("currency_type"), period
        )
        if found:
            return found
    return None


def _description(job: dict) -> str:
    markup = str(job.get("content") or "")
    if "<" not in markup and "&lt;" in markup:  # entity-escaped, as Greenhouse sends it
        markup = html.unescape(markup)
    return html_to_text(markup) or str(job.get("content_plain") or "").strip()


def _fields_of(board_page: str | None):
    def fields(job: dict) -> dict:
        url = text_of(job.get("absolute_url"))
        if not url and board_page and job.get("id") is not None:
            url = f"{board_page}/{quote(str(job['id']))}"
        return {
            "title": str(job.get("title") or ""),
            "url": url or "",
            "location": _location(job),
            "locations": stated_places(_name(job.get("location")), *_offices(job)),
            "department": _department(job),
            "description": _description(job),
            "posted_at": parse_datetime(job.get("first_published_at"))
            or parse_datetime(job.get("created_at")),
            "remote": remote_policy(job.get("location_type")),
            "employment_type": employment_type(job.get("employment_type")),
            "salary": _salary(job),
        }

    return fields


def _board_page(company: Company) -> str | None:
    """https://jobs.gem.com/{board}, where a post's page is when it names none."""
    if company.api_url and (board := _board(str(company.api_url), any_host=True)):
        return f"https://jobs.gem.com/{quote(board)}"
    return board_url(str(company.careers_url))


def parse(payload: Any, company: Company) -> list[Posting]:
    if not isinstance(payload, list):
        raise ValueError(f"{SOURCE}: expected a JSON list of job posts, got {describe(payload)}")
    return to_postings(payload, company, SOURCE, _fields_of(_board_page(company)))


fetch = single_json(parse)
