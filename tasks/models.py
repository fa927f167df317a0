"""Domain models shared by every stage. Stages take and return these; RQ carries their JSON."""

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pycountry
from pydantic import AfterValidator, AnyHttpUrl, BaseModel, BeforeValidator, ConfigDict, Field

from tasks.skills import SKILLS, normalize_skills


class Source(StrEnum):
    auto = "auto"
    greenhouse = "greenhouse"
    lever = "lever"
    ashby = "ashby"
    workable = "workable"
    smartrecruiters = "smartrecruiters"
    recruitee = "recruitee"
    personio = "personio"
    teamtailor = "teamtailor"
    workday = "workday"
    pinpoint = "pinpoint"
    bamboohr = "bamboohr"
    zoho = "zoho"
    breezy = "breezy"
    jazzhr = "jazzhr"
    homerun = "homerun"
    oracle = "oracle"
    ukg = "ukg"
    paylocity = "paylocity"
    icims = "icims"
    jobvite = "jobvite"
    successfactors = "successfactors"
    taleo = "taleo"
    rippling = "rippling"
    gem = "gem"
    dover = "dover"
    hireology = "hireology"
    careerplug = "careerplug"
    applicantpro = "applicantpro"
    join = "join"
    hibob = "hibob"
    comeet = "comeet"
    wttj = "wttj"
    jsonld = "jsonld"
    html = "html"


class RemotePolicy(StrEnum):
    remote = "remote"
    hybrid = "hybrid"
    onsite = "onsite"
    unknown = "unknown"  # enrichment's answer when nothing says; a source states one of the above


class EmploymentType(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    contract = "contract"
    temporary = "temporary"
    internship = "internship"


class Seniority(StrEnum):
    intern = "intern"
    junior = "junior"
    mid = "mid"
    senior = "senior"
    staff = "staff"
    principal = "principal"
    manager = "manager"
    director = "director"
    executive = "executive"


class SalaryPeriod(StrEnum):
    hour = "hour"
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class CompanyStatus(StrEnum):
    succeeded = "succeeded"
    partial = "partial"  # read, but some pages failed: nothing is closed on the strength of it
    failed = "failed"
    cancelled = "cancelled"  # the run was cancelled (or interrupted) before the company finished


def tally(statuses: Iterable[CompanyStatus]) -> str:
    """How many companies ended how, for people: "3 succeeded, 0 partial, 1 failed"; cancelled
    only when some were, as most runs are never cancelled."""
    counts = Counter(statuses)
    return ", ".join(
        f"{counts[status]} {status.value}"
        for status in CompanyStatus
        if counts[status] or status != CompanyStatus.cancelled
    )


class RunStatus(StrEnum):
    running = "running"  # its flow beats (runs.heartbeat_at) while it lives
    completed = "completed"  # some companies may have failed: the counts say how many
    failed = "failed"  # too many companies failed, or the run could not run (no Redis)
    cancelled = "cancelled"
    # Its flow process died. Seen by Prefect (on_crashed): its jobs run on, and Prefect's Retry
    # resumes it. Found silent by maintenance: its jobs were cancelled, its unfinished companies
    # failed (category `crashed`), and a Retry fetches them again.
    crashed = "crashed"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# Query parameters that say how someone arrived, not which posting it is.
_TRACKING = re.compile(
    r"utm_\w+|gclid|fbclid|msclkid|mc_[ce]id|_hs\w+|ref|referrer|source|src|trk|campaign"
    r"|lever-(?:source|origin)|gh_src|ashby_src|sourcetype",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """One spelling of a posting's URL: lower-case scheme and host, no trailing slash, no
    fragment, no tracking parameters, the other parameters sorted (`?id=7` is a posting)."""
    parts = urlsplit(url)
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.fullmatch(key)
    )
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            parts.path.rstrip("/"),
            urlencode(query),
            "",
        )
    )


# One value of a company attribute: a single value, so that it is one column for analysts.
Attribute = str | bool | int | float


def url_key(url: str) -> str:
    """What identifies a posting that has no ATS id: its canonical URL without scheme and host
    (`/jobs/123?id=7`). Ids are per company, where the path says which posting it is and the
    host only where the site is served today: a site that moves to another host, port or scheme
    (or answers on several) keeps its postings rather than closing and reopening them all."""
    parts = urlsplit(canonical_url(url))
    return urlunsplit(("", "", parts.path, parts.query, ""))


class Company(BaseModel):
    """One entry of the companies file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    careers_url: AnyHttpUrl
    ats: Source = Source.auto
    api_url: AnyHttpUrl | None = None
    render: bool = Field(
        default=False, description="Render the careers page in a browser (JavaScript pages)."
    )
    respect_robots: bool = Field(default=True, description="Honour the site's robots.txt.")
    # The entry's other keys (industry, owner, ...): kept and exported in companies.parquet,
    # never part of the company's identity.
    attributes: dict[str, Attribute] = Field(default_factory=dict)

    @property
    def company_id(self) -> str:
        return slugify(self.name)


class Salary(BaseModel):
    min: float | None = None
    max: float | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code, e.g. USD.")
    period: SalaryPeriod | None = None


# Names people write that ISO 3166 does not list.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "usa": "US",
    "u.s": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "turkey": "TR",
    "vietnam": "VN",
    "taiwan": "TW",
    "the netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
}


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for a code or an English name ("DE", "DEU", "Germany", "UK"), or None."""
    key = name.strip().lower()
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


