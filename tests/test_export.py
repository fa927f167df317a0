"""The Parquet files analysts read: one pinned schema, closed postings kept, atomic writes."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import duckdb
import polars as pl
import pytest

from tasks.models import Company, CompanyStatus, RunStatus, Source
from tasks.queueing.workers import PROJECT_ROOT
from tasks.store.changes import COMPANY_STATS_SCHEMA, POSTING_EVENTS_SCHEMA
from tasks.store.export import (
    COMPANIES_SCHEMA,
    COMPANY_RUNS_SCHEMA,
    POSTINGS_SCHEMA,
    RUNS_SCHEMA,
    export_outputs,
)
from tasks.store.persist import (
    CompanyResult,
    finish_run,
    open_database,
    record_board,
    record_company_run,
    save_postings,
    start_run,
)
from tasks.store.salaries import YEARLY_COLUMNS
from tests.conftest import acme_postings

T0 = datetime(2026, 11, 2, 6, tzinfo=UTC)
ACME = Company(name="Acme", careers_url="https://boards.greenhouse.io/acme")

# The contract with analysts. Changing a column here is a change they must hear about.
POSTING_COLUMNS = {
    "posting_id": "String",
    "company_id": "String",
    "company": "String",
    "title": "String",
    "url": "String",
    "location": "String",
    "department": "String",
    "remote": "Enum(categories=['remote', 'hybrid', 'onsite', 'unknown'])",
    "employment_type": (
        "Enum(categories=['full_time', 'part_time', 'contract', 'temporary', 'internship'])"
    ),
    "seniority": (
        "Enum(categories=['intern', 'junior', 'mid', 'senior', 'staff', 'principal', 'manager',"
        " 'director', 'executive'])"
    ),
    "salary_min": "Float64",
    "salary_max": "Float64",
    "salary_currency": "String",
    "salary_period": "Enum(categories=['hour', 'day', 'week', 'month', 'year'])",
    "salary_yearly_min": "Float64",
    "salary_yearly_max": "Float64",
    "salary_converted_currency": "String",
    "salary_yearly_min_converted": "Float64",
    "salary_yearly_max_converted": "Float64",
    "skills": "List(String)",
    "title_normalized": "String",
    "locations": "List(Struct({'city': String, 'region': String, 'country': String}))",
    "summary": "String",
    "posted_at": "Datetime(time_unit='us', time_zone='UTC')",
    "first_seen_at": "Datetime(time_unit='us', time_zone='UTC')",
    "last_seen_at": "Datetime(time_unit='us', time_zone='UTC')",
    "last_seen_run_id": "String",
    "updated_at": "Datetime(time_unit='us', time_zone='UTC')",
    "closed_at": "Datetime(time_unit='us', time_zone='UTC')",
    "days_open": "Int64",
    "is_stale": "Boolean",
    "role_fingerprint": "String",
    "repost_of": "String",
    "times_reposted": "Int64",
    "role_first_seen_at": "Datetime(time_unit='us', time_zone='UTC')",
    "role_days_open": "Int64",
    "ghost_open_long": "Boolean",
    "ghost_reposted": "Boolean",
    "ghost_published_early": "Boolean",
    "ghost_unchanged_reposts": "Boolean",
    "ghost_signals": "List(String)",
    # Every source, in the order Source lists them (each ATS added is one more category).
    "source": f"Enum(categories={[source.value for source in Source]})",
    "external_id": "String",
    "enrichment_backend": "String",
    "enrichment_model": "String",
    "enrichment_prompt_version": "String",
    "enrichment_fallbacks": "List(String)",
    "dropped_fields": "List(String)",
    "description": "String",
}
RUN_COLUMNS = {
    "run_id": "String",
    "status": "Enum(categories=['running', 'completed', 'failed', 'cancelled', 'crashed'])",
    "message": "String",
    "started_at": "Datetime(time_unit='us', time_zone='UTC')",
    "finished_at": "Datetime(time_unit='us', time_zone='UTC')",
    "companies_file": "String",
    "output_dir": "String",
    "companies": "Int64",
    "succeeded": "Int64",
    "partial": "Int64",
    "failed": "Int64",
    "cancelled": "Int64",
    "company_ids": "List(String)",
}
EVENT_COLUMNS = {
    "at": "Datetime(time_unit='us', time_zone='UTC')",
    "event": "Enum(categories=['opened', 'reopened', 'updated', 'closed', 'reposted'])",
    "run_id": "String",
    "company_id": "String",
    "company": "String",
    "posting_id": "String",
    "title": "String",
}
COMPANY_STATS_COLUMNS = {
    "company_id": "String",
    "company": "String",
    "week": "Date",
    "department": "String",
    "seniority": POSTING_COLUMNS["seniority"],
    "open": "Int64",
    "opened": "Int64",
    "closed": "Int64",
    "median_days_open": "Float64",
}
COMPANY_RUN_COLUMNS = {
    "run_id": "String",
    "company_id": "String",
    "company": "String",
    "source": POSTING_COLUMNS["source"],
    "status": "Enum(categories=['succeeded', 'partial', 'failed', 'cancelled'])",
    "error": "String",
    "error_category": "String",
    "http_status": "Int64",
    "board_url": "String",
    "skipped_pages": "Int64",
    "found": "Int64",
    "new": "Int64",
    "updated": "Int64",
    "closed": "Int64",
    "enrich_cached": "Int64",
    "enrich_fallbacks": "Int64",
    "rejected": "Int64",
    "rejected_reasons": "String",
    "fields_dropped": "Int64",
    "duration_s": "Float64",
    "attempts": "Int64",
    "finished_at": "Datetime(time_unit='us', time_zone='UTC')",
}

COMPANY_COLUMNS = {
    "company_id": "String",
    "name": "String",
    "careers_url": "String",
    "ats": POSTING_COLUMNS["source"],
    "source": POSTING_COLUMNS["source"],
    "board_url": "String",
    "first_seen_at": "Datetime(time_unit='us', time_zone='UTC')",
    "last_run_id": "String",
    "last_run_at": "Datetime(time_unit='us', time_zone='UTC')",
    "last_status": COMPANY_RUN_COLUMNS["status"],
    "tracked": "Boolean",
    "untracked_at": "Datetime(time_unit='us', time_zone='UTC')",
    "open_postings": "Int64",
}


def _enriched(*titles: str):
    return acme_postings(
        *titles,
        location="Berlin, Germany",
        description="Senior role. Python, fully remote. Salary: \u20ac70,000 - \u20ac85,000.",
    )


@pytest.fixture
def exported(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    start_run(engine, "r1", "companies.yaml", tmp_path / "out", [ACME], T0, [])
    save_postings(engine, "acme", _enriched("Senior Data Engineer", "Designer"), T0, run_id="r0")
    save_postings(
        engine, "acme", _enriched("Senior Data Engineer"), T0 + timedelta(days=1), run_id="r1"
    )
    record_company_run(
        engine,
        CompanyResult(
            run_id="r1",
            company_id="acme",
            company="Acme",
            source=Source.greenhouse,
            status="succeeded",
            found=1,
            finished_at=T0,
        ),
    )
    finish_run(engine, "r1", RunStatus.completed, "1 succeeded", T0 + timedelta(hours=1))
    return export_outputs(engine, tmp_path / "out", date(2026, 11, 3))


def _columns(schema: pl.Schema) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in schema.items()}


def test_the_schemas_are_pinned():
    assert _columns(POSTINGS_SCHEMA) == POSTING_COLUMNS
    assert _columns(COMPANIES_SCHEMA) == COMPANY_COLUMNS
    assert _columns(COMPANY_RUNS_SCHEMA) == COMPANY_RUN_COLUMNS
    assert _columns(RUNS_SCHEMA) == RUN_COLUMNS
    assert _columns(POSTING_EVENTS_SCHEMA) == EVENT_COLUMNS
    assert _columns(COMPANY_STATS_SCHEMA) == COMPANY_STATS_COLUMNS


def test_every_file_is_written_in_its_schema(exported):
    for name in ("postings_latest", "postings_snapshot", "postings_closed", "postings_untracked"):
        assert _columns(pl.read_parquet_schema(exported[name])) == POSTING_COLUMNS, name
    # No company has attributes: Parquet has no struct without fields, the column is Null.
    companies = _columns(pl.read_parquet_schema(exported["companies"]))
    assert companies == COMPANY_COLUMNS | {"attributes": "Null"}
    assert _columns(pl.read_parquet_schema(exported["company_runs"])) == COMPANY_RUN_COLUMNS
    assert _columns(pl.read_parquet_schema(exported["runs"])) == RUN_COLUMNS
    assert _columns(pl.read_parquet_schema(exported["posting_events"])) == EVENT_COLUMNS
    assert _columns(pl.read_parquet_schema(exported["company_stats"])) == COMPANY_STATS_COLUMNS


def _finished(engine, run_id: str, company_id: str, status: str, **fields) -> None:
    record_company_run(
        engine,
        CompanyResult(
            run_id=run_id,
            company_id=company_id,
            company=company_id,
            status=status,
            finished_at=T0,
            **fields,
        ),
    )


@pytest.fixture
def one_dropped(tmp_path):
    """Acme and Globex listed on day 0, Globex dropped from the file on day 2 (Acme's run that
    day finished); exported on day 1, and on day 2."""
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    acme = Company(
        name="Acme",
        careers_url="https://boards.greenhouse.io/acme",
        attributes={"industry": "robotics", "employees": 120, "size": "big"},
    )
    globex = Company(
        name="Globex",
        careers_url="https://globex.example/careers",
        attributes={"employees": 3.5, "public": True, "size": 10},
    )
    start_run(engine, "r1", "/srv/companies.yaml", tmp_path / "out", [acme, globex], T0)
    save_postings(engine, "acme", acme_postings("Engineer"), T0, run_id="r1")
    globex_postings = acme_postings("Designer", "Analyst", company="Globex")
    save_postings(engine, "globex", globex_postings, T0, run_id="r1")
    _finished(engine, "r1", "acme", "succeeded", source=Source.greenhouse)
    _finished(engine, "r1", "globex", "partial")  # read, yet no source stated: the board's
    record_board(engine, globex, Source.lever, "https://jobs.lever.co/globex")
    export_outputs(engine, tmp_path / "out", date(2026, 11, 3))

    start_run(engine, "r2", "/srv/companies.yaml", tmp_path / "out", [acme], T0 + timedelta(2))
    _finished(engine, "r2", "acme", "failed", error="http 500")
    return export_outputs(engine, tmp_path / "out", date(2026, 11, 4))


def test_an_untracked_companys_postings_leave_the_latest_and_todays_snapshot(one_dropped):
    latest = pl.read_parquet(one_dropped["postings_latest"])
    assert latest["company_id"].to_list() == ["acme"]
    assert pl.read_parquet(one_dropped["postings_snapshot"])["company_id"].to_list() == ["acme"]
    # The day before, Globex was tracked: that snapshot stays as written.
    history = pl.read_parquet(
        one_dropped["postings_snapshot"].parent.parent / "**" / "*.parquet",
        hive_partitioning=True,
    )
    day_before = history.filter(pl.col("scrape_date") == date(2026, 11, 3))
    assert sorted(day_before["company_id"]) == ["acme", "globex", "globex"]

    # Still open in the database (listed again, they come back), apart, and open until untracked.
    untracked = pl.read_parquet(one_dropped["postings_untracked"])
    assert untracked.select("company_id", "title", "closed_at", "days_open").rows() == [
        ("globex", "Designer", None, 2),
        ("globex", "Analyst", None, 2),
    ]
    assert pl.read_parquet(one_dropped["postings_closed"]).height == 0


def test_companies_are_exported_with_their_tracking_last_status_and_attributes(one_dropped):
    companies = pl.read_parquet(one_dropped["companies"])
    fixed = companies.drop("attributes").to_dicts()
    assert fixed == [
        {
            "company_id": "acme",
            "name": "Acme",
            "careers_url": "https://boards.greenhouse.io/acme",
            "ats": "auto",
            "source": "greenhouse",  # read in r1: r2 failed without stating one
            "board_url": None,
            "first_seen_at": T0,
            "last_run_id": "r2",
            "last_run_at": T0 + timedelta(2),
            "last_status": "failed",
            "tracked": True,
            "untracked_at": None,
            "open_postings": 1,
        },
        {
            "company_id": "globex",
            "name": "Globex",
            "careers_url": "https://globex.example/careers",
            "ats": "auto",
            "source": "lever",  # the board found on its careers page
            "board_url": "https://jobs.lever.co/globex",
            "first_seen_at": T0,
            "last_run_id": "r1",
            "last_run_at": T0,
            "last_status": "partial",
            "tracked": False,
            "untracked_at": T0 + timedelta(2),
            "open_postings": 2,
        },
    ]
    # One field per attribute name, typed by its values; a company without one has null.
    assert companies.schema["attributes"] == pl.Struct(
        {"employees": pl.Float64, "industry": pl.String, "public": pl.Boolean, "size": pl.String}
    )
    assert companies["attributes"].to_list() == [
        {"employees": 120.0, "industry": "robotics", "public": None, "size": "big"},
        {"employees": 3.5, "industry": None, "public": True, "size": "10"},
    ]
    path = one_dropped["companies"]
    assert duckdb.sql(
        f"SELECT company_id, attributes.industry, attributes.employees FROM '{path}' ORDER BY 1"
    ).fetchall() == [("acme", "robotics", 120.0), ("globex", None, 3.5)]


def test_a_company_whose_last_run_has_not_finished_it_has_no_last_status(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    start_run(engine, "r1", "/srv/companies.yaml", tmp_path / "out", [ACME], T0)
    _finished(engine, "r1", "acme", CompanyStatus.succeeded)
    start_run(engine, "r2", "/srv/companies.yaml", tmp_path / "out", [ACME], T0 + timedelta(1))

    paths = export_outputs(engine, tmp_path / "out", date(2026, 11, 3))

    [acme] = pl.read_parquet(paths["companies"]).to_dicts()
    assert (acme["last_run_id"], acme["last_status"], acme["tracked"]) == ("r2", None, True)


def test_runs_are_exported_one_row_each(exported, tmp_path):
    [run] = pl.read_parquet(exported["runs"]).to_dicts()
    assert run["run_id"] == "r1" and run["status"] == "completed"
    assert (run["message"], run["companies"], run["succeeded"]) == ("1 succeeded", 1, 1)
    assert (run["started_at"], run["finished_at"]) == (T0, T0 + timedelta(hours=1))
    assert run["company_ids"] == ["acme"]


def test_earlier_snapshots_are_rewritten_in_the_schema_and_read_together(exported, tmp_path):
    # A snapshot an earlier release wrote: fewer sources (each ATS added is one more category of
    # `source`) and columns it did not have yet. Read together with today's, Polars refuses it.
    today = pl.read_parquet(exported["postings_snapshot"])
    earlier_path = tmp_path / "out" / "postings" / "scrape_date=2026-11-01" / "part-0.parquet"
    earlier_path.parent.mkdir(parents=True)
    today.drop("dropped_fields", "days_open", *YEARLY_COLUMNS).with_columns(
        pl.col("source").cast(pl.String).cast(pl.Enum(["auto", "greenhouse", "jsonld"]))
    ).write_parquet(earlier_path)
    with pytest.raises(pl.exceptions.SchemaError):
        pl.scan_parquet(tmp_path / "out" / "postings" / "**" / "*.parquet").collect()

    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    export_outputs(engine, tmp_path / "out", date(2026, 11, 3))

    assert _columns(pl.read_parquet_schema(earlier_path)) == POSTING_COLUMNS
    history = pl.scan_parquet(
        tmp_path / "out" / "postings" / "**" / "*.parquet", hive_partitioning=True
    ).collect()
    earlier = history.filter(pl.col("scrape_date") == date(2026, 11, 1))
    assert earlier.height == today.height > 0
    assert earlier["source"].to_list() == today["source"].to_list()
    assert earlier["title"].to_list() == today["title"].to_list()
    assert earlier["dropped_fields"].to_list() == [None] * today.height
    # The yearly salaries are worked out from the salary the snapshot held.
    assert earlier["salary_yearly_max"].to_list() == today["salary_yearly_max"].to_list()
    assert today["salary_yearly_max"].null_count() == 0
    # Days open as of the snapshot's last sighting (a day after the first), not as of today.
    assert earlier["days_open"].to_list() == [1]


def test_closed_postings_keep_their_dates(exported):
    latest = pl.read_parquet(exported["postings_latest"])
    closed = pl.read_parquet(exported["postings_closed"])
    assert latest["title"].to_list() == ["Senior Data Engineer"]
    assert latest["closed_at"].null_count() == 1
    assert closed.select("title", "first_seen_at", "last_seen_at", "closed_at").row(0) == (
        "Designer",
        T0,
        T0,
        T0 + timedelta(days=1),
    )
    assert latest.select("seniority", "remote", "salary_period").row(0) == (
        "senior",
        "remote",
        "year",
    )
    assert closed["days_open"].to_list() == [1]  # first seen T0, closed a day later
    assert latest["days_open"].item() == (datetime.now(UTC) - T0).days  # still open: until now
    yearly = ("salary_yearly_min", "salary_yearly_max", "salary_converted_currency")
    assert latest.select(yearly).row(0) == (70_000.0, 85_000.0, None)  # no rates file
    assert latest["locations"].to_list() == [[{"city": "Berlin", "region": None, "country": "DE"}]]


def test_a_failed_write_leaves_the_previous_file_whole(exported, monkeypatch, tmp_path):
    before = pl.read_parquet(exported["postings_latest"])

    def crash(self, path, *args, **kwargs):
        with open(path, "wb") as partial:
            partial.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", crash)
    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with pytest.raises(OSError, match="disk full"):
        export_outputs(engine, tmp_path / "out", date(2026, 11, 4))
    monkeypatch.undo()
    assert pl.read_parquet(exported["postings_latest"]).equals(before)
    assert not list((tmp_path / "out").rglob("*.partial"))  # no half file left behind


def test_two_exports_into_one_directory_at_once_never_collide(exported, tmp_path):
    # Two processes (two runs ending together, or a run and its cancel hook), 25 exports each.
    out, before = tmp_path / "out", pl.read_parquet(exported["postings_latest"])
    export_in_a_loop = (
        "import sys; from datetime import date; from pathlib import Path; "
        "from tasks.store.export import export_outputs; "
        "from tasks.store.persist import open_database; "
        "engine = open_database(sys.argv[1]); "
        "[export_outputs(engine, Path(sys.argv[2]), date(2026, 11, 3)) for _ in range(25)]"
    )
    exporters = [
        subprocess.Popen(
            [sys.executable, "-c", export_in_a_loop, f"sqlite:///{tmp_path / 'db.sqlite'}", out],
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [exporter.communicate(timeout=300)[1] for exporter in exporters]

    assert [exporter.returncode for exporter in exporters] == [0, 0], errors
    assert pl.read_parquet(out / "postings_latest.parquet").equals(before)
    assert not list(out.rglob("*.partial"))
