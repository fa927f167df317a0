"""CareerPlug job board pages: the job list and each job's page.

  GET /careerplug/{company}/jobs[?page=n]          the job list (HTML), 20 jobs a page
  GET /careerplug/{company}/jobs/{id}              a job's page, with its JobPosting JSON-LD

The list links each job from its table (id "job_table") by a relative /jobs/{id}; a page past
the last lists none. The job page's JSON-LD states the place, date, employment type and pay
(hourly or yearly, in USD) and carries the description HTML-escaped inside the JSON string.
The real page size is not known; 20 is the sample's.
"""

import html
import re
from typing import Any

from deployments.sample.ats.boards import NAME, board, int_param
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, html_page, jsonld_place, jsonld_script

PAGE_SIZE = 20
_SCHEMA_TYPE = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}


def careerplug_id(job: Job) -> str:
    return str(3_400_000 + job.number % 100_000)


def _row(job: Job) -> str:
    return (
        f'<tr><td><a href="/jobs/{careerplug_id(job)}">{html.escape(job.title)}</a></td>'
        f"<td>{html.escape(job.city)}, {html.escape(job.region)}</td>"
        f"<td>{html.escape(job.department)}</td></tr>"
    )


def _list(site: Any, query: dict, body: bytes, company: str) -> Reply:
    page = max(1, int_param(query, "page", 1))
    jobs = board(site, company)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = "".join(_row(job) for job in jobs) or '<tr><td colspan="3">No open jobs</td></tr>'
    table = f'<table id="job_table"><tbody>{rows}</tbody></table>'
    return Reply.html(html_page(f"{company} Jobs", f"<h1>Open Jobs</h1>{table}"))


def _posting(company: str, job: Job) -> dict:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "url": f"https://{company}.careerplug.com/jobs/{careerplug_id(job)}",
        "identifier": {"@type": "PropertyValue", "name": job.company, "value": careerplug_id(job)},
        "datePosted": job.posted_at.isoformat(timespec="seconds"),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "hiringOrganization": {"@type": "Organization", "name": job.company},
        "jobLocation": jsonld_place(
            job.city, job.region, job.country_code, postalCode=str(10_000 + job.n)
        ),
        # CareerPlug escapes the markup inside the JSON string.
        "description": html.escape(blocks_html(job.blocks), quote=False),
    }
    if job.pay and job.pay.currency == "USD" and job.pay.period in ("hour", "year"):
        value = {"minValue": f"{job.pay.min:.2f}", "maxValue": f"{job.pay.max:.2f}"}
        unit = {"unitText": job.pay.period.upper()}
        posting["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": value | unit,
        }
    return posting


def _job(site: Any, query: dict, body: bytes, company: str, job_id: str) -> Reply:
    job = next((j for j in board(site, company) if careerplug_id(j) == job_id), None)
    if job is None:
        return Reply.html(html_page("Not found", "<h1>Job not found</h1>"), status=404)
    script = jsonld_script(_posting(company, job))
    return Reply.html(html_page(job.title, f"<h1>{html.escape(job.title)}</h1>", head=script))


ROUTES = [
    ("GET", re.compile(rf"/careerplug/{NAME}/jobs/?"), _list),
    ("GET", re.compile(rf"/careerplug/{NAME}/jobs/(\d+)/?"), _job),
]
