"""Lever Postings API.

  GET /lever/v0/postings/{site}[?mode=json&skip=N&limit=M]

Lever returns everything unless given `limit`.
"""

import html
import re
from typing import Any

from deployments.sample.ats.boards import COMMITMENT, NAME, board, int_param
from deployments.sample.jobs import Job, blocks_html, blocks_text
from deployments.sample.reply import Reply

_LEVER_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "onsite": "on-site"}
_LEVER_INTERVAL = {"year": "per-year-salary", "month": "per-month-salary", "hour": "per-hour-wage"}


def lever_payload(slug: str, jobs: list[Job]) -> list[dict]:
    items = []
    for job in jobs:
        opening, lists, closing = job.blocks[:2], job.blocks[2:4], job.blocks[4:]
        hosted = f"https://jobs.lever.co/{slug}/{job.uid}"
        item: dict[str, Any] = {
            "id": job.uid,
            "text": job.title,
            "hostedUrl": hosted,
            "applyUrl": f"{hosted}/apply",
            "categories": {
                "location": job.location,
                "commitment": COMMITMENT[job.employment],
                "team": job.team,
                "department": job.department,
                "allLocations": [job.location],
            },
            "country": job.country_code,
            "createdAt": int(job.posted_at.timestamp() * 1000),
            "workplaceType": _LEVER_WORKPLACE[job.remote],
            "opening": blocks_html(opening),
            "openingPlain": blocks_text(opening),
            "description": blocks_html(opening),
            "descriptionPlain": blocks_text(opening),
            "descriptionBody": "",
            "descriptionBodyPlain": "",
            "lists": [
                {"text": heading, "content": "".join(f"<li>{html.escape(i)}</li>" for i in items_)}
                for _, heading, items_ in lists
            ],
            "additional": blocks_html(closing),
            "additionalPlain": blocks_text(closing),
        }
        if job.pay:
            item["salaryRange"] = {
                "min": job.pay.min,
                "max": job.pay.max,
                "currency": job.pay.currency,
                "interval": _LEVER_INTERVAL[job.pay.period],
            }
        items.append(item)
    return items


def _lever(site: Any, query: dict, body: bytes, name: str) -> Reply:
    postings = lever_payload(name, board(site, name))
    skip = int_param(query, "skip", 0)
    limit = int_param(query, "limit", len(postings))
    return Reply.json(postings[skip : skip + limit])


ROUTES = [
    ("GET", re.compile(rf"/lever/v0/postings/{NAME}/?"), _lever),
]
