"""iCIMS career portal pages (HTML, the portal's iframe form).

  GET /icims/{portal}/jobs/search?ss=1&in_iframe=1[&pr={page}]      search results, 20 a page
  GET /icims/{portal}/jobs/{id}/{slug}/job?in_iframe=1              one posting, JSON-LD

The results page in iCIMS's card markup: the place as "US-CA-San Francisco" codes ("|" between
several), the posted date in a span's title, Category / Position Type / Location Type fields
"(Portal Searching)", a pay field where the job states pay, and a pager whose links read "Page 2
of 6" through sr-only spans. A page index past the last answers "Sorry, no jobs were found".
Links point at the real portal host, https://{portal}.icims.com. The posting's page carries a
JobPosting with iCIMS's "UNAVAILABLE" for a remote posting's city and for the PO box, the
country as a code, datePosted with milliseconds, and occupationalCategory. The board lists one
posting more than it has: its page answers 410, as a posting closed since it was listed does.
"""

import html
import re
from datetime import timedelta
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, int_param, slugify
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, html_page, jsonld_place, jsonld_script

PAGE_SIZE = 20
_POSITION_TYPE = {
    "full_time": "Regular Full-Time",
    "part_time": "Regular Part-Time",
    "contract": "Contract",
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
_LOCATION_TYPE = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}


def icims_path(job: Job) -> str:
    """/jobs/{id}/{slug}/job, the posting's page on its portal."""
    return f"/jobs/{job.number}/{slugify(job.title).lower()}/job"


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _code(city: str, region: str, code: str) -> str:
    """iCIMS's "US-CA-San Francisco"; a region without a short code is left out ("FR-Paris")."""
    return f"{code}-{region}-{city}" if len(region) <= 3 else f"{code}-{city}"


def _tag(label: str, value: str, title: str = "") -> str:
    shown = f' title="{html.escape(title)}"' if title else ""
    return (
        '<div class="iCIMS_JobHeaderTag"><dt class="iCIMS_JobHeaderField">'
        f'{html.escape(label)}</dt><dd class="iCIMS_JobHeaderData"><span{shown}>'
        f"{html.escape(value)}</span></dd></div>"
    )


def _card(portal: str, job: Job) -> str:
    places = [_code(job.city, job.region, job.country_code)]
    if job.n == 1:
        places.append(_code(SECOND_OFFICE[0], SECOND_OFFICE[1], SECOND_OFFICE[3]))
    if job.remote == "remote":
        places = [f"{job.country_code}-Remote"]
    href = f"https://{portal}.icims.com{icims_path(job)}?in_iframe=1"
    posted = job.posted_at - timedelta(hours=5)  # the portal's local time
    stamp = f"{posted.month}/{posted.day}/{posted.year} {posted.strftime('%I:%M %p').lstrip('0')}"
    tags = [
        _tag("Requisition ID", f"{job.posted_at.year}-{job.number}"),
        _tag("Category (Portal Searching)", job.department),
        _tag("Position Type (Portal Searching)", _POSITION_TYPE[job.employment]),
        _tag("Location Type", _LOCATION_TYPE[job.remote]),
    ]
    if job.pay:
        tags.append(_tag("Pay Range", job.pay.text))
    title = html.escape(job.title)
    return (
        '<li class="iCIMS_JobCardItem"><div class="row">'
        '<div class="col-xs-6 header left"><span class="sr-only field-label">Job Locations'
        f"</span><span>{html.escape(' | '.join(places))}</span></div>"
        '<div class="col-xs-6 header right"><span class="sr-only field-label">Posted Date'
        f'</span><span title="{stamp}">{(job.n % 28) + 1} days ago</span></div>'
        f'<div class="col-xs-12 title"><a href="{html.escape(href)}" class="iCIMS_Anchor" '
        f'title="{job.number} - {title}"><span class="sr-only field-label">Job Posting Title'
        f"</span><h3>{title}</h3></a></div>"
        f'<div class="col-xs-12 description">{html.escape(job.blocks[0][1])}</div>'
        '<div class="col-xs-12 additionalFields"><dl class="iCIMS_JobHeaderGroup">'
        f"{''.join(tags)}</dl></div></div></li>"
    )


