"""The export stage: Parquet for analysts, written with Polars from the database.

Outputs under the output directory:
  postings_latest.parquet                  open postings, one row each
  postings/scrape_date=YYYY-MM-DD/*.parquet  daily snapshots of open postings (hive-partitioned)
  company_runs.parquet                     one row per company per run
Each file is written to a temporary name and renamed, so readers never see a half-written file.
"""

import os
from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy.engine import Engine
from sqlmodel import select

from tasks.persist import CompanyRunRow, PostingRow

UTC_TIME = pl.Datetime("us", "UTC")

POSTINGS_SCHEMA = pl.Schema(
    {
        "posting_id": pl.String,
        "company_id": pl.String,
        "company": pl.String,
        "title": pl.String,
        "url": pl.String,
        "location": pl.String,
        "department": pl.String,
        "remote": pl.String,
        "employment_type": pl.String,
        "seniority": pl.String,
        "salary_min": pl.Float64,
        "salary_max": pl.Float64,
        "salary_currency": pl.String,
        "salary_period": pl.String,
        "skills": pl.List(pl.String),
        "title_normalized": pl.String,
        "locations": pl.List(
            pl.Struct({"city": pl.String, "region": pl.String, "country": pl.String})
        ),
        "summary": pl.String,
        "posted_at": UTC_TIME,
        "first_seen_at": UTC_TIME,
        "last_seen_at": UTC_TIME,
        "source": pl.String,
        "external_id": pl.String,
        "enrichment_backend": pl.String,
        "enrichment_model": pl.String,
        "enrichment_prompt_version": pl.String,
        "enrichment_fallbacks": pl.List(pl.String),
        "description": pl.String,
    }
)

COMPANY_RUNS_SCHEMA = pl.Schema(
    {
        "run_id": pl.String,
        "company_id": pl.String,
        "company": pl.String,
        "source": pl.String,
        "status": pl.String,
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
        "duration_s": pl.Float64,
        "finished_at": UTC_TIME,
    }
)


def export_outputs(engine: Engine, output_dir: Path, scrape_date: date) -> dict[str, Path]:
    """Write every Parquet output; returns their paths by name."""
    open_postings = _frame(
        engine, select(PostingRow).where(PostingRow.closed_at.is_(None)), POSTINGS_SCHEMA
    ).sort("company_id", "posting_id")
    company_runs = _frame(engine, select(CompanyRunRow), COMPANY_RUNS_SCHEMA).sort(
        "finished_at", "company_id"
    )
    snapshot_dir = output_dir / "postings" / f"scrape_date={scrape_date.isoformat()}"
    paths = {
        "postings_latest": output_dir / "postings_latest.parquet",
        "postings_snapshot": snapshot_dir / "part-0.parquet",
        "company_runs": output_dir / "company_runs.parquet",
    }
    _write_atomic(open_postings, paths["postings_latest"])
    _write_atomic(open_postings, paths["postings_snapshot"])
    _write_atomic(company_runs, paths["company_runs"])
    return paths


def _frame(engine: Engine, query, schema: pl.Schema) -> pl.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    # SQLModel returns aware UTC datetimes from SQLite and PostgreSQL alike.
    return pl.DataFrame(
        {name: [row[name] for row in rows] for name in schema.names()}, schema=schema
    )


def _write_atomic(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    frame.write_parquet(partial)
    os.replace(partial, path)
