"""Welcome to the Jungle organization API, Algolia job search and job API.

  GET  /wttj/api/v1/organizations/{slug}                     the organization, its index slug
  POST /wttj/1/indexes/*/queries                             the job search (Algolia multi-query)
  GET  /wttj/api/v1/organizations/{slug}/jobs/{job slug}     one job, with its text

Quirks of the real APIs kept: the index files a company's jobs under the organization's own
slug, which can differ from its page's (here: underscores for dashes); the search pages from 0,
caps hitsPerPage at 1,000 and serves no hit past the 1,000th of a query (paginationLimitedTo);
it lists a job once per website it is published on (the first job twice); the hits have no
full text; published_at has a UTC offset.
"""

import json
import re
from typing import Any
from urllib.parse import parse_qs

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, slugify
from deployments.sample.jobs import Job, blocks_html, iso_time
from deployments.sample.reply import Reply

PAGINATION_LIMIT = 1000
_CONTRACT = {
    "full_time": "full_time",
    "part_time": "part_time",
    "contract": "freelance",
    "temporary": "temporary",
    "internship": "internship",
}
_REMOTE = {"remote": "fulltime", "hybrid": "partial", "onsite": "no"}
_PERIOD = {"year": "yearly", "month": "monthly", "hour": "hourly"}


def wttj_slug(job: Job) -> str:
    return f"{slugify(job.title).lower()}_{slugify(job.city).lower()}-{job.n}"


def wttj_reference(job: Job) -> str:
    return f"{job.slug[:3].upper()}_{job.number:08d}"


def _indexed(slug: str) -> str:
    return slug.replace("-", "_")


def _offices(job: Job) -> list[dict]:
    places = [(job.city, job.region, job.country, job.country_code)]
    if job.n == 1:
        places.append(SECOND_OFFICE)
    return [
        {"city": city, "state": region, "country": country, "country_code": code}
        for city, region, country, code in places
    ]


def _hit(slug: str, job: Job, website: str) -> dict:
    return {
        "objectID": f"{job.number}-{website}",
        "reference": wttj_reference(job),
        "slug": wttj_slug(job),
        "name": job.title,
        "language": "en",
        "organization": {"slug": _indexed(slug), "name": job.company},
        "website": {"reference": website},
        "summary": job.blocks[0][1],
        "published_at": iso_time(job.posted_at, 2),
        "published_at_timestamp": int(job.posted_at.timestamp()),
        "contract_type": _CONTRACT[job.employment],
        "remote": _REMOTE[job.remote],
        "offices": _offices(job),
    }


def _job(slug: str, job: Job) -> dict:
    intro, role, duties, needs, *rest = job.blocks
    pay = job.pay
    return _hit(slug, job, slug) | {
        "status": "published",
        "description": blocks_html([intro, role, *rest]),
        "key_missions": list(duties[2]),
        "profile": blocks_html([needs]),
        "recruitment_process": None,
        "salary_min": pay.min if pay else None,
        "salary_max": pay.max if pay else None,
        "salary_currency": pay.currency if pay else None,
        "salary_period": _PERIOD[pay.period] if pay else None,
    }


def _hits(slug: str, jobs: list[Job]) -> list[dict]:
    hits = []
    for job in jobs:
        hits.append(_hit(slug, job, slug))
        if job.n == 1:  # also published on WTTJ's own website
            hits.append(_hit(slug, job, "wttj"))
    return hits


def _organization(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    organization = {"slug": _indexed(slug), "reference": slug[:6].upper(), "name": slug.title()}
    return Reply.json({"organization": organization})


def _search(site: Any, query: dict, body: bytes) -> Reply:
    try:
        request = json.loads(body)["requests"][0]
        params = parse_qs(request["params"])
    except (ValueError, KeyError, IndexError, TypeError):
        return Reply.json({"message": "Invalid request"}, status=400)
    match = re.fullmatch(r"organization\.slug:(\S+)", (params.get("filters") or [""])[0])
    size = min(int((params.get("hitsPerPage") or ["20"])[0]), 1000)
    page = int((params.get("page") or ["0"])[0])
    hits = (
        _hits(match[1].replace("_", "-"), board(site, match[1].replace("_", "-"))) if match else []
    )
    start = page * size
    shown = hits[start : min(start + size, PAGINATION_LIMIT)] if start < PAGINATION_LIMIT else []
    result = {
        "hits": shown,
        "nbHits": len(hits),
        "page": page,
        "nbPages": -(-min(len(hits), PAGINATION_LIMIT) // size),
        "hitsPerPage": size,
        "index": request.get("indexName"),
    }
    return Reply.json({"results": [result]})


def _detail(site: Any, query: dict, body: bytes, slug: str, job_slug: str) -> Reply:
    job = next((j for j in board(site, slug) if wttj_slug(j) == job_slug), None)
    if job is None:
        return Reply.json({"error": "not found"}, status=404)
    return Reply.json({"job": _job(slug, job)})


ROUTES = [
    ("GET", re.compile(rf"/wttj/api/v1/organizations/{NAME}/?"), _organization),
    ("POST", re.compile(r"/wttj/1/indexes/\*/queries"), _search),
    ("GET", re.compile(rf"/wttj/api/v1/organizations/{NAME}/jobs/([\w.-]+)/?"), _detail),
]