def _pager(portal: str, page: int, pages: int) -> str:
    links = []
    for index in range(pages):
        current = index == page
        label = f"of {pages} , Current Page" if current else f"of {pages}"
        links.append(
            f'<a class="{"selected" if current else ""}" href="https://{portal}.icims.com/jobs/'
            f'search?pr={index}&amp;schemaId=&amp;o=&amp;in_iframe=1">'
            f'<span class="sr-only">Page</span> {index + 1} '
            f'<span class="sr-only">{label}</span></a>'
        )
    return (
        '<div class="iCIMS_Paging text-center"><div class="iCIMS_PagingBatch">'
        f"{''.join(links)}</div></div>"
    )


def _icims_search(site: Any, query: dict, body: bytes, portal: str) -> Reply:
    jobs = board(site, portal, extra=1)  # the extra one closes before its page is read
    pages = max(1, -(-len(jobs) // PAGE_SIZE))
    page = max(0, int_param(query, "pr", 0))
    shown = jobs[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if shown:
        content = (
            f'<ul class="container-fluid iCIMS_JobsTable">'
            f"{''.join(_card(portal, job) for job in shown)}</ul>{_pager(portal, page, pages)}"
        )
    else:
        content = (
            '<div class="iCIMS_Message"><p>Sorry, no jobs were found that match your search'
            " criteria. Please try other selections.</p></div>"
        )
    body_html = f'<div class="iCIMS_MainWrapper iCIMS_ListingsPage">{content}</div>'
    return Reply.html(html_page(f"Job Listings at {jobs[0].company}", body_html))


def _posting(portal: str, job: Job) -> dict:
    def place(city: str, region: str, code: str, postal: str) -> dict:
        return jsonld_place(
            city, region, code, postalCode=postal, postOfficeBoxNumber="UNAVAILABLE"
        )

    city = "UNAVAILABLE" if job.remote == "remote" else job.city
    locations = [place(city, job.region, job.country_code, f"{10_000 + job.n}")]
    if job.n == 1:
        locations.append(place(SECOND_OFFICE[0], SECOND_OFFICE[1], SECOND_OFFICE[3], "1000-001"))
    return {
        "@context": "http://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "description": blocks_html(job.blocks),
        "datePosted": _stamp(job.posted_at),
        "validThrough": _stamp(job.posted_at + timedelta(days=365)),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "occupationalCategory": job.department,
        "directApply": True,
        "hiringOrganization": {
            "@type": "Organization",
            "name": job.company,
            "sameAs": "https://example.com/",
        },
        "jobLocation": locations,
        "url": f"https://{portal}.icims.com{icims_path(job)}",
    }


def _icims_job(site: Any, query: dict, body: bytes, portal: str, job_id: str, slug: str) -> Reply:
    jobs = board(site, portal, extra=1)
    job = next((j for j in jobs if str(j.number) == job_id), None)
    if job is None or job is jobs[-1]:  # unknown, or closed since it was listed
        gone = "<h1>Job Not Found</h1><p>This position is no longer available.</p>"
        return Reply.html(html_page("Job Not Found", gone), status=404 if job is None else 410)
    head = jsonld_script(_posting(portal, job))
    content = (
        '<div class="iCIMS_JobContent"><h1 class="iCIMS_Header">'
        f"{html.escape(job.title)}</h1>"
        f'<div class="iCIMS_InfoMsg iCIMS_InfoMsg_Job">{blocks_html(job.blocks)}</div></div>'
    )
    return Reply.html(html_page(f"{job.title} - {job.company}", content, head))


ROUTES = [
    ("GET", re.compile(rf"/icims/{NAME}/jobs/search/?"), _icims_search),
    ("GET", re.compile(rf"/icims/{NAME}/jobs/(\d+)/([^/]+)/job/?"), _icims_job),
]
