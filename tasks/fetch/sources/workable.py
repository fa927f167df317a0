"""Workable career pages, read through the public job widget API (no key).

Endpoint: GET https://apply.workable.com/api/v1/widget/accounts/{subdomain}?details=true, the
API behind Workable's embeddable jobs widget. Workable's documented API (/spi/v3, and the v3
POST search behind apply.workable.com) needs an account token or pages through a private cursor;
the widget API serves the whole board in one answer to anyone: `{"name", "description", "jobs":
[{"title", "shortcode", "employment_type", "telecommuting", "department", "url", "shortlink",
"application_url", "published_on", "created_at", "country", "city", "state", "locations":
[{"country", "countryCode", "city", "region", "hidden"}], "description", "requirements",
"benefits"}]}` (the texts with details=true). Workable does not document this endpoint; the
shape is the one public scrapers read (found by code search, e.g. a "jobintel" collector
collectors/workable.py). A job open in several places can be listed once per location, so rows
are merged by shortcode. It states no salary.

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
    subdomain,
    to_postings,
)
from tasks.models import Company, Posting, RemotePolicy, Source

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


def _location(job: dict) -> str | None:
    shown = places(
        *(
            join_location(p.get("city"), p.get("region"), p.get("country"))
            for p in job.get("locations") or []
            if isinstance(p, dict) and not p.get("hidden")  # the employer chose not to show it
        )
    )
    return shown or join_location(job.get("city"), job.get("state"), job.get("country"))


def _remote(job: dict) -> RemotePolicy | None:
    # telecommuting false does not say on-site (it is also false for hybrid jobs).
    policy = remote_policy(job.get("workplace_type"))
    return policy or (RemotePolicy.remote if job.get("telecommuting") is True else None)


def _fields(job: dict) -> dict:
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("url") or job.get("shortlink") or ""),
        "external_id": job.get("shortcode") or None,
        "location": _location(job),
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
        "remote": _remote(job),
        "employment_type": employment_type(job.get("employment_type")),
    }


def _once_each(jobs: list) -> list:
    """The jobs, each shortcode once (Workable repeats a job for each of its locations)."""
    seen: set[str] = set()
    unique = []
    for job in jobs:
        code = job.get("shortcode") if isinstance(job, dict) else None
        if code is None or code not in seen:
            unique.append(job)
            seen.add(code)
    return unique


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(_once_each(jobs_of(payload, SOURCE)), company, SOURCE, _fields)


fetch = single_json(parse)
