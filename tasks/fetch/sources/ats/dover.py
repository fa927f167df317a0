"""Dover careers pages, read through the JSON API their single-page app calls (no key).

Endpoints, all on https://app.dover.com:
  GET /api/v1/careers-page-slug/{slug}    the board of a slug: {"id" (the client id, a UUID),
                                          "slug", "name"}; slugs are case-sensitive
  GET /api/v1/careers-page/{client id}    the same for a board named by its client id
  GET /api/v1/careers-page/{client id}/jobs?limit={n}&offset={m}
      -> {"count", "next", "previous", "results": [{"id" (a UUID), "title", "locations":
         [{"name", "location_type" ("IN_OFFICE", "REMOTE", "HYBRID"), "location_option":
         {"display_name", "city", "state", "country" (a code or a name)}, "is_primary"}],
         "workplace_type" ("ONSITE", "HYBRID", "REMOTE"), "is_published", "is_sample"}]}
         (paged the Django REST way: 300 a page unless `limit` says otherwise; no text, date or
         pay)
  GET /api/v1/job-groups/{client id}/job-groups   the board's sections (departments):
                                          [{"id", "name", "jobs": [{"id", ...}]}]
  GET /api/v1/inbound/application-portal-job/{job id}
      -> {"id", "title", "client_name", "user_provided_description" (HTML), "locations",
         "workplace_type", "created" (ISO 8601), "compensation": {"lower_bound",
         "upper_bound", "currency_code", "salary_range_type" ("YEARLY", "HOURLY", ...),
         "employment_type" ("FULL_TIME", "PART_TIME", "CONTRACT", "INTERN", ...)},
         "visa_support", "active", "is_private", "application_questions"}
A board is read in that order: its page (for the client id and the slug job pages are under),
every page of jobs (to `count`), the job groups (optional: a board whose groups cannot be read
keeps its postings, without departments), then each job's detail, concurrently; a job that
closed between the list and its detail (404) is left out.

Sample jobs (`is_sample`), unpublished ones and details that say `active: false` or
`is_private: true` are not postings. A job's page is https://app.dover.com/apply/{slug}/{id};
its place is each location's `name` (else its `display_name`), structured from
`location_option`; the workplace is `workplace_type`, else the locations' `location_type`. Pay
is `compensation`'s bounds in its currency and period; `employment_type` sits inside it too. The
text is `user_facing_description` where a detail has it (the published text, where the app has
edited the employer's draft), else `user_provided_description`, else the sections of
`generated_description`; `visa_support` is stated as a line of its own. The posting date is
`date_posted` where stated, else `created`. Neither endpoint states a job's page (it is built
from the slug) or a department of its own (the job groups are the board's sections).

Careers URLs: app.dover.com/jobs/{slug}, app.dover.com/apply/{slug}[/{job id}] and
app.dover.com/{company}/careers/{client id} (also /careers/{client id}); the API URL is the board
page endpoint of its slug or client id. An /apply/{Company Name} link names the board only where
the name is its slug (Dover derives slugs from names inconsistently).
Mirror mapping: `root` replaces https://app.dover.com.

Sources:
- public client code found by code search (no Dover developer docs cover these endpoints):
  a TypeScript adapter and its constants documenting the resolve -> list -> detail flow
  (careers-page-slug, careers-page/{id}/jobs with {count, next, results}, job-groups as
  departments, application-portal-job with user_provided_description, created, compensation
  {lower_bound, upper_bound, currency_code, salary_range_type, employment_type}, the apply URL
  /apply/{slug}/{job id}, the three careers URL forms); another adapter's test quoting a live
  list row (locations with location_type "IN_OFFICE", location_option {display_name, city,
  state, country "IN"}, is_primary; workplace_type "ONSITE"; is_published, is_sample) and the
  get_job_description fields (user_facing_description preferred over user_provided_description,
  generated_description sections); a feasibility note (limit 300 by default, pagination
  verified, invalid ids 404); clients skipping is_sample and unpublished jobs, and details that
  are inactive or private; a Go form reader (application_questions on the detail)
- no Dover monitor in colophon-group/jobseek or kalil0321/ats-scrapers at the versions read
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from tasks.fetch.sources.common import (
    Page,
    api_base,
    as_dict,
    as_list,
    collect_pages,
    describe,
    details,
    employment_type,
    list_in,
    no_board,
    on_hosts,
    parse_datetime,
    places,
    remote_policy,
    salary_period,
    salary_range,
    sections_text,
    segments,
    stated_places,
    text_of,
    to_postings,
    with_details,
    with_query,
)
from tasks.models import Company, Posting, RemotePolicy, Salary, Source

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

SOURCE = Source.dover
HOSTS = frozenset({"app.dover.com"})
PAGE_SIZE = 100
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_GENERATED = (
    ("about_the_company", "About the company"),
    ("about_the_role", "About the role"),
    ("job_mandates", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("additional_information", "Additional information"),
)


def _board(url: str) -> tuple[str, str] | None:
    """("slug", slug) or ("id", client id) of a board, job or API URL on app.dover.com."""
    if not on_hosts(url, HOSTS):
        return None
    parts = [unquote(part) for part in segments(url)]
    match parts:
        case ["api", "v1", "careers-page-slug", slug, *_]:
            return "slug", slug
        case ["api", "v1", "careers-page", client, *_] if _UUID.fullmatch(client):
            return "id", client
        case ["jobs" | "apply", slug, *_]:
            return "slug", slug
        case ["careers", client, *_] | [_, "careers", client, *_] if _UUID.fullmatch(client):
            return "id", client  # /careers/{id}, /{company}/careers/{id}
    return None


def board_url(url: str) -> str | None:
    match _board(url):
        case ("slug", slug):
            return f"https://app.dover.com/jobs/{quote(slug)}"
        case ("id", client):
            return f"https://app.dover.com/careers/{client}"
    return None


def api_url(careers_url: str, root: str | None = None) -> str:
    base = api_base(root, "https://app.dover.com")
    match _board(careers_url):
        case ("slug", slug):
            return f"{base}/api/v1/careers-page-slug/{quote(slug)}"
        case ("id", client):
            return f"{base}/api/v1/careers-page/{client}"
    raise no_board(SOURCE, "careers page slug or client id", careers_url)


def _places(job: dict) -> list[dict]:
    detail = as_dict(job.get("detail"))
    return [
        p for p in as_list(detail.get("locations") or job.get("locations")) if isinstance(p, dict)
    ]


def _location(job: dict) -> str | None:
    return places(
        *(
            p.get("name") or as_dict(p.get("location_option")).get("display_name")
            for p in _places(job)
        )
    )


def _locations(job: dict) -> list:
    found = []
    for place in _places(job):
        option = as_dict(place.get("location_option"))
        if any(option.get(key) for key in ("city", "state", "country")):
            found.append(
                {
                    "city": option.get("city"),
                    "region": option.get("state"),
                    "country": option.get("country"),
                }
            )
        else:
            found.append(place.get("name") or option.get("display_name"))
    return stated_places(*found)


def _remote(job: dict) -> RemotePolicy | None:
    detail = as_dict(job.get("detail"))
    stated = remote_policy(detail.get("workplace_type") or job.get("workplace_type"))
    kinds = {remote_policy(p.get("location_type")) for p in _places(job)} - {None}
    return stated or (kinds.pop() if len(kinds) == 1 else None)


def _salary(pay: dict) -> Salary | None:
    return salary_range(
        pay.get("lower_bound"),
        pay.get("upper_bound"),
        pay.get("currency_code"),
        salary_period(pay.get("salary_range_type")),
    )


def _description(detail: dict) -> str:
    text = text_of(detail.get("user_facing_description")) or text_of(
        detail.get("user_provided_description")
    )
    generated = as_dict(detail.get("generated_description"))
    sections: list[tuple[Any, Any]] = (
        [(None, text)] if text else [(heading, generated.get(key)) for key, heading in _GENERATED]
    )
    visa = detail.get("visa_support")
    if isinstance(visa, bool):
        sections.append(("Visa sponsorship", "Available" if visa else "Not available"))
    return sections_text(sections)


def _listed(job: dict) -> bool:
    """Whether a job is a posting: published, no sample, its detail neither inactive nor
    private."""
    detail = as_dict(job.get("detail"))
    return not (
        job.get("is_sample") is True
        or job.get("is_published") is False
        or detail.get("active") is False
        or detail.get("is_private") is True
    )


def _fields_of(slug: str | None, departments: dict[str, str]):
    def fields(job: dict) -> dict | None:
        if not _listed(job):
            return None
        detail = as_dict(job.get("detail"))
        job_id = text_of(job.get("id")) or text_of(detail.get("id"))
        pay = as_dict(detail.get("compensation"))
        return {
            "title": str(detail.get("title") or job.get("title") or ""),
            "url": f"https://app.dover.com/apply/{quote(slug)}/{job_id}" if slug and job_id else "",
            "external_id": job_id,
            "location": _location(job),
            "locations": _locations(job),
            "department": departments.get(job_id or ""),
            "description": _description(detail),
            "posted_at": parse_datetime(detail.get("date_posted"))
            or parse_datetime(detail.get("created")),
            "remote": _remote(job),
            "employment_type": employment_type(pay.get("employment_type")),
            "salary": _salary(pay),
        }

    return fields


def _departments(groups: Any) -> dict[str, str]:
    """Each job's section of the board: {job id: group name}."""
    found: dict[str, str] = {}
    for group in as_list(groups):
        name = text_of(as_dict(group).get("name"))
        for job in as_list(as_dict(group).get("jobs")) if name else []:
            if (job_id := text_of(as_dict(job).get("id"))) and job_id not in found:
                found[job_id] = name
    return found


