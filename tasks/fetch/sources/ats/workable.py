"""Workable career pages, read through the public job widget API (no key).

Endpoint: GET https://apply.workable.com/api/v1/widget/accounts/{subdomain}?details=true, the
API behind Workable's embeddable jobs widget. Workable's documented API (/spi/v3, and the v3
POST search behind apply.workable.com) needs an account token or pages through a private cursor;
the widget API serves the whole board in one answer to anyone: `{"name", "description", "jobs":
[{"title", "shortcode", "code", "employment_type" ("Full-time"), "telecommuting", "department",
"url", "shortlink", "application_url", "published_on", "created_at", "country", "city", "state",
"education", "experience", "function", "industry", "locations": [{"country", "countryCode",
"city", "region", "hidden"}], "description", "requirements", "benefits"}]}` (the texts with
details=true). It states no salary, and no hybrid or on-site: only `telecommuting` (the v3
search and v2 job endpoints carry a `workplace` enum; a row that has one is read too).

A job open in several places is listed once per place under one shortcode: its rows are merged
into one posting that names every place they list. A place the employer marked `hidden` is not
shown on the careers page and is not listed here either; the row's own city/state/country are
read only when it has no `locations` at all (they can be the hidden place).

Sources for the shapes:
  a trimmed real widget response (huggingface, 2026-10-09) in public research notes found by
    code search ("SmartRecruiters, Workable, Recruitee and Arbeitnow public job APIs")
  colophon-group/jobseek apps/crawler/src/core/monitors/workable.py (the public feed repeats
    rows per shortcode: it counts `duplicate_rows`)
  live-verified notes of a job-agent project (field is `telecommuting`; `workplace` only on the
    v2 job endpoint), found by code search
  https://workable.readme.io/reference/jobs (the documented, token-only API)

Careers URLs: apply.workable.com/{subdomain}[/j/{shortcode}], the legacy {subdomain}.workable.com,
and the widget endpoint itself.
Mirror mapping: `root` replaces https://apply.workable.com, the path stays.
"""

from typing import Any

from tasks.fetch.sources.common import (
    api_base,
    employment_type,
    jobs_of,
    join_location,
    no_board,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    sections_text,
    segments,
    single_json,
    stated_places,
    subdomain,
    to_postings,
)
from tasks.models import Company, Location, Posting, RemotePolicy, Source

SOURCE = Source.workable
HOSTS = frozenset({"apply.workable.com", ".workable.com"})
_NOT_ACCOUNTS = frozenset({"www", "apply", "jobs", "api", "help", "resources", "j", "embed"})
_WIDGET = ["api", "v1", "widget", "accounts"]


def _account(url: str) -> str | None:
    if not on_hosts(url, HOSTS):
        return None
    path = segments(url)
    if not on_hosts(url, {"apply.workable.com"}):
        return subdomain(url, ".workable.com", _NOT_ACCOUNTS)
    if path[:4] == _WIDGET:
        return path[4] if len(path) > 4 else None
    return path[0] if path and path[0] not in _NOT_ACCOUNTS else None


def board_url(url: str) -> str | None:
    account = _account(url)
    return f"https://apply.workable.com/{account}/" if account else None


def api_url(careers_url: str, root: str | None = None) -> str:
    account = _account(careers_url)
    if not account:
        raise no_board(SOURCE, "account subdomain", careers_url)
    base = api_base(root, "https://apply.workable.com")
    return f"{base}/api/v1/widget/accounts/{account}?details=true"


def _shown(job: dict) -> list[dict]:
    """The places a row lists, less those the employer chose not to show."""
    listed = [p for p in job.get("locations") or [] if isinstance(p, dict)]
    if not listed:  # an older row: its own fields are its one place
        return [
            {"city": job.get("city"), "region": job.get("state"), "country": job.get("country")}
        ]
    return [p for p in listed if p.get("hidden") is not True]


def _location(rows: list[dict]) -> str | None:
    return places(
        *(
            join_location(p.get("city"), p.get("region"), p.get("country"))
            for row in rows
            for p in _shown(row)
        )
    )


def _locations(rows: list[dict]) -> list[Location]:
    return stated_places(
        *(
            {"city": p.get("city"), "region": p.get("region")}
            | {"country": p.get("countryCode") or p.get("country")}
            for row in rows
            for p in _shown(row)
        )
    )


def _remote(job: dict) -> RemotePolicy | None:
    # telecommuting false does not say on-site (it is also false for hybrid jobs).
    policy = remote_policy(job.get("workplace")) or remote_policy(job.get("workplace_type"))
    return policy or (RemotePolicy.remote if job.get("telecommuting") is True else None)


def _fields(job: dict) -> dict:
    rows = job.get("_rows") or [job]
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("url") or job.get("shortlink") or ""),
        "external_id": job.get("shortcode") or None,
        "location": _location(rows),
        "locations": _locations(rows),
        "department": job.get("department") or None,
        "description": sections_text(
            [
                (None, job.get("description")),
                ("Requirements", job.get("requirements")),
                ("Benefits", job.get("benefits")),
            ]
        ),
        "posted_at": parse_datetime(job.get("published_on"))
        or parse_datetime(job.get("created_at")),
        "remote": next(filter(None, map(_remote, rows)), None),
        "employment_type": employment_type(job.get("employment_type")),
    }


def _merged(jobs: list) -> list:
    """One job per shortcode, carrying all its rows (Workable lists a job once per place)."""
    merged: dict[Any, dict] = {}
    unique: list = []
    for job in jobs:
        code = job.get("shortcode") if isinstance(job, dict) else None
        if code is None:
            unique.append(job)
        elif code in merged:
            merged[code]["_rows"].append(job)
        else:
            merged[code] = {**job, "_rows": [job]}
            unique.append(merged[code])
    return unique


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(_merged(jobs_of(payload, SOURCE)), company, SOURCE, _fields)


fetch = single_json(parse)
