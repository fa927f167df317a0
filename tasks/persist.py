"""The persist stage: postings and per-company run records in SQL (SQLite default, PostgreSQL).

Writes for one company happen in one transaction and are keyed by stable ids, so re-running or
resuming a run updates rows instead of duplicating them. A complete scrape closes the company's
postings it no longer lists (a partial one closes nothing); a posting that comes back is reopened.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, Column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, create_engine, select

from tasks.models import Company, CompanyResult, EnrichedPosting, Enrichment, Salary, Source


class PostingRow(SQLModel, table=True):
    __tablename__ = "postings"

    posting_id: str = Field(primary_key=True)
    company_id: str = Field(index=True)
    company: str
    source: str
    external_id: str | None = None
    title: str
    url: str
    location: str | None = None
    department: str | None = None
    description: str = ""
    remote: str | None = None
    employment_type: str | None = None
    seniority: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    title_normalized: str | None = None
    locations: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    summary: str | None = None
    enrichment_backend: str
    enrichment_model: str | None = None
    enrichment_prompt_version: str | None = None
    enrichment_fallbacks: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    content_hash: str
    posted_at: datetime | None = None
    first_seen_at: datetime
    last_seen_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None


class CompanyRunRow(CompanyResult, table=True):
    __tablename__ = "company_runs"

    run_id: str = Field(primary_key=True)
    company_id: str = Field(primary_key=True)


class BoardRow(SQLModel, table=True):
    """The ATS board found on a company's careers page, so the next run reads its API directly."""

    __tablename__ = "company_boards"

    company_id: str = Field(primary_key=True)
    careers_url: str  # the page the board was found on: a new careers_url makes it stale
    source: str
    board_url: str
    detected_at: datetime


class EnrichmentCacheRow(SQLModel, table=True):
    """A model's answer, keyed by backend, model, prompt version and the prompt itself."""

    __tablename__ = "enrichment_cache"

    key: str = Field(primary_key=True)
    enrichment: str  # Enrichment JSON, before source-stated fields are applied
    created_at: datetime


class EnrichmentCache:
    """The enrich stage's cache in the database: a rerun asks the model only about new and
    changed postings. Safe with several workers writing at once (an upsert per key)."""

    CHUNK = 500  # keys per statement, well under SQLite's bound-parameter limit

    def __init__(self, engine: Engine):
        self.engine = engine

    def get(self, keys: list[str]) -> dict[str, Enrichment]:
        found: dict[str, Enrichment] = {}
        with Session(self.engine) as session:
            for start in range(0, len(keys), self.CHUNK):
                chunk = keys[start : start + self.CHUNK]
                query = select(EnrichmentCacheRow).where(EnrichmentCacheRow.key.in_(chunk))
                for row in session.exec(query):
                    found[row.key] = Enrichment.model_validate_json(row.enrichment)
        return found

    def put(self, items: dict[str, Enrichment]) -> None:
        if not items:
            return
        insert = _UPSERT[self.engine.dialect.name]
        now = utc_now()
        rows = [
            {"key": key, "enrichment": value.model_dump_json(), "created_at": now}
            for key, value in items.items()
        ]
        with self.engine.begin() as connection:
            for start in range(0, len(rows), self.CHUNK):
                statement = insert(EnrichmentCacheRow).values(rows[start : start + self.CHUNK])
                connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=["key"],
                        set_={
                            "enrichment": statement.excluded.enrichment,
                            "created_at": statement.excluded.created_at,
                        },
                    )
                )


_UPSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@dataclass(frozen=True)
class Changes:
    found: int
    new: int
    updated: int
    closed: int


def open_database(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    return engine


def save_postings(
    engine: Engine,
    company_id: str,
    postings: list[EnrichedPosting],
    seen_at: datetime,
    *,
    complete: bool = True,
) -> Changes:
    """Upsert a company's postings; a complete scrape also closes the ones no longer listed."""
    incoming = {item.posting.posting_id: _row(item, seen_at) for item in postings}
    new = updated = closed = 0
    with Session(engine) as session:
        existing = session.exec(select(PostingRow).where(PostingRow.company_id == company_id))
        for row in existing:
            fresh = incoming.pop(row.posting_id, None)
            if fresh is None:
                if complete and row.closed_at is None:
                    row.closed_at = seen_at
                    closed += 1
                continue
            if row.content_hash != fresh.content_hash:
                for field in _CONTENT_FIELDS:
                    setattr(row, field, getattr(fresh, field))
                row.updated_at = seen_at
                updated += 1
            row.last_seen_at = seen_at
            row.closed_at = None
        session.add_all(incoming.values())
        new = len(incoming)
        session.commit()
    return Changes(found=len(postings), new=new, updated=updated, closed=closed)


def known_boards(engine: Engine, companies: list[Company]) -> dict[str, tuple[Source, str]]:
    """Boards earlier runs found, for the companies still listed with that careers page."""
    wanted = {c.company_id: str(c.careers_url) for c in companies if c.ats == Source.auto}
    with Session(engine) as session:
        rows = session.exec(select(BoardRow).where(BoardRow.company_id.in_(wanted)))
        return {
            row.company_id: (Source(row.source), row.board_url)
            for row in rows
            if wanted[row.company_id] == row.careers_url
        }


def record_board(engine: Engine, company: Company, source: Source, board_url: str) -> None:
    row = BoardRow(
        company_id=company.company_id,
        careers_url=str(company.careers_url),
        source=source,
        board_url=board_url,
        detected_at=utc_now(),
    )
    with Session(engine) as session:
        session.merge(row)
        session.commit()


def record_company_run(engine: Engine, result: CompanyResult) -> None:
    with Session(engine) as session:
        session.merge(CompanyRunRow.model_validate(result))
        session.commit()


_CONTENT_FIELDS = (
    "company",
    "source",
    "external_id",
    "title",
    "url",
    "location",
    "department",
    "description",
    "remote",
    "employment_type",
    "seniority",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "skills",
    "title_normalized",
    "locations",
    "summary",
    "enrichment_backend",
    "enrichment_model",
    "enrichment_prompt_version",
    "enrichment_fallbacks",
    "content_hash",
    "posted_at",
)


def _row(item: EnrichedPosting, seen_at: datetime) -> PostingRow:
    posting, enrichment = item.posting, item.enrichment
    salary = enrichment.salary or Salary()
    provenance = enrichment.provenance
    return PostingRow(
        # Enrichment already carries the source-stated remote, employment type and salary.
        **posting.model_dump(exclude={"remote", "employment_type", "salary"}),
        **enrichment.model_dump(
            mode="json", include={"remote", "employment_type", "seniority", "skills", "summary"}
        ),
        posting_id=posting.posting_id,
        title_normalized=enrichment.title,
        locations=[place.model_dump() for place in enrichment.locations],
        salary_min=salary.min,
        salary_max=salary.max,
        salary_currency=salary.currency,
        salary_period=salary.period,
        enrichment_backend=provenance.backend,
        enrichment_model=provenance.model,
        enrichment_prompt_version=provenance.prompt_version,
        enrichment_fallbacks=provenance.fallbacks,
        content_hash=hashlib.sha256(item.model_dump_json().encode()).hexdigest(),
        first_seen_at=seen_at,
        last_seen_at=seen_at,
        updated_at=seen_at,
    )


def utc_now() -> datetime:
    return datetime.now(UTC)
