"""Migrations: the models and the migrations agree, upgrades keep rows, pre-migration databases
are adopted, concurrent upgrades serialise, and an up-to-date database is only a version check."""

import hashlib
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, inspect, text
from sqlmodel import Session, SQLModel, select

from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.models import Posting, Source, canonical_url
from tasks.store import migrations
from tasks.store.persist import (
    BoardRow,
    CompanyRunRow,
    EnrichmentCacheRow,
    PostingEventRow,
    PostingRow,
    RunRow,
    open_database,
    save_postings,
)

T0 = datetime(2026, 11, 1, 6, tzinfo=UTC)
DAY = timedelta(days=1)


def _migrate(url: str, revision: str, *, downgrade: bool = False) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        step = command.downgrade if downgrade else command.upgrade
        step(migrations.alembic_config(connection), revision)
    engine.dispose()


def _revision(engine) -> str | None:
    with engine.connect() as connection:
        return migrations.current(connection)


def _released_database(url: str, *, stamped: bool) -> None:
    """A database as the last pre-migration release left it (stamped: as revision 0001 did),
    with a posting, a company run and a board in it."""
    _migrate(url, "0001")
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = sa.MetaData()
        tables.reflect(connection, only=["postings", "company_runs", "company_boards"])
        connection.execute(
            tables.tables["postings"].insert(),
            {
                "posting_id": "p1",
                "company_id": "acme",
                "company": "Acme",
                "source": "greenhouse",
                "external_id": "1",
                "title": "Data Engineer",
                "url": "https://boards.greenhouse.io/acme/jobs/1",
                "description": "Python",
                "remote": "remote",
                "salary_min": 50000.0,
                "skills": ["python"],
                "enrichment_backend": "rules",
                "content_hash": "h1",
                "first_seen_at": T0,
                "last_seen_at": T0,
                "updated_at": T0,
            },
        )
        connection.execute(
            tables.tables["company_runs"].insert(),
            {
                "run_id": "r1",
                "company_id": "acme",
                "company": "Acme",
                "source": "greenhouse",
                "status": "succeeded",
                "skipped_pages": 0,
                "found": 1,
                "new": 1,
                "updated": 0,
                "closed": 0,
                "duration_s": 1.5,
                "finished_at": T0,
            },
        )
        connection.execute(
            tables.tables["company_boards"].insert(),
            {
                "company_id": "acme",
                "careers_url": "https://acme.example/careers",
                "source": "greenhouse",
                "board_url": "https://boards.greenhouse.io/acme",
                "detected_at": T0,
            },
        )
        if not stamped:
            connection.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def _assert_released_rows_kept(engine) -> None:
    with Session(engine) as session:
        posting = session.exec(select(PostingRow)).one()
        run = session.exec(select(CompanyRunRow)).one()
        board = session.exec(select(BoardRow)).one()
    assert (posting.posting_id, posting.title, posting.skills) == (
        "p1",
        "Data Engineer",
        ["python"],
    )
    assert (posting.salary_min, posting.first_seen_at, posting.closed_at) == (50000.0, T0, None)
    assert (posting.locations, posting.enrichment_fallbacks) == ([], [])
    assert (posting.title_normalized, posting.summary, posting.enrichment_model) == (None,) * 3
    assert (run.run_id, run.status, run.found, run.duration_s, run.finished_at) == (
        "r1",
        "succeeded",
        1,
        1.5,
        T0,
    )
    assert (run.enrich_cached, run.enrich_fallbacks, run.rejected, run.rejected_reasons) == (
        0,
        0,
        0,
        None,
    )
    assert run.attempts == 1
    assert board.board_url == "https://boards.greenhouse.io/acme"


