"""Sample-site routes for the eleven ATS job-board APIs, each answering in the real API's shape.

  GET  /greenhouse/v1/boards/{token}/jobs[?content=true]               Greenhouse Job Board API
  GET  /greenhouse/v1/boards/{token}/jobs/{id}[?pay_transparency=true]  (boards "paid..." publish
                                                                        pay ranges)
  GET  /lever/v0/postings/{site}[?mode=json&skip=N&limit=M]            Lever Postings API
  GET  /ashby/posting-api/job-board/{board}[?includeCompensation=true] Ashby Job Posting API
  GET  /workable/api/v1/widget/accounts/{account}[?details=true]       Workable widget API
  GET  /smartrecruiters/v1/companies/{company}/postings[?limit&offset] SmartRecruiters Posting API
  GET  /smartrecruiters/v1/companies/{company}/postings/{id}           ... one posting, with its ad
  GET  /recruitee/{company}/api/offers/                                Recruitee Careers Site API
  GET  /pinpoint/{tenant}/postings.json                                Pinpoint postings JSON
  GET  /bamboohr/{company}/careers/list                                BambooHR careers list
  GET  /bamboohr/{company}/careers/{id}/detail                         ... one opening, its text
  GET  /personio/{company}/xml                                         Personio XML feed
  GET  /teamtailor/{company}/jobs.rss[?offset&per_page]                Teamtailor jobs RSS
  POST /workday/wday/cxs/{tenant}/{site}/jobs                          Workday CXS job search
  GET  /workday/wday/cxs/{tenant}/{site}/job/{location}/{title}_{req}  ... one posting

Each path is the real API's path under /{ats}: what the adapters' api_url(..., root=base/{ats})
gives. A board has `site.postings_per_company` postings, or N when its name ends in "-N"
("globex-130" has 130), so that a test can make a board span several pages. Paged APIs page as
the real ones do: Lever returns everything unless given `limit`; SmartRecruiters defaults to 10
and caps `limit` at 100; Teamtailor serves 100 items unless given `per_page`; Workday answers 400
to a `limit` above 20 and states `total` on the first page only (0 on the others).

Quirks of the real APIs kept on purpose: Ashby lists one unlisted posting; SmartRecruiters lists
one posting more whose detail answers 404 (closed between the two calls); Workable lists a job
open in two places once per place, and hides one place of another job; Recruitee sends salary
amounts as strings and its dates as "2025-10-20 10:11:12 UTC"; Pinpoint states no posting date
and sends pay only where `compensation_visible`; BambooHR puts a remote opening's place in
`atsLocation` and leaves `location` empty, and words pay as prose; Workday omits remoteType for
on-site jobs and dates its list only relatively ("Posted 3 Days Ago"). A Workday site named
"Gone" lists its postings but answers 404 for each of them, as a moved site does. Short reads: a
SmartRecruiters company whose name starts with "short" announces 50 postings more than it serves,
one starting with "brokenpage" answers 503 for every page after the first.
"""

import functools
import html
import json
import re
from collections.abc import Callable
from datetime import UTC, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from deployments.sample.jobs import ANCHOR, Job, blocks_html, blocks_text, generate_jobs, iso_time
from deployments.sample.reply import Reply

