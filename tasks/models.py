"""Domain models shared by every stage. Stages take and return these; RQ carries their JSON."""

import hashlib
import re
import unicodedata
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field
from sqlmodel import SQLModel


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
    jsonld = "jsonld"
    html = "html"


class RemotePolicy(StrEnum):
    remote = "remote"
    hybrid = "hybrid"
    onsite = "onsite"


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


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def canonical_url(url: str) -> str:
    """The URL a posting is identified by: no fragment, no query, no trailing slash, lower host."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


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

    @property
    def company_id(self) -> str:
        return slugify(self.name)


class Salary(BaseModel):
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: SalaryPeriod | None = None


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
    remote: RemotePolicy | None = None
    employment_type: EmploymentType | None = None
    salary: Salary | None = None

    @property
    def posting_id(self) -> str:
        """Stable across runs: the ATS id where the source has one, else the canonical URL."""
        key = self.external_id or canonical_url(self.url)
        digest = hashlib.sha256(f"{self.company_id}|{self.source}|{key}".encode()).hexdigest()
        return digest[:24]


class Enrichment(BaseModel):
    """Structured fields added by an enrichment backend."""

    remote: RemotePolicy | None = None
    employment_type: EmploymentType | None = None
    seniority: Seniority | None = None
    salary: Salary | None = None
    skills: list[str] = Field(default_factory=list)
    backend: str


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
    error: str | None = None
    error_category: str | None = None  # a FetchError category: http, network, timeout, ...
    http_status: int | None = None


class CompanyResult(SQLModel):
    """How one company ended a run: what the run report, artifact and company_runs.parquet show.

    A SQLModel so that persist's company_runs table is this same model with keys.
    """

    run_id: str
    company_id: str
    company: str
    source: Source | None = None
    status: CompanyStatus
    error: str | None = None
    error_category: str | None = None
    http_status: int | None = None
    board_url: str | None = None
    skipped_pages: int = 0
    found: int = 0
    new: int = 0
    updated: int = 0
    closed: int = 0
    duration_s: float = 0.0
    finished_at: datetime
