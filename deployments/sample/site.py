"""A sample careers site on 127.0.0.1, for the demo (`make run`), the tests and the benchmark.

It speaks the three ATS job-board APIs the pipeline reads and serves two kinds of careers pages:

  GET /greenhouse/v1/boards/{token}/jobs[?content=true]     Greenhouse Job Board API shape
  GET /lever/v0/postings/{site}[?mode=json]                 Lever Postings API shape
  GET /ashby/posting-api/job-board/{board}[?includeCompensation=true]   Ashby Job Posting API
  GET /jsonld/{slug}/careers, /jsonld/{slug}/jobs/{n}       listing + schema.org JobPosting pages
  GET /html/{slug}/careers, /html/{slug}/jobs/{n}           listing + plain HTML detail pages
  GET /{jsonld,html}/{slug}/about, .../privacy              ordinary non-job pages
  anything else                                             404

Any slug works. Its postings are generated from `random.Random(slug)`, so a slug always gives the
same postings, with varied titles, seniority, skills, work arrangements, employment types and
salary wording (some postings state no salary). Every response first waits `latency_s`.
The Ashby board also carries one unlisted posting beyond `postings_per_company`.

Run it in the foreground with `python -m deployments.sample.site [--port P] [--latency S]`.
"""

import argparse
import contextlib
import html
import json
import logging
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

# Postings are dated back from a fixed day so the same slug always gives the same postings.
ANCHOR = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)

