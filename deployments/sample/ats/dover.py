"""Dover careers-page API.

  GET /dover/api/v1/careers-page-slug/{slug}                  the board: {id, slug, name}
  GET /dover/api/v1/careers-page/{client id}                  the same, by client id
  GET /dover/api/v1/careers-page/{client id}/jobs[?limit&offset]   its jobs, paged
  GET /dover/api/v1/job-groups/{client id}/job-groups         its sections (departments)
  GET /dover/api/v1/inbound/application-portal-job/{job id}   one job, its text and pay

A board's client id is a UUID derived from its slug (dover_client_id); the job list pages the
Django REST way ({count, next, previous, results}, limit 300 unless asked otherwise) and has no
text, date or pay. Every board lists one sample job more (`is_sample`), which is no posting and
has no detail here. The detail names its job by id alone, and
states `employment_type` inside `compensation` (null bounds where no pay is published), pay
periods as YEARLY / MONTHLY / HOURLY and `created` with microseconds. Unknown ids answer 404.
"""

import re
import uuid
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, int_param
from deployments.sample.jobs import Job, blocks_html, company_name
from deployments.sample.reply import Reply

_API = "/dover/api/v1"
_WORKPLACE = {"onsite": "ONSITE", "hybrid": "HYBRID", "remote": "REMOTE"}
_LOCATION_TYPE = {"onsite": "IN_OFFICE", "hybrid": "HYBRID", "remote": "REMOTE"}
_EMPLOYMENT = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACT",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
_PERIOD = {"year": "YEARLY", "month": "MONTHLY", "hour": "HOURLY"}
_ID = r"([0-9a-f-]{36})"
# The boards this site has named, by client id, and their jobs by id: Dover's job URLs and
# detail endpoint name no board.
_SLUGS: dict[str, str] = {}
_JOBS: dict[str, tuple[str, Job]] = {}


def dover_client_id(slug: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://app.dover.com/jobs/{slug}"))


def _page(slug: str) -> dict:
    client = dover_client_id(slug)
    _SLUGS[client] = slug
    return {"id": client, "slug": slug, "name": company_name(slug)}


def _place(job: Job, city: str, region: str, country: str, code: str) -> dict:
    return {
        "name": f"{city}, {country}",
        "location_type": _LOCATION_TYPE[job.remote],
        "location_option": {
            "display_name": f"{city}, {country}",
            "city": city,
            "state": region,
            "country": code,
        },
        "is_primary": False,
    }


def _places(job: Job) -> list[dict]:
    found = [_place(job, job.city, job.region, job.country, job.country_code)]
    if job.n == 1:
        found.append(_place(job, *SECOND_OFFICE))
    return found


def _row(job: Job, sample: bool = False) -> dict:
    return {
        "id": job.uid,
        "title": job.title,
        "locations": _places(job),
        "workplace_type": _WORKPLACE[job.remote],
        "is_published": True,
        "is_sample": sample,
    }


def _detail(job: Job) -> dict:
    pay = job.pay
    return {
        "id": job.uid,
        "title": job.title,
        "client_name": job.company,
        "user_provided_description": blocks_html(job.blocks),
        "locations": _places(job),
        "workplace_type": _WORKPLACE[job.remote],
        "created": job.posted_at.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "compensation": {
            "lower_bound": pay.min if pay else None,
            "upper_bound": pay.max if pay else None,
            "currency_code": pay.currency if pay else None,
            "salary_range_type": _PERIOD[pay.period] if pay else None,
            "employment_type": _EMPLOYMENT[job.employment],
        },
        "visa_support": job.n % 2 == 0,
        "active": True,
        "is_private": False,
        "application_questions": [],
    }


def _slug_route(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    return Reply.json(_page(slug))


def _page_route(site: Any, query: dict, body: bytes, client: str) -> Reply:
    if client not in _SLUGS:
        return Reply.json({"detail": "Not found."}, status=404)
    return Reply.json(_page(_SLUGS[client]))


def _jobs_route(site: Any, query: dict, body: bytes, client: str) -> Reply:
    if client not in _SLUGS:
        return Reply.json({"detail": "Not found."}, status=404)
    slug = _SLUGS[client]
    jobs = board(site, slug, extra=1)  # the last one is a sample job
    rows = [_row(job, sample=job is jobs[-1]) for job in jobs]
    for job in jobs[:-1]:
        _JOBS[job.uid] = (slug, job)
    limit = max(1, int_param(query, "limit", 300))
    offset = max(0, int_param(query, "offset", 0))
    path = f"https://app.dover.com/api/v1/careers-page/{client}/jobs"
    after = offset + limit
    return Reply.json(
        {
            "count": len(rows),
            "next": f"{path}?limit={limit}&offset={after}" if after < len(rows) else None,
            "previous": f"{path}?limit={limit}&offset={max(0, offset - limit)}" if offset else None,
            "results": rows[offset:after],
        }
    )


def _groups_route(site: Any, query: dict, body: bytes, client: str) -> Reply:
    if client not in _SLUGS:
        return Reply.json({"detail": "Not found."}, status=404)
    groups: dict[str, list[dict]] = {}
    for job in board(site, _SLUGS[client]):
        groups.setdefault(job.department, []).append({"id": job.uid, "title": job.title})
    return Reply.json(
        [
            {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)), "name": name, "jobs": jobs}
            for name, jobs in groups.items()
        ]
    )


def _detail_route(site: Any, query: dict, body: bytes, job_id: str) -> Reply:
    if job_id not in _JOBS:
        return Reply.json({"detail": "Not found."}, status=404)
    return Reply.json(_detail(_JOBS[job_id][1]))


ROUTES = [
    ("GET", re.compile(rf"{_API}/careers-page-slug/{NAME}/?"), _slug_route),
    ("GET", re.compile(rf"{_API}/careers-page/{_ID}/?"), _page_route),
    ("GET", re.compile(rf"{_API}/careers-page/{_ID}/jobs/?"), _jobs_route),
    ("GET", re.compile(rf"{_API}/job-groups/{_ID}/job-groups/?"), _groups_route),
    ("GET", re.compile(rf"{_API}/inbound/application-portal-job/{_ID}/?"), _detail_route),
]
