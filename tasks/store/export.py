"""The export stage: Parquet for analysts, written with Polars from the database.

Outputs under the output directory:
  postings_latest.parquet                  open postings of tracked companies, one row each
  postings/scrape_date=YYYY-MM-DD/*.parquet  daily snapshots of those (hive-partitioned)
  postings_closed.parquet                  closed postings, with when they were first seen and
                                           closed
  posting_events.parquet                   one row per change a run made to a posting
  company_stats.parquet                    per company, week, department and seniority: open,
                                           opened, closed (tasks/store/changes.py)
  postings_untracked.parquet               open postings of untracked companies: no longer in
                                           the companies file that listed them (persist.start_run)
  companies.parquet                        one row per company, with its attributes
  company_runs.parquet                     one row per company per run
  runs.parquet                             one row per run
One explicit schema per kind of file, with enums for categorical fields, so a file never changes
shape by accident (tests/test_export.py pins it). The one exception: companies.parquet's last
column, `attributes`, is a struct of the attribute names the companies file uses (_attributes).
Each file is written to a temporary name of its own and renamed, so readers never see a
half-written file; exports into one directory take turns (a file lock), so the last one to
finish wrote the newest state of the database.
"""

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import JSON, Text, cast
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

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
from tasks.store.changes import EVENT_ROWS, company_stats, posting_events
from tasks.store.persist import (
    BoardRow,
    CompanyRow,
    CompanyRunRow,
    PostingEventRow,
    PostingRow,
    RunRow,
)
from tasks.store.salaries import YEARLY_COLUMNS, with_yearly_salaries
from tasks.store.signals import (
    GHOST_COLUMNS,
    HISTORY_COLUMNS,
    OPENED,
    UTC_TIME,
    days_open,
    with_signals,
)


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


# companies.parquet, less its last column: `attributes` (see _attributes).
COMPANIES_SCHEMA = pl.Schema(
    {
        "company_id": pl.String,
        "name": pl.String,
        "careers_url": pl.String,
        "ats": SOURCE,
        "source": SOURCE,
        "board_url": pl.String,
        "first_seen_at": UTC_TIME,
        "last_run_id": pl.String,
        "last_run_at": UTC_TIME,
        "last_status": _enum(CompanyStatus),
        "tracked": pl.Boolean,
        "untracked_at": UTC_TIME,
        "open_postings": pl.Int64,
    }
)

