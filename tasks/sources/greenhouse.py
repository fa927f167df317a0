"""Greenhouse job boards, read through the public Job Board API.

Endpoint: GET https://boards-api.greenhouse.io/v1/boards/{board_token}/jobs?content=true
(docs: https://developers.greenhouse.io/job-board.html). The answer is
`{"jobs": [{"id", "title", "absolute_url", "location": {"name"}, "updated_at",
"first_published", "content", "departments": [{"name"}], ...}], "meta": {"total": N}}`, where
`content` is entity-escaped HTML ("&lt;p&gt;..."). Greenhouse states no remote policy, employment
type or salary in structured form, so those stay None for enrichment to infer.
"""

import html
import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tasks.models import Company, Posting, Source
from tasks.sources.common import html_to_text, jobs_of, parse_datetime, to_postings

logger = logging.getLogger(__name__)

HOSTS = frozenset({"boards.greenhouse.io", "job-boards.greenhouse.io"})
API = "https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true"


def api_url(careers_url: str) -> str:
    """boards.greenhouse.io/{token}[/jobs/..] (or the embed form `?for={token}`) -> the API."""
    parts = urlsplit(careers_url)
    segments = [s for s in parts.path.split("/") if s]
    token = (parse_qs(parts.query).get("for") or [""])[0]
    if not token and segments and segments[0] != "embed":
        token = segments[0]
    if not token:
        raise ValueError(f"greenhouse: no board token in careers URL {careers_url!r}")
    return API.format(token=token)


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
    return to_postings(jobs_of(payload, Source.greenhouse), company, Source.greenhouse, _fields)
