"""Versioned schema migrations (Alembic) for the persist stage's database.

`tasks.store.persist.open_database` calls `upgrade(engine)`, the only way the schema changes:

- An up-to-date database costs one version check (no lock, no autogenerate, no DDL).
- Otherwise the upgrade runs in one transaction under a lock, and checks the version again once
  it holds the lock, so the flow and any number of enrich workers may open a fresh database at
  the same moment: one migrates, the others wait and find nothing to do. PostgreSQL: a
  transaction-level advisory lock (`pg_advisory_xact_lock(LOCK_KEY)`, released at commit or
  rollback, so no failure can leave it held). SQLite: `BEGIN IMMEDIATE`, SQLite's write lock,
  waited for up to SQLITE_BUSY_TIMEOUT_MS (processes on one host share a SQLite file). Within
  a process, threads also take a lock: Alembic's `context` and `op` are process-wide.
- A database the last release before migrations made (its tables, no `alembic_version`) is
  adopted: checked against that release's schema (revision 0001), stamped 0001 and upgraded,
  rows kept. Tables that do not look like it stop the upgrade with SchemaError.

New revisions: `python -m tasks.store.migrations revision --autogenerate -m "what changed"`
against a database at head (DATABASE_URL); tests/test_migrations.py fails while models and
migrations differ.
"""

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

DIRECTORY = Path(__file__).parent
BASELINE = "0001"  # the schema of the last release before migrations
LOCK_KEY = int.from_bytes(b"openings", "big")  # PostgreSQL advisory lock id (a bigint)
SQLITE_BUSY_TIMEOUT_MS = 60_000  # how long a SQLite upgrade waits for another one to finish


def _new_process_lock() -> None:
    """Alembic's `context` and `op` are process-wide proxies: one upgrade at a time per process
    too. A forked child (an RQ work horse) starts with a lock of its own, never a held one."""
    global _PROCESS_LOCK
    _PROCESS_LOCK = threading.Lock()


_new_process_lock()
os.register_at_fork(after_in_child=_new_process_lock)

# What revision 0001 creates (tests check this against it): a database without alembic_version
# is adopted when it has all of these.
RELEASED_SCHEMA: dict[str, frozenset[str]] = {
    "postings": frozenset(
        [
            "posting_id",
            "company_id",
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
            "enrichment_backend",
            "content_hash",
            "posted_at",
            "first_seen_at",
            "last_seen_at",
            "updated_at",
            "closed_at",
        ]
    ),
    "company_runs": frozenset(
        [
            "run_id",
            "company_id",
            "company",
            "source",
            "status",
            "error",
            "error_category",
            "http_status",
            "board_url",
            "skipped_pages",
            "found",
            "new",
            "updated",
            "closed",
            "duration_s",
            "finished_at",
        ]
    ),
    "company_boards": frozenset(
        ["company_id", "careers_url", "source", "board_url", "detected_at"]
    ),
}
# Tables some build made with create_all, before migrations: any of them means "not fresh".
PRE_MIGRATION_TABLES = frozenset(RELEASED_SCHEMA) | {"enrichment_cache"}


class SchemaError(RuntimeError):
    """The database's schema is not one these migrations can upgrade."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, without an ini file; env.py runs on `connection` when given."""
    config = Config()
    config.set_main_option("script_location", str(DIRECTORY))
    config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision: what `upgrade` brings a database to."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current(connection: Connection) -> str | None:
    """The database's revision; None when it has no alembic_version table (or an empty one)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to `head()`, adopting a pre-migration database first."""
    with engine.connect() as connection:
        if current(connection) == head():
            return
    name = engine.url.render_as_string(hide_password=True)
    with _PROCESS_LOCK, engine.connect() as connection, _serialised(connection):
        revision = current(connection)  # again: another process may have upgraded meanwhile
        if revision == head():
            return
        if revision is None:
            _adopt(connection, name)
        else:
            _check_known(revision, name)
        command.upgrade(alembic_config(connection), "head")


@contextmanager
def _serialised(connection: Connection) -> Iterator[None]:
    """One transaction that only one upgrade at a time holds (commits when the block ends)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        with connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield
    elif dialect == "sqlite":
        # pysqlite issues no BEGIN of its own before DDL: BEGIN IMMEDIATE takes the write lock
        # now, and makes the DDL transactional. A longer busy timeout for this connection only.
        previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        connection.commit()
        try:
            with connection.begin():
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                yield
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous or 0)}")
            connection.commit()
    else:  # unsupported by the project, but a single migrating process still works
        with connection.begin():
            yield


def _adopt(connection: Connection, name: str) -> None:
    """Stamp a database the last pre-migration release made with BASELINE; leave a fresh one."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    if not tables & PRE_MIGRATION_TABLES:
        return  # fresh: migrations create everything
    missing = []
    for table, columns in RELEASED_SCHEMA.items():
        if table not in tables:
            missing.append(f"table {table}")
            continue
        absent = columns - {column["name"] for column in inspector.get_columns(table)}
        if absent:
            missing.extend(f"{table}.{column}" for column in sorted(absent))
    if missing:
        found = ", ".join(sorted(tables & PRE_MIGRATION_TABLES))
        raise SchemaError(
            f"database {name} has Openings tables ({found}) but no alembic_version, and not the"
            f" schema migrations start from (revision {BASELINE}): missing {', '.join(missing)}."
            " Restore it, or point DATABASE_URL at another database."
        )
    command.stamp(alembic_config(connection), BASELINE)


def _check_known(revision: str, name: str) -> None:
    if revision not in {script.revision for script in _scripts().walk_revisions()}:
        raise SchemaError(
            f"database {name} is at revision {revision!r}, which this code does not know: a newer"
            f" Openings migrated it (this code knows up to {head()!r}), or another application's"
            " migrations share the database"
        )