# How the ATSes spell the sample's employment types, workplaces and pay periods.
_COMMITMENT = {"full_time": "Full-time", "part_time": "Part-time", "contract": "Contract"}
_COMMITMENT |= {"temporary": "Temporary", "internship": "Internship"}
_ASHBY_TYPE = {"full_time": "FullTime", "part_time": "PartTime", "contract": "Contract"}
_ASHBY_TYPE |= {"temporary": "Temporary", "internship": "Intern"}
_LEVER_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "onsite": "on-site"}
_ASHBY_WORKPLACE = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite"}
_LEVER_INTERVAL = {"year": "per-year-salary", "month": "per-month-salary", "hour": "per-hour-wage"}
_ASHBY_INTERVAL = {"year": "1 YEAR", "month": "1 MONTH", "hour": "1 HOUR"}
_SR_TYPE_ID = {"full_time": "permanent", "part_time": "part_time", "contract": "contract"}
_SR_TYPE_ID |= {"temporary": "temporary", "internship": "intern"}
_RECRUITEE_TYPE = {"full_time": "fulltime_permanent", "part_time": "parttime_permanent"}
_RECRUITEE_TYPE |= {
    "contract": "freelance",
    "temporary": "fulltime_fixed_term",
    "internship": "internship",
}
_PERSONIO_TYPE = {"full_time": ("permanent", "full-time"), "part_time": ("permanent", "part-time")}
_PERSONIO_TYPE |= {
    "contract": ("freelance", "full-time"),
    "temporary": ("temporary", "full-time"),
    "internship": ("intern", "full-time"),
}
# Pinpoint has no plain contract code: "contract_temp" is its Contract / Temp.
_PINPOINT_TYPE = {
    "full_time": "permanent_full_time",
    "part_time": "permanent_part_time",
    "contract": "contract_temp",
    "temporary": "fixed_term_contract",
    "internship": "internship",
}
_BAMBOOHR_STATUS = {
    "full_time": "Full-Time",
    "part_time": "Part-Time",
    "contract": "Contractor",
    "temporary": "Temporary",
    "internship": "Intern",
}
_BAMBOOHR_LOCATION_TYPE = {"onsite": "0", "remote": "1", "hybrid": "2"}
_TEAMTAILOR_REMOTE = {"remote": "fully", "hybrid": "hybrid", "onsite": "none"}
_WORKDAY_REMOTE = {"remote": "Remote", "hybrid": "Hybrid"}  # on-site jobs carry no remoteType
_WORKDAY_TIME = {"part_time": "Part time"}  # every other type is "Full time"
_LEVELS = {"intern": "Internship", "junior": "Entry Level", "mid": "Mid-Senior Level"}
_SECOND_OFFICE = ("Lisbon", "Lisbon", "Portugal", "PT")  # no generated job is there


# ---------------------------------------------------------------- boards


@functools.lru_cache(maxsize=64)
def _generated(slug: str, count: int) -> tuple[Job, ...]:
    return tuple(generate_jobs(slug, count))


def board(site: Any, slug: str, extra: int = 0) -> list[Job]:
    """The board's postings (plus `extra` more for a route's quirk): "-N" in the name sets N."""
    sized = re.search(r"-(\d+)$", slug)
    count = min(int(sized[1]), 2000) if sized else site.postings_per_company
    return list(_generated(slug, count + extra))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _sections(job: Job) -> list[tuple[str, str]]:
    """The ad in the four parts SmartRecruiters, Personio, Workable and Recruitee split it into."""
    intro, role, duties, needs, *rest = job.blocks
    return [
        ("Company Description", blocks_html([intro])),
        ("Job Description", blocks_html([role, duties])),
        ("Qualifications", blocks_html([needs])),
        ("Additional Information", blocks_html(rest)),
    ]


def _int(query: dict, name: str, default: int) -> int:
    try:
        return int((query.get(name) or [default])[0])
    except ValueError:
        return default


def _flag(query: dict, name: str) -> bool:
    return (query.get(name) or [""])[0].lower() in ("true", "1", "yes")


# ---------------------------------------------------------------- Greenhouse, Lever, Ashby


def greenhouse_payload(slug: str, jobs: list[Job], content: bool) -> dict:
    items = []
    for job in jobs:
        location = f"Remote - {job.country}" if job.remote == "remote" else job.location
        item: dict[str, Any] = {
            "id": job.number,
            "internal_job_id": job.number - 1_500_000,
            "title": job.title,
            "absolute_url": f"https://boards.greenhouse.io/{slug}/jobs/{job.number}",
            "location": {"name": location},
            "updated_at": iso_time(job.posted_at + timedelta(days=2), -4),
            "requisition_id": f"REQ-{job.number % 10_000:04d}",
            "company_name": job.company,
            "metadata": None,
        }
        if job.n % 3:  # boards created before Greenhouse added first_published lack it
            item["first_published"] = iso_time(job.posted_at, -4)
        if content:
            item["content"] = html.escape(blocks_html(job.blocks))
            item["departments"] = [
                {"id": 40_000 + job.n, "name": job.department, "parent_id": None, "child_ids": []}
            ]
            item["offices"] = [
                {
                    "id": 50_000 + job.n,
                    "name": job.city,
                    "location": f"{job.city}, {job.region}, {job.country}",
                    "parent_id": None,
                    "child_ids": [],
                }
            ]
        items.append(item)
    return {"jobs": items, "meta": {"total": len(items)}}


