"""The export stage: Parquet for analysts, written with Polars from the database.

Outputs under the output directory:
  postings_latest.parquet                  open postings, one row each
  postings/scrape_date=YYYY-MM-DD/*.parquet  daily snapshots of open postings (hive-partitioned)
  postings_closed.parquet                  closed postings, with when they were first seen and
                                           closed
  posting_events.parquet                   one row per change a run made to a posting
  company_stats.parquet                    per company, week, department and seniority: open,
                                           opened, closed (tasks/store/changes.py)
  company_runs.parquet                     one row per company per run
  runs.parquet                             one row per run
One explicit schema per kind of file, with enums for categorical fields, so a file never changes
shape by accident (tests/test_export.py pins it). Each file is written to a temporary name of
its own and renamed, so readers never see a half-written file; exports into one directory take
turns (a file lock), so the last one to finish wrote the newest state of the database.
"""

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import JSON, Text, cast
from sqlalchemy.engine import Engine
from sqlmodel import select

from tasks.models import (
    CompanyStatus,
    EmploymentType,
    RemotePolicy,
    RunStatus,
    SalaryPeriod,
    Seniority,
    Source,
)
from tasks.settings import Settings, from_environment
from tasks.store.changes import (
    EVENT_ROWS,
    company_stats,
    posting_events,
)
from tasks.store.persist import CompanyRow, CompanyRunRow, PostingEventRow, PostingRow, RunRow
from tasks.store.salaries import YEARLY_COLUMNS, with_yearly_salaries
from tasks.store.signals import GHOST_COLUMNS, HISTORY_COLUMNS, with_signals

UTC_TIME = pl.Datetime("us", "UTC")


def _enum(values: type) -> pl.Enum:
    return pl.Enum([member.value for member in values])


SOURCE = _enum(Source)

POSTINGS_SCHEMA = pl.Schema(
    {
        "posting_id": pl.String,
        "company_id": pl.String,
        "company": pl.String,
        "title": pl.String,
        "url": pl.String,
        "location": pl.String,
        "department": pl.String,
        "remote": _enum(RemotePolicy),
        "employment_type": _enum(EmploymentType),
        "seniority": _enum(Seniority),
        "salary_min": pl.Float64,
        "salary_max": pl.Float64,
        "salary_currency": pl.String,
        "salary_period": _enum(SalaryPeriod),
        **YEARLY_COLUMNS,
        "skills": pl.List(pl.String),
        "title_normalized": pl.String,
        "locations": pl.List(
            pl.Struct({"city": pl.String, "region": pl.String, "country": pl.String})
        ),
        "summary": pl.String,
        "posted_at": UTC_TIME,
        "first_seen_at": UTC_TIME,
        "last_seen_at": UTC_TIME,
        "last_seen_run_id": pl.String,
        "updated_at": UTC_TIME,
        "closed_at": UTC_TIME,
        "days_open": pl.Int64,
        **HISTORY_COLUMNS,
        **GHOST_COLUMNS,
        "source": SOURCE,
        "external_id": pl.String,
        "enrichment_backend": pl.String,
        "enrichment_model": pl.String,
        "enrichment_prompt_version": pl.String,
        "enrichment_fallbacks": pl.List(pl.String),
        "dropped_fields": pl.List(pl.String),
        "description": pl.String,
    }
)

# What the database holds of a posting: the postings files add days open, the yearly salaries,
# its history and ghost-posting signals to it.
_DERIVED = {*YEARLY_COLUMNS, "days_open", *HISTORY_COLUMNS, *GHOST_COLUMNS} - {"role_fingerprint"}
_STORED = pl.Schema({n: t for n, t in POSTINGS_SCHEMA.items() if n not in _DERIVED})

COMPANY_RUNS_SCHEMA = pl.Schema(
    {
        "run_id": pl.String,
        "company_id": pl.String,
        "company": pl.String,
        "source": SOURCE,
        "status": _enum(CompanyStatus),
        "error": pl.String,
        "error_category": pl.String,
        "http_status": pl.Int64,
        "board_url": pl.String,
        "skipped_pages": pl.Int64,
        "found": pl.Int64,
        "new": pl.Int64,
        "updated": pl.Int64,
        "closed": pl.Int64,
        "enrich_cached": pl.Int64,
        "enrich_fallbacks": pl.Int64,
        "rejected": pl.Int64,
        "rejected_reasons": pl.String,
        "fields_dropped": pl.Int64,
        "duration_s": pl.Float64,
        "attempts": pl.Int64,
        "finished_at": UTC_TIME,
    }
)


RUNS_SCHEMA = pl.Schema(
    {
        "run_id": pl.String,
        "status": _enum(RunStatus),
        "message": pl.String,
        "started_at": UTC_TIME,
        "finished_at": UTC_TIME,
        "companies_file": pl.String,
        "output_dir": pl.String,
        "companies": pl.Int64,
        "succeeded": pl.Int64,
        "partial": pl.Int64,
        "failed": pl.Int64,
        "cancelled": pl.Int64,
        "company_ids": pl.List(pl.String),
    }
)


def export_outputs(engine: Engine, output_dir: Path, scrape_date: date) -> dict[str, Path]:
    """Write every Parquet output; returns their paths by name."""
    with _taking_turns(output_dir):
        return _export(engine, output_dir, scrape_date)


