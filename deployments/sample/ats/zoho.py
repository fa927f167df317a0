"""Zoho Recruit career-site JSON.

  GET /zoho/{tenant}/recruit/v2/public/Job_Openings?pagename=Careers&source=CareerSite

The whole board in one answer, {"code": "success", "data": [...], "info": {...}}: `page` and
`per_page` are refused (400 EXTRA_PARAM_FOUND) and a page name other than "Careers" is unknown
(403 ORG_NOT_FOUND). Ids are 18-digit strings, Date_Opened is "MM/DD/YYYY", Remote_Job a
boolean; a remote opening names only its country (City and State are ""). Salary is text: a
yearly pay is a bare amount in `Currency`, any other pay is worded ("USD 45/hour").
"""

import re
from typing import Any

from deployments.sample.ats.boards import LEVELS, NAME, board, slugify
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply

_ZOHO_TYPE = {
    "full_time": "Full time",
    "part_time": "Part time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
}


def zoho_id(job: Job) -> str:
    return str(435_765_000_000_000_000 + job.number)


def _salary(job: Job) -> dict:
    if job.pay is None:
        return {"Salary": "", "Currency": None}
    if job.pay.period == "year":
        return {"Salary": str(job.pay.min), "Currency": job.pay.currency}
    return {"Salary": job.pay.text, "Currency": None}


def _opening(tenant: str, job: Job) -> dict:
    remote = job.remote == "remote"
    return {
        "id": zoho_id(job),
        "Posting_Title": job.title,
        "Job_Opening_Name": f"{job.title} ({job.team})",
        "City": "" if remote else job.city,
        "State": "" if remote else job.region,
        "Country": job.country,
        "Zip_Code": "" if remote else str(10_000 + job.n),
        "Remote_Job": remote,
        "Job_Type": _ZOHO_TYPE[job.employment],
        "Industry": "Computer Software",
        "Work_Experience": LEVELS.get(job.level),
        "Date_Opened": job.posted_at.strftime("%m/%d/%Y"),
        "Job_Description": blocks_html(job.blocks),
        "$url": f"https://{tenant}.zohorecruit.com/jobs/Careers/{zoho_id(job)}/"
        f"{slugify(job.title)}?source=CareerSite",
        **_salary(job),
    }


def _job_openings(site: Any, query: dict, body: bytes, tenant: str) -> Reply:
    extra = sorted(set(query) - {"pagename", "source", "extra_fields"})
    if extra:
        error = {"code": "EXTRA_PARAM_FOUND", "details": {"param_name": extra[0]}}
        return Reply.json({**error, "message": "Extra parameter found", "status": "error"}, 400)
    if (query.get("pagename") or [""])[0] != "Careers":
        error = {"code": "ORG_NOT_FOUND", "message": "Org not found", "status": "error"}
        return Reply.json(error, status=403)
    data = [_opening(tenant, job) for job in board(site, tenant)]
    info = {"count": len(data), "more_records": False}
    return Reply.json({"code": "success", "data": data, "info": info})


ROUTES = [
    (
        "GET",
        re.compile(rf"/zoho/{NAME}/recruit/v2/public/Job_Openings/?"),
        _job_openings,
    ),
]