def lever_payload(slug: str, jobs: list[Job]) -> list[dict]:
    items = []
    for job in jobs:
        opening, lists, closing = job.blocks[:2], job.blocks[2:4], job.blocks[4:]
        hosted = f"https://jobs.lever.co/{slug}/{job.uid}"
        item: dict[str, Any] = {
            "id": job.uid,
            "text": job.title,
            "hostedUrl": hosted,
            "applyUrl": f"{hosted}/apply",
            "categories": {
                "location": job.location,
                "commitment": _COMMITMENT[job.employment],
                "team": job.team,
                "department": job.department,
                "allLocations": [job.location],
            },
            "country": job.country_code,
            "createdAt": int(job.posted_at.timestamp() * 1000),
            "workplaceType": _LEVER_WORKPLACE[job.remote],
            "opening": blocks_html(opening),
            "openingPlain": blocks_text(opening),
            "description": blocks_html(opening),
            "descriptionPlain": blocks_text(opening),
            "descriptionBody": "",
            "descriptionBodyPlain": "",
            "lists": [
                {"text": heading, "content": "".join(f"<li>{html.escape(i)}</li>" for i in items_)}
                for _, heading, items_ in lists
            ],
            "additional": blocks_html(closing),
            "additionalPlain": blocks_text(closing),
        }
        if job.pay:
            item["salaryRange"] = {
                "min": job.pay.min,
                "max": job.pay.max,
                "currency": job.pay.currency,
                "interval": _LEVER_INTERVAL[job.pay.period],
            }
        items.append(item)
    return items


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


# ---------------------------------------------------------------- Workable


def workable_code(job: Job) -> str:
    return job.uid.replace("-", "")[:10].upper()


def workable_payload(slug: str, jobs: list[Job], details: bool) -> dict:
    rows = []
    for job in jobs:
        code = workable_code(job)
        places = [(job.city, job.region, job.country, job.country_code, False)]
        if job.n == 1:  # open in two places: listed once per place
            places.append((*_SECOND_OFFICE, False))
        if job.n == 2:  # a place the employer chose not to show
            places.append(("", None, "Germany", "DE", True))
        row: dict[str, Any] = {
            "title": job.title,
            "shortcode": code,
            "code": "",
            "employment_type": _COMMITMENT[job.employment],
            "telecommuting": job.remote == "remote",
            "department": job.department,
            "url": f"https://apply.workable.com/j/{code}",
            "shortlink": f"https://apply.workable.com/j/{code}",
            "application_url": f"https://apply.workable.com/j/{code}/apply",
            "published_on": job.posted_at.date().isoformat(),
            "created_at": (job.posted_at - timedelta(days=1)).date().isoformat(),
            "country": job.country,
            "city": job.city,
            "state": job.region,
            "education": "",
            "experience": _LEVELS.get(job.level, "Mid-Senior Level"),
            "function": job.department,
            "industry": "Computer Software",
            "locations": [
                {"country": n, "countryCode": cc, "city": c, "region": r, "hidden": hidden}
                for c, r, n, cc, hidden in places
            ],
        }
        if details:
            (_, intro), (_, role), (_, needs), (_, extra) = _sections(job)
            row |= {"description": intro + role, "requirements": needs, "benefits": extra}
        rows.extend([row] * (len(places) if job.n == 1 else 1))
    return {"name": jobs[0].company if jobs else slug, "description": None, "jobs": rows}


# ---------------------------------------------------------------- SmartRecruiters


