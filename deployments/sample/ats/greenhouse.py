"""Greenhouse Job Board API.

  GET /greenhouse/v1/boards/{token}/jobs[?content=true]
  GET /greenhouse/v1/boards/{token}/jobs/{id}[?pay_transparency=true]

Pay ranges come only from one job's detail, and only boards named "paid..." publish them.
Boards created before Greenhouse added `first_published` lack it: every third job here does.
"""

import html
import re
from datetime import timedelta
from typing import Any

from deployments.sample.ats.boards import NAME, board, flag
from deployments.sample.jobs import Job, blocks_html, iso_time
from deployments.sample.reply import Reply


def greenhouse_payload(slug: str, jobs: list[Job], content: bool) -> dict:
    items = []
    for job in jobs:
        location = f"Remote - {job.country}" if job.remote == "remote" else job.location
        item: dict[str, Any] = {
            "id": job.number,
            "internal_job_id": job.number - 1_500_000,
            "title": job.title,
            "absolute_url": f"https://boards.greenhouse.io/{slug}/jobs/{job.number}",
            "location": {"name": location},
            "updated_at": iso_time(job.posted_at + timedelta(days=2), -4),
            "requisition_id": f"REQ-{job.number % 10_000:04d}",
            "company_name": job.company,
            "metadata": None,
        }
        if job.n % 3:  # boards created before Greenhouse added first_published lack it
            item["first_published"] = iso_time(job.posted_at, -4)
        if content:
            item["content"] = html.escape(blocks_html(job.blocks))
            item["departments"] = [
                {"id": 40_000 + job.n, "name": job.department, "parent_id": None, "child_ids": []}
            ]
            item["offices"] = [
                {
                    "id": 50_000 + job.n,
                    "name": job.city,
                    "location": f"{job.city}, {job.region}, {job.country}",
                    "parent_id": None,
                    "child_ids": [],
                }
            ]
        items.append(item)
    return {"jobs": items, "meta": {"total": len(items)}}


def _greenhouse(site: Any, query: dict, body: bytes, token: str) -> Reply:
    return Reply.json(greenhouse_payload(token, board(site, token), flag(query, "content")))


def _greenhouse_job(site: Any, query: dict, body: bytes, token: str, number: str) -> Reply:
    """One job; with ?pay_transparency=true its pay ranges, which only boards named "paid..."
    publish."""
    jobs = board(site, token)
    items = greenhouse_payload(token, jobs, content=True)["jobs"]
    found = [
        (job, item) for job, item in zip(jobs, items, strict=True) if item["id"] == int(number)
    ]
    if not found:
        return Reply.json({"status": 404, "error": "Job not found"}, status=404)
    [(job, item)] = found
    if flag(query, "pay_transparency"):
        pay = job.pay if token.startswith("paid") else None
        kind = {"hour": "Hourly", "month": "Monthly"}.get(pay.period, "Salary") if pay else ""
        item["pay_input_ranges"] = (
            [
                {
                    "min_cents": pay.min * 100,
                    "max_cents": pay.max * 100,
                    "currency_type": pay.currency,
                    "title": f"{job.city} {kind} Range",
                    "blurb": "In order to provide transparency, we share the pay range.",
                }
            ]
            if pay
            else []
        )
    return Reply.json(item)


ROUTES = [
    ("GET", re.compile(rf"/greenhouse/v1/boards/{NAME}/jobs/?"), _greenhouse),
    ("GET", re.compile(rf"/greenhouse/v1/boards/{NAME}/jobs/(\d+)/?"), _greenhouse_job),
]
