"""Ashby Job Posting API.

  GET /ashby/posting-api/job-board/{board}[?includeCompensation=true]

Ashby lists one unlisted posting (`isListed` false) after the board's own.
"""

import re
from typing import Any

from deployments.sample.ats.boards import NAME, board, flag
from deployments.sample.jobs import Job, blocks_html, blocks_text
from deployments.sample.reply import Reply

_ASHBY_TYPE = {
    "full_time": "FullTime",
    "part_time": "PartTime",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Intern",
}
_ASHBY_WORKPLACE = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite"}
_ASHBY_INTERVAL = {"year": "1 YEAR", "month": "1 MONTH", "hour": "1 HOUR"}


def ashby_payload(slug: str, jobs: list[Job], unlisted: Job, compensation: bool) -> dict:
    items = []
    for job in [*jobs, unlisted]:
        url = f"https://jobs.ashbyhq.com/{slug}/{job.uid}"
        item: dict[str, Any] = {
            "id": job.uid,
            "title": job.title,
            "department": job.department,
            "team": job.team,
            "employmentType": _ASHBY_TYPE[job.employment],
            "location": job.city,
            "secondaryLocations": [],
            "publishedAt": job.posted_at.isoformat(timespec="milliseconds"),
            "isListed": job is not unlisted,
            "isRemote": job.remote == "remote",
            "workplaceType": _ASHBY_WORKPLACE[job.remote],
            "address": {
                "postalAddress": {
                    "addressLocality": job.city,
                    "addressRegion": job.region,
                    "addressCountry": job.country,
                }
            },
            "jobUrl": url,
            "applyUrl": f"{url}/application",
            "descriptionHtml": blocks_html(job.blocks),
            "descriptionPlain": blocks_text(job.blocks),
            "shouldDisplayCompensationOnJobPostings": job.pay is not None,
        }
        if compensation:
            item["compensation"] = _ashby_compensation(job)
        items.append(item)
    return {"apiVersion": "1", "jobs": items}


def _ashby_compensation(job: Job) -> dict:
    components = []
    if job.pay:
        components.append(
            {
                "compensationType": "Salary",
                "interval": _ASHBY_INTERVAL[job.pay.period],
                "currencyCode": job.pay.currency,
                "minValue": job.pay.min,
                "maxValue": job.pay.max,
            }
        )
        if job.n % 2:
            components.append(
                {
                    "compensationType": "EquityPercentage",
                    "interval": "NONE",
                    "currencyCode": None,
                    "minValue": None,
                    "maxValue": None,
                }
            )
    summary = job.pay.text if job.pay else None
    return {
        "compensationTierSummary": summary,
        "scrapeableCompensationSalarySummary": summary,
        "compensationTiers": [],
        "summaryComponents": components,
    }


def _ashby(site: Any, query: dict, body: bytes, name: str) -> Reply:
    *jobs, unlisted = board(site, name, extra=1)
    compensation = flag(query, "includeCompensation")
    return Reply.json(ashby_payload(name, jobs, unlisted, compensation))


ROUTES = [
    ("GET", re.compile(rf"/ashby/posting-api/job-board/{NAME}/?"), _ashby),
]