def _country_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if code := country_code(value):
        return code
    raise ValueError(f"not an ISO 3166 country: {value!r}")


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100, description="State or province.")
    country: Annotated[str | None, AfterValidator(_country_code)] = Field(
        default=None, description="ISO 3166-1 alpha-2 code, e.g. DE."
    )


class Posting(BaseModel):
    """A posting as a source states it, before enrichment."""

    model_config = ConfigDict(str_strip_whitespace=True)

    company_id: str
    company: str
    source: Source
    title: str = Field(min_length=1)
    url: str = Field(min_length=1)
    external_id: str | None = None
    location: str | None = None
    department: str | None = None
    description: str = ""
    posted_at: datetime | None = None
    # Fields some sources state in structured form; they win over anything enrichment infers.
    # `locations`: every place the source lists the posting in (`location` is its text).
    locations: list[Location] = Field(default_factory=list, max_length=10)
    remote: RemotePolicy | None = None
    employment_type: EmploymentType | None = None
    salary: Salary | None = None

    @property
    def posting_id(self) -> str:
        """Stable across runs: the ATS id where the source has one, else the URL's path and
        query (`url_key`). Not the title: a retitled posting is the same posting.
        Migration 0009 re-keyed the rows stored under the URL with its host."""
        key = self.external_id or url_key(self.url)
        digest = hashlib.sha256(f"{self.company_id}|{self.source}|{key}".encode()).hexdigest()
        return digest[:24]


def _enum_value(value: object) -> object:
    """ "Full-time" -> "full_time": what a model writes when no grammar holds it to the enum."""
    return re.sub(r"[\s-]+", "_", value.strip().lower()) if isinstance(value, str) else value


Skills = Annotated[
    list[str],
    AfterValidator(normalize_skills),
    Field(
        description="Technologies the posting asks for.",
        json_schema_extra={"items": {"type": "string", "enum": sorted(SKILLS)}, "maxItems": 25},
    ),
]


class PostingFields(BaseModel):
    """The structured fields enrichment adds: the one schema every backend answers in.

    LLM backends send its JSON schema as the structured-output format, so the field names and
    descriptions here are also what the model is asked for.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(
        min_length=1,
        max_length=200,
        description="The job title alone: no gender markers, locations or requisition codes.",
    )
    seniority: Annotated[Seniority | None, BeforeValidator(_enum_value)]
    employment_type: Annotated[EmploymentType | None, BeforeValidator(_enum_value)]
    remote: Annotated[RemotePolicy, BeforeValidator(_enum_value)]
    locations: list[Location] = Field(max_length=10, description="Where the role is based.")
    salary: Salary | None = Field(description="Pay for this role, as the posting states it.")
    skills: Skills
    summary: str | None = Field(
        max_length=400, description="One or two sentences on what the role does, in English."
    )


class Provenance(BaseModel):
    """Who produced an enrichment, so a change of model or prompt is visible and re-enriched."""

    backend: str
    model: str | None = None
    prompt_version: str | None = None
    # Fields taken from the rules backend because the model's answer for them was invalid (or,
    # with backend "rules" after a model backend, because the request failed), and why.
    fallbacks: list[str] = Field(default_factory=list)
    note: str | None = None
    # Fields nulled before storage because their value cannot be right ("salary: 24.04 does not
    # fit a yearly salary"): the posting is kept without them (tasks.store.screening).
    dropped: list[str] = Field(default_factory=list)


class Enrichment(PostingFields):
    """A backend's answer for one posting, with its provenance."""

    provenance: Provenance


class EnrichedPosting(BaseModel):
    posting: Posting
    enrichment: Enrichment


class FetchReport(BaseModel):
    """What the fetch stage says about one company: small, it travels as the RQ job's result."""

    ok: bool
    postings: int = 0
    source: Source | None = None  # where the postings came from in the end
    board_url: str | None = None  # an ATS board found on the careers page: next run goes there
    skipped: list[str] = Field(default_factory=list)  # "reason (url)" for each page that failed
    incomplete: str | None = None  # why a read that is not known to be whole is not (partial)
    rejected: list[str] = Field(default_factory=list)  # "reason (where)": postings not valid
    error: str | None = None
    error_category: str | None = None  # a FetchError category: http, network, timeout, ...
    http_status: int | None = None


class EnrichReport(BaseModel):
    """What the enrich stage says about one company: small, it travels as the RQ job's result."""

    ok: bool = True
    error: str | None = None
    postings: int = 0
    backend: str | None = None
    model: str | None = None
    cached: int = 0  # postings whose unchanged content was enriched earlier: no model call
    model_calls: int = 0  # requests to the model, retries included
    fallbacks: int = 0  # postings with at least one field from the rules backend
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    warning: str | None = None  # e.g. the model server did not answer: rules were used
