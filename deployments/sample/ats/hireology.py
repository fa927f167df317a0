"""Hireology careers API and the career page that mints its token.

  GET /hireology/{slug}                                      the career page, with startingData
  GET /hireology/v2/public/careers/{slug}[?page&page_size]   the careers API, paged from 1

The page carries `var startingData = {"apiUrl", "apiToken", "careersPath"}` (the anonymous
token the API is called with). The API answers {"data", "count", "page", "page_size"}; pages
start at 1 and `page_size` is kept up to 1,000. Ids are numbers, pay amounts strings ("25.0"),
with a single amount where `is_comp_range` is false and "0.0" where no pay is published; places
name no country; the list holds one row more whose status is "Closed". The API refuses (401) a
request without the page's token, and a board whose name starts with "nopage" has no career
page (404).
"""

import json
import re
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, int_param
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, html_page, not_found

_HIREOLOGY_STATUS = {
    "full_time": "Full Time",
    "part_time": "Part Time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Intern",
}
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImNhcmVlcnMifQ.c2FtcGxl"


def hireology_id(job: Job) -> int:
    return 2_800_000 + job.number % 100_000


def _compensation(job: Job) -> dict:
    pay = job.pay
    if pay is None:
        amounts = {"comp_single_amount": "0.0", "comp_range_min": "0.0", "comp_range_max": "0.0"}
        return {"is_comp_range": False, **amounts, "comp_period": None, "comp_frequency": None}
    ranged = pay.max != pay.min
    return {
        "is_comp_range": ranged,
        "comp_single_amount": "0.0" if ranged else f"{pay.min:.1f}",
        "comp_range_min": f"{pay.min:.1f}" if ranged else "0.0",
        "comp_range_max": f"{pay.max:.1f}" if ranged else "0.0",
        "comp_period": pay.period,
        "comp_frequency": "weekly" if pay.period == "hour" else "biweekly",
    }


def _job(slug: str, job: Job, status: str = "Open") -> dict:
    job_id = hireology_id(job)
    places = [{"address": f"{job.n} Main Street", "city": job.city, "state": job.region}]
    if job.n == 1:
        city, region, _, _ = SECOND_OFFICE
        places.append({"address": None, "city": city, "state": region})
    return {
        "id": job_id,
        "name": job.title,
        "status": status,
        "created_at": job.posted_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "employment_status": _HIREOLOGY_STATUS[job.employment],
        "job_description": blocks_html(job.blocks),
        "locations": [place | {"zip_code": f"{10_000 + job.n}"} for place in places],
        "remote": job.remote == "remote",
        "blind_posted": False,
        "job_family": {"id": 9_000 + len(job.department), "name": job.department},
        "career_site_url": f"https://careers.hireology.com/{slug}/{job_id}/description",
        "application_path": f"/careers/{job_id}/application",
        "organization": {"id": 21_165, "name": f"{job.company} {job.city}", "type": "Location"},
        "compensation": _compensation(job),
    }


def _careers_page(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    if slug.startswith("nopage"):
        return not_found(f"/hireology/{slug}")
    data = {"apiUrl": "https://api.hireology.com/v2", "apiToken": TOKEN, "careersPath": slug}
    script = f"<script>var startingData = {json.dumps(data)};</script>"
    return Reply.html(html_page(f"Jobs for {slug}", '<div id="root"></div>', head=script))


def _careers(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    if site.request_headers.get("authorization") != f"Bearer {TOKEN}":
        return Reply.json({"errors": ["Unauthorized"]}, status=401)
    jobs = board(site, slug, extra=1)
    rows = [_job(slug, job) for job in jobs[:-1]] + [_job(slug, jobs[-1], status="Closed")]
    page = max(1, int_param(query, "page", 1))
    size = min(max(1, int_param(query, "page_size", 25)), 1000)
    data = rows[(page - 1) * size : page * size]
    return Reply.json({"data": data, "count": len(rows), "page": page, "page_size": size})


ROUTES = [
    ("GET", re.compile(rf"/hireology/v2/public/careers/{NAME}/?"), _careers),
    ("GET", re.compile(rf"/hireology/{NAME}/?"), _careers_page),
]
