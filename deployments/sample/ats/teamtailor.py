"""Teamtailor jobs RSS.

  GET /teamtailor/{company}/jobs.rss[?offset&per_page]

Teamtailor serves 100 items unless given `per_page`.
"""

import re
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from deployments.sample.ats.boards import NAME, board, int_param, slugify
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply


def _xml(tag: str, text: Any) -> str:
    return f"<{tag}>{escape(str(text))}</{tag}>"


_TEAMTAILOR_REMOTE = {"remote": "fully", "hybrid": "hybrid", "onsite": "none"}


def teamtailor_id(job: Job) -> int:
    return job.number % 10_000_000


def teamtailor_feed(slug: str, jobs: list[Job]) -> str:
    items = []
    for job in jobs:
        link = (
            f"https://{slug}.teamtailor.com/jobs/{teamtailor_id(job)}-{slugify(job.title).lower()}"
        )
        place = (
            _xml("teamtailor:name", f"{job.city} office")
            + _xml("teamtailor:city", job.city)
            + _xml("teamtailor:country", job.country)
        )
        items.append(
            "<item>"
            + _xml("title", job.title)
            + _xml("description", blocks_html(job.blocks))
            + _xml("pubDate", format_datetime(job.posted_at))
            + _xml("remoteStatus", _TEAMTAILOR_REMOTE[job.remote])
            + f'<guid isPermaLink="false">{job.uid}</guid>'
            + _xml("link", link)
            + _xml("teamtailor:department", job.department)
            + _xml("teamtailor:role", job.team)
            + f"<teamtailor:locations><teamtailor:location>{place}</teamtailor:location>"
            "</teamtailor:locations></item>"
        )
    company = escape(jobs[0].company if jobs else slug)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:teamtailor="https://teamtailor.com/locations"><channel>'
        f"<title>{company} - Jobs</title><link>https://{slug}.teamtailor.com/jobs</link>"
        f"<description>Jobs at {company}</description>{''.join(items)}</channel></rss>"
    )


def _teamtailor(site: Any, query: dict, body: bytes, company: str) -> Reply:
    offset = max(0, int_param(query, "offset", 0))
    jobs = board(site, company)[offset : offset + max(1, int_param(query, "per_page", 100))]
    return Reply(200, "application/rss+xml", teamtailor_feed(company, jobs))


ROUTES = [
    ("GET", re.compile(rf"/teamtailor/{NAME}/jobs\.rss"), _teamtailor),
]