def smartrecruiters_id(job: Job) -> str:
    return f"744000{job.number:09d}"


def _smartrecruiters_posting(slug: str, job: Job) -> dict:
    posting_id = smartrecruiters_id(job)
    return {
        "id": posting_id,
        "name": job.title,
        "uuid": job.uid,
        "jobAdId": job.uid[::-1],
        "defaultJobAd": True,
        "refNumber": f"REF{job.number % 100_000}",
        "company": {"identifier": slug, "name": job.company},
        "releasedDate": job.posted_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "location": {
            "city": job.city,
            "region": job.region,
            "country": job.country_code.lower(),
            "remote": job.remote == "remote",
            "hybrid": job.remote == "hybrid",
            "fullLocation": f"{job.city}, {job.region}, {job.country}",
        },
        "industry": {"id": "computer_software", "label": "Computer Software"},
        "department": {"id": str(40_000 + job.n), "label": job.department},
        "function": {"id": job.department.lower(), "label": job.department},
        "typeOfEmployment": {
            "id": _SR_TYPE_ID[job.employment],
            "label": _COMMITMENT[job.employment],
        },
        "experienceLevel": {"id": job.level, "label": _LEVELS.get(job.level, "Mid-Senior Level")},
        "customField": [],
        "ref": f"https://api.smartrecruiters.com/v1/companies/{slug}/postings/{posting_id}",
        "creator": {"name": "Robin Recruiter"},
        "language": {"code": "en", "label": "English", "labelNative": "English (US)"},
    }


def _smartrecruiters_detail(slug: str, job: Job) -> dict:
    page = f"https://jobs.smartrecruiters.com/{slug}/{smartrecruiters_id(job)}-{_slug(job.title).lower()}"
    names = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
    sections = {
        name: {"title": title, "text": text}
        for name, (title, text) in zip(names, _sections(job), strict=True)
    }
    return _smartrecruiters_posting(slug, job) | {
        "postingUrl": page,
        "applyUrl": f"{page}?oga=true",
        "active": True,
        "visibility": "PUBLIC",
        "jobAd": {"sections": sections},
    }


# ---------------------------------------------------------------- Recruitee


def _recruitee_time(moment: Any) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _recruitee_offer(slug: str, job: Job) -> dict:
    offer_slug = f"{_slug(job.title).lower()}-{job.n}"
    careers = f"https://{slug}.recruitee.com/o/{offer_slug}"
    (_, intro), (_, role), (_, needs), (_, extra) = _sections(job)
    pay = job.pay
    hours = 20 if job.employment == "part_time" else 40
    return {
        "id": job.number,
        "slug": offer_slug,
        "title": job.title,
        "status": "published",
        "position": job.n,
        "department": job.department,
        "location": f"{job.city}, {job.country}",
        "city": job.city,
        "country": job.country,
        "country_code": job.country_code,
        "state_code": None,
        "postal_code": None,
        "remote": job.remote == "remote",
        "hybrid": job.remote == "hybrid",
        "on_site": job.remote == "onsite",
        "careers_url": careers,
        "careers_apply_url": f"{careers}/c/new",
        "description": intro + role + extra,
        "requirements": needs,
        "employment_type_code": _RECRUITEE_TYPE[job.employment],
        "experience_code": "entry_level" if job.level in ("intern", "junior") else "experienced",
        "education_code": "bachelor_degree",
        "category_code": "it",
        "min_hours": hours,
        "max_hours": hours,
        "published_at": _recruitee_time(job.posted_at),
        "created_at": _recruitee_time(job.posted_at - timedelta(days=1)),
        "updated_at": _recruitee_time(job.posted_at + timedelta(days=1)),
        "close_at": None,
        "salary": {
            "min": f"{pay.min:.2f}" if pay else None,
            "max": f"{pay.max:.2f}" if pay else None,
            "currency": pay.currency if pay else None,
            "period": pay.period if pay else None,
        },
        "locations": [{"city": job.city, "country": job.country, "country_code": job.country_code}],
        "tags": [job.team],
        "company_name": job.company,
    }