_BOARDS = pl.Schema(
    {"company_id": pl.String, "careers_url": pl.String, "source": SOURCE, "board_url": pl.String}
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
    companies = _companies(engine)
    stored = _frame(engine, select(PostingRow), _STORED).join(
        companies.select("company_id", "untracked_at"), on="company_id", how="left"
    )
    # An untracked company's postings stay open in the database (listed again, they are open
    # again), counted open until the day it stopped being tracked.
    open_until = pl.coalesce("untracked_at", pl.lit(now, UTC_TIME))
    postings = with_signals(
        _postings(stored, settings, open_until),
        companies.select("company_id", "last_run_id"),
        settings,
        open_until,
    )
    still_open = postings.filter(pl.col("closed_at").is_null())
    tracked = pl.col("untracked_at").is_null()
    open_postings = _in_files(still_open.filter(tracked)).sort("company_id", "posting_id")
    untracked_postings = _in_files(still_open.filter(~tracked)).sort("company_id", "posting_id")
    closed_postings = _in_files(postings.filter(pl.col("closed_at").is_not_null())).sort(
        "closed_at", "company_id", "posting_id"
    )
    events = _frame(engine, select(PostingEventRow), EVENT_ROWS)
    runs = _frame(engine, select(RunRow), RUNS_SCHEMA).sort("started_at")
    company_runs = _frame(engine, select(CompanyRunRow), COMPANY_RUNS_SCHEMA).sort(
        "finished_at", "company_id"
    )
    boards = _frame(engine, select(BoardRow), _BOARDS)
    snapshot_dir = output_dir / "postings" / f"scrape_date={scrape_date.isoformat()}"
    outputs = {
        "postings_latest": (open_postings, output_dir / "postings_latest.parquet"),
        "postings_snapshot": (open_postings, snapshot_dir / "part-0.parquet"),
        "postings_closed": (closed_postings, output_dir / "postings_closed.parquet"),
        "postings_untracked": (untracked_postings, output_dir / "postings_untracked.parquet"),
        "posting_events": (
            posting_events(events, postings),
            output_dir / "posting_events.parquet",
        ),
        "company_stats": (
            company_stats(events, postings, now),
            output_dir / "company_stats.parquet",
        ),
        "companies": (
            _company_table(companies, company_runs, boards, still_open),
            output_dir / "companies.parquet",
        ),
        "company_runs": (company_runs, output_dir / "company_runs.parquet"),
        "runs": (runs, output_dir / "runs.parquet"),
    }
    for frame, path in outputs.values():
        _write_atomic(frame, path)
    _snapshots_in_schema(output_dir / "postings", settings)
    return {name: path for name, (_, path) in outputs.items()}


def _in_files(postings: pl.DataFrame) -> pl.DataFrame:
    return postings.select(POSTINGS_SCHEMA.names())


def _postings(stored: pl.DataFrame, settings: Settings, open_until: pl.Expr) -> pl.DataFrame:
    """What the database holds of postings, with the yearly salaries and the whole days each has
    been open, from the earlier of its published date and its first sighting to its close (or,
    while open, `open_until`)."""
    days = days_open(OPENED, open_until).alias("days_open")
    return with_yearly_salaries(stored.with_columns(days), settings)


def _companies(engine: Engine) -> pl.DataFrame:
    """The companies table, its attributes as one struct column (few rows: read whole)."""
    with Session(engine) as session:
        rows = session.exec(select(CompanyRow).order_by(CompanyRow.company_id)).all()
    stored = pl.DataFrame(
        [row.model_dump(exclude={"attributes"}) for row in rows],
        schema={
            name: COMPANIES_SCHEMA[name] for name in CompanyRow.model_fields if name != "attributes"
        },
    )
    return stored.with_columns(_attributes([row.attributes for row in rows]))


def _company_table(
    companies: pl.DataFrame,
    company_runs: pl.DataFrame,
    boards: pl.DataFrame,
    stored_open: pl.DataFrame,
) -> pl.DataFrame:
    """companies.parquet: each company as its file declares it, what its runs found (the source
    read and board last seen), how its last run ended, and its open postings."""
    last_status = company_runs.select("company_id", last_run_id="run_id", last_status="status")
    latest = (
        company_runs.sort("finished_at")
        .group_by("company_id")
        .agg(
            run_source=pl.col("source").drop_nulls().last(),
            run_board_url=pl.col("board_url").drop_nulls().last(),
        )
    )
    open_counts = stored_open.group_by("company_id").agg(open_postings=pl.len())
    return (
        companies.join(last_status, on=["company_id", "last_run_id"], how="left")
        .join(latest, on="company_id", how="left")
        # A board found on another careers page is stale: the company moved.
        .join(boards, on=["company_id", "careers_url"], how="left")
        .join(open_counts, on="company_id", how="left")
        .with_columns(
            source=pl.coalesce("run_source", "source"),
            board_url=pl.coalesce("board_url", "run_board_url"),
            tracked=pl.col("untracked_at").is_null(),
            open_postings=pl.col("open_postings").fill_null(0).cast(pl.Int64),
        )
        .select(*COMPANIES_SCHEMA.names(), "attributes")
        .cast(dict(COMPANIES_SCHEMA))
    )


def _attributes(values: list[dict]) -> pl.Series:
    """The `attributes` column: a struct with a field for every attribute name some company has
    (sorted), null for a company without that attribute. A field is typed by its values:
    Boolean, Int64, Float64 (ints and floats together) or String; values of other mixes are
    written as their JSON text. Parquet has no struct without fields, so when no company has an
    attribute the column is of type Null (all null): its name stays, for readers to find."""
    kinds: dict[str, set[type]] = {}
    for attributes in values:
        for name, value in attributes.items():
            kinds.setdefault(name, set()).add(_kind(value))
    if not kinds:
        return pl.Series("attributes", [None] * len(values), pl.Null)
    fields = [
        pl.Series(name, [_cast(a.get(name), dtype) for a in values], dtype)
        for name, dtype in ((name, _common_type(kinds[name])) for name in sorted(kinds))
    ]
    return pl.struct(fields, eager=True).alias("attributes")


_INT64 = range(-(2**63), 2**63)
_TYPES = {bool: pl.Boolean, int: pl.Int64, float: pl.Float64, str: pl.String}


def _kind(value: object) -> type:
    # An int past Int64 (an id, say) is written as its text rather than stop the export.
    return str if type(value) is int and value not in _INT64 else type(value)


def _common_type(kinds: set[type]) -> pl.DataType:
    if len(kinds) == 1:
        return _TYPES[next(iter(kinds))]
    return pl.Float64 if kinds == {int, float} else pl.String


def _cast(value: object, dtype: pl.DataType) -> object:
    if value is None or dtype != pl.String or isinstance(value, str):
        return value
    return json.dumps(value)


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
            as_of_then = _postings(stored, settings, pl.lit(stored["last_seen_at"].max(), UTC_TIME))
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