_DEMO = [
    # (name, source, slug, what the company does)
    ("Acme Robotics", "greenhouse", "acmerobotics", "builds warehouse robots for online retailers"),
    ("Globex Logistics", "lever", "globex", "runs a freight platform for mid-sized shippers"),
    ("Initech Health", "ashby", "initech", "makes scheduling software for hospitals"),
    ("Northwind Analytics", "jsonld", "northwind-analytics", "sells analytics for retail chains"),
    ("Bluebird Energy", "html", "bluebird-energy", "installs and operates community solar farms"),
]
_BLURBS = [
    "builds payment infrastructure for marketplaces",
    "develops open-source tooling for data teams",
    "makes accounting software for small businesses",
    "operates a network of electric-vehicle chargers",
    "builds collaboration tools for design teams",
]
# (role, department, skill family, manager title)
_ROLES = [
    ("Software Engineer", "Engineering", "eng", "Engineering Manager, Platform"),
    ("Backend Engineer", "Engineering", "eng", "Engineering Manager, Backend"),
    ("Frontend Engineer", "Engineering", "web", "Engineering Manager, Web"),
    ("Site Reliability Engineer", "Infrastructure", "ops", "Engineering Manager, Infrastructure"),
    ("Data Engineer", "Data", "data", "Engineering Manager, Data"),
    ("Data Scientist", "Data", "data", "Data Science Manager"),
    ("Machine Learning Engineer", "Data", "ml", "Engineering Manager, Machine Learning"),
    ("Product Designer", "Design", "design", "Design Manager"),
    ("Product Manager", "Product", "product", "Group Product Manager"),
    ("Account Executive", "Sales", "sales", "Sales Manager, Mid-Market"),
]
_TEAMS = ["Platform", "Payments", "Growth", "Core Experience", "Insights", "Integrations"]
_SKILLS = {
    "eng": ["Python", "Go", "Java", "PostgreSQL", "Kubernetes", "AWS", "Docker", "Kafka", "gRPC"],
    "web": ["React", "TypeScript", "JavaScript", "GraphQL", "CSS", "Next.js", "Node.js"],
    "ops": ["Kubernetes", "Terraform", "AWS", "GCP", "Prometheus", "Linux", "Go", "Python"],
    "data": ["Python", "SQL", "Spark", "Airflow", "dbt", "Snowflake", "AWS", "Kafka"],
    "ml": ["Python", "PyTorch", "SQL", "Kubernetes", "AWS", "Spark", "TensorFlow"],
    "design": ["Figma", "user research", "prototyping", "design systems", "HTML", "CSS"],
    "product": ["SQL", "Jira", "A/B testing", "product analytics", "Amplitude"],
    "sales": ["Salesforce", "HubSpot", "negotiation", "SaaS sales", "forecasting"],
}
_DUTIES = {
    "eng": [
        "design and build reliable backend services",
        "own features from design doc to production",
        "improve our test coverage and deployment pipelines",
        "review code and help teammates grow",
    ],
    "web": [
        "build fast, accessible user interfaces",
        "turn designs into polished, reusable components",
        "improve page performance across the product",
        "work closely with designers and backend engineers",
    ],
    "ops": [
        "keep production infrastructure healthy and observable",
        "automate infrastructure as code",
        "lead incident response and write blameless postmortems",
        "reduce cloud costs without hurting reliability",
    ],
    "data": [
        "build and maintain batch and streaming data pipelines",
        "model data for analytics and reporting",
        "add data quality checks and alerting",
        "partner with analysts to answer business questions",
    ],
    "ml": [
        "train, evaluate and ship machine learning models",
        "build feature pipelines and model monitoring",
        "run experiments and share the results",
        "serve models at low latency with the platform team",
    ],
    "design": [
        "design end-to-end product experiences",
        "run user interviews and usability tests",
        "contribute to our design system",
        "prototype ideas quickly and iterate with engineers",
    ],
    "product": [
        "own the roadmap for a product area",
        "talk to customers every week",
        "write clear specs and define success metrics",
        "ship iteratively with engineering and design",
    ],
    "sales": [
        "run the full sales cycle from first call to signed contract",
        "build relationships with decision makers at mid-market companies",
        "keep an accurate forecast in our CRM",
        "work with solutions engineers on technical evaluations",
    ],
}
# level: (years of experience, yearly USD base, sentence about the level)
_LEVELS = {
    "intern": (0, 0, "You will be paired with a mentor and ship real work from your first week."),
    "junior": (
        1,
        70_000,
        "This is a great early-career role with plenty of support from the team.",
    ),
    "mid": (3, 100_000, "You will work independently on well-scoped projects."),
    "senior": (5, 140_000, "You will lead technical projects and set standards for quality."),
    "staff": (8, 175_000, "You will shape the technical direction across several teams."),
    "principal": (10, 205_000, "You will drive our hardest, most ambiguous problems company-wide."),
    "manager": (6, 170_000, "You will manage a team of five to eight people, run 1:1s and hire."),
    "director": (10, 215_000, "You will lead several teams and report to the VP."),
}
_PLACES = {  # currency: (city, region, country, ISO country code)
    "USD": [
        ("San Francisco", "CA", "United States", "US"),
        ("New York", "NY", "United States", "US"),
        ("Austin", "TX", "United States", "US"),
        ("Seattle", "WA", "United States", "US"),
    ],
    "EUR": [
        ("Berlin", "Berlin", "Germany", "DE"),
        ("Amsterdam", "North Holland", "Netherlands", "NL"),
        ("Paris", "Île-de-France", "France", "FR"),
        ("Munich", "Bavaria", "Germany", "DE"),
    ],
    "GBP": [
        ("London", "England", "United Kingdom", "GB"),
        ("Manchester", "England", "United Kingdom", "GB"),
    ],
    "CAD": [("Toronto", "ON", "Canada", "CA"), ("Vancouver", "BC", "Canada", "CA")],
}
_FACTOR = {"USD": 1.0, "EUR": 0.6, "GBP": 0.55, "CAD": 0.85}
_YEARLY_TEXT = {
    "USD": ["${lo:,} - ${hi:,} per year", "${klo}K\N{EN DASH}${khi}K annually"],
    "EUR": ["€{klo}k\N{EN DASH}{khi}k", "EUR {lo:,} \N{EN DASH} {hi:,} per annum"],
    "GBP": ["£{lo:,} to £{hi:,} annually", "£{klo}k-£{khi}k per annum"],
    "CAD": ["CA${lo:,} - CA${hi:,} per year", "CAD {lo:,}\N{EN DASH}{hi:,} annually"],
}
_MONTHLY_TEXT = {
    "USD": "${lo:,} - ${hi:,} per month",
    "EUR": "€{lo:,} per month",
    "GBP": "£{lo:,} a month",
    "CAD": "CAD {lo:,}/month",
}
_HOURLY_TEXT = {
    "USD": ["USD {lo}/hour", "${lo}\N{EN DASH}${hi} per hour"],
    "EUR": ["€{lo}-{hi} per hour"],
    "GBP": ["£{lo} per hour"],
    "CAD": ["CAD {lo}-{hi}/hr"],
}
_REMOTE_TEXT = {
    "remote": [
        "This position is fully remote within {country}.",
        "We are remote-first: work from anywhere in {country} and meet the team twice a year.",
    ],
    "hybrid": [
        "This is a hybrid role: we are in our {city} office three days a week.",
        "Hybrid working: two days per week in the {city} office, the rest from home.",
    ],
    "onsite": [
        "This role is on-site at our {city} office.",
        "You will work on-site in {city}, five days a week, alongside the team.",
    ],
}
_EMPLOYMENT_TEXT = {
    "full_time": ["This is a full-time, permanent position.", "Full-time employment."],
    "part_time": [
        "This is a part-time role (20 to 24 hours per week).",
        "Part-time, three days a week.",
    ],
    "contract": [
        "This is a 6-month contract with the possibility of extension.",
        "Contract role, initially for 3 months.",
    ],
    "temporary": ["This is a temporary, fixed-term position for 9 months (parental leave cover)."],
    "internship": [
        "This is a paid 12-week summer internship.",
        "Paid internship for 6 months, starting in January.",
    ],
}
_SALARY_TEXT = [
    "The salary range for this role is {pay}.",
    "Compensation: {pay}.",
    "Pay: {pay}, depending on experience.",
]
_NO_SALARY_TEXT = [
    "We offer a competitive compensation package.",
    "Compensation is discussed in the first call.",
]
_BENEFITS = {
    "US": "Benefits include health, dental and vision insurance and a 401(k) match.",
    "other": "Benefits include health insurance, 25 days of vacation and a learning budget.",
}
_GH_COMMITMENT = {"full_time": "Full-time", "part_time": "Part-time", "contract": "Contract"}
_GH_COMMITMENT |= {"temporary": "Temporary", "internship": "Internship"}
_ASHBY_TYPE = {"full_time": "FullTime", "part_time": "PartTime", "contract": "Contract"}
_ASHBY_TYPE |= {"temporary": "Temporary", "internship": "Intern"}
_SCHEMA_TYPE = {"full_time": "FULL_TIME", "part_time": "PART_TIME", "contract": "CONTRACTOR"}
_SCHEMA_TYPE |= {"temporary": "TEMPORARY", "internship": "INTERN"}
_LEVER_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "onsite": "on-site"}
_ASHBY_WORKPLACE = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite"}
_LEVER_INTERVAL = {"year": "per-year-salary", "month": "per-month-salary", "hour": "per-hour-wage"}
_ASHBY_INTERVAL = {"year": "1 YEAR", "month": "1 MONTH", "hour": "1 HOUR"}


