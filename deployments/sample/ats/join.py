"""JOIN careers page and public jobs API.

  GET /join/companies/{slug}                                     careers page, its __NEXT_DATA__
                                                                 naming the company's id
  GET /join/api/public/companies/{id}/jobs[?page&pageSize&locale]  one page of the company's jobs
  GET /join/api/public/jobs/{id}[?locale]                        one job, with its Markdown text

Quirks of the real API kept: the list refuses a pageSize above 5 with 422 and a bare list of
validation errors (the default is 5); pages count from 1 and state `rowCount` and `pageCount`;
pay amounts are in cents, and `salaryFrequency` is "PER_YEAR" even where no amount is entered;
the list has no text, the detail has it as Markdown. The API knows a company by its numeric id
alone, which only its careers page tells.
"""

import html
import json
import re
import zlib
from typing import Any

from deployments.sample.ats.boards import NAME, board, int_param, slugify
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply, html_page

MAX_PAGE_SIZE = 5
_EMPLOYMENT = {
    "full_time": (1, "Full-time"),
    "part_time": (2, "Part-time"),
    "contract": (4, "Freelance"),
    "temporary": (6, "Temporary"),
    "internship": (3, "Internship"),
}
_FREQUENCY = {"year": "PER_YEAR", "month": "PER_MONTH", "hour": "PER_HOUR"}
_companies: dict[int, str] = {}  # the ids the careers pages have named, as the API knows them


def join_company_id(slug: str) -> int:
    return 100_000 + zlib.crc32(slug.encode()) % 900_000


def join_id_param(job: Job) -> str:
    return f"{job.number}-{slugify(job.title).lower()}"


def _markdown(job: Job) -> str:
    parts = []
    for block in job.blocks:
        if block[0] == "p":
            parts.append(block[1])
        else:
            parts.append(f"## {block[1]}\n\n" + "\n".join(f"* {item}" for item in block[2]))
    return "\n\n".join(parts)


def _item(slug: str, job: Job) -> dict:
    kind, label = _EMPLOYMENT[job.employment]
    pay = job.pay
    item = {
        "id": job.number,
        "idParam": join_id_param(job),
        "title": job.title,
        "createdAt": job.posted_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "workplaceType": job.remote.upper(),
        "city": {"cityName": job.city, "countryName": job.country},
        "country": {"name": job.country},
        "employmentType": {"id": kind, "name": label},
        "category": {"id": 200 + job.n % 7, "name": job.department},
        "salaryFrequency": _FREQUENCY[pay.period] if pay else "PER_YEAR",
    }
    if pay:
        item["salaryAmountFrom"] = {"amount": pay.min * 100, "currency": pay.currency}
        item["salaryAmountTo"] = {"amount": pay.max * 100, "currency": pay.currency}
    return item


def _company(slug: str, name: str) -> dict:
    return {"id": join_company_id(slug), "name": name, "domain": slug}


def _page(site: Any, query: dict, body: bytes, slug: str) -> Reply:
    jobs = board(site, slug)
    company_id = join_company_id(slug)
    _companies[company_id] = slug
    name = jobs[0].company if jobs else slug
    state = {
        "company": _company(slug, name),
        "jobs": {
            "items": [_item(slug, job) for job in jobs[:MAX_PAGE_SIZE]],
            "pagination": {"rowCount": len(jobs), "pageCount": -(-len(jobs) // MAX_PAGE_SIZE)},
        },
    }
    data = {"props": {"pageProps": {"initialState": state}}, "page": "/companies/[companyDomain]"}
    script = (
        '<script id="__NEXT_DATA__" type="application/json">'
        + json.dumps(data).replace("</", "<\\/")
        + "</script>"
    )
    heading = f"<h1>Jobs at {html.escape(name)}</h1>"
    return Reply.html(html_page(f"Jobs at {name} | JOIN", heading + script))


def _jobs(site: Any, query: dict, body: bytes, company_id: str) -> Reply:
    slug = _companies.get(int(company_id))
    if slug is None:
        return Reply.json({"message": "Company not found"}, status=404)
    size = int_param(query, "pageSize", MAX_PAGE_SIZE)
    if not 1 <= size <= MAX_PAGE_SIZE:
        return Reply.json([{"param": "pageSize", "msg": "Invalid value"}], status=422)
    page = max(1, int_param(query, "page", 1))
    jobs = board(site, slug)
    items = [_item(slug, job) for job in jobs[(page - 1) * size : page * size]]
    pagination = {
        "page": page,
        "pageSize": size,
        "rowCount": len(jobs),
        "pageCount": -(-len(jobs) // size),
    }
    return Reply.json({"items": items, "pagination": pagination})


def _job(site: Any, query: dict, body: bytes, job_id: str) -> Reply:
    for slug in set(_companies.values()):
        job = next((j for j in board(site, slug) if str(j.number) == job_id), None)
        if job is not None:
            company = _company(slug, job.company)
            detail = _item(slug, job) | {"description": _markdown(job), "status": "ONLINE"}
            return Reply.json(detail | {"company": company})
    return Reply.json({"message": "Job not found"}, status=404)


ROUTES = [
    ("GET", re.compile(rf"/join/companies/{NAME}/?"), _page),
    ("GET", re.compile(r"/join/api/public/companies/(\d+)/jobs/?"), _jobs),
    ("GET", re.compile(r"/join/api/public/jobs/(\d+)/?"), _job),
]