def _pinpoint_posting(tenant: str, job: Job) -> dict:
    (_, intro), (_, role), (needs_title, needs), (extra_title, extra) = _sections(job)
    pay = job.pay
    return {
        "id": str(job.number),
        "title": job.title,
        "url": f"https://{tenant}.pinpointhq.com/en/postings/{job.uid}",
        "path": f"/en/postings/{job.uid}",
        "description": intro + role,
        "key_responsibilities_header": None,
        "key_responsibilities": "",
        "skills_knowledge_expertise_header": needs_title,
        "skills_knowledge_expertise": needs,
        "benefits_header": extra_title,
        "benefits": extra,
        "location": {
            "id": str(job.n),
            "name": f"{job.city}, {job.region}",
            "city": job.city,
            "province": job.region,
            "postal_code": "",
            "street_address": "",
        },
        "workplace_type": job.remote,
        "workplace_type_text": job.remote.title(),
        "employment_type": _PINPOINT_TYPE[job.employment],
        "employment_type_text": _PINPOINT_TYPE[job.employment].replace("_", " ").title(),
        "compensation": f"{pay.min:,.0f} - {pay.max:,.0f} {pay.currency} / {pay.period}"
        if pay
        else None,
        "compensation_visible": pay is not None,
        "compensation_minimum": pay.min if pay else None,
        "compensation_maximum": pay.max if pay else None,
        "compensation_currency": pay.currency if pay else None,
        "compensation_frequency": pay.period if pay else None,
        "deadline_at": None,
        "reporting_to": None,
        "job": {
            "id": str(job.number + 1),
            "requisition_id": f"REQ-{job.n:04d}",
            "department": {"id": str(job.n), "name": job.department},
            "division": None,
        },
    }


def _bamboohr_places(job: Job) -> tuple[dict, dict]:
    """(`location`, `atsLocation`): a remote opening states its place in the second only."""
    if job.remote == "remote":
        ats = {"country": job.country, "state": None, "province": job.region, "city": job.city}
        return {"city": None, "state": None}, ats
    return {"city": job.city, "state": job.region}, dict.fromkeys(
        ("country", "state", "province", "city")
    )


def _bamboohr_opening(job: Job) -> dict:
    location, ats = _bamboohr_places(job)
    return {
        "id": str(job.number),
        "jobOpeningName": job.title,
        "departmentId": str(18_000 + job.n),
        "departmentLabel": job.department,
        "employmentStatusLabel": _BAMBOOHR_STATUS[job.employment],
        "location": location,
        "atsLocation": ats,
        "isRemote": None,
        "locationType": _BAMBOOHR_LOCATION_TYPE[job.remote],
    }


def _bamboohr_detail(company: str, job: Job) -> dict:
    location, ats = _bamboohr_places(job)
    if job.remote != "remote":
        location |= {"postalCode": f"{10_000 + job.n}", "addressCountry": job.country}
    opening = _bamboohr_opening(job)
    del opening["id"]  # the detail names its opening by the URL alone
    opening |= {
        "jobOpeningShareUrl": f"https://{company}.bamboohr.com/careers/{job.number}",
        "jobOpeningStatus": "Open",
        "location": location,
        "atsLocation": ats,
        "description": blocks_html(job.blocks),
        "datePosted": job.posted_at.date().isoformat(),
        "minimumExperience": _LEVELS.get(job.level),
        "compensation": job.pay.text if job.pay else None,
    }
    return {"meta": {}, "result": {"jobOpening": opening}}


# ---------------------------------------------------------------- Personio and Teamtailor (XML)


def personio_id(job: Job) -> int:
    return job.number % 10_000_000


def _xml(tag: str, text: Any) -> str:
    return f"<{tag}>{escape(str(text))}</{tag}>"


