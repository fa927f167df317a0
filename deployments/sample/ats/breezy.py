"""Breezy HR portal list and job pages.

  GET /breezy/{company}/json                      the whole board, a bare JSON list, no text
  GET /breezy/{company}/p/{id}-{slug}             a job page: WebSite and JobPosting JSON-LD

Quirks kept: the list is a bare list, not an object; `is_remote` is true for hybrid positions
too (only `remote_details.value` tells them apart) and on-site ones carry no remote_details;
every fifth position repeats its place in `locations`; `department` is null where the position
has none; `salary` is display text ("" when hidden), the job page's baseSalary its amounts; a job
page's first JSON-LD block is a WebSite, the JobPosting the second.
"""

import html
import re
from typing import Any

from deployments.sample.ats.boards import NAME, board, slugify
from deployments.sample.jobs import Job, blocks_html, company_name
from deployments.sample.reply import (
    Reply,
    base_salary,
    html_page,
    jsonld_place,
    jsonld_script,
    not_found,
)

_TYPE = {
    "full_time": ("fullTime", "Full-Time"),
    "part_time": ("partTime", "Part-Time"),
    "contract": ("contract", "Contract"),
    "temporary": ("temporary", "Temporary"),
    "internship": ("internship", "Internship"),
}
_SCHEMA_TYPE = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
_REMOTE = {
    "remote": {"value": "remote-location", "label": "Fully remote, within chosen location(s)"},
    "hybrid": {"value": "hybrid", "label": "Hybrid (Some remote, some in person)"},
}


def breezy_id(job: Job) -> str:
    return job.uid.replace("-", "")[:12]


def breezy_friendly_id(job: Job) -> str:
    return f"{breezy_id(job)}01-{slugify(job.title).lower()}"


def _place(job: Job) -> dict:
    place: dict[str, Any] = {
        "country": {"name": job.country, "id": job.country_code},
        "state": {"id": job.region, "name": job.region},
        "city": job.city,
        "is_remote": job.remote != "onsite",
    }
    if job.remote in _REMOTE:
        place["remote_details"] = dict(_REMOTE[job.remote])
    return place | {"name": f"{job.city}, {job.country_code}"}


def _position(company: str, job: Job) -> dict:
    type_id, type_name = _TYPE[job.employment]
    friendly = breezy_friendly_id(job)
    return {
        "id": breezy_id(job),
        "friendly_id": friendly,
        "name": job.title,
        "url": f"https://{company}.breezy.hr/p/{friendly}",
        "published_date": job.posted_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "type": {"id": type_id, "name": type_name},
        "location": _place(job) | {"primary": True},
        "locations": [_place(job)] * (2 if job.n % 5 == 0 else 1),
        "department": None if job.n % 7 == 3 else job.department,
        "salary": job.pay.text if job.pay else "",
        "company": {"name": company_name(company), "friendly_id": company, "logo_url": None},
    }


def _posting_jsonld(company: str, job: Job) -> dict:
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": blocks_html(job.blocks),
        "datePosted": job.posted_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "hiringOrganization": {"@type": "Organization", "name": company_name(company)},
        "jobLocation": jsonld_place(job.city, job.region, job.country_code),
    }
    if job.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
    if job.pay:
        data["baseSalary"] = base_salary(job.pay)
    return data


def _list(site: Any, query: dict, body: bytes, company: str) -> Reply:
    return Reply.json([_position(company, job) for job in board(site, company)])


def _page(site: Any, query: dict, body: bytes, company: str, friendly: str) -> Reply:
    job = next((j for j in board(site, company) if breezy_friendly_id(j) == friendly), None)
    if job is None:
        return not_found(f"/p/{friendly}")
    website = {"@context": "https://schema.org/", "@type": "WebSite", "name": job.company}
    head = jsonld_script(website | {"url": f"https://{company}.breezy.hr"})
    head += jsonld_script(_posting_jsonld(company, job))
    page = (
        f'<div class="breezy-portal"><h1>{html.escape(job.title)}</h1>'
        f'<div class="description">{blocks_html(job.blocks)}</div>'
        f'<a class="button apply" href="/p/{friendly}/apply">Apply to position</a></div>'
    )
    return Reply.html(html_page(f"{job.title} at {job.company}", page, head))


ROUTES = [
    ("GET", re.compile(rf"/breezy/{NAME}/json/?"), _list),
    ("GET", re.compile(rf"/breezy/{NAME}/p/([A-Za-z0-9-]+)/?"), _page),
]
