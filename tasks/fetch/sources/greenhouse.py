"""Greenhouse job boards, read through the public Job Board API.

Endpoint: GET https://boards-api.greenhouse.io/v1/boards/{board_token}/jobs?content=true
(docs: https://developers.greenhouse.io/job-board.html). The whole board comes in one answer,
`{"jobs": [{"id", "title", "absolute_url", "location": {"name"}, "updated_at",
"first_published", "content", "departments": [{"name"}], ...}], "meta": {"total": N}}`, where
`content` is entity-escaped HTML ("&lt;p&gt;..."). Greenhouse states no remote policy, employment
type or salary in structured form, so those stay None for enrichment to infer.

Careers URLs: boards.greenhouse.io/{token}, job-boards.greenhouse.io/{token}[/jobs/{id}], and the
embed forms boards.greenhouse.io/embed/job_board[/js]?for={token}.
Mirror mapping: `root` replaces https://boards-api.greenhouse.io, the path stays.
"""

import html
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tasks.fetch.sources.common import (
    api_base,
    html_to_text,
    jobs_of,
    no_board,
    on_hosts,
    parse_datetime,
    segments,
    single_json,
    to_postings,
)
from tasks.models import Company, Posting, Source

SOURCE = Source.greenhouse
HOSTS = frozenset({"boards.greenhouse.io", "job-boards.greenhouse.io"})


def _token(url: str) -> str | None:
    if not on_hosts(url, HOSTS):
        return None
    token = (parse_qs(urlsplit(url).query).get("for") or [""])[0]
    path = segments(url)
    if not token and path and path[0] != "embed":
        token = path[0]
    return token or None


def board_url(url: str) -> str | None:
    token = _token(url)
    return f"https://boards.greenhouse.io/{token}" if token else None


def api_url(careers_url: str, root: str | None = None) -> str:
    token = _token(careers_url)
    if not token:
        raise no_board(SOURCE, "board token", careers_url)
    base = api_base(root, "https://boards-api.greenhouse.io")
    return f"{base}/v1/boards/{token}/jobs?content=true"


def _department(job: dict) -> str | None:
    names = [d for d in job.get("departments") or [] if isinstance(d, dict) and d.get("name")]
    leaves = [d for d in names if not d.get("child_ids")]  # the most specific department
    return (leaves or names)[0]["name"] if names else None


def _fields(job: dict) -> dict:
    location = job.get("location")
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("absolute_url") or ""),
        "location": (location.get("name") or None) if isinstance(location, dict) else None,
        "department": _department(job),
        # content is escaped once ("&lt;p&gt;"): unescape to HTML, then strip the tags.
        "description": html_to_text(html.unescape(job.get("content") or "")),
        # first_published is the posting date; older boards only give updated_at.
        "posted_at": parse_datetime(job.get("first_published"))
        or parse_datetime(job.get("updated_at")),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(jobs_of(payload, SOURCE), company, SOURCE, _fields)


fetch = single_json(parse)
