"""Recruitee Careers Site API.

  GET /recruitee/{company}/api/offers/

Recruitee sends salary amounts as strings and its dates as "2025-10-20 10:11:12 UTC".
"""

import re
from datetime import UTC, timedelta
from typing import Any

from deployments.sample.ats.boards import NAME, ad_sections, board, slugify
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply

_RECRUITEE_TYPE = {
    "full_time": "fulltime_permanent",
    "part_time": "parttime_permanent",
    "contract": "freelance",
    "temporary": "fulltime_fixed_term",
    "internship": "internship",
}


def _recruitee_time(moment: Any) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _recruitee_offer(slug: str, job: Job) -> dict:
    offer_slug = f"{slugify(job.title).lower()}-{job.n}"
    careers = f"https://{slug}.recruitee.com/o/{offer_slug}"
    (_, intro), (_, role), (_, needs), (_, extra) = ad_sections(job)
    pay = job.pay
    hours = 20 if job.employment == "part_time" else 40
    return {
        "id": job.number,
        "slug": offer_slug,
        "title": job.title,
        "status": "published",
        "position": job.n,
        "department": job.department,
        "location": f"{job.city}, {job.country}",
        "city": job.city,
        "country": job.country,
        "country_code": job.country_code,
        "state_code": None,
        "postal_code": None,
        "remote": job.remote == "remote",
        "hybrid": job.remote == "hybrid",
        "on_site": job.remote == "onsite",
        "careers_url": careers,
        "careers_apply_url": f"{careers}/c/new",
        "description": intro + role + extra,
        "requirements": needs,
        "employment_type_code": _RECRUITEE_TYPE[job.employment],
        "experience_code": "entry_level" if job.level in ("intern", "junior") else "experienced",
        "education_code": "bachelor_degree",
        "category_code": "it",
        "min_hours": hours,
        "max_hours": hours,
        "published_at": _recruitee_time(job.posted_at),
        "created_at": _recruitee_time(job.posted_at - timedelta(days=1)),
        "updated_at": _recruitee_time(job.posted_at + timedelta(days=1)),
        "close_at": None,
        "salary": {
            "min": f"{pay.min:.2f}" if pay else None,
            "max": f"{pay.max:.2f}" if pay else None,
            "currency": pay.currency if pay else None,
            "period": pay.period if pay else None,
        },
        "locations": [{"city": job.city, "country": job.country, "country_code": job.country_code}],
        "tags": [job.team],
        "company_name": job.company,
    }


def _recruitee(site: Any, query: dict, body: bytes, company: str) -> Reply:
    return Reply.json({"offers": [_recruitee_offer(company, job) for job in board(site, company)]})


ROUTES = [
    ("GET", re.compile(rf"/recruitee/{NAME}/api/offers/?"), _recruitee),
]
