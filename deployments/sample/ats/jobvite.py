"""Jobvite career site pages (HTML).

  GET /jobvite/{company}/search/?p={page}                  every opening, 50 a page (table rows)
  GET /jobvite/{company}/job/{id}                          one posting, with JSON-LD

Quirks kept: /search?p=N without the trailing slash answers the first page whatever N is; the
rows name no department and no date, and a posting in several places reads "2 Locations"; a
hybrid posting's place reads "Hybrid Remote, {city}, {region}", a remote one's "Remote,
{country}"; "1-50 of N" in jv-pagination-text; the posting's meta line holds the category, each
place and (after a <br>) the pay; the JSON-LD states the country the list leaves out, the
category as `industry`, a bare datePosted, and baseSalary where there is pay. The site lists
one posting more than it has: its page answers 200 with the job list and "The job listing no
longer exists.", as a posting closed since it was listed does.
"""

import html
import re
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, int_param
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, base_salary, html_page, jsonld_place, jsonld_script

PAGE_SIZE = 50
_LIST_TYPE = {
    "full_time": "Full-Time",
    "part_time": "Part-Time",
    "contract": "Contractor",
    "temporary": "Temporary",
    "internship": "Intern",
}
_SCHEMA_TYPE = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}


def jobvite_id(job: Job) -> str:
    """Jobvite's posting ids: "o" and seven letters or digits ("oaGwAfwG")."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    value, out = int(job.uid.replace("-", ""), 16), ""
    for _ in range(7):
        value, rest = divmod(value, 62)
        out += digits[rest]
    return "o" + out


def _place(job: Job) -> str:
    if job.remote == "remote":
        return f"Remote, {job.country}"
    place = f"{job.city}, {job.region}"
    return f"Hybrid Remote, {place}" if job.remote == "hybrid" else place


def _places(job: Job) -> list[str]:
    second = [f"{SECOND_OFFICE[0]}, {SECOND_OFFICE[1]}"] if job.n == 1 else []
    return [_place(job), *second]


def _row(company: str, job: Job) -> str:
    shown = _places(job)
    where = shown[0] if len(shown) == 1 else f'<div class="jv-meta">{len(shown)} Locations</div>'
    return (
        f'<tr><td class="jv-job-list-name"><a href="/{company}/job/{jobvite_id(job)}">'
        f"{html.escape(job.title)}</a></td>"
        f'<td class="jv-job-list-type">{_LIST_TYPE[job.employment]}</td>'
        f'<td class="jv-job-list-location">\n  {html.escape(where) if len(shown) == 1 else where}'
        "\n</td></tr>"
    )


def _page(title: str, body_class: str, content: str, head: str = "") -> str:
    page = html_page(title, f'<article class="jv-page-body">{content}</article>', head)
    return page.replace("<body>", f'<body class="jv-desktop {body_class}">', 1)


def _jobvite_search(site: Any, query: dict, body: bytes, company: str, slash: str) -> Reply:
    jobs = board(site, company, extra=1)  # the extra one closes before its page is read
    # /search?p=N without the slash pages nowhere: the first page, whatever N.
    page = max(0, int_param(query, "p", 0)) if slash else 0
    shown = jobs[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    title = f"{jobs[0].company} Careers"
    if not shown:
        return Reply.html(_page(title, "jv-page-search", "<p>No results found.</p>"))
    rows = "".join(_row(company, job) for job in shown)
    start = page * PAGE_SIZE + 1
    pager = (
        f'<div class="jv-pagination"><div class="jv-pagination-text">{start}-'
        f"{start + len(shown) - 1} of {len(jobs)}</div>"
    )
    if start + len(shown) - 1 < len(jobs):
        pager += f'<a class="jv-pagination-next" href="/{company}/search/?p={page + 1}">Next</a>'
    content = f'<table class="jv-job-list"><tbody>{rows}</tbody></table>{pager}</div>'
    return Reply.html(_page(title, "jv-page-search", content))


def _posting(company: str, job: Job) -> dict:
    locations = [jsonld_place(job.city, job.region, job.country)]
    if job.n == 1:
        locations.append(jsonld_place(SECOND_OFFICE[0], SECOND_OFFICE[1], SECOND_OFFICE[2]))
    data: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "description": blocks_html(job.blocks),
        "datePosted": job.posted_at.date().isoformat(),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "identifier": jobvite_id(job),
        "industry": job.department,
        "hiringOrganization": {"@type": "Organization", "name": job.company},
        "jobLocation": locations,
        "url": f"https://jobs.jobvite.com/{company}/job/{jobvite_id(job)}",
    }
    if job.pay:
        data["baseSalary"] = base_salary(job.pay)
    return data


def _jobvite_job(site: Any, query: dict, body: bytes, company: str, job_id: str) -> Reply:
    jobs = board(site, company, extra=1)
    job = next((j for j in jobs if jobvite_id(j) == job_id), None)
    title = f"{jobs[0].company} Careers"
    if job is None or job is jobs[-1]:  # unknown, or closed since it was listed
        gone = (
            '<p class="jv-alert">The job listing no longer exists.</p><table class="jv-job-list">'
        )
        listed = "".join(_row(company, j) for j in jobs[:-1][:PAGE_SIZE])
        return Reply.html(_page(title, "jv-page-jobs", f"{gone}<tbody>{listed}</tbody></table>"))
    separator = '<span class="jv-inline-separator"></span>'
    meta = separator.join(html.escape(part) for part in [job.department, *_places(job)])
    if job.pay:
        meta += f"<br>{html.escape(job.pay.text)}"
    head = jsonld_script(_posting(company, job))
    content = (
        f'<h2 class="jv-header">{html.escape(job.title)}</h2>'
        f'<p class="jv-job-detail-meta">{meta}</p>'
        f'<div class="jv-job-detail-description">{blocks_html(job.blocks)}</div>'
        f'<div class="jv-job-detail-bottom-actions"><a class="jv-button jv-button-apply" '
        f'href="/{company}/job/{job_id}/apply">Apply</a></div>'
    )
    return Reply.html(_page(f"{job.title} | {title}", "jv-page-job", content, head))


ROUTES = [
    ("GET", re.compile(rf"/jobvite/{NAME}/search(/?)"), _jobvite_search),
    ("GET", re.compile(rf"/jobvite/{NAME}/job/([A-Za-z0-9_-]+)/?"), _jobvite_job),
]
