"""Comeet hosted careers page and Careers API.

  GET /comeet/jobs/{slug}/{uid}                                   hosted careers page, its
                                                                  COMPANY_DATA naming the token
  GET /comeet/careers-api/2.0/company/{uid}/positions?token=...[&details=true]
                                                                  every position, a bare array

Quirks of the real API kept: it wants the company's token, which only the careers page tells,
and answers 400 ("Account uid or token are not valid") to any other; the text (`details`) comes
only with details=true; the answer is a bare array; a position states no posting date, only
`time_updated`, and no pay.
"""

import hashlib
import html
import json
import re
from typing import Any

from deployments.sample.ats.boards import LEVELS, NAME, ad_sections, board, flag, slugify
from deployments.sample.jobs import Job
from deployments.sample.reply import Reply, html_page

_EMPLOYMENT = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contractor",
    "temporary": "Temporary",
    "internship": "Internship",
}
_WORKPLACE = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
_UID = r"([0-9A-Fa-f]{2}\.[0-9A-Fa-f]{3})"
_boards: dict[str, tuple[str, str]] = {}  # token -> (slug, uid), as the careers pages named them


def comeet_token(slug: str) -> str:
    return hashlib.sha1(f"comeet:{slug}".encode()).hexdigest().upper()[:36]


def comeet_uid(job: Job) -> str:
    return f"{(job.number >> 12) & 0xFF:02X}.{job.number & 0xFFF:03X}"


def comeet_page(slug: str, uid: str, job: Job) -> str:
    return (
        f"https://www.comeet.com/jobs/{slug}/{uid}/{slugify(job.title).lower()}/{comeet_uid(job)}"
    )


def _position(slug: str, uid: str, job: Job, details: bool) -> dict:
    page = comeet_page(slug, uid, job)
    position = {
        "uid": comeet_uid(job),
        "name": job.title,
        "department": job.department,
        "email": f"jobs+{comeet_uid(job).lower()}@{slug}.example",
        "url_comeet_hosted_page": page,
        "url_active_page": page,
        "employment_type": _EMPLOYMENT[job.employment],
        "experience_level": LEVELS.get(job.level, job.level.title()),
        "internal_use_custom_id": f"R-{job.n:04d}",
        "picture_url": None,
        "time_updated": job.posted_at.isoformat().replace("+00:00", "Z"),
        "company_name": job.company,
        "workplace_type": _WORKPLACE[job.remote],
        "location": {
            "name": job.city,
            "country": job.country_code,
            "city": job.city,
            "state": job.region,
            "postal_code": None,
            "street_name": None,
            "street_number": None,
            "timezone": None,
            "is_remote": job.remote == "remote",
        },
        "categories": [{"name": "Team", "value": job.team, "order": 1}],
    }
    if details:
        sections = ad_sections(job)
        position["details"] = [
            {"name": name, "value": value, "order": order}
            for order, (name, value) in enumerate(sections, 1)
        ]
    return position


def _page(site: Any, query: dict, body: bytes, slug: str, uid: str) -> Reply:
    token = comeet_token(slug)
    _boards[token] = (slug, uid.upper())
    name = slug.replace("-", " ").title()
    data = {"company_uid": uid.upper(), "name": name, "token": token, "color": "#1c7cd6"}
    script = f"<script>COMPANY_DATA = {json.dumps(data)};</script>"
    return Reply.html(html_page(f"{name} - Careers", f"<h1>{html.escape(name)}</h1>{script}"))


def _positions(site: Any, query: dict, body: bytes, uid: str) -> Reply:
    token = (query.get("token") or [""])[0]
    slug, known_uid = _boards.get(token, ("", ""))
    if not slug or known_uid != uid.upper():
        return Reply.json({"status": 400, "message": "Account uid or token are not valid"}, 400)
    details = flag(query, "details")
    return Reply.json([_position(slug, known_uid, job, details) for job in board(site, slug)])


ROUTES = [
    ("GET", re.compile(rf"/comeet/jobs/{NAME}/{_UID}/?"), _page),
    ("GET", re.compile(rf"/comeet/careers-api/2\.0/company/{_UID}/positions/?"), _positions),
]
