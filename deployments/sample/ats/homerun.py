"""Homerun public Atom feed.

  GET /homerun/{company}                                 the whole board, one Atom feed

Quirks kept: every element is in the Atom namespace, the Homerun ones (department, location,
type, salary_indication) included, each with a <name> child where it names something; the
location is the employer's label ("Berlin, Germany (Hybrid)", "Remote"), with no country or
workplace field; every fifth vacancy has a second <location>; <updated> is the last edit, as
"2025-10-20 10:11:12" without a zone, and there is no publication date; the salary indication is
display text, and a vacancy without pay still states its currency and period ("€ per year").
"""

import re
from typing import Any
from xml.sax.saxutils import escape

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, slugify
from deployments.sample.jobs import Job, blocks_html, company_name
from deployments.sample.reply import Reply

_TYPE = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Freelance",
    "temporary": "Temporary",
    "internship": "Internship",
}
_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$"}


def homerun_id(job: Job) -> str:
    return "job_" + job.uid.replace("-", "")[:20]


def homerun_url(company: str, job: Job) -> str:
    return f"https://{company}.homerun.co/{slugify(job.title).lower()}-{job.n}"


def homerun_places(job: Job) -> list[str]:
    if job.remote == "remote":
        return ["Remote"]
    first = f"{job.city}, {job.country}" + (" (Hybrid)" if job.remote == "hybrid" else "")
    return [first, f"{SECOND_OFFICE[0]}, {SECOND_OFFICE[2]}"] if job.n % 5 == 0 else [first]


def salary_indication(job: Job) -> str:
    symbol = _SYMBOL[job.pay.currency] if job.pay else "€"
    return job.pay.text if job.pay else f"{symbol} per year"


def _named(tag: str, name: str) -> str:
    return f"<{tag}><name>{escape(name)}</name></{tag}>"


def _entry(company: str, job: Job) -> str:
    html = blocks_html(job.blocks)
    summary = blocks_html(job.blocks[:1])
    edited = job.posted_at.replace(hour=(job.posted_at.hour + 3) % 24)
    return (
        f"<entry><author><name>{escape(company_name(company))}</name></author>"
        f'<title type="text">{escape(job.title)}</title>'
        f'<link rel="alternate" type="text/html" href="{homerun_url(company, job)}"/>'
        f"<id>{homerun_id(job)}</id>"
        f'<summary type="html"><![CDATA[{summary}]]></summary>'
        f'<description type="html"><![CDATA[{html}]]></description>'
        + _named("department", job.department)
        + "".join(_named("location", place) for place in homerun_places(job))
        + _named("type", _TYPE[job.employment])
        + f"<salary_indication>{escape(salary_indication(job))}</salary_indication>"
        f"<updated>{edited.strftime('%Y-%m-%d %H:%M:%S')}</updated></entry>"
    )


def homerun_feed(company: str, jobs: list[Job]) -> str:
    entries = "".join(_entry(company, job) for job in jobs)
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title type="text">{escape(company_name(company))}</title>'
        f"<updated>2025-11-03T09:30:00+00:00</updated>{entries}</feed>"
    )


def _feed(site: Any, query: dict, body: bytes, company: str) -> Reply:
    return Reply(200, "application/atom+xml", homerun_feed(company, board(site, company)))


ROUTES = [("GET", re.compile(rf"/homerun/{NAME}/?"), _feed)]
