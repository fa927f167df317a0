"""Greenhouse job boards, read through the public Job Board API.

Endpoint: GET https://boards-api.greenhouse.io/v1/boards/{board_token}/jobs?content=true
(docs: https://developers.greenhouse.io/job-board.html). The whole board comes in one answer,
`{"jobs": [{"id", "title", "absolute_url", "location": {"name"}, "updated_at",
"first_published", "content", "departments": [{"name"}], ...}], "meta": {"total": N}}`, where
`content` is entity-escaped HTML ("&lt;p&gt;..."), and `offices` is `[{"id", "name", "location",
"parent_id", "child_ids"}]` (a parent office is listed beside its child).

Greenhouse has no fields of its own for workplace or employment type: employers state them in
`metadata`, the custom fields they expose, `[{"id", "name", "value", "value_type"}]` (value a
string, a list for multi_select, a boolean for yes_no, an object for currency_range, or null),
under names of their own choosing ("Workplace Type", "Location Type", "Work Model", "Remote",
"Employment Type", "Time Type", "Job Type", "Commitment"), so fields are matched by keywords in
their names. Pay comes as a currency_range field (`{"unit", "min_value", "max_value"}`, amounts as
strings), or in `pay_input_ranges` (`[{"min_cents", "max_cents", "currency_type", "title",
"blurb"}]`), which the docs offer only on the single-job endpoint with `?pay_transparency=true`.
So the first PAY_SAMPLE jobs are asked for their ranges, and the others only when one has some:
a board that publishes no ranges costs three calls more, not one per job. A job whose ranges
cannot be read keeps its posting without them.

Sources used for the shapes:
- Greenhouse Job Board API docs, developers.greenhouse.io/job-board.html (source: repo
  grnhse/greenhouse-api-docs, source/includes/job-board/_jobs.md): list params (content only),
  offices, metadata, pay_transparency on "Retrieve a job".
- Greenhouse support article 10028084062491 (pay transparency with the Job Board API: the
  "Retrieve a job" endpoint).
- repo daangn/websites, _packages/gatsby-source-greenhouse-job-board/types.d.ts: metadata
  value_type values and value types.
- repo colophon-group/jobseek, apps/crawler/src/core/monitors/greenhouse.py: location.name plus
  offices as a job's locations.
- public client tests quoting live boards (SoFi, Datadog, DoorDash): currency_range values and a
  "Pay Frequency" field beside them.

Careers URLs: boards.greenhouse.io/{token}, job-boards.greenhouse.io/{token}[/jobs/{id}], and the
embed forms boards.greenhouse.io/embed/job_board[/js]?for={token}.
Mirror mapping: `root` replaces https://boards-api.greenhouse.io, the path stays.
"""

import html
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from tasks.fetch.http import Fetcher
from tasks.fetch.sources.common import (
    api_base,
    details,
    employment_type,
    html_to_text,
    jobs_of,
    no_board,
    number,
    on_hosts,
    parse_datetime,
    remote_from_flags,
    remote_policy,
    salary_period,
    salary_range,
    segments,
    stated_places,
    text_of,
    to_postings,
)
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

SOURCE = Source.greenhouse
PAY_SAMPLE = 3  # jobs asked for pay ranges before the rest: not every job of a board states one
HOSTS = frozenset({"boards.greenhouse.io", "job-boards.greenhouse.io"})


def _token(url: str) -> str | None:
    if not on_hosts(url, HOSTS):
        return None
    token = (parse_qs(urlsplit(url).query).get("for") or [""])[0]
    path = segments(url)
    if not token and path and path[0] != "embed":
        token = path[0]
    return token or None


def board_url(url: str) -> str | None:
    token = _token(url)
    return f"https://boards.greenhouse.io/{token}" if token else None


def api_url(careers_url: str, root: str | None = None) -> str:
    token = _token(careers_url)
    if not token:
        raise no_board(SOURCE, "board token", careers_url)
    base = api_base(root, "https://boards-api.greenhouse.io")
    return f"{base}/v1/boards/{token}/jobs?content=true"


def _department(job: dict) -> str | None:
    names = [d for d in job.get("departments") or [] if isinstance(d, dict) and d.get("name")]
    leaves = [d for d in names if not d.get("child_ids")]  # the most specific department
    return (leaves or names)[0]["name"] if names else None


# Custom field names, matched by keyword (lower case): what each kind of field is called.
_WORKPLACE_NAMES = (
    "workplace",
    "location type",
    "work model",
    "remote",
    "work arrangement",
    "work location",
    "work setting",
    "onsite",
    "on-site",
    "in office",
)
_EMPLOYMENT_NAMES = (
    "employment",
    "time type",
    "job type",
    "commitment",
    "worker type",
    "contract type",
    "position type",
    "schedule",
)
_PERIOD_NAMES = ("frequency", "pay period", "pay basis", "pay type", "salary period")
_YES = {"yes", "true", "y"}
_NO = {"no", "false", "n"}


def _values(field: dict) -> list:
    value = field.get("value")
    return value if isinstance(value, list) else [value]


def _metadata(job: dict) -> list[dict]:
    fields = job.get("metadata")
    if not isinstance(fields, list):
        return []
    return [f for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)]


