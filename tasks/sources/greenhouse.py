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

from pydantic import ValidationError

from tasks.models import Company, Posting, Source
from tasks.sources.text import html_to_text, parse_datetime

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


def parse(payload: Any, company: Company) -> list[Posting]:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        got = type(payload).__name__
        if isinstance(payload, dict):
            got += f" with keys {sorted(payload)[:5]}"
        raise ValueError(f"greenhouse: expected a JSON object with a 'jobs' list, got {got}")
    postings = []
    for job in payload["jobs"]:
        if not isinstance(job, dict):
            logger.warning("greenhouse %s: skipping a job that is not an object", company.name)
            continue
        title, url = str(job.get("title") or "").strip(), str(job.get("absolute_url") or "").strip()
        if not title or not url:
            logger.warning(
                "greenhouse %s: skipping job %s without title or URL", company.name, job.get("id")
            )
            continue
        location = job.get("location")
        try:
            posting = Posting(
                company_id=company.company_id,
                company=company.name,
                source=Source.greenhouse,
                title=title,
                url=url,
                external_id=str(job["id"]) if job.get("id") is not None else None,
                location=(location.get("name") or None) if isinstance(location, dict) else None,
                department=_department(job),
                # content is escaped once ("&lt;p&gt;"): unescape to HTML, then strip the tags.
                description=html_to_text(html.unescape(job.get("content") or "")),
                # first_published is the posting date; older boards only give updated_at.
                posted_at=parse_datetime(job.get("first_published"))
                or parse_datetime(job.get("updated_at")),
            )
        except ValidationError as exc:  # one odd posting must not sink the board
            logger.warning("greenhouse %s: skipping job %s: %s", company.name, job.get("id"), exc)
            continue
        postings.append(posting)
    return postings