def personio_feed(jobs: list[Job]) -> str:
    positions = []
    for job in jobs:
        kind, schedule = _PERSONIO_TYPE[job.employment]
        sections = "".join(
            f"<jobDescription>{_xml('name', title)}<value><![CDATA[{text}]]></value>"
            "</jobDescription>"
            for title, text in _sections(job)
        )
        more = f"<additionalOffices>{_xml('office', 'Hamburg')}</additionalOffices>"
        positions.append(
            "<position>"
            + _xml("id", personio_id(job))
            + _xml("subcompany", f"{job.company} GmbH")
            + _xml("office", job.city)
            + (more if job.n == 1 else "")
            + _xml("department", job.department)
            + _xml("recruitingCategory", job.team)
            + _xml("name", job.title)
            + f"<jobDescriptions>{sections}</jobDescriptions>"
            + _xml("employmentType", kind)
            + _xml(
                "seniority", "entry-level" if job.level in ("intern", "junior") else "experienced"
            )
            + _xml("schedule", schedule)
            + _xml("yearsOfExperience", "1-2" if job.level == "junior" else "3-5")
            + _xml("occupation", "software_and_web_development")
            + _xml("occupationCategory", "it_software")
            + _xml("createdAt", iso_time(job.posted_at, 2))
            + "</position>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>{"".join(positions)}</workzag-jobs>'
    )


def teamtailor_id(job: Job) -> int:
    return job.number % 10_000_000


def teamtailor_feed(slug: str, jobs: list[Job]) -> str:
    items = []
    for job in jobs:
        link = f"https://{slug}.teamtailor.com/jobs/{teamtailor_id(job)}-{_slug(job.title).lower()}"
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


# ---------------------------------------------------------------- Workday


def workday_path(job: Job) -> str:
    req = f"JR-{job.number % 1_000_000:06d}"
    return f"/job/{_slug(job.city)}-{_slug(job.region)}/{_slug(job.title)}_{req}"


def _posted_label(job: Job) -> str:
    days = (ANCHOR.date() - job.posted_at.date()).days
    if days >= 30:
        return "Posted 30+ Days Ago"
    return {0: "Posted Today", 1: "Posted Yesterday"}.get(days, f"Posted {days} Days Ago")


def _workday_listing(job: Job) -> dict:
    item: dict[str, Any] = {
        "title": job.title,
        "externalPath": workday_path(job),
        "locationsText": "2 Locations" if job.n == 1 else f"{job.city}, {job.region}",
        "postedOn": _posted_label(job),
        "bulletFields": [workday_path(job).rsplit("_", 1)[1]],
    }
    if job.remote in _WORKDAY_REMOTE:
        item["remoteType"] = _WORKDAY_REMOTE[job.remote]
    return item


def _workday_detail(tenant: str, site: str, job: Job) -> dict:
    path = workday_path(job)
    info: dict[str, Any] = {
        "id": job.uid.replace("-", ""),
        "title": job.title,
        "jobDescription": blocks_html(job.blocks),
        "location": f"{job.city}, {job.region}",
        "additionalLocations": [f"{_SECOND_OFFICE[0]}, {_SECOND_OFFICE[1]}"] if job.n == 1 else [],
        "postedOn": _posted_label(job),
        "startDate": job.posted_at.date().isoformat(),
        "timeType": _WORKDAY_TIME.get(job.employment, "Full time"),
        "jobReqId": path.rsplit("_", 1)[1],
        "jobPostingId": path.rsplit("/", 1)[1],
        "jobPostingSiteId": site,
        "country": {"descriptor": job.country, "id": job.uid[:32]},
        "canApply": True,
        "posted": True,
        "includeResumeParsing": True,
        "externalUrl": f"https://{tenant}.wd5.myworkdayjobs.com/{site}{path}",
    }
    if job.remote in _WORKDAY_REMOTE:
        info["remoteType"] = _WORKDAY_REMOTE[job.remote]
    return {
        "jobPostingInfo": info,
        "hiringOrganization": {"name": job.company, "url": ""},
        "similarJobs": [],
        "userAuthenticated": False,
    }


# ---------------------------------------------------------------- routes


def _greenhouse(site: Any, query: dict, body: bytes, token: str) -> Reply:
    return Reply.json(greenhouse_payload(token, board(site, token), _flag(query, "content")))


