"""Gem Job Board API.

  GET /gem/job_board/v0/{board}/job_posts/

The whole board in one JSON list, unpaged (Gem's API does not page). Post ids are opaque
base64 strings; `location_type` says in_office / hybrid / remote and `employment_type` spells an
internship "intern"; dates are UTC with milliseconds. Each post names its place in `location` and
again in its offices (job 1 has a second office, in Lisbon); pay is prose in `content` only.
"""

import base64
import re
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board
from deployments.sample.jobs import Job, blocks_html, blocks_text
from deployments.sample.reply import Reply

_LOCATION_TYPE = {"onsite": "in_office", "hybrid": "hybrid", "remote": "remote"}
_EMPLOYMENT = {"internship": "intern"}  # the other types are spelled as the sample spells them


def gem_id(job: Job) -> str:
    return base64.b64encode(f"jobpost:{job.uid}".encode()).decode().rstrip("=")


def _stamp(job: Job) -> str:
    return job.posted_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _office(n: int, city: str, country: str) -> dict:
    return {"id": f"office-{n}", "name": city, "location": {"name": f"{city}, {country}"}}


def _post(slug: str, job: Job) -> dict:
    offices = [_office(job.n, job.city, job.country)]
    if job.n == 1:
        offices.append(_office(0, SECOND_OFFICE[0], SECOND_OFFICE[2]))
    post_id = gem_id(job)
    return {
        "id": post_id,
        "title": job.title,
        "absolute_url": f"https://jobs.gem.com/{slug}/{post_id}",
        "content": blocks_html(job.blocks),
        "content_plain": blocks_text(job.blocks),
        "location": {"name": f"{job.city}, {job.country}"},
        "offices": offices,
        "departments": [
            {"id": f"dept-{job.n}", "name": job.department, "parent_id": None, "child_ids": []}
        ],
        "location_type": _LOCATION_TYPE[job.remote],
        "employment_type": _EMPLOYMENT.get(job.employment, job.employment),
        "created_at": _stamp(job),
        "first_published_at": _stamp(job),
        "updated_at": _stamp(job),
        "requisition_id": f"REQ-{job.n:03d}",
        "internal_job_id": f"job-{job.number}",
    }


def _gem(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    return Reply.json([_post(slug, job) for job in board(site, slug)])


ROUTES = [
    ("GET", re.compile(rf"/gem/job_board/v0/{NAME}/job_posts/?"), _gem),
]
