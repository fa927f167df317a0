"""The persist stage: postings and per-company run records in SQL (SQLite default, PostgreSQL).

Writes for one company happen in one transaction and are keyed by stable ids, so re-running or
resuming a run updates rows instead of duplicating them. A complete scrape closes the company's
postings it no longer lists (a partial one closes nothing); a posting that comes back is reopened.
"""

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, bindparam, event, insert, or_, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import AutoString, Field, Session, SQLModel, create_engine, select

from tasks.models import (
    Company,
    CompanyStatus,
    EnrichedPosting,
    Enrichment,
    RunStatus,
    Salary,
    Source,
)
from tasks.store.roles import role_fingerprint

CHUNK = 500  # rows or keys per statement, well under SQLite's bound-parameter limit


class CompanyResult(SQLModel):
    """How one company ended a run: what the run report, artifact and company_runs.parquet show.

    A SQLModel so that the company_runs table is this same model with keys.
    """

    run_id: str
    company_id: str
    company: str
    # Text, not a PostgreSQL ENUM type: every new ATS adapter is a new Source (migration 0006).
    source: Source | None = Field(default=None, sa_type=AutoString)
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
    enrich_cached: int = 0
    enrich_fallbacks: int = 0
    rejected: int = 0  # postings that could not be stored (no title, no URL that parses)
    rejected_reasons: str | None = None  # "2 x missing title; 1 x url does not parse"
    fields_dropped: int = 0  # postings kept without a field whose value could not be right
    duration_s: float = 0.0
    attempts: int = 1  # a retried run tries a failed company again: 2, 3, ...
    finished_at: datetime


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
    dropped_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    content_hash: str
    posted_at: datetime | None = None
    first_seen_at: datetime
    last_seen_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    role_fingerprint: str  # tasks/store/roles.py
    last_seen_run_id: str | None = None  # an open posting another run missed is stale


class EventKind(StrEnum):
    """What a run did to a posting (posting_events). The export also names the opening of a
    repost `reposted` (tasks/store/signals.py)."""

    opened = "opened"
    reopened = "reopened"
    updated = "updated"
    closed = "closed"


class PostingEventRow(SQLModel, table=True):
    """One change to a posting, written in the transaction that makes it."""

    __tablename__ = "posting_events"

    event_id: int | None = Field(default=None, primary_key=True)
    run_id: str | None = None  # None: from before events were recorded (migration 0007)
    company_id: str = Field(index=True)
    posting_id: str = Field(index=True)
    event: str  # an EventKind; plain text, so new kinds need no DDL
    at: datetime = Field(index=True)


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


class CompanyRow(SQLModel, table=True):
    """A company some run covered: when it was first listed, the newest run that listed it, and
    since when it is untracked (see start_run)."""

    __tablename__ = "companies"

    company_id: str = Field(primary_key=True)
    name: str
    careers_url: str
    ats: str
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    first_seen_at: datetime
    last_run_id: str | None = None
    last_run_at: datetime | None = None
    untracked_at: datetime | None = None


class RunRow(SQLModel, table=True):
    """One run: what it read and wrote, when, and how its companies ended (once finished)."""

    __tablename__ = "runs"

    run_id: str = Field(primary_key=True)
    started_at: datetime
    finished_at: datetime | None = None
    companies_file: str
    output_dir: str
    companies: int = 0
    succeeded: int = 0
    partial: int = 0
    failed: int = 0
    cancelled: int = 0
    status: str = RunStatus.running.value  # a RunStatus; plain text, so new values need no DDL
    message: str | None = None  # the final state's message: "8 succeeded, 2 failed"
    company_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The flow's pulse while the run is `running`: a run whose pulse stopped lost its flow.
    heartbeat_at: datetime | None = None


class EnrichmentCache:
    """The enrich stage's cache in the database: a rerun asks the model only about new and
    changed postings. Safe with several workers writing at once (an upsert per key)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def get(self, keys: list[str]) -> dict[str, Enrichment]:
        found: dict[str, Enrichment] = {}
        with Session(self.engine) as session:
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                query = select(EnrichmentCacheRow).where(EnrichmentCacheRow.key.in_(chunk))
                for row in session.exec(query):
                    found[row.key] = Enrichment.model_validate_json(row.enrichment)
        return found

    def put(self, items: dict[str, Enrichment]) -> None:
        if not items:
            return
        now = utc_now()
        rows = [
            {"key": key, "enrichment": value.model_dump_json(), "created_at": now}
            for key, value in items.items()
        ]
        with self.engine.begin() as connection:
            _upsert(connection, EnrichmentCacheRow, rows, "key", ["enrichment", "created_at"])


_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _upsert(
    connection: Connection,
    model: type[SQLModel],
    rows: list[dict],
    key: str,
    columns: list[str],
    where: Callable[[Any], Any] | None = None,
) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE the given columns, CHUNK rows per statement: safe
    with several writers at once, where a read-then-write would race. `where(excluded)` limits
    which existing rows are updated."""
    insert_for_dialect = _INSERT[connection.dialect.name]
    for start in range(0, len(rows), CHUNK):
        statement = insert_for_dialect(model).values(rows[start : start + CHUNK])
        excluded = statement.excluded
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[key],
                set_={column: excluded[column] for column in columns},
                where=where(excluded) if where is not None else None,
            )
        )