def _detail(payload: Any) -> dict:
    """A job's detail, kept apart from its list row (both state `locations`)."""
    if not isinstance(payload, dict):
        raise ValueError(
            f"dover: expected an application portal job object, got {describe(payload)}"
        )
    return {"detail": payload}


def _page(payload: Any) -> tuple[str, str | None]:
    """The board's client id and slug, from its careers page."""
    page = as_dict(payload)
    client = text_of(page.get("id"))
    if not client:
        raise ValueError(
            f"dover: expected a careers page object with an 'id', got {describe(payload)}"
        )
    return client, text_of(page.get("slug"))


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    base = url.split("/api/v1/", 1)[0]
    client, slug = _page(await fetcher.get_json(url))
    if not slug and (named := _board(str(company.careers_url))) and named[0] == "slug":
        slug = named[1]
    jobs_url = f"{base}/api/v1/careers-page/{quote(client)}/jobs"

    async def page(offset: int) -> Page:
        payload = await fetcher.get_json(with_query(jobs_url, limit=PAGE_SIZE, offset=offset))
        return list_in(payload, SOURCE, "results"), payload.get("count")

    listed = await collect_pages(page, PAGE_SIZE, SOURCE)
    groups_url = f"{base}/api/v1/job-groups/{quote(client)}/job-groups"
    [groups] = await details(fetcher, [groups_url], optional=True)

    def detail_url(job: dict) -> str | None:
        job_id = text_of(job.get("id"))
        return f"{base}/api/v1/inbound/application-portal-job/{quote(job_id)}" if job_id else None

    # Sample and unpublished jobs are no postings: their details are not asked for.
    wanted = [job for job in listed if not isinstance(job, dict) or _listed(job)]
    jobs = await with_details(fetcher, wanted, detail_url, _detail, SOURCE)
    return to_postings(jobs, company, SOURCE, _fields_of(slug, _departments(groups)))


def parse(payload: Any, company: Company) -> list[Posting]:
    """One page of jobs: the postings without their text, date, pay, employment type and
    department (the detail, merged into its row under "detail", adds the first four)."""
    named = _board(str(company.careers_url))
    slug = named[1] if named and named[0] == "slug" else None
    return to_postings(list_in(payload, SOURCE, "results"), company, SOURCE, _fields_of(slug, {}))