def _flag(value: Any) -> bool | None:
    """A yes/no value (a yes_no field's boolean, or "Yes"/"No"/"true"/"false") as a bool."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return True if text in _YES else False if text in _NO else None


def _remote(fields: list[dict]) -> RemotePolicy | None:
    for field in fields:
        name = field["name"].lower()
        if not any(word in name for word in _WORKPLACE_NAMES):
            continue
        for value in _values(field):
            # A yes/no "Remote" field is a flag: yes says remote, no says nothing more.
            if (flag := _flag(value)) is not None:
                if "remote" in name and (policy := remote_from_flags(flag, None)):
                    return policy
            elif policy := remote_policy(value):
                return policy
    return None


def _employment(fields: list[dict]) -> EmploymentType | None:
    for field in fields:
        if any(word in field["name"].lower() for word in _EMPLOYMENT_NAMES):
            for value in _values(field):
                if isinstance(value, str) and (kind := employment_type(value)):
                    return kind
    return None


def _salary(job: dict, fields: list[dict]) -> Salary | None:
    """The stated pay: a pay transparency range (cents), else a currency_range custom field; a
    year's pay unless the range's title or a pay frequency field says otherwise."""
    for pay in job.get("pay_input_ranges") or []:
        if not isinstance(pay, dict):
            continue
        low, high = number(pay.get("min_cents")), number(pay.get("max_cents"))
        period = salary_period(pay.get("title")) or SalaryPeriod.year
        found = salary_range(
            low and low / 100, high and high / 100, pay.get("currency_type"), period
        )
        if found:
            return found
    frequency = next(
        (
            salary_period(v)
            for f in fields
            if any(word in f["name"].lower() for word in _PERIOD_NAMES)
            for v in _values(f)
            if salary_period(v)
        ),
        None,
    )
    for field in fields:
        value = field.get("value")
        if field.get("value_type") != "currency_range" or not isinstance(value, dict):
            continue
        period = salary_period(field["name"]) or frequency or SalaryPeriod.year
        found = salary_range(
            value.get("min_value"), value.get("max_value"), value.get("unit"), period
        )
        if found:
            return found
    return None


def _places(job: dict, name: str | None) -> list[Location]:
    """Every place: the parts of the location name, then each office's location (leaf offices
    only: a parent such as "East Coast" / "United States" is listed beside its child)."""
    offices = [o for o in job.get("offices") or [] if isinstance(o, dict)]
    parents = {o.get("parent_id") for o in offices if o.get("parent_id") is not None}
    office_places = [
        text_of(o.get("location")) or text_of(o.get("name"))
        for o in offices
        if o.get("id") is None or o.get("id") not in parents
    ]
    return stated_places(name, *office_places)


def _fields(job: dict) -> dict:
    location = job.get("location")
    name = text_of(location.get("name")) if isinstance(location, dict) else None
    fields = _metadata(job)
    return {
        "title": str(job.get("title") or ""),
        "url": str(job.get("absolute_url") or ""),
        "location": name,
        "locations": _places(job, name),
        "remote": _remote(fields),
        "employment_type": _employment(fields),
        "salary": _salary(job, fields),
        "department": _department(job),
        # content is escaped once ("&lt;p&gt;"): unescape to HTML, then strip the tags.
        "description": html_to_text(html.unescape(job.get("content") or "")),
        # first_published is the posting date; older boards only give updated_at.
        "posted_at": parse_datetime(job.get("first_published"))
        or parse_datetime(job.get("updated_at")),
    }


def parse(payload: Any, company: Company) -> list[Posting]:
    return to_postings(jobs_of(payload, SOURCE), company, SOURCE, _fields)


async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
    jobs = jobs_of(await fetcher.get_json(url), SOURCE)
    return to_postings(await _with_pay_ranges(fetcher, url, jobs), company, SOURCE, _fields)


async def _with_pay_ranges(fetcher: Fetcher, url: str, jobs: list) -> list:
    """The jobs with the pay ranges the board publishes, when it publishes any."""
    ids = [job.get("id") if isinstance(job, dict) else None for job in jobs]
    wanted = [n for n in ids if n is not None]
    urls = [_job_url(url, n) for n in wanted]
    sample = list(map(_pay_ranges, await details(fetcher, urls[:PAY_SAMPLE], optional=True)))
    if not any(sample):
        return jobs
    rest = map(_pay_ranges, await details(fetcher, urls[PAY_SAMPLE:], optional=True))
    found = dict(zip(wanted, [*sample, *rest], strict=True))
    return [
        {**job, "pay_input_ranges": found[n]} if found.get(n) else job
        for job, n in zip(jobs, ids, strict=True)
    ]


def _pay_ranges(job: Any) -> list | None:
    found = job.get("pay_input_ranges") if isinstance(job, dict) else None
    return found if isinstance(found, list) and found else None


def _job_url(list_url: str, job_id: Any) -> str:
    """The single-job endpoint beside the list's (a mirror's too), asking for pay ranges."""
    parts = urlsplit(list_url)
    path = f"{parts.path.rstrip('/')}/{job_id}"
    return urlunsplit(parts._replace(path=path, query="pay_transparency=true"))