@dataclass(frozen=True)
class Changes:
    found: int
    new: int
    updated: int
    closed: int


def open_database(url: str) -> Engine:
    """An engine for `url`, its schema brought to the newest migration (tasks.store.migrations).

    Cheap when the database is up to date (one version check); safe when several processes open
    a new database at once; a database from before migrations is adopted with its rows.
    """
    # Alembic: ~0.3 s to import, for processes that open a database
    from tasks.store import migrations

    options = {}
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # A writer waits its turn (see _lock_company) instead of failing after pysqlite's 5 s.
        options["connect_args"] = {"timeout": SQLITE_WRITE_WAIT_S}
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_write_ahead)
    try:
        migrations.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _sqlite_write_ahead(connection, _record) -> None:
    """A write-ahead log, synced at checkpoints: a run commits several times per company, and
    each commit of SQLite's default journal costs fsyncs (1.3 ms here, against 0.02 ms). A
    crash of the process loses nothing; a power cut may lose the last commits, which the run's
    next attempt redoes (the rows of a company are written in one transaction).

    The mode is kept in the file. Switching needs the file to itself, so a connection that
    meets another one on a fresh file leaves the switch to a later connection."""
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        if cursor.fetchone()[0] == "wal":  # NORMAL is safe with a write-ahead log only
            cursor.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:  # "database is locked": not ours to switch right now
        pass
    finally:
        cursor.close()


def start_run(
    engine: Engine,
    run_id: str,
    companies_file: str | Path,
    output_dir: str | Path,
    companies: list[Company],
    started_at: datetime,
    bad_entries: Sequence[str] = (),
    *,
    whole_file: bool = True,
) -> None:
    """Record a run and the companies it covers, in one transaction; `bad_entries` are the ids
    of entries it covers that cannot be scraped (tasks.companies.BadEntry), in no companies row.

    Re-running or resuming `run_id` updates its row (the first started_at stays; it is `running`
    again until finish_run). A company keeps its first_seen_at; its name, careers page, ATS,
    attributes and last run come from the newest run that listed it, so two flows at once
    (upserts, in company_id order so their row locks cannot deadlock) leave the later run's view.

    Untracking: a company is untracked (untracked_at = started_at) when a run of the companies
    file that last listed it no longer covers it, and tracked again when a run lists it. Several
    deployments may share one database, each with a file of its own: a run of one file says
    nothing about the companies of another, so "no longer listed" is judged per file (the
    `companies_file` string of the company's last run, which the flow makes an absolute path).
    A run over part of its file (`whole_file` false: a retry of failed companies) untracks
    nothing.
    """
    listed = {company.company_id: company for company in companies}
    run = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": None,
        "heartbeat_at": started_at,
        "companies_file": str(companies_file),
        "output_dir": str(output_dir),
        "companies": len(listed) + len(bad_entries),
        "succeeded": 0,
        "partial": 0,
        "failed": 0,
        "cancelled": 0,
        "status": RunStatus.running.value,
        "message": None,
        "company_ids": sorted([*listed, *bad_entries]),
    }
    rows = [
        {
            "company_id": company_id,
            "name": company.name,
            "careers_url": str(company.careers_url),
            "ats": company.ats.value,
            "attributes": company.attributes,
            "first_seen_at": started_at,
            "last_run_id": run_id,
            "last_run_at": started_at,
            "untracked_at": None,
        }
        for company_id, company in sorted(listed.items())
    ]
    table = CompanyRow.__table__
    with engine.begin() as connection:
        _upsert(
            connection,
            RunRow,
            [run],
            "run_id",
            [
                "finished_at",
                "companies_file",
                "output_dir",
                "companies",
                "status",
                "message",
                "company_ids",
                "heartbeat_at",
            ],
        )
        _upsert(
            connection,
            CompanyRow,
            rows,
            "company_id",
            [
                "name",
                "careers_url",
                "ats",
                "attributes",
                "last_run_id",
                "last_run_at",
                "untracked_at",
            ],
            where=lambda excluded: or_(
                table.c.last_run_at.is_(None), table.c.last_run_at <= excluded.last_run_at
            ),
        )
        if whole_file:
            _untrack(connection, str(companies_file), set(run["company_ids"]), started_at)


