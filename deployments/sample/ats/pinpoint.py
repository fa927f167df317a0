"""Pinpoint postings JSON.

  GET /pinpoint/{tenant}/postings.json

Pinpoint states no posting date and sends pay only where `compensation_visible`.
"""

import re
from typing import Any

from deployments.sample.ats.boards import NAME, ad_sections, board
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply

# Pinpoint has no plain contract code: "contract_temp" is its Contract / Temp.
_PINPOINT_TYPE = {
    "full_time": "permanent_full_time",
    "part_time": "permanent_part_time",
    "contract": "contract_temp",
    "temporary": "fixed_term_contract",
    "internship": "internship",
}


def _pinpoint_posting(tenant: str, job: Job) -> dict:
    (_, intro), (_, role), (needs_title, needs), (extra_title, extra) = ad_sections(job)
    pay = job.pay
    return {
        "id": str(job.number),
        "title": job.title,
        "url": f"https://{tenant}.pinpointhq.com/en/postings/{job.uid}",
        "path": f"/en/postings/{job.uid}",
        "description": intro + role,
        "key_responsibilities_header": None,
        "key_responsibilities": "",
        "skills_knowledge_expertise_header": needs_title,
        "skills_knowledge_expertise": needs,
        "benefits_header": extra_title,
        "benefits": extra,
        "location": {
            "id": str(job.n),
            "name": f"{job.city}, {job.region}",
            "city": job.city,
            "province": job.region,
            "postal_code": "",
            "street_address": "",
        },
        "workplace_type": job.remote,
        "workplace_type_text": job.remote.title(),
        "employment_type": _PINPOINT_TYPE[job.employment],
        "employment_type_text": _PINPOINT_TYPE[job.employment].replace("_", " ").title(),
        "compensation": f"{pay.min:,.0f} - {pay.max:,.0f} {pay.currency} / {pay.period}"
        if pay
        else None,
        "compensation_visible": pay is not None,
        "compensation_minimum": pay.min if pay else None,
        "compensation_maximum": pay.max if pay else None,
        "compensation_currency": pay.currency if pay else None,
        "compensation_frequency": pay.period if pay else None,
        "deadline_at": None,
        "reporting_to": None,
        "job": {
            "id": str(job.number + 1),
            "requisition_id": f"REQ-{job.n:04d}",
            "department": {"id": str(job.n), "name": job.department},
            "division": None,
        },
    }


def _pinpoint(site: Any, query: dict, body: bytes, tenant: str) -> Reply:
    return Reply.json({"data": [_pinpoint_posting(tenant, job) for job in board(site, tenant)]})


ROUTES = [
    ("GET", re.compile(rf"/pinpoint/{NAME}/postings\.json"), _pinpoint),
]
