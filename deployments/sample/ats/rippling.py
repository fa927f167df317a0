"""Rippling job board API (v2).

  GET /rippling/platform/api/ats/v2/board/{slug}/jobs[?page&pageSize&groupJobsByLocation]
  GET /rippling/platform/api/ats/v2/board/{slug}/jobs/{id}             one posting, its text

The list pages from page 0, caps `pageSize` at 1000 (the default of 20 is the sample's guess)
and states `totalItems` and `totalPages`; it has no text, date or pay. Without
`groupJobsByLocation=true` a posting open in two places (job 1, also in Lisbon) is listed once
per place, rows sharing one id. The detail's `employmentType` has the code in `label` and the
company's words in `id`; `createdOn` carries a UTC offset and microseconds; pay comes as one
band per place in `payRangeDetails` ([] where none is published). An unknown id answers 404.
"""

import re
from datetime import timedelta, timezone
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, flag, int_param
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply

_PATH = "/rippling/platform/api/ats/v2/board"
_WORKPLACE = {"onsite": "ON_SITE", "hybrid": "HYBRID", "remote": "REMOTE"}
_EMPLOYMENT = {
    "full_time": ("SALARIED_FT", "Salaried, full-time"),
    "part_time": ("HOURLY_PT", "Hourly, part-time"),
    "contract": ("CONTRACTOR", "Contractor"),
    "temporary": ("TEMP", "Temporary"),
    "internship": ("INTERN", "Intern"),
}


def _place(job: Job, city: str, region: str, country: str, code: str) -> dict:
    remote = job.remote == "remote"
    return {
        # Rippling names a remote place by its region: "Remote (Connecticut, US)".
        "name": f"Remote ({region}, {code})" if remote else f"{city}, {region}",
        "city": None if remote else city,
        "state": region,
        "country": country,
        "countryCode": code,
        "workplaceType": _WORKPLACE[job.remote],
    }


def _places(job: Job) -> list[dict]:
    found = [_place(job, job.city, job.region, job.country, job.country_code)]
    if job.n == 1:
        found.append(_place(job, *SECOND_OFFICE))
    return found


def _row(slug: str, job: Job, places: list[dict]) -> dict:
    return {
        "id": job.uid,
        "name": job.title,
        "url": f"https://ats.rippling.com/{slug}/jobs/{job.uid}",
        "department": {"name": job.department},
        "locations": places,
    }


def _detail(slug: str, job: Job) -> dict:
    intro, *rest = job.blocks
    places = _places(job)
    pay = job.pay
    label, words = _EMPLOYMENT[job.employment]
    created = job.posted_at.astimezone(timezone(timedelta(hours=-7)))
    return {
        "uuid": job.uid,
        "name": job.title,
        "url": f"https://ats.rippling.com/{slug}/jobs/{job.uid}",
        "companyName": job.company,
        "board": {"slug": slug, "boardURL": f"https://ats.rippling.com/{slug}/jobs"},
        "description": {"company": blocks_html([intro]), "role": blocks_html(rest)},
        "employmentType": {"label": label, "id": words},
        "createdOn": created.isoformat(timespec="microseconds"),
        "workLocations": [place["name"] for place in places],
        "department": {
            "name": job.team,
            "base_department": job.department,
            "department_tree": [job.department, job.team],
        },
        "payRangeDetails": [
            {
                "location": place["name"],
                "currency": pay.currency,
                "frequency": pay.period.upper(),
                "rangeStart": float(pay.min),
                "rangeEnd": float(pay.max),
                "isRemote": job.remote == "remote",
            }
            for place in places
        ]
        if pay
        else [],
        "unlistedFromSearch": False,
        "jsonLd": None,
    }


def _list(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    jobs = board(site, slug)
    if flag(query, "groupJobsByLocation"):
        rows = [_row(slug, job, _places(job)) for job in jobs]
    else:
        rows = [_row(slug, job, [place]) for job in jobs for place in _places(job)]
    page = max(0, int_param(query, "page", 0))
    size = min(max(1, int_param(query, "pageSize", 20)), 1000)
    return Reply.json(
        {
            "items": rows[page * size : (page + 1) * size],
            "page": page,
            "pageSize": size,
            "totalItems": len(rows),
            "totalPages": -(-len(rows) // size),
        }
    )


def _job(site: Any, query: dict, body: bytes, slug: str, job_id: str) -> Reply:
    job = next((j for j in board(site, slug) if j.uid == job_id), None)
    if job is None:
        gone = {"error_code": "RESOURCE_NOT_FOUND", "message": "Job not found", "resource": None}
        return Reply.json(gone, status=404)
    return Reply.json(_detail(slug, job))


ROUTES = [
    ("GET", re.compile(rf"{_PATH}/{NAME}/jobs/?"), _list),
    ("GET", re.compile(rf"{_PATH}/{NAME}/jobs/([0-9a-f-]+)/?"), _job),
]
