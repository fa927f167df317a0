"""HiBob careers-site job-ad API.

  GET /hibob/{company}/api/job-ad

The whole board in one answer, each ad with its text in HTML sections. Quirks of the real API
kept: `publishedAt` has nanoseconds; `employmentType` is the company's label and can name no kind
("Employee"), `employmentTypeId` then does ("Permanent"); workplace ids are snake case
("on_site"); pay is there only where the company publishes it. A request whose
`companyidentifier` header does not name the company is refused (401), as the real API does.
"""

import re
import uuid
from typing import Any

from deployments.sample.ats.boards import NAME, ad_sections, board
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply

_EMPLOYMENT = {
    "full_time": ("Employee", "Permanent"),
    "part_time": ("Part-time", "Part-time"),
    "contract": ("Contractor", "Contractor"),
    "temporary": ("Fixed term", "Fixed term"),
    "internship": ("Intern", "Intern"),
}
_WORKSPACE = {"onsite": ("on_site", "On-site"), "hybrid": ("hybrid", "Hybrid")}
_WORKSPACE["remote"] = ("remote", "Remote")
_PERIOD = {"year": "Annual", "month": "Monthly", "hour": "Hourly"}


def hibob_id(job: Job) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hibob:{job.slug}:{job.n}"))


def _ad(job: Job) -> dict:
    (_, intro), (_, role), (needs_title, needs), (extra_title, extra) = ad_sections(job)
    label, kind = _EMPLOYMENT[job.employment]
    workspace_id, workspace = _WORKSPACE[job.remote]
    pay = job.pay
    published = job.posted_at.strftime("%Y-%m-%dT%H:%M:%S") + f".000000{job.n % 1000:03d}Z"
    return {
        "id": hibob_id(job),
        "title": job.title,
        "departmentId": job.department,
        "department": job.department,
        "employmentTypeId": kind,
        "employmentType": label,
        "siteId": 1_790_000 + job.n,
        "site": job.city,
        "country": job.country,
        "language": "en",
        "description": intro,
        "responsibilities": role,
        "requirements": needs,
        "benefits": extra,
        "sectionLabels": {"requirements": needs_title, "benefits": extra_title},
        "publishedAt": published,
        "workspaceTypeId": workspace_id,
        "workspaceType": workspace,
        "payTransparencyMinSalary": pay.min if pay else None,
        "payTransparencyMaxSalary": pay.max if pay else None,
        "payTransparencySalaryCurrency": pay.currency if pay else None,
        "payTransparencySalaryPayPeriod": _PERIOD[pay.period] if pay else None,
    }


def _hibob(site: Any, query: dict, body: bytes, company: str) -> Reply:
    if site.request_headers.get("companyidentifier") != company:
        return Reply.json({"error": "Unauthorized"}, status=401)
    return Reply.json({"jobAdDetails": [_ad(job) for job in board(site, company)]})


ROUTES = [
    ("GET", re.compile(rf"/hibob/{NAME}/api/job-ad/?"), _hibob),
]