@dataclass(frozen=True)
class Pay:
    min: int
    max: int
    currency: str
    period: str  # "year" | "month" | "hour"
    text: str


@dataclass(frozen=True)
class Job:
    """One generated posting; every source format renders the same Job."""

    n: int
    slug: str
    company: str
    title: str
    level: str
    department: str
    team: str
    city: str
    region: str
    country: str
    country_code: str
    remote: str  # "remote" | "hybrid" | "onsite"
    employment: str  # an EmploymentType value
    pay: Pay | None
    posted_at: datetime
    uid: str  # a UUID, for Lever and Ashby
    number: int  # a numeric id, for Greenhouse
    blocks: tuple  # ("p", text) or ("ul", heading, items)

    @property
    def location(self) -> str:
        return f"{self.city}, {self.country}"


def company_name(slug: str) -> str:
    for name, _, demo_slug, _ in _DEMO:
        if demo_slug == slug:
            return name
    return " ".join(word.capitalize() for word in re.split(r"[-_.]+", slug) if word) or slug


def generate_jobs(slug: str, count: int) -> list[Job]:
    """`count` postings for a company slug; posting n depends only on the slug and n."""
    rng = random.Random(slug)
    roles = rng.sample(_ROLES, len(_ROLES))
    levels = rng.sample(list(_LEVELS), len(_LEVELS))
    remotes = rng.sample(["remote", "hybrid", "onsite"], 3)
    no_pay_at = rng.randrange(4)
    blurb = next((b for _, _, s, b in _DEMO if s == slug), rng.choice(_BLURBS))
    base_id = rng.randrange(4_000_000, 7_000_000)
    return [
        _job(slug, n, roles, levels, remotes, (n - 1) % 4 == no_pay_at, blurb, base_id)
        for n in range(1, count + 1)
    ]


