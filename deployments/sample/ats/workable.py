"""Workable widget API.

  GET /workable/api/v1/widget/accounts/{account}[?details=true]

Workable lists a job open in two places once per place, and hides one place of another job.
"""

import re
from datetime import timedelta
from typing import Any

from deployments.sample.ats.boards import (
    COMMITMENT,
    LEVELS,
    NAME,
    SECOND_OFFICE,
    ad_sections,
    board,
    flag,
)
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply


def workable_code(job: Job) -> str:
    return job.uid.replace("-", "")[:10].upper()


def workable_payload(slug: str, jobs: list[Job], details: bool) -> dict:
    rows = []
    for job in jobs:
        code = workable_code(job)
        places = [(job.city, job.region, job.country, job.country_code, False)]
        if job.n == 1:  # open in two places: listed once per place
            places.append((*SECOND_OFFICE, False))
        if job.n == 2:  # a place the employer chose not to show
            places.append(("", None, "Germany", "DE", True))
        row: dict[str, Any] = {
            "title": job.title,
            "shortcode": code,
            "code": "",
            "employment_type": COMMITMENT[job.employment],
            "telecommuting": job.remote == "remote",
            "department": job.department,
            "url": f"https://apply.workable.com/j/{code}",
            "shortlink": f"https://apply.workable.com/j/{code}",
            "application_url": f"https://apply.workable.com/j/{code}/apply",
            "published_on": job.posted_at.date().isoformat(),
            "created_at": (job.posted_at - timedelta(days=1)).date().isoformat(),
            "country": job.country,
            "city": job.city,
            "state": job.region,
            "education": "",
            "experience": LEVELS.get(job.level, "Mid-Senior Level"),
            "function": job.department,
            "industry": "Computer Software",
            "locations": [
                {"country": n, "countryCode": cc, "city": c, "region": r, "hidden": hidden}
                for c, r, n, cc, hidden in places
            ],
        }
        if details:
            (_, intro), (_, role), (_, needs), (_, extra) = ad_sections(job)
            row |= {"description": intro + role, "requirements": needs, "benefits": extra}
        rows.extend([row] * (len(places) if job.n == 1 else 1))
    return {"name": jobs[0].company if jobs else slug, "description": None, "jobs": rows}


def _workable(site: Any, query: dict, body: bytes, account: str) -> Reply:
    return Reply.json(workable_payload(account, board(site, account), flag(query, "details")))


ROUTES = [
    ("GET", re.compile(rf"/workable/api/v1/widget/accounts/{NAME}/?"), _workable),
]