def test_models_and_migrations_agree(database_url):
    engine = open_database(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        if connection.dialect.name == "postgresql":
            # Autogenerate does not compare the labels of PostgreSQL ENUM types: a new Source or
            # CompanyStatus member needs ALTER TYPE ... ADD VALUE in a migration.
            for column in (c for t in SQLModel.metadata.tables.values() for c in t.columns):
                if isinstance(column.type, sa.Enum):
                    labels = connection.execute(
                        text(
                            "SELECT enumlabel FROM pg_enum JOIN pg_type ON pg_type.oid = enumtypid"
                            " WHERE typname = :name ORDER BY enumsortorder"
                        ),
                        {"name": column.type.name},
                    ).scalars()
                    assert list(labels) == column.type.enums, column
    assert _revision(engine) == migrations.head()
    engine.dispose()


def test_released_schema_is_revision_0001(database_url):
    _migrate(database_url, "0001")
    engine = create_engine(database_url)
    inspector = inspect(engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(migrations.RELEASED_SCHEMA)
    for table, columns in migrations.RELEASED_SCHEMA.items():
        assert {c["name"] for c in inspector.get_columns(table)} == columns, table
    assert [i["name"] for i in inspector.get_indexes("postings")] == ["ix_postings_company_id"]
    assert inspector.get_pk_constraint("company_runs")["constrained_columns"] == [
        "run_id",
        "company_id",
    ]
    engine.dispose()


def test_upgrade_from_0001_keeps_rows(database_url):
    _released_database(database_url, stamped=True)

    engine = open_database(database_url)

    assert _revision(engine) == migrations.head()
    _assert_released_rows_kept(engine)
    engine.dispose()


def test_runs_from_0002_get_their_status(database_url):
    _migrate(database_url, "0002")
    engine = create_engine(database_url)
    row = {"companies_file": "c.yaml", "output_dir": "data", "companies": 1}
    row |= {"started_at": T0, "succeeded": 1, "partial": 0, "failed": 0}
    with engine.begin() as connection:
        runs = sa.Table("runs", sa.MetaData(), autoload_with=connection)
        connection.execute(runs.insert(), [{**row, "run_id": "done", "finished_at": T0}])
        connection.execute(runs.insert(), [{**row, "run_id": "died", "finished_at": None}])
    engine.dispose()

    engine = open_database(database_url)

    with Session(engine) as session:
        found = {run.run_id: run for run in session.exec(select(RunRow))}
    assert (found["done"].status, found["died"].status) == ("completed", "running")
    assert (found["done"].cancelled, found["done"].company_ids, found["done"].message) == (
        0,
        [],
        None,
    )
    engine.dispose()


def test_a_source_newer_than_the_enum_is_stored_and_a_downgrade_forgets_it(database_url):
    # company_runs.source was a PostgreSQL ENUM until 0006: each new ATS needed a migration.
    _released_database(database_url, stamped=True)
    engine = open_database(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO company_runs (run_id, company_id, company, source, status,"
                " skipped_pages, found, new, updated, closed, duration_s, finished_at, attempts,"
                " enrich_cached, enrich_fallbacks, rejected, fields_dropped)"
                " VALUES ('r2', 'acme', 'Acme', 'an-ats-added-later', 'succeeded',"
                " 0, 0, 0, 0, 0, 0, :at, 1, 0, 0, 0, 0)"
            ),
            {"at": T0},
        )
    with Session(engine) as session:
        stored = {run.run_id: run.source for run in session.exec(select(CompanyRunRow))}
    assert stored == {"r1": "greenhouse", "r2": "an-ats-added-later"}
    engine.dispose()

    _migrate(database_url, "0005", downgrade=True)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT run_id, source FROM company_runs ORDER BY run_id"))
        assert [tuple(row) for row in rows] == [("r1", "greenhouse"), ("r2", None)]
    engine.dispose()


def test_a_pre_migration_database_is_adopted(database_url):
    _released_database(database_url, stamped=False)
    assert not inspect(create_engine(database_url)).has_table("alembic_version")

    engine = open_database(database_url)

    assert _revision(engine) == migrations.head()
    _assert_released_rows_kept(engine)
    engine.dispose()


def test_a_development_build_database_is_adopted(database_url):
    """Builds between the release and migrations added some of 0002's tables and columns."""
    _released_database(database_url, stamped=False)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE postings ADD COLUMN title_normalized VARCHAR"))
        EnrichmentCacheRow.__table__.create(connection)  # what create_all made
    engine.dispose()

    engine = open_database(database_url)

    assert _revision(engine) == migrations.head()
    _assert_released_rows_kept(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_tables_that_are_not_the_release_stop_the_upgrade(database_url):
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE postings (posting_id VARCHAR PRIMARY KEY)"))
    engine.dispose()

    with pytest.raises(migrations.SchemaError) as error:
        open_database(database_url)

    message = str(error.value)
    assert database_url.rsplit("/", 1)[-1] in message  # names the database
    assert "postings.company_id" in message and "table company_runs" in message
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) == {"postings"}  # nothing was changed
    engine.dispose()


def test_an_unknown_revision_stops_the_upgrade(database_url):
    open_database(database_url).dispose()
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))

    with pytest.raises(migrations.SchemaError, match="'f00d'"):
        open_database(database_url)
    engine.dispose()


def test_an_up_to_date_database_is_one_version_check(database_url):
    open_database(database_url).dispose()
    engine = create_engine(database_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, sql, *_: statements.append(sql))

    migrations.upgrade(engine)
    migrations.upgrade(engine)

    writes = [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "PRAGMA"))]
    assert writes == []
    assert len(statements) <= 6  # per upgrade: does alembic_version exist, and what it holds
    assert _revision(engine) == migrations.head()
    engine.dispose()


