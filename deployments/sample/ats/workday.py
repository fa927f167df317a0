"""Workday CXS job search.

  POST /workday/wday/cxs/{tenant}/{site}/jobs
  GET  /workday/wday/cxs/{tenant}/{site}/job/{location}/{title}_{req}   one posting

Workday answers 400 to a `limit` above 20 and states `total` on the first page only (0 on the
others). It omits remoteType for on-site jobs and dates its list only relatively ("Posted 3
Days Ago"). A site named "Gone" lists its postings but answers 404 for each of them, as a moved
site does.

The first page lists facets with counts, as Workday's does: jobFamilyGroup (the department),
timeType, remoteType (on-site jobs have none, so it does not count every job) and, in a
locationMainGroup group, locations (job 1 is also open in Lisbon). `appliedFacets` narrows the
search: any of a facet's values, every facet applied. One search returns at most 2,000 results
(nothing past that offset, though `total` says how many match), or N on a site named "CapN":
boards of a few hundred jobs then need partitioning, as the largest real ones do.
"""

import json
import re
from collections import Counter
from typing import Any

from deployments.sample.ats.boards import NAME, SECOND_OFFICE, board, slugify
from deployments.sample.jobs import ANCHOR, Job, blocks_html
from deployments.sample.reply import Reply

_WORKDAY_REMOTE = {"remote": "Remote", "hybrid": "Hybrid"}  # on-site jobs carry no remoteType
_WORKDAY_TIME = {"part_time": "Part time"}  # every other type is "Full time"


def workday_path(job: Job) -> str:
    req = f"JR-{job.number % 1_000_000:06d}"
    return f"/job/{slugify(job.city)}-{slugify(job.region)}/{slugify(job.title)}_{req}"


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
        "additionalLocations": [f"{SECOND_OFFICE[0]}, {SECOND_OFFICE[1]}"] if job.n == 1 else [],
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


def _facet_values(job: Job) -> dict[str, list[str]]:
    """The ids of each facet's values a job has."""
    values = {
        "jobFamilyGroup": [slugify(job.department)],
        "timeType": [slugify(_WORKDAY_TIME.get(job.employment, "Full time"))],
        "locations": [slugify(f"{job.city}, {job.region}")],
    }
    if job.n == 1:
        values["locations"].append(slugify(f"{SECOND_OFFICE[0]}, {SECOND_OFFICE[1]}"))
    if job.remote in _WORKDAY_REMOTE:
        values["remoteType"] = [_WORKDAY_REMOTE[job.remote]]
    return values


def _facets(jobs: list[Job]) -> list[dict]:
    counts: dict[str, Counter] = {}
    for job in jobs:
        for name, ids in _facet_values(job).items():
            counts.setdefault(name, Counter()).update(ids)

    def facet(name: str, descriptor: str) -> dict:
        values = [
            {"descriptor": value.replace("-", " "), "id": value, "count": count}
            for value, count in sorted(counts.get(name, Counter()).items())
        ]
        return {"facetParameter": name, "descriptor": descriptor, "values": values}

    return [
        facet("jobFamilyGroup", "Job Category"),
        facet("timeType", "Time Type"),
        facet("remoteType", "Remote Type"),
        {"facetParameter": "locationMainGroup", "values": [facet("locations", "Locations")]},
    ]


def _matches(job: Job, applied: dict) -> bool:
    values = _facet_values(job)
    return all(set(values.get(name, [])) & set(ids) for name, ids in applied.items())


def _workday_search(site: Any, query: dict, body: bytes, tenant: str, name: str) -> Reply:
    try:
        search = json.loads(body or b"{}")
        limit, offset = int(search.get("limit", 20)), int(search.get("offset", 0))
        applied = {str(k): list(v) for k, v in (search.get("appliedFacets") or {}).items()}
    except (ValueError, TypeError, AttributeError):
        return Reply.json({"errorCode": "HTTP_400", "message": "Invalid request"}, status=400)
    if not 1 <= limit <= 20:
        return Reply.json({"errorCode": "HTTP_400", "message": "Invalid limit"}, status=400)
    jobs = [job for job in board(site, tenant) if _matches(job, applied)]
    capped = re.fullmatch(r"Cap(\d+)", name)
    reachable = jobs[: int(capped[1]) if capped else 2000]
    page = [_workday_listing(job) for job in reachable[offset : offset + limit]]
    answer = {"total": 0, "jobPostings": page, "userAuthenticated": False}
    if offset == 0:  # Workday states the total and the facets on the first page only
        answer |= {"total": len(jobs), "facets": _facets(jobs)}
    return Reply.json(answer)


def _workday_job(site: Any, query: dict, body: bytes, tenant: str, name: str, path: str) -> Reply:
    jobs = board(site, tenant)
    job = next((j for j in jobs if workday_path(j) == f"/job/{path}"), None)
    if job is None or name == "Gone":
        return Reply.json({"errorCode": "HTTP_404", "message": "Not Found"}, status=404)
    return Reply.json(_workday_detail(tenant, name, job))


ROUTES = [
    ("POST", re.compile(rf"/workday/wday/cxs/{NAME}/{NAME}/jobs/?"), _workday_search),
    ("GET", re.compile(rf"/workday/wday/cxs/{NAME}/{NAME}/job/(.+)"), _workday_job),
]
