"""Oracle Taleo Business Edition career sites: the RSS feed, the job list and the job pages.

  GET /taleo/{pod}/ats/servlet/Rss?org&cws&WebPage=SRCHR_V2&...        the career site's feed
  GET /taleo/{pod}/ats/careers/v2/searchResults?org&cws[&rowFrom]       the job list, HTML
  GET /taleo/{pod}/ats/careers/v2/viewRequisition?org&cws&rid           one job page, HTML

The board is named by its pod (each test board has its own); org and cws are echoed into links.
Quirks kept: the feed is a sample of the site, not all of it (at most 50 items, and job 3 is
left out); its links are the old requisition.jsp addresses; job 2's item has no
taleo:locationCountry; taleo:locationState is a "US-CA" style code. The list pages ten rows at
a time through rowFrom, states its total in a panel-number span, links each row twice
(title and View button) and offers the next page through a jscroll-next link. A job page
carries a JobPosting JSON-LD block and the cwsJobDescription block; an unknown rid answers 200
with TBE's "Job Not Available" page. Not kept: paging's hold on the session cookie (the sample
pages without it).
"""

import html
import re
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from deployments.sample.ats.boards import COMMITMENT, NAME, board
from deployments.sample.jobs import Job, blocks_html, blocks_text
from deployments.sample.reply import Reply, html_page, jsonld_place, jsonld_script

HOST = "phf.tbe.taleo.net"
TNS = "urn:TBERss"
FEED_CAP = 50
LEFT_OUT = 3  # the job the feed leaves out
NO_COUNTRY = 2  # the job whose item has no taleo:locationCountry
PAGE = 10
_SCHEMA_TYPE = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}


def _xml(tag: str, text: Any) -> str:
    return f"<{tag}>{escape(str(text))}</{tag}>"


def _param(query: dict, name: str, default: str = "") -> str:
    return (query.get(name) or [default])[0]


def job_page(pod: str, org: str, cws: str, job: Job) -> str:
    query = urlencode({"org": org, "cws": cws, "rid": job.number})
    return f"https://{HOST}/{pod}/ats/careers/v2/viewRequisition?{query}"


def feed_jobs(jobs: list[Job]) -> list[Job]:
    return [job for job in jobs if job.n != LEFT_OUT][:FEED_CAP]


def _item(pod: str, org: str, cws: str, job: Job) -> str:
    query = urlencode({"org": org, "cws": cws, "rid": job.number})
    link = f"https://{HOST}/{pod}/ats/careers/requisition.jsp?{query}"
    country = "" if job.n == NO_COUNTRY else _xml("taleo:locationCountry", job.country_code)
    return (
        "<item>"
        + _xml("title", job.title)
        + _xml("link", link)
        + _xml("guid", link)
        + _xml("description", blocks_text(job.blocks))
        + _xml("pubDate", format_datetime(job.posted_at))
        + _xml("taleo:reqId", job.number)
        + _xml("taleo:location", f"{job.city}, {job.region}")
        + _xml("taleo:locationCity", job.city)
        + _xml("taleo:locationState", f"{job.country_code}-{job.region}")
        + country
        + _xml("taleo:department", job.department)
        + _xml("taleo:html-description", blocks_html(job.blocks))
        + "</item>"
    )


def feed(pod: str, org: str, cws: str, jobs: list[Job]) -> str:
    company = escape(jobs[0].company if jobs else org)
    items = "".join(_item(pod, org, cws, job) for job in feed_jobs(jobs))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:taleo="{TNS}"><channel><title>{company} Job Feed</title>'
        f"<link>https://{HOST}/{pod}/ats/careers/v2/searchResults?org={escape(org)}</link>"
        f"<description>{company} jobs</description>{items}</channel></rss>"
    )


def _row(pod: str, org: str, cws: str, job: Job) -> str:
    href = html.escape(job_page(pod, org, cws, job))
    return (
        '<div class="oracletaleocwsv2-accordion oracletaleocwsv2-accordion-expandable clearfix">'
        '<div class="oracletaleocwsv2-accordion-head-info">'
        f'<h4 class="oracletaleocwsv2-head-title"><a href="{href}" class="viewJobLink">'
        f"{html.escape(job.title)}</a></h4>"
        f'<div tabindex="0">{html.escape(job.city)}, {html.escape(job.region)}</div>'
        f'<div tabindex="0">{html.escape(job.department)}</div>'
        "</div><!--/.accordion-head-info-->"
        f'<a href="{href}" class="viewJobLink btn btn-primary">View</a></div>'
    )


def search_results(pod: str, org: str, cws: str, jobs: list[Job], start: int) -> str:
    rows = "".join(_row(pod, org, cws, job) for job in jobs[start : start + PAGE])
    more = ""
    if start + PAGE < len(jobs):
        href = f"/{pod}/ats/careers/v2/searchResults?next&amp;rowFrom={start + PAGE}&amp;act=null"
        more = f'<a href="{href}" class="jscroll-next">Next</a>'
    body = (
        '<div class="oracletaleocwsv2-panel">'
        f'<h2>Current openings <span class="oracletaleocwsv2-panel-number">{len(jobs)}</span></h2>'
        '<select id="sortBy"><option value="searchResults?sortColumn=0">Title</option>'
        '<option value="searchResults?sortColumn=1">Location</option>'
        '<option value="searchResults?sortColumn=2">Department</option></select>'
        f'<div class="oracletaleocwsv2-accordion-block">{rows}</div>{more}</div>'
    )
    return html_page("Career Opportunities", body)


def requisition(pod: str, org: str, cws: str, job: Job) -> str:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "datePosted": job.posted_at.date().isoformat(),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "hiringOrganization": {"@type": "Organization", "name": job.company},
        "jobLocation": jsonld_place(job.city, job.region, job.country_code),
        "description": blocks_html(job.blocks),
    }
    head = jsonld_script(posting)
    body = (
        '<div class="oracletaleocwsv2-job-description">'
        f"<h1>{html.escape(job.title)}</h1>"
        f"<p>{html.escape(COMMITMENT[job.employment])}</p>"
        f'<div name="cwsJobDescription">{blocks_html(job.blocks)}</div></div>'
    )
    return html_page(job.title, body, head)


def _site(query: dict) -> tuple[str, str]:
    return _param(query, "org", "ACME"), _param(query, "cws", "1")


def _feed(site: Any, query: dict, body: bytes, pod: str) -> Reply:
    org, cws = _site(query)
    return Reply(200, "application/rss+xml", feed(pod, org, cws, board(site, pod)))


def _search(site: Any, query: dict, body: bytes, pod: str) -> Reply:
    org, cws = _site(query)
    start = _param(query, "rowFrom", "0")
    start = int(start) if start.isdigit() else 0
    return Reply.html(search_results(pod, org, cws, board(site, pod), start))


def _requisition(site: Any, query: dict, body: bytes, pod: str) -> Reply:
    org, cws = _site(query)
    rid = _param(query, "rid")
    job = next((j for j in board(site, pod) if str(j.number) == rid), None)
    if job is None:  # TBE answers a closed or unknown requisition with a page, status 200
        return Reply.html(html_page("Job Not Available", "<p>This job is no longer available.</p>"))
    return Reply.html(requisition(pod, org, cws, job))


ROUTES = [
    ("GET", re.compile(rf"/taleo/{NAME}/ats/servlet/Rss"), _feed),
    ("GET", re.compile(rf"/taleo/{NAME}/ats/careers/v2/searchResults/?"), _search),
    ("GET", re.compile(rf"/taleo/{NAME}/ats/careers/v2/viewRequisition/?"), _requisition),
]