def _greenhouse_job(site: Any, query: dict, body: bytes, token: str, number: str) -> Reply:
    """One job; with ?pay_transparency=true its pay ranges, which only boards named "paid..."
    publish."""
    jobs = board(site, token)
    items = greenhouse_payload(token, jobs, content=True)["jobs"]
    found = [
        (job, item) for job, item in zip(jobs, items, strict=True) if item["id"] == int(number)
    ]
    if not found:
        return Reply.json({"status": 404, "error": "Job not found"}, status=404)
    [(job, item)] = found
    if _flag(query, "pay_transparency"):
        pay = job.pay if token.startswith("paid") else None
        kind = {"hour": "Hourly", "month": "Monthly"}.get(pay.period, "Salary") if pay else ""
        item["pay_input_ranges"] = (
            [
                {
                    "min_cents": pay.min * 100,
                    "max_cents": pay.max * 100,
                    "currency_type": pay.currency,
                    "title": f"{job.city} {kind} Range",
                    "blurb": "In order to provide transparency, we share the pay range.",
                }
            ]
            if pay
            else []
        )
    return Reply.json(item)


def _lever(site: Any, query: dict, body: bytes, name: str) -> Reply:
    postings = lever_payload(name, board(site, name))
    skip = _int(query, "skip", 0)
    limit = _int(query, "limit", len(postings))
    return Reply.json(postings[skip : skip + limit])


def _ashby(site: Any, query: dict, body: bytes, name: str) -> Reply:
    *jobs, unlisted = board(site, name, extra=1)
    compensation = _flag(query, "includeCompensation")
    return Reply.json(ashby_payload(name, jobs, unlisted, compensation))


def _workable(site: Any, query: dict, body: bytes, account: str) -> Reply:
    return Reply.json(workable_payload(account, board(site, account), _flag(query, "details")))


def _smartrecruiters_list(site: Any, query: dict, body: bytes, company: str) -> Reply:
    jobs = board(site, company, extra=1)  # the extra one closes before its detail is read
    offset = max(0, _int(query, "offset", 0))
    limit = min(max(1, _int(query, "limit", 10)), 100)
    if offset and company.startswith("brokenpage"):
        return Reply(503, "text/plain", "Service Unavailable")
    content = [_smartrecruiters_posting(company, job) for job in jobs[offset : offset + limit]]
    # A "short" board announces more than it serves: its paging ends before its total.
    found = len(jobs) + (50 if company.startswith("short") else 0)
    return Reply.json({"offset": offset, "limit": limit, "totalFound": found, "content": content})


def _smartrecruiters_posting_route(
    site: Any, query: dict, body: bytes, company: str, posting_id: str
) -> Reply:
    jobs = board(site, company, extra=1)[:-1]  # the last one has closed
    job = next((j for j in jobs if smartrecruiters_id(j) == posting_id), None)
    if job is None:
        gone = {"code": "NOT_FOUND", "message": f"Posting {posting_id} not found"}
        return Reply.json(gone, status=404)
    return Reply.json(_smartrecruiters_detail(company, job))


def _recruitee(site: Any, query: dict, body: bytes, company: str) -> Reply:
    return Reply.json({"offers": [_recruitee_offer(company, job) for job in board(site, company)]})


def _pinpoint(site: Any, query: dict, body: bytes, tenant: str) -> Reply:
    return Reply.json({"data": [_pinpoint_posting(tenant, job) for job in board(site, tenant)]})


def _bamboohr_list(site: Any, query: dict, body: bytes, company: str) -> Reply:
    openings = [_bamboohr_opening(job) for job in board(site, company)]
    return Reply.json({"meta": {"totalCount": len(openings)}, "result": openings})


def _bamboohr_job(site: Any, query: dict, body: bytes, company: str, job_id: str) -> Reply:
    job = next((j for j in board(site, company) if str(j.number) == job_id), None)
    if job is None:
        return Reply.json({"error": "Job opening not found"}, status=404)
    return Reply.json(_bamboohr_detail(company, job))