def _job(slug, n, roles, levels, remotes, no_pay, blurb, base_id) -> Job:
    rng = random.Random(f"{slug}#{n}")
    k = n - 1
    role, department, family, manager_title = roles[k % len(roles)]
    level = levels[k % len(levels)]
    title = {
        "intern": f"{role} Intern",
        "junior": f"Junior {role}",
        "mid": role,
        "senior": f"Senior {role}",
        "staff": f"Staff {role}",
        "principal": f"Principal {role}",
        "manager": manager_title,
        "director": f"Director of {department}",
    }[level]
    if level == "intern":
        employment = "internship"
    elif level in ("mid", "junior", "senior"):
        employment = rng.choices(["full_time", "part_time", "contract", "temporary"], [6, 1, 2, 1])[
            0
        ]
    else:
        employment = "full_time"
    currency = rng.choices(list(_PLACES), [45, 25, 15, 15])[0]
    city, region, country, code = rng.choice(_PLACES[currency])
    remote = remotes[k % 3]
    pay = None if no_pay else _pay(rng, level, employment, currency)
    company = company_name(slug)
    skills = rng.sample(_SKILLS[family], 4)
    duties = rng.sample(_DUTIES[family], 3)
    years, _, level_text = _LEVELS[level]
    article = "an" if title[0] in "AEIOU" else "a"
    where = (
        f"our distributed {department} team"
        if remote == "remote"
        else f"our {department} team in {city}"
    )
    requirements = [
        f"{years}+ years of professional experience with {skills[0]} and {skills[1]}"
        if years
        else f"Currently studying towards a degree, with coursework or projects using {skills[0]}",
        f"Hands-on experience with {skills[2]}",
        f"Familiarity with {skills[3]} is a plus",
        "Clear written and verbal communication in English",
    ]
    blocks = (
        ("p", f"{company} {blurb}. We are looking for {article} {title} to join {where}."),
        ("p", f"In this role you will {duties[0]} and {duties[1]}. {level_text}"),
        ("ul", "What you'll do", [d[0].upper() + d[1:] for d in duties]),
        ("ul", "What we're looking for", requirements),
        ("p", rng.choice(_REMOTE_TEXT[remote]).format(city=city, country=country)),
        ("p", rng.choice(_EMPLOYMENT_TEXT[employment])),
        (
            "p",
            rng.choice(_SALARY_TEXT).format(pay=pay.text) if pay else rng.choice(_NO_SALARY_TEXT),
        ),
        ("p", _BENEFITS["US" if code == "US" else "other"]),
    )
    posted = ANCHOR - timedelta(
        days=rng.randint(1, 45), hours=rng.randint(0, 12), minutes=rng.randint(0, 59)
    )
    return Job(
        n=n,
        slug=slug,
        company=company,
        title=title,
        level=level,
        department=department,
        team=rng.choice(_TEAMS),
        city=city,
        region=region,
        country=country,
        country_code=code,
        remote=remote,
        employment=employment,
        pay=pay,
        posted_at=posted,
        uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        number=base_id + n * 97,
        blocks=blocks,
    )


def _round(value: float, step: int) -> int:
    return max(step, round(value / step) * step)