def test_downgrade_to_nothing_and_upgrade_again(database_url):
    open_database(database_url).dispose()
    _migrate(database_url, "base", downgrade=True)
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()

    engine = open_database(database_url)

    assert _revision(engine) == migrations.head()
    engine.dispose()


def _assert_migrated_once(engine) -> None:
    assert _revision(engine) == migrations.head()
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert len(versions) == 1
        tables = set(inspect(connection).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_concurrent_opens_of_a_fresh_database(database_url):
    """The flow and enrich workers open a new database at the same moment: one migrates."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []
    engines = []

    def open_it():
        try:
            barrier.wait()
            engines.append(open_database(database_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(engines) == 4
    _assert_migrated_once(engines[0])
    for engine in engines:
        engine.dispose()


OPEN_AT = """
import sys, time
from tasks.store.persist import open_database
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
open_database(sys.argv[1]).dispose()
"""


def test_concurrent_opens_from_processes(database_url):
    """Separate processes (workers, the flow) rely on the database's lock, not the process's."""
    start = time.time() + 3  # after every interpreter has imported tasks.store.persist
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, database_url, str(start)],
            cwd=Path(__file__).parents[1],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    failures = [p.stderr.read() for p in processes if p.wait(timeout=120) != 0]

    assert failures == []
    engine = create_engine(database_url)
    _assert_migrated_once(engine)
    engine.dispose()


def test_postings_from_0006_get_their_history(database_url):
    _migrate(database_url, "0006")
    engine = create_engine(database_url)
    run = {"companies_file": "c.yaml", "output_dir": "data", "companies": 1, "company_ids": []}
    run |= {"succeeded": 1, "partial": 0, "failed": 0, "cancelled": 0, "status": "completed"}
    posting = {"company_id": "acme", "company": "Acme", "source": "greenhouse"}
    posting |= {"url": "https://acme.example/jobs", "enrichment_backend": "rules"}
    posting |= {"content_hash": "h", "first_seen_at": T0, "updated_at": T0}
    posting |= {"description": "Python, 3 years.", "skills": [], "locations": []}
    posting |= {"enrichment_fallbacks": [], "dropped_fields": [], "closed_at": None}
    day = timedelta(days=1)
    with engine.begin() as connection:
        tables = sa.MetaData()
        tables.reflect(connection, only=["runs", "companies", "postings"])
        connection.execute(
            tables.tables["runs"].insert(),
            [
                {**run, "run_id": "old", "started_at": T0},
                {**run, "run_id": "new", "started_at": T0 + day},
            ],
        )
        connection.execute(
            tables.tables["companies"].insert(),
            {"company_id": "acme", "name": "Acme", "careers_url": "https://acme.example/jobs"}
            | {"ats": "auto", "first_seen_at": T0, "last_run_id": "new", "last_run_at": T0 + day},
        )
        connection.execute(
            tables.tables["postings"].insert(),
            [
                {**posting, "posting_id": "seen", "title": "Data Engineer - Berlin"}
                | {"location": "Berlin", "last_seen_at": T0 + day},
                {**posting, "posting_id": "missed", "title": "Data Engineer (Remote)"}
                | {"location": None, "last_seen_at": T0},
                {**posting, "posting_id": "gone", "title": "Designer", "location": None}
                | {"last_seen_at": T0, "closed_at": T0 + day},
            ],
        )
    engine.dispose()

    engine = open_database(database_url)

    with Session(engine) as session:
        rows = {row.posting_id: row for row in session.exec(select(PostingRow))}
        events = session.exec(select(PostingEventRow)).all()
    assert {p: row.last_seen_run_id for p, row in rows.items()} == {
        "seen": "new",
        "missed": None,  # not seen by the company's newest run: stale
        "gone": None,
    }
    # The same role, wherever the title says it is; a different one apart.
    assert rows["seen"].role_fingerprint == rows["missed"].role_fingerprint
    assert rows["gone"].role_fingerprint not in {"", rows["seen"].role_fingerprint}
    assert sorted((e.posting_id, e.event, e.at, e.run_id) for e in events) == [
        ("gone", "closed", T0 + day, None),
        ("gone", "opened", T0, None),
        ("missed", "opened", T0, None),
        ("seen", "opened", T0, None),
    ]
    engine.dispose()


def _url_id(company_id: str, source: str, url: str) -> str:
    """A web posting's id before revision 0009: its canonical URL, scheme and host included."""
    key = f"{company_id}|{source}|{canonical_url(url)}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _web_rows(url: str, stored: dict) -> None:
    """Web postings as the code before 0009 stored them (`stored`: id -> row), and their events."""
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = sa.MetaData()
        tables.reflect(connection, only=["postings", "posting_events"])
        for posting_id, row in stored.items():
            connection.execute(
                tables.tables["postings"].insert(),
                {
                    "posting_id": posting_id,
                    "company": row["company_id"].title(),
                    "title": "Data Engineer",
                    "description": "",
                    "skills": [],
                    "enrichment_backend": "rules",
                    "content_hash": "h",
                    "updated_at": row["last_seen_at"],
                    **row,
                },
            )
            connection.execute(
                tables.tables["posting_events"].insert(),
                {
                    "run_id": "r1",
                    "posting_id": posting_id,
                    "company_id": row["company_id"],
                    "event": "opened",
                    "at": row["first_seen_at"],
                },
            )
    engine.dispose()


def _stored(url: str) -> tuple[dict, list]:
    engine = create_engine(url)
    with engine.connect() as connection:
        table = PostingRow.__table__
        postings = connection.execute(
            sa.select(table.c.posting_id, table.c.url, table.c.first_seen_at, table.c.closed_at)
        )
        rows = {posting_id: rest for posting_id, *rest in postings}
        events = connection.execute(
            text("SELECT event_id, posting_id FROM posting_events ORDER BY event_id")
        )
        events = [posting_id for _, posting_id in events]
    engine.dispose()
    return rows, events


def test_web_postings_are_rekeyed_by_path_and_a_moved_site_is_one_posting(database_url):
    """An upgraded database keeps its web postings open on their next run, even where the site
    had already moved (the old host's posting closed, the new one opened): one posting again."""
    before = migrations._scripts().get_revision("0009").down_revision  # wherever it is chained
    _migrate(database_url, before)
    old_host, new_host = "http://127.0.0.1:8001/jobs/1", "https://localhost:8443/jobs/1/"
    web = {"company_id": "acme", "source": "jsonld", "external_id": None}
    ats = {"company_id": "acme", "source": "greenhouse", "external_id": "9"}
    ats_url = "https://boards.greenhouse.io/acme/jobs/9"
    ats_id = _posting("acme", ats_url, Source.greenhouse, "9").posting_id
    stored = {
        _url_id("acme", "jsonld", old_host): web
        | {"url": old_host, "first_seen_at": T0, "last_seen_at": T0, "closed_at": T0 + DAY},
        _url_id("acme", "jsonld", new_host): web
        | {"url": new_host, "first_seen_at": T0 + DAY, "last_seen_at": T0 + 2 * DAY},
        _url_id("acme", "jsonld", "http://127.0.0.1:8001/jobs/2"): web
        | {"url": "http://127.0.0.1:8001/jobs/2?utm_source=x", "first_seen_at": T0},
        _url_id("globex", "jsonld", old_host): web
        | {"company_id": "globex", "url": old_host, "first_seen_at": T0},
        ats_id: ats | {"url": ats_url},
    }
    for row in stored.values():
        row.setdefault("first_seen_at", T0)
        row.setdefault("last_seen_at", row["first_seen_at"])
    _web_rows(database_url, stored)
    old_ids = list(stored)

    _migrate(database_url, "0009")

    moved = _posting("acme", "https://careers.acme.example/jobs/1").posting_id
    second = _posting("acme", "https://careers.acme.example/jobs/2").posting_id
    globex = _posting("globex", "https://globex.example/jobs/1").posting_id
    rows, events = _stored(database_url)
    assert set(rows) == {moved, second, globex, ats_id}
    url, first_seen, closed = rows[moved]
    assert (url, closed) == (new_host, None)  # the row seen last, first seen when the first was
    assert first_seen == T0
    assert events == [moved, moved, second, globex, ats_id]

    _migrate(database_url, before, downgrade=True)

    rows, events = _stored(database_url)
    assert set(rows) == set(old_ids[1:])  # keyed by their URL's host again; the merge stays
    assert events == [old_ids[1], *old_ids[1:]]

    engine = open_database(database_url)  # upgraded again, then the next run finds them all
    seen = [
        _posting("acme", "https://careers.acme.example/jobs/1"),
        _posting("acme", "https://careers.acme.example/jobs/2?ref=home"),
        _posting("acme", ats_url, Source.greenhouse, "9"),
    ]
    changes = save_postings(
        engine, "acme", enrich_postings(seen, RulesEnricher())[0], T0 + 3 * DAY, run_id="r3"
    )
    assert (changes.new, changes.closed) == (0, 0)
    engine.dispose()


def _posting(company_id: str, url: str, source=Source.jsonld, external_id=None) -> Posting:
    return Posting(
        company_id=company_id,
        company=company_id.title(),
        source=source,
        title="Data Engineer",
        url=url,
        external_id=external_id,
    )