def _untrack(connection: Connection, companies_file: str, covered: set[str], at: datetime) -> None:
    """Untrack the companies whose last run, no newer than `at`, read `companies_file`, and
    which the run of `at` does not cover."""
    companies, runs = CompanyRow.__table__, RunRow.__table__
    dropped = [
        company_id
        for company_id in connection.execute(
            select(companies.c.company_id)
            .join(runs, runs.c.run_id == companies.c.last_run_id)
            .where(
                runs.c.companies_file == companies_file,
                companies.c.untracked_at.is_(None),
                companies.c.last_run_at <= at,
            )
        ).scalars()
        if company_id not in covered
    ]
    for start in range(0, len(dropped), CHUNK):
        connection.execute(
            update(companies)
            .where(companies.c.company_id.in_(dropped[start : start + CHUNK]))
            .values(untracked_at=at)
        )


def finish_run(
    engine: Engine, run_id: str, status: RunStatus, message: str, finished_at: datetime | None
) -> None:
    """Close a run that start_run recorded: its outcome, and how many of its companies ended
    how, counted from their company_runs rows (so the two can never disagree)."""
    counts = run_counts(engine, run_id)
    statement = (
        update(RunRow)
        .where(RunRow.run_id == run_id)
        .values(
            finished_at=finished_at,
            status=status.value,
            message=message,
            **{kind.value: counts[kind] for kind in CompanyStatus},
        )
    )
    with engine.begin() as connection:
        connection.execute(statement)


def beat(engine: Engine, run_id: str, at: datetime) -> None:
    """The run's flow is alive at `at` (RunRow.heartbeat_at)."""
    statement = update(RunRow).where(RunRow.run_id == run_id).values(heartbeat_at=at)
    with engine.begin() as connection:
        connection.execute(statement)


def ended_runs(engine: Engine, run_ids: list[str], before: datetime) -> list[str]:
    """Those of `run_ids` that finished before `before`."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(RunRow.run_id).where(RunRow.run_id.in_(run_ids), RunRow.finished_at < before)
            )
        )


def silent_runs(engine: Engine, since: datetime) -> list[RunRow]:
    """Runs still `running` whose flow has not beaten since `since`."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(RunRow).where(
                    RunRow.status == RunStatus.running.value,
                    (RunRow.heartbeat_at < since) | (RunRow.heartbeat_at.is_(None)),
                )
            )
        )


def find_run(engine: Engine, run_id: str) -> RunRow:
    with Session(engine) as session:
        run = session.get(RunRow, run_id)
    if run is None:
        raise LookupError(f"no run {run_id!r} in {engine.url.render_as_string()}")
    return run


def company_results(engine: Engine, run_id: str) -> dict[str, CompanyResult]:
    """The companies of a run recorded so far, by company id (every one, once it finished)."""
    with Session(engine) as session:
        rows = session.exec(select(CompanyRunRow).where(CompanyRunRow.run_id == run_id))
        return {row.company_id: CompanyResult.model_validate(row) for row in rows}


def run_counts(engine: Engine, run_id: str) -> Counter[CompanyStatus]:
    """How many of the run's companies ended how, by their company_runs rows."""
    covered = set(find_run(engine, run_id).company_ids)
    return Counter(
        result.status
        for company_id, result in company_results(engine, run_id).items()
        if company_id in covered
    )


def settle_unfinished(
    engine: Engine,
    run_id: str,
    status: CompanyStatus,
    error: str,
    attempts: dict[str, int] | None = None,
    category: str | None = None,
) -> list[str]:
    """Record every company of the run that has no company_runs row yet as `status` (a run
    cancelled, interrupted or crashed before they finished), with `error` and its `category`
    (default: the status): no company is left without a status.

    Returns the ids of the companies it recorded.
    """
    attempts = attempts or {}
    unfinished = set(find_run(engine, run_id).company_ids) - set(company_results(engine, run_id))
    now = utc_now()
    with Session(engine) as session:
        companies = session.exec(select(CompanyRow).where(CompanyRow.company_id.in_(unfinished)))
        for company in companies:
            result = CompanyResult(
                run_id=run_id,
                company_id=company.company_id,
                company=company.name,
                source=None if company.ats == Source.auto else Source(company.ats),
                status=status,
                error=error,
                error_category=category or status.value,
                attempts=attempts.get(company.company_id, 1),
                finished_at=now,
            )
            session.merge(CompanyRunRow.model_validate(result))
        session.commit()
    return sorted(unfinished)