def _pay(rng: random.Random, level: str, employment: str, currency: str) -> Pay:
    _, base, _ = _LEVELS[level]
    if employment == "internship":
        lo = _round(
            {"USD": 6000, "EUR": 1800, "GBP": 1900, "CAD": 4500}[currency] * rng.uniform(0.9, 1.2),
            100,
        )
        template = _MONTHLY_TEXT[currency]
        hi = lo + 1000 if "{hi" in template else lo
        return Pay(lo, hi, currency, "month", template.format(lo=lo, hi=hi))
    yearly = base * _FACTOR[currency] * rng.uniform(0.9, 1.1)
    if employment in ("part_time", "contract", "temporary"):
        lo = _round(yearly / 2080, 5)
        template = rng.choice(_HOURLY_TEXT[currency])
        hi = lo + 5 * rng.randint(2, 4) if "{hi" in template else lo
        return Pay(lo, hi, currency, "hour", template.format(lo=lo, hi=hi))
    lo = _round(yearly, 5000)
    hi = _round(lo * rng.uniform(1.15, 1.3), 5000)
    text = rng.choice(_YEARLY_TEXT[currency]).format(lo=lo, hi=hi, klo=lo // 1000, khi=hi // 1000)
    return Pay(lo, hi, currency, "year", text)


# ---------------------------------------------------------------- rendering


def _html(blocks) -> str:
    out = []
    for block in blocks:
        if block[0] == "p":
            out.append(f"<p>{html.escape(block[1])}</p>")
        else:
            items = "".join(f"<li>{html.escape(item)}</li>" for item in block[2])
            out.append(f"<h3>{html.escape(block[1])}</h3><ul>{items}</ul>")
    return "".join(out)


def _plain(blocks) -> str:
    out = []
    for block in blocks:
        if block[0] == "p":
            out.append(block[1])
        else:
            out.append(block[1] + "\n" + "\n".join(f"- {item}" for item in block[2]))
    return "\n\n".join(out)


def _iso(moment: datetime, offset_h: int = 0) -> str:
    return moment.astimezone(timezone(timedelta(hours=offset_h))).isoformat(timespec="seconds")


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
            "updated_at": _iso(job.posted_at + timedelta(days=2), -4),
            "requisition_id": f"REQ-{job.number % 10_000:04d}",
            "company_name": job.company,
            "metadata": None,
        }
        if job.n % 3:  # boards created before Greenhouse added first_published lack it
            item["first_published"] = _iso(job.posted_at, -4)
        if content:
            item["content"] = html.escape(_html(job.blocks))
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
                "commitment": _GH_COMMITMENT[job.employment],
                "team": job.team,
                "department": job.department,
                "allLocations": [job.location],
            },
            "country": job.country_code,
            "createdAt": int(job.posted_at.timestamp() * 1000),
            "workplaceType": _LEVER_WORKPLACE[job.remote],
            "opening": _html(opening),
            "openingPlain": _plain(opening),
            "description": _html(opening),
            "descriptionPlain": _plain(opening),
            "descriptionBody": "",
            "descriptionBodyPlain": "",
            "lists": [
                {"text": heading, "content": "".join(f"<li>{html.escape(i)}</li>" for i in items_)}
                for _, heading, items_ in lists
            ],
            "additional": _html(closing),
            "additionalPlain": _plain(closing),
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
            "descriptionHtml": _html(job.blocks),
            "descriptionPlain": _plain(job.blocks),
            "shouldDisplayCompensationOnJobPostings": job.pay is not None,
        }
        if compensation:
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
            item["compensation"] = {
                "compensationTierSummary": summary,
                "scrapeableCompensationSalarySummary": summary,
                "compensationTiers": [],
                "summaryComponents": components,
            }
        items.append(item)
    return {"apiVersion": "1", "jobs": items}


def job_posting_jsonld(job: Job, url: str) -> dict:
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": _html(job.blocks),
        "identifier": {
            "@type": "PropertyValue",
            "name": job.company,
            "value": f"JOB-{1000 + job.n}",
        },
        # Some sites give a date, others a full timestamp: readers must take both.
        "datePosted": job.posted_at.date().isoformat() if job.n % 2 else _iso(job.posted_at, 1),
        "validThrough": (job.posted_at + timedelta(days=60)).date().isoformat(),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "hiringOrganization": {
            "@type": "Organization",
            "name": job.company,
            "sameAs": "https://example.com/",
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": job.city,
                "addressRegion": job.region,
                "addressCountry": job.country,
            },
        },
        "url": url,
    }
    if job.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": job.country}
    if job.pay:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": job.pay.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": job.pay.min,
                "maxValue": job.pay.max,
                "unitText": job.pay.period.upper(),
            },
        }
    return data


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{head}</head>\n<body>{body}</body></html>\n"
    )


