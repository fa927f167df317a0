"""BambooHR careers list and detail.

  GET /bamboohr/{company}/careers/list
  GET /bamboohr/{company}/careers/{id}/detail                         one opening, its text

BambooHR puts a remote opening's place in `atsLocation` and leaves `location` empty, and words
pay as prose. A company whose name starts with "short" announces 3 openings more than it lists.
"""

import re
from typing import Any

from deployments.sample.ats.boards import LEVELS, NAME, board
from deployments.sample.jobs import Job, blocks_html
from deployments.sample.reply import Reply

_BAMBOOHR_STATUS = {
    "full_time": "Full-Time",
    "part_time": "Part-Time",
    "contract": "Contractor",
    "temporary": "Temporary",
    "internship": "Intern",
}
_BAMBOOHR_LOCATION_TYPE = {"onsite": "0", "remote": "1", "hybrid": "2"}


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
        "minimumExperience": LEVELS.get(job.level),
        "compensation": job.pay.text if job.pay else None,
    }
    return {"meta": {}, "result": {"jobOpening": opening}}


def _bamboohr_list(site: Any, query: dict, body: bytes, company: str) -> Reply:
    openings = [_bamboohr_opening(job) for job in board(site, company)]
    total = len(openings) + (3 if company.startswith("short") else 0)
    return Reply.json({"meta": {"totalCount": total}, "result": openings})


def _bamboohr_job(site: Any, query: dict, body: bytes, company: str, job_id: str) -> Reply:
    job = next((j for j in board(site, company) if str(j.number) == job_id), None)
    if job is None:
        return Reply.json({"error": "Job opening not found"}, status=404)
    return Reply.json(_bamboohr_detail(company, job))


ROUTES = [
    ("GET", re.compile(rf"/bamboohr/{NAME}/careers/list/?"), _bamboohr_list),
    ("GET", re.compile(rf"/bamboohr/{NAME}/careers/(\d+)/detail/?"), _bamboohr_job),
]
