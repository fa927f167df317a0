"""SmartRecruiters Posting API.

  GET /smartrecruiters/v1/companies/{company}/postings[?limit&offset]
  GET /smartrecruiters/v1/companies/{company}/postings/{id}           one posting, with its ad

The list defaults to 10 and caps `limit` at 100. It lists one posting more whose detail answers
404 (closed between the two calls). Short reads: a company whose name starts with "short"
announces 50 postings more than it serves, one starting with "brokenpage" answers 503 for every
page after the first.
"""

import re
from typing import Any

from deployments.sample.ats.boards import (
    COMMITMENT,
    LEVELS,
    NAME,
    ad_sections,
    board,
    int_param,
    slugify,
)
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply

_SR_TYPE_ID = {
    "full_time": "permanent",
    "part_time": "part_time",
    "contract": "contract",
    "temporary": "temporary",
    "internship": "intern",
}


def smartrecruiters_id(job: Job) -> str:
    return f"744000{job.number:09d}"


def _smartrecruiters_posting(slug: str, job: Job) -> dict:
    posting_id = smartrecruiters_id(job)
    return {
        "id": posting_id,
        "name": job.title,
        "uuid": job.uid,
        "jobAdId": job.uid[::-1],
        "defaultJobAd": True,
        "refNumber": f"REF{job.number % 100_000}",
        "company": {"identifier": slug, "name": job.company},
        "releasedDate": job.posted_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "location": {
            "city": job.city,
            "region": job.region,
            "country": job.country_code.lower(),
            "remote": job.remote == "remote",
            "hybrid": job.remote == "hybrid",
            "fullLocation": f"{job.city}, {job.region}, {job.country}",
        },
        "industry": {"id": "computer_software", "label": "Computer Software"},
        "department": {"id": str(40_000 + job.n), "label": job.department},
        "function": {"id": job.department.lower(), "label": job.department},
        "typeOfEmployment": {
            "id": _SR_TYPE_ID[job.employment],
            "label": COMMITMENT[job.employment],
        },
        "experienceLevel": {"id": job.level, "label": LEVELS.get(job.level, "Mid-Senior Level")},
        "customField": [],
        "ref": f"https://api.smartrecruiters.com/v1/companies/{slug}/postings/{posting_id}",
        "creator": {"name": "Robin Recruiter"},
        "language": {"code": "en", "label": "English", "labelNative": "English (US)"},
    }


def _smartrecruiters_detail(slug: str, job: Job) -> dict:
    page = f"https://jobs.smartrecruiters.com/{slug}/{smartrecruiters_id(job)}-{slugify(job.title).lower()}"
    names = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
    sections = {
        name: {"title": title, "text": text}
        for name, (title, text) in zip(names, ad_sections(job), strict=True)
    }
    return _smartrecruiters_posting(slug, job) | {
        "postingUrl": page,
        "applyUrl": f"{page}?oga=true",
        "active": True,
        "visibility": "PUBLIC",
        "jobAd": {"sections": sections},
    }


def _smartrecruiters_list(site: Any, query: dict, body: bytes, company: str) -> Reply:
    jobs = board(site, company, extra=1)  # the extra one closes before its detail is read
    offset = max(0, int_param(query, "offset", 0))
    limit = min(max(1, int_param(query, "limit", 10)), 100)
    if offset and company.startswith("brokenpage"):
        return Reply(503, "text/plain", "Service Unavailable")
    content = [_smartrecruiters_posting(company, job) for job in jobs[offset : offset + limit]]
    # A "short" board announces more than it serves: its paging ends before its total.
    found = len(jobs) + (50 if company.startswith("short") else 0)
    return Reply.json({"offset": offset, "limit": limit, "totalFound": found, "content": content})


def _smartrecruiters_posting_route(
    site: Any, query: dict, body: bytes, company: str, posting_id: str
) -> Reply:
    jobs = board(site, company, extra=1)[:-1]  # the last one has closed
    job = next((j for j in jobs if smartrecruiters_id(j) == posting_id), None)
    if job is None:
        gone = {"code": "NOT_FOUND", "message": f"Posting {posting_id} not found"}
        return Reply.json(gone, status=404)
    return Reply.json(_smartrecruiters_detail(company, job))


ROUTES = [
    ("GET", re.compile(rf"/smartrecruiters/v1/companies/{NAME}/postings/?"), _smartrecruiters_list),
    (
        "GET",
        re.compile(rf"/smartrecruiters/v1/companies/{NAME}/postings/(\d+)/?"),
        _smartrecruiters_posting_route,
    ),
]
