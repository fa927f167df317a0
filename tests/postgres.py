"""Scratch databases on the local PostgreSQL, for the tests and the benchmarks."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"  # trust auth, as .ci/run sets up


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """The URL of a new database, dropped afterwards. sqlalchemy's OperationalError when no
    PostgreSQL answers on 127.0.0.1:5432."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    finally:
        admin.dispose()
