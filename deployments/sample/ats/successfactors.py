"""SAP SuccessFactors career site feeds.

  GET /successfactors/{site}/googlefeed.xml          Career Site Builder RSS (Google Base items)
  GET /successfactors/career?company={id}&career_ns=job_listing_summary&resultType=XML
                                                     a legacy career site's <Job-Listing>

Both serve the whole board in one document, unpaged. Quirks kept: the RSS item's title carries
the place in parentheses, g:location ends in a postal code, no item states a posting date,
employment type or workplace; job 2's ad is escaped twice (&amp;lt;p&amp;gt;) and job 3 has the
"ATS_WEBFORM" placeholder as its g:job_function. The legacy feed names its columns only by
label (filterN / mfieldN, numbered differently per company), dates as MM/DD/YYYY, and answers
an HTML page with status 200 when asked without resultType=XML.
"""

import re
from datetime import timedelta
from typing import Any
from xml.sax.saxutils import escape

from deployments.sample.ats.boards import COMMITMENT, NAME, board, slugify
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply, html_page

G_NS = "http://base.google.com/ns/1.0"
PLACEHOLDER_FUNCTION = 3  # the job whose g:job_function is "ATS_WEBFORM"
ESCAPED_AD = 2  # the job whose ad is escaped twice


def _xml(tag: str, text: Any) -> str:
    return f"<{tag}>{escape(str(text))}</{tag}>"


def postal_code(job: Job) -> str:
    return f"{10_000 + job.n * 7}"


def job_link(site: str, job: Job) -> str:
    return f"https://{site}.jobs2web.com/job/{slugify(job.city)}-{slugify(job.title)}/{job.number}/"


def _item(site: str, job: Job) -> str:
    place = f"{job.city}, {job.region}, {job.country_code}"
    ad = blocks_html(job.blocks)
    description = (
        _xml("description", escape(ad))
        if job.n == ESCAPED_AD
        else f"<description><![CDATA[{ad}]]></description>"
    )
    function = "ATS_WEBFORM" if job.n == PLACEHOLDER_FUNCTION else job.department
    return (
        "<item>"
        + _xml("title", f"{job.title} ({place})")
        + description
        + _xml("link", job_link(site, job))
        + _xml("guid", job.number)
        + _xml("g:id", job.number)
        + _xml("g:location", f"{place}, {postal_code(job)}")
        + _xml("g:employer", job.company)
        + _xml("g:job_function", function)
        + _xml("g:expiration_date", (job.posted_at + timedelta(days=90)).date())
        + "</item>"
    )


def google_feed(site: str, jobs: list[Job]) -> str:
    company = escape(jobs[0].company if jobs else site)
    items = "".join(_item(site, job) for job in jobs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:g="{G_NS}"><channel><title>{company} Careers</title>'
        f"<link>https://{site}.jobs2web.com/</link><description>Jobs at {company}</description>"
        f"<ttl>720</ttl>{items}</channel></rss>"
    )


def _column(tag: str, label: str, value: Any) -> str:
    return f"<{tag}>{_xml('label', label)}{_xml('value', value)}</{tag}>"


def job_listing(jobs: list[Job]) -> str:
    rows = []
    for job in jobs:
        rows.append(
            "<Job>"
            + _xml("ReqId", job.number)
            + _xml("JobTitle", job.title)
            + f"<Job-Description><![CDATA[{blocks_html(job.blocks)}]]></Job-Description>"
            + _xml("Posted-Date", job.posted_at.strftime("%m/%d/%Y"))
            + _column("filter1", "Country/Area", job.country)
            + _column("filter2", "State/Province", job.region)
            + _column("filter3", "City", job.city)
            + _column("filter4", "Job Family / Functional Area", job.department)
            + _column("mfield1", "Type of Employment", COMMITMENT[job.employment])
            + "</Job>"
        )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Job-Listing>{"".join(rows)}</Job-Listing>'


def _google_feed(site_: Any, query: dict, body: bytes, site: str) -> Reply:
    return Reply(200, "text/xml;charset=UTF-8", google_feed(site, board(site_, site)))


def _career(site: Any, query: dict, body: bytes) -> Reply:
    company = (query.get("company") or [""])[0]
    wants_xml = (query.get("resultType") or [""])[0] == "XML"
    if not company or not wants_xml:  # the career site's own page (or its error page)
        return Reply.html(html_page("Career Opportunities", "<p>Job search</p>"))
    return Reply(200, "text/xml;charset=UTF-8", job_listing(board(site, company)))


ROUTES = [
    ("GET", re.compile(rf"/successfactors/{NAME}/googlefeed\.xml"), _google_feed),
    ("GET", re.compile(r"/successfactors/career"), _career),
]
