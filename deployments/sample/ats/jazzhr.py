"""JazzHR board listing and job pages (HTML: JazzHR has no job-board API).

  GET /jazzhr/{company}/apply/jobs               the embed listing: every posting in one table
  GET /jazzhr/{company}/apply/{code}             a job page; 410 for a code not on the board

Quirks kept: each posting is listed twice, in the jobs_table row and again in a mobile
div.jobs_row; the row id carries the record's creation time, not the posting date; some rows
have an empty department span; one job page in three has no JobPosting JSON-LD (no date and no
pay stated then); every fourth page uses the classic theme (h2 attributes with "<strong>Type:
</strong>" labels, #resumator-job-description); a remote posting's location reads "Remote".
"""

import html
import re
from typing import Any

from deployments.sample.ats.boards import NAME, board, slugify
from deployments.sample.jobs import Job, blocks_html, company_name
from deployments.sample.reply import Reply, base_salary, html_page, jsonld_place, jsonld_script

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TYPE = {
    "full_time": ("Full Time", "FULL_TIME"),
    "part_time": ("Part Time", "PART_TIME"),
    "contract": ("Contractor", "CONTRACTOR"),
    "temporary": ("Temporary", "TEMPORARY"),
    "internship": ("Internship", "INTERN"),
}
EXPERIENCE = {
    "intern": "Student (College)",
    "junior": "Entry Level",
    "mid": "Mid Level",
    "senior": "Experienced",
    "staff": "Experienced",
    "principal": "Experienced",
    "manager": "Manager/Supervisor",
    "director": "Senior Executive",
}


def jazzhr_code(job: Job) -> str:
    """A board code, 10 letters and digits ("Rk4vT8qLm2")."""
    value, code = int(job.uid.replace("-", ""), 16), ""
    for _ in range(10):
        value, digit = divmod(value, 62)
        code += _BASE62[digit]
    return code


def jazzhr_location(job: Job) -> str:
    return "Remote" if job.remote == "remote" else f"{job.city}, {job.region}, {job.country}"


def has_jsonld(job: Job) -> bool:
    return job.n % 3 != 0


def _row(job: Job) -> str:
    key = job.uid.replace("-", "")[:16].upper()
    created = (job.posted_at).strftime("%Y%m%d%H%M%S")
    code, title = jazzhr_code(job), html.escape(job.title)
    department = "" if job.n % 6 == 4 else html.escape(job.department)
    return (
        f'<tr id="row_job_{created}_{key}" class="resumator_{"odd" if job.n % 2 else "even"}_row">'
        f'<td><a class="job_title_link" href="/apply/jobs/details/{code}?&">{title}</a>'
        f'<br /><span class="resumator_department">{department}</span></td>'
        f"<td>{html.escape(jazzhr_location(job))}</td></tr>"
    )


def _mobile_row(job: Job) -> str:
    code = jazzhr_code(job)
    return (
        f'<div id="row_job_m_{code}" class="jobs_row"><a class="job_title_link" '
        f'href="/apply/jobs/details/{code}?&">{html.escape(job.title)}</a></div>'
    )


def _listing(site: Any, query: dict, body: bytes, company: str) -> Reply:
    jobs = board(site, company)
    organization = {"@context": "https://schema.org", "@type": "Organization"}
    head = jsonld_script(organization | {"name": company_name(company)})
    page = (
        '<div id="job_listings_wrapper"><table id="jobs_table" class="menu_table"><tbody>'
        f"{''.join(map(_row, jobs))}</tbody></table>"
        f'<div class="jobs_mobile">{"".join(map(_mobile_row, jobs))}</div></div>'
    )
    return Reply.html(html_page("JazzHR » Job Listings", page, head))


def _posting_jsonld(company: str, job: Job) -> dict:
    data: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "description": blocks_html(job.blocks),
        "datePosted": job.posted_at.date().isoformat(),
        "employmentType": _TYPE[job.employment][1],
        "experienceRequirements": EXPERIENCE[job.level],
        "hiringOrganization": {"@type": "Organization", "name": company_name(company)},
        "jobLocation": jsonld_place(job.city, job.region, job.country_code),
    }
    if job.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
    if job.pay:
        data["baseSalary"] = base_salary(job.pay)
    return data


def _attributes(job: Job) -> str:
    place, kind = html.escape(jazzhr_location(job)), _TYPE[job.employment][0]
    department, experience = html.escape(job.department), EXPERIENCE[job.level]
    if job.n % 4 == 2:  # the classic theme
        return (
            '<div id="resumator-job-overview" class="resumator-jobs-text clrfix">'
            f'<h2 id="resumator-job-location"><strong>Location:</strong> {place}</h2>'
            f'<h2 id="resumator-job-employment"><strong>Type: </strong>{kind}</h2>'
            f'<h2 id="resumator-job-department"><strong>Department:</strong> {department}</h2>'
            f'<h2 id="resumator-job-experience"><strong>Min. Experience: </strong>{experience}'
            f'</h2></div><div id="resumator-job-description">{blocks_html(job.blocks)}</div>'
        )
    return (
        '<div class="job-attributes-container">'
        f"<div title=\"Location\"><i class='fa fa-map-marker'></i>{place}</div>"
        f"<div id='resumator-job-employment' title=\"Type\"><i class='fa fa-clock-o'></i>{kind}"
        f"</div><div title=\"Department\"><i class='fa fa-sitemap'></i>{department}</div>"
        f"<div id='resumator-job-experience'><i class='fa fa-star'></i>{experience}</div></div>"
        f"<div class='col col-xs-7 description' id=\"job-description\">"
        f"{blocks_html(job.blocks)}</div>"
    )


def _job_page(site: Any, query: dict, body: bytes, company: str, code: str) -> Reply:
    job = next((j for j in board(site, company) if jazzhr_code(j) == code), None)
    if job is None:
        return Reply.html(html_page("Job no longer available", "<h1>Gone</h1>"), status=410)
    canonical = f"https://{company}.applytojob.com/apply/{code}/{slugify(job.title)}"
    head = f'<link rel="canonical" href="{canonical}" />'
    if has_jsonld(job):
        head += jsonld_script(_posting_jsonld(company, job))
    page = (
        f'<div class="job-header"><h1>{html.escape(job.title)}</h1>{_attributes(job)}</div>'
        '<a id="resumator-mobile-apply-button" href="#application">Apply</a>'
    )
    return Reply.html(html_page(f"{job.title} - {job.company}", page, head))


ROUTES = [
    ("GET", re.compile(rf"/jazzhr/{NAME}/apply/jobs/?"), _listing),
    ("GET", re.compile(rf"/jazzhr/{NAME}/apply/([A-Za-z0-9]+)(?:/[^/]*)?/?"), _job_page),
]