def _nav(kind: str, slug: str) -> str:
    return (
        f'<header><nav><a href="/{kind}/{slug}/careers">Careers</a> '
        f'<a href="/{kind}/{slug}/about">About us</a> '
        f'<a href="/{kind}/{slug}/privacy">Privacy policy</a> '
        '<a href="https://example.com/">Our blog</a> '
        '<a href="mailto:jobs@example.com">Contact</a></nav></header>'
    )


def listing_page(kind: str, slug: str, jobs: list[Job]) -> str:
    rows = []
    for job in jobs:
        # Mix path-relative and root-relative links so readers must resolve both.
        href = f"jobs/{job.n}" if job.n % 2 else f"/{kind}/{slug}/jobs/{job.n}"
        title, location = html.escape(job.title), html.escape(job.location)
        rows.append(f'<li><a href="{href}">{title}</a> <span>{location}</span></li>')
    company = html.escape(company_name(slug))
    body = (
        f"{_nav(kind, slug)}<main><h1>Careers at {company}</h1>"
        f'<p>Join us! <a href="#openings">See open positions</a>.</p>'
        f'<h2 id="openings">Open positions</h2><ul class="jobs">{"".join(rows)}</ul></main>'
        f'<footer><a href="/{kind}/{slug}/privacy">Privacy</a> · © {company}</footer>'
    )
    return _page(f"Careers at {company_name(slug)}", body)


def detail_page(kind: str, slug: str, job: Job, url: str) -> str:
    head = ""
    if kind == "jsonld":
        data: dict[str, Any] = job_posting_jsonld(job, url)
        if job.n == 2:  # one page nests its JobPosting in an @graph, as many CMSs do
            data.pop("@context")
            data = {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebPage", "@id": url, "name": job.title},
                    {"@type": "Organization", "name": job.company, "url": "https://example.com/"},
                    data,
                ],
            }
        block = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        head = f'<script type="application/ld+json">{block}</script>'
    body = (
        f"{_nav(kind, slug)}<main><h1>{html.escape(job.title)}</h1>"
        f'<p class="location">{html.escape(job.location)}</p>'
        f'<div class="description">{_html(job.blocks)}</div>'
        f'<p><a class="apply" href="mailto:jobs@example.com">Apply now</a></p></main>'
    )
    return _page(f"{job.title} at {job.company}", body, head)


def info_page(kind: str, slug: str, page: str) -> str:
    company = html.escape(company_name(slug))
    text = {
        "about": f"<h1>About {company}</h1><p>We are a small team that cares about customers.</p>",
        "privacy": "<h1>Privacy policy</h1><p>We keep the data you send us only as needed.</p>",
    }[page]
    return _page(
        f"{page.capitalize()} · {company_name(slug)}", f"{_nav(kind, slug)}<main>{text}</main>"
    )


# ---------------------------------------------------------------- the server

_SLUG = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
_ROUTES = [
    ("greenhouse", re.compile(rf"/greenhouse/v1/boards/{_SLUG}/jobs/?")),
    ("lever", re.compile(rf"/lever/v0/postings/{_SLUG}/?")),
    ("ashby", re.compile(rf"/ashby/posting-api/job-board/{_SLUG}/?")),
    ("listing", re.compile(rf"/(jsonld|html)/{_SLUG}/careers")),
    ("detail", re.compile(rf"/(jsonld|html)/{_SLUG}/jobs/(\d+)/?")),
    ("info", re.compile(rf"/(jsonld|html)/{_SLUG}/(about|privacy)/?")),
]