@contextmanager
def _taking_turns(output_dir: Path) -> Iterator[None]:
    """Hold the output directory's export lock: two runs ending at once (or a run and its
    on_cancellation hook) would otherwise let the export that read the database first rename
    its files last, over newer ones."""
    output_dir.mkdir(parents=True, exist_ok=True)
    with (output_dir / ".export.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def _export(engine: Engine, output_dir: Path, scrape_date: date) -> dict[str, Path]:
    settings, now = from_environment(), datetime.now(UTC)
    last_runs = _frame(engine, select(CompanyRow), _LAST_RUNS)
    postings = with_signals(
        _postings(_frame(engine, select(PostingRow), _STORED), settings, now),
        last_runs,
        settings,
        now,
    ).select(POSTINGS_SCHEMA.names())
    open_postings = postings.filter(pl.col("closed_at").is_null()).sort("company_id", "posting_id")
    closed_postings = postings.filter(pl.col("closed_at").is_not_null()).sort(
        "closed_at", "company_id", "posting_id"
    )
    events = _frame(engine, select(PostingEventRow), EVENT_ROWS)
    runs = _frame(engine, select(RunRow), RUNS_SCHEMA).sort("started_at")
    company_runs = _frame(engine, select(CompanyRunRow), COMPANY_RUNS_SCHEMA).sort(
        "finished_at", "company_id"
    )
    snapshot_dir = output_dir / "postings" / f"scrape_date={scrape_date.isoformat()}"
    outputs = {
        "postings_latest": (open_postings, output_dir / "postings_latest.parquet"),
        "postings_snapshot": (open_postings, snapshot_dir / "part-0.parquet"),
        "postings_closed": (closed_postings, output_dir / "postings_closed.parquet"),
        "posting_events": (
            posting_events(events, postings),
            output_dir / "posting_events.parquet",
        ),
        "company_stats": (
            company_stats(events, postings, now),
            output_dir / "company_stats.parquet",
        ),
        "company_runs": (company_runs, output_dir / "company_runs.parquet"),
        "runs": (runs, output_dir / "runs.parquet"),
    }
    for frame, path in outputs.values():
        _write_atomic(frame, path)
    _snapshots_in_schema(output_dir / "postings", settings)
    return {name: path for name, (_, path) in outputs.items()}


_LAST_RUNS = pl.Schema({"company_id": pl.String, "last_run_id": pl.String})


def _postings(stored: pl.DataFrame, settings: Settings, now: datetime) -> pl.DataFrame:
    """What the database holds of postings, with the yearly salaries and the whole days each has
    been open, from the earlier of its published date and its first sighting to its close (or
    `now`)."""
    opened = pl.min_horizontal("posted_at", "first_seen_at")
    until = pl.coalesce("closed_at", pl.lit(now, UTC_TIME))
    days = (until - opened).dt.total_days().clip(lower_bound=0).alias("days_open")
    return with_yearly_salaries(stored.with_columns(days), settings)


def _snapshots_in_schema(snapshots: Path, settings: Settings) -> None:
    """Rewrite the daily snapshots that an earlier release wrote in an earlier schema, so that
    they can still be read together (`postings/**/*.parquet`): Polars refuses files whose types
    differ, and every ATS added is one more `source` category. Each is rewritten once, its
    rows and values kept; a column it lacks is null, the yearly salaries worked out anew."""
    for path in sorted(snapshots.glob("scrape_date=*/*.parquet")):
        if pl.read_parquet_schema(path) != POSTINGS_SCHEMA:
            earlier = pl.read_parquet(path)
            stored = earlier.select(_in_schema(earlier, _STORED))
            # Open as of that day: its last sighting of anything. What the history of that day
            # was (staleness, reposts, signals) is not known: null.
            as_of_then = _postings(stored, settings, stored["last_seen_at"].max())
            _write_atomic(as_of_then.select(_in_schema(as_of_then, POSTINGS_SCHEMA)), path)


def _in_schema(frame: pl.DataFrame, schema: pl.Schema) -> list[pl.Expr]:
    """`frame`'s columns cast to `schema`, a column it lacks null."""
    return [
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in schema.items()
    ]


def _frame(engine: Engine, query, schema: pl.Schema, chunk: int = 10_000) -> pl.DataFrame:
    """The query's rows in `schema`, read `chunk` rows at a time so that only one chunk of Python
    objects is alive at once; JSON columns come back as text and Polars decodes them."""
    columns = [
        cast(column, Text).label(column.name) if isinstance(column.type, JSON) else column
        for column in query.selected_columns
        if column.name in schema
    ]
    json_names = {column.name for column in columns if isinstance(column.type, Text)}
    raw = {name: pl.String if name in json_names else dtype for name, dtype in schema.items()}
    frames = []
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=chunk).execute(
            query.with_only_columns(*columns)
        )
        names = list(result.keys())
        for rows in result.partitions():
            # SQLModel returns aware UTC datetimes from SQLite and PostgreSQL alike.
            frame = pl.DataFrame(
                {name: [row[i] for row in rows] for i, name in enumerate(names)},
                schema={name: raw[name] for name in names},
            )
            frames.append(
                frame.with_columns(
                    pl.col(name).str.json_decode(schema[name]) for name in json_names
                )
            )
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).select(schema.names())


def _write_atomic(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name of its own, beside the file: a rename within one directory is atomic, and
    # an export the lock cannot reach (another host on a shared disk) still writes its own file.
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)
    try:
        frame.write_parquet(partial)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