def _personio(site: Any, query: dict, body: bytes, company: str) -> Reply:
    return Reply(200, "application/xml", personio_feed(board(site, company)))


def _teamtailor(site: Any, query: dict, body: bytes, company: str) -> Reply:
    offset = max(0, _int(query, "offset", 0))
    jobs = board(site, company)[offset : offset + max(1, _int(query, "per_page", 100))]
    return Reply(200, "application/rss+xml", teamtailor_feed(company, jobs))


def _workday_search(site: Any, query: dict, body: bytes, tenant: str, name: str) -> Reply:
    try:
        search = json.loads(body or b"{}")
        limit, offset = int(search.get("limit", 20)), int(search.get("offset", 0))
    except (ValueError, TypeError, AttributeError):
        return Reply.json({"errorCode": "HTTP_400", "message": "Invalid request"}, status=400)
    if not 1 <= limit <= 20:
        return Reply.json({"errorCode": "HTTP_400", "message": "Invalid limit"}, status=400)
    jobs = board(site, tenant)
    page = [_workday_listing(job) for job in jobs[offset : offset + limit]]
    total = len(jobs) if offset == 0 else 0  # Workday states the total on the first page only
    return Reply.json(
        {"total": total, "jobPostings": page, "facets": [], "userAuthenticated": False}
    )


def _workday_job(site: Any, query: dict, body: bytes, tenant: str, name: str, path: str) -> Reply:
    jobs = board(site, tenant)
    job = next((j for j in jobs if workday_path(j) == f"/job/{path}"), None)
    if job is None or name == "Gone":
        return Reply.json({"errorCode": "HTTP_404", "message": "Not Found"}, status=404)
    return Reply.json(_workday_detail(tenant, name, job))


_NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
_ROUTES: list[tuple[str, re.Pattern, Callable[..., Reply]]] = [
    ("GET", re.compile(rf"/greenhouse/v1/boards/{_NAME}/jobs/?"), _greenhouse),
    ("GET", re.compile(rf"/greenhouse/v1/boards/{_NAME}/jobs/(\d+)/?"), _greenhouse_job),
    ("GET", re.compile(rf"/lever/v0/postings/{_NAME}/?"), _lever),
    ("GET", re.compile(rf"/ashby/posting-api/job-board/{_NAME}/?"), _ashby),
    ("GET", re.compile(rf"/workable/api/v1/widget/accounts/{_NAME}/?"), _workable),
    (
        "GET",
        re.compile(rf"/smartrecruiters/v1/companies/{_NAME}/postings/?"),
        _smartrecruiters_list,
    ),
    (
        "GET",
        re.compile(rf"/smartrecruiters/v1/companies/{_NAME}/postings/(\d+)/?"),
        _smartrecruiters_posting_route,
    ),
    ("GET", re.compile(rf"/recruitee/{_NAME}/api/offers/?"), _recruitee),
    ("GET", re.compile(rf"/pinpoint/{_NAME}/postings\.json"), _pinpoint),
    ("GET", re.compile(rf"/bamboohr/{_NAME}/careers/list/?"), _bamboohr_list),
    ("GET", re.compile(rf"/bamboohr/{_NAME}/careers/(\d+)/detail/?"), _bamboohr_job),
    ("GET", re.compile(rf"/personio/{_NAME}/xml/?"), _personio),
    ("GET", re.compile(rf"/teamtailor/{_NAME}/jobs\.rss"), _teamtailor),
    ("POST", re.compile(rf"/workday/wday/cxs/{_NAME}/{_NAME}/jobs/?"), _workday_search),
    ("GET", re.compile(rf"/workday/wday/cxs/{_NAME}/{_NAME}/job/(.+)"), _workday_job),
]


def respond(site: Any, method: str, path: str, query: dict, body: bytes) -> Reply | None:
    """The ATS API reply for this request, or None when the path is not an ATS API's."""
    for verb, pattern, handler in _ROUTES:
        if method == verb and (match := pattern.fullmatch(path)):
            return handler(site, query, body, *match.groups())
    return None
