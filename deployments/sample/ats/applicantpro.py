"""ApplicantPro careers page, job list and job details.

  GET /applicantpro/{tenant}/jobs/                                  the careers page (domainId)
  GET /applicantpro/{tenant}/core/jobs/{domainId}?getParams={}      the whole job list
  GET /applicantpro/{tenant}/core/jobs/{domainId}/{id}/job-details  one job, its text

The careers page names the domain id only in its script (`componentData: { domainId : N }`);
the list answers 500 without `getParams` and 404 for another domain id (every sample board's is
19218). The list has no text;
its dates read "Jun 22, 2026", the detail's "22-Jun-2026"; amounts are strings ("110,000");
no currency is stated. The list holds one job more whose details answer 404 (closed between
the two calls).
"""

import html
import re
from typing import Any

from deployments.sample.ats.boards import NAME, board
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, html_page

_WORKPLACE = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "Onsite"}
_EMPLOYMENT = {
    "full_time": "Full Time",
    "part_time": "Part Time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
}
_ISO3 = {"US": "USA", "DE": "DEU", "NL": "NLD", "FR": "FRA", "GB": "GBR", "CA": "CAN"}


def domain_id(tenant: str) -> int:
    """The board's domain id: one for every sample board (real ones differ per tenant)."""
    return 19_218


def applicantpro_id(job: Job) -> int:
    return 4_100_000 + job.number % 100_000


def _pay(job: Job) -> dict:
    pay = job.pay
    if pay is None or pay.period == "month":  # a monthly pay is worded: payDetails alone
        details = pay.text if pay else None
        return {"payType": None, "payTypeFrame": None, "minSalary": None, "maxSalary": None} | {
            "payDetails": details
        }
    return {
        "payType": "Hourly" if pay.period == "hour" else "Salary",
        "payTypeFrame": f"per {pay.period}",
        "minSalary": f"{pay.min:,}",
        "maxSalary": f"{pay.max:,}",
        "payDetails": "DOE",
    }


def _listing(tenant: str, job: Job) -> dict:
    iso3 = _ISO3[job.country_code]
    return {
        "id": applicantpro_id(job),
        "title": job.title,
        "city": job.city,
        "subdomain": tenant,
        "iso3": iso3,
        "abbreviation": job.region,
        "stateName": job.region,
        "classification": job.team,
        "siteId": domain_id(tenant),
        "startDateRef": job.posted_at.strftime("%b %d, %Y"),
        "endDateRef": None,
        "untilFilled": 1,
        "orgTitle": job.department,
        "parentTitle": job.team,
        "domainName": "applicantpro.com",
        "workplaceType": _WORKPLACE[job.remote],
        "employmentType": _EMPLOYMENT[job.employment],
        "jobLocation": f"{job.city}, {job.region}, {iso3}, {10_000 + job.n}",
        "streetAddress": "",
        "jobUrl": f"https://{tenant}.applicantpro.com/jobs/{applicantpro_id(job)}",
        **_pay(job),
    }


def _careers_page(site: Any, query: dict, body: bytes, tenant: str) -> Reply:
    script = (
        f"<script>const app = {{ componentData: {{ domainId : {domain_id(tenant)} }} }};</script>"
    )
    title = f"Job Listings - {html.escape(tenant)} Jobs"
    return Reply.html(html_page(title, f"<job-listings></job-listings>{script}"))


def _jobs(site: Any, query: dict, body: bytes, tenant: str, domain: str) -> Reply:
    if "getParams" not in query:
        return Reply(500, "text/html", html_page("Error", "<h1>Server Error</h1>"))
    if domain != str(domain_id(tenant)):
        return Reply.json({"success": False, "message": "Not found", "data": None}, status=404)
    jobs = [_listing(tenant, job) for job in board(site, tenant, extra=1)]
    data = {"jobs": jobs, "jobCount": len(jobs), "jobInfoOrder": {"locations": 1}}
    return Reply.json({"success": True, "message": "", "data": data})


def _details(site: Any, query: dict, body: bytes, tenant: str, domain: str, job_id: str) -> Reply:
    jobs = board(site, tenant)  # the extra job of the list has closed
    job = next((j for j in jobs if str(applicantpro_id(j)) == job_id), None)
    if job is None or domain != str(domain_id(tenant)):
        return Reply.json({"success": False, "message": "Job not found", "data": None}, 404)
    data = {
        "id": applicantpro_id(job),
        "title": job.title,
        "city": job.city,
        "siteId": domain_id(tenant),
        "startDateRef": job.posted_at.strftime("%d-%b-%Y"),
        "endDateRef": None,
        "description": "<p>Internal requisition notes.</p>",
        "advertisingDescriptionHtml": blocks_html(job.blocks),
        "benefits": "Medical, dental and vision" if job.n % 2 else "",
        "hideFromIndeed": 0,
        "untilFilled": 1,
    }
    return Reply.json({"success": True, "message": "", "data": data})


ROUTES = [
    ("GET", re.compile(rf"/applicantpro/{NAME}/jobs/?"), _careers_page),
    ("GET", re.compile(rf"/applicantpro/{NAME}/core/jobs/(\d+)/?"), _jobs),
    ("GET", re.compile(rf"/applicantpro/{NAME}/core/jobs/(\d+)/(\d+)/job-details/?"), _details),
]