def save_postings(
    engine: Engine,
    company_id: str,
    postings: list[EnrichedPosting],
    seen_at: datetime,
    *,
    run_id: str,
    complete: bool = True,
) -> Changes:
    """Upsert a company's postings (one row per posting_id, however many URLs reached it) as
    seen by run `run_id`; a complete scrape also closes the ones no longer listed. Each
    opening, reopening, update and close is also a posting_events row.

    One transaction per company. Stored rows are compared by content hash only, and every kind
    of change is one batched statement: a daily rerun, where almost nothing changed, moves
    last_seen_at without loading or rebuilding any row.
    """
    table = PostingRow.__table__
    incoming = {item.posting.posting_id: item for item in postings}
    hashes = {posting_id: _content_hash(item) for posting_id, item in incoming.items()}
    unchanged: list[str] = []
    changed: list[dict] = []
    to_close: list[str] = []
    events: list[tuple[str, EventKind]] = []
    with engine.begin() as connection:
        _lock_company(connection, company_id)
        existing = connection.execute(
            select(table.c.posting_id, table.c.content_hash, table.c.closed_at).where(
                table.c.company_id == company_id
            )
        )
        for posting_id, content_hash, closed_at in existing:
            item = incoming.pop(posting_id, None)
            if item is None:
                if complete and closed_at is None:
                    to_close.append(posting_id)
                    events.append((posting_id, EventKind.closed))
                continue
            if closed_at is not None:
                events.append((posting_id, EventKind.reopened))
            if content_hash == hashes[posting_id]:
                unchanged.append(posting_id)
            else:
                values = row_values(item, seen_at, hashes[posting_id])
                changed.append({"b_id": posting_id, **{f: values[f] for f in _CONTENT_FIELDS}})
                events.append((posting_id, EventKind.updated))
        if incoming:
            rows = [row_values(item, seen_at, hashes[pid]) for pid, item in incoming.items()]
            connection.execute(insert(table), [{**row, "last_seen_run_id": run_id} for row in rows])
            events += [(posting_id, EventKind.opened) for posting_id in incoming]
        if changed:
            connection.execute(
                update(table)
                .where(table.c.posting_id == bindparam("b_id"))
                .values(
                    **{f: bindparam(f) for f in _CONTENT_FIELDS},
                    updated_at=seen_at,
                    last_seen_at=seen_at,
                    last_seen_run_id=run_id,
                    closed_at=None,
                ),
                changed,
            )
        for ids, values in (
            (unchanged, {"last_seen_at": seen_at, "last_seen_run_id": run_id, "closed_at": None}),
            (to_close, {"closed_at": seen_at}),
        ):
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                connection.execute(
                    update(table).where(table.c.posting_id.in_(chunk)).values(values)
                )
        if events:
            rows = [
                {
                    "run_id": run_id,
                    "company_id": company_id,
                    "posting_id": posting_id,
                    "event": kind.value,
                    "at": seen_at,
                }
                for posting_id, kind in events
            ]
            for start in range(0, len(rows), CHUNK):
                connection.execute(insert(PostingEventRow.__table__), rows[start : start + CHUNK])
    return Changes(found=len(hashes), new=len(incoming), updated=len(changed), closed=len(to_close))


SQLITE_WRITE_WAIT_S = 120


def _lock_company(connection: Connection, company_id: str) -> None:
    """Serialise the writers of one company until commit: two flows saving it at once would both
    read it has no posting X and both insert X. PostgreSQL: a transaction-level advisory lock
    per company; SQLite: its database-wide write lock, taken before the read."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('openings.postings'), hashtext(:company))"),
            {"company": company_id},
        )
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


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
    "dropped_fields",
    "content_hash",
    "posted_at",
    "role_fingerprint",
)


def row_values(item: EnrichedPosting, seen_at: datetime, content_hash: str | None = None) -> dict:
    """A posting's `postings` row, as column values (`content_hash` when already computed)."""
    posting, enrichment = item.posting, item.enrichment
    salary = enrichment.salary or Salary()
    provenance = enrichment.provenance
    row = {
        # Enrichment already carries the source-stated remote, employment type and salary.
        **posting.model_dump(exclude={"remote", "employment_type", "salary"}),
        **enrichment.model_dump(
            mode="json", include={"remote", "employment_type", "seniority", "skills", "summary"}
        ),
        "posting_id": posting.posting_id,
        "title_normalized": enrichment.title,
        "locations": [place.model_dump() for place in enrichment.locations],
        "salary_min": salary.min,
        "salary_max": salary.max,
        "salary_currency": salary.currency,
        "salary_period": salary.period,
        "enrichment_backend": provenance.backend,
        "enrichment_model": provenance.model,
        "enrichment_prompt_version": provenance.prompt_version,
        "enrichment_fallbacks": provenance.fallbacks,
        "dropped_fields": provenance.dropped,
        "content_hash": content_hash or _content_hash(item),
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
        "updated_at": seen_at,
        "closed_at": None,
    }
    row["role_fingerprint"] = role_fingerprint(row)
    return row


def _content_hash(item: EnrichedPosting) -> str:
    return hashlib.sha256(item.model_dump_json().encode()).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)