def _flag(query: dict, name: str) -> bool:
    return (query.get(name) or [""])[0].lower() in ("true", "1", "yes")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    site: "SampleSite"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections give their thread back after this
    server_version = "SampleCareers/1.0"

    def do_GET(self) -> None:
        site = self.server.site
        site._served()
        if site.latency_s > 0:
            time.sleep(site.latency_s)
        try:
            status, content_type, body = site.respond(self.path)
        except Exception:
            logger.exception("sample site failed on %s", self.path)
            status, content_type, body = 500, "text/html", _page("Error", "<h1>500</h1>")
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)


class SampleSite:
    """The sample careers site, served from a daemon thread on 127.0.0.1."""

    def __init__(self, latency_s: float = 0.0, postings_per_company: int = 4, port: int = 0):
        self.latency_s = latency_s
        self.postings_per_company = postings_per_company
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._requests = 0

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SampleSite is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._requests

    def _served(self) -> None:
        with self._lock:
            self._requests += 1

    def start(self) -> "SampleSite":
        if self._server is not None:
            raise RuntimeError("SampleSite is already started")
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.site = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="sample-site",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> "SampleSite":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def respond(self, target: str) -> tuple[int, str, str]:
        """(status, content type, body) for a request target such as "/lever/v0/postings/x"."""
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        count = self.postings_per_company
        for name, pattern in _ROUTES:
            match = pattern.fullmatch(parts.path)
            if not match:
                continue
            if name == "greenhouse":
                jobs = generate_jobs(match[1], count)
                return (
                    200,
                    "application/json",
                    json.dumps(greenhouse_payload(match[1], jobs, _flag(query, "content"))),
                )
            if name == "lever":
                return (
                    200,
                    "application/json",
                    json.dumps(lever_payload(match[1], generate_jobs(match[1], count))),
                )
            if name == "ashby":
                *jobs, unlisted = generate_jobs(match[1], count + 1)
                payload = ashby_payload(
                    match[1], jobs, unlisted, _flag(query, "includeCompensation")
                )
                return 200, "application/json", json.dumps(payload)
            kind, slug = match[1], match[2]
            if name == "listing":
                return 200, "text/html", listing_page(kind, slug, generate_jobs(slug, count))
            if name == "info":
                return 200, "text/html", info_page(kind, slug, match[3])
            n = int(match[3])
            if 1 <= n <= count:
                job = generate_jobs(slug, n)[-1]
                return (
                    200,
                    "text/html",
                    detail_page(kind, slug, job, f"{self.base_url}/{kind}/{slug}/jobs/{n}"),
                )
            break
        body = f"<h1>404 Not Found</h1><p>Nothing at {html.escape(parts.path)}.</p>"
        return 404, "text/html", _page("Not found", body)


def demo_companies(base_url: str) -> list[dict]:
    """The companies-file entries of the demo: one fictional company per source format."""
    base = base_url.rstrip("/")
    api = {
        "greenhouse": (
            "https://boards.greenhouse.io/{s}",
            "{b}/greenhouse/v1/boards/{s}/jobs?content=true",
        ),
        "lever": ("https://jobs.lever.co/{s}", "{b}/lever/v0/postings/{s}?mode=json"),
        "ashby": (
            "https://jobs.ashbyhq.com/{s}",
            "{b}/ashby/posting-api/job-board/{s}?includeCompensation=true",
        ),
    }
    entries = []
    for name, source, slug, _ in _DEMO:
        if source in api:
            careers, endpoint = api[source]
            entry = {
                "name": name,
                "careers_url": careers.format(s=slug),
                "api_url": endpoint.format(b=base, s=slug),
            }
        else:
            entry = {"name": name, "careers_url": f"{base}/{source}/{slug}/careers"}
            if source == "html":
                entry["ats"] = "html"
        entries.append(entry)
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the sample careers site in the foreground.")
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each response waits")
    parser.add_argument("--postings", type=int, default=4, help="postings per company")
    args = parser.parse_args(argv)
    site = SampleSite(
        latency_s=args.latency, postings_per_company=args.postings, port=args.port
    ).start()
    print(f"Sample careers site at {site.base_url} (Ctrl-C to stop)", flush=True)
    print("Demo companies:")
    print(json.dumps(demo_companies(site.base_url), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
