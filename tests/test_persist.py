"""Persist: idempotent upserts, closing what a successful scrape no longer lists, reopening."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.models import Posting, Source
from tasks.persist import PostingRow, open_database, save_postings

T0 = datetime(2026, 11, 1, 6, tzinfo=UTC)


def _postings(*titles: str, description: str = "Python and SQL, fully remote.") -> list:
    postings = [
        Posting(
            company_id="acme",
            company="Acme",
            source=Source.greenhouse,
            title=title,
            url=f"https://boards.greenhouse.io/acme/jobs/{i}",
            external_id=str(i),
            description=description,
        )
        for i, title in enumerate(titles)
    ]
    return enrich_postings(postings, RulesEnricher())[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
        return
    # The real PostgreSQL of these machines (trust auth); a fresh database per test.
    server = "postgresql+psycopg://postgres@127.0.0.1:5432"
    name = f"openings_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError as exc:
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({exc.orig})")
    yield f"{server}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def test_new_unchanged_updated_closed_and_reopened(database_url):
    engine = open_database(database_url)

    first = save_postings(engine, "acme", _postings("Data Engineer", "Designer"), T0)
    again = save_postings(engine, "acme", _postings("Data Engineer", "Designer"), T0 + timedelta(1))
    changed = save_postings(
        engine,
        "acme",
        _postings("Data Engineer", "Designer", description="Go, hybrid."),
        T0 + timedelta(2),
    )
    shrunk = save_postings(engine, "acme", _postings("Data Engineer"), T0 + timedelta(3))
    back = save_postings(engine, "acme", _postings("Data Engineer", "Designer"), T0 + timedelta(4))

    assert (first.new, first.updated, first.closed) == (2, 0, 0)
    assert (again.new, again.updated, again.closed) == (0, 0, 0)
    assert (changed.new, changed.updated, changed.closed) == (0, 2, 0)
    assert (shrunk.new, shrunk.updated, shrunk.closed) == (0, 1, 1)
    assert back.closed == 0 and back.new == 0
    with Session(engine) as session:
        rows = session.exec(select(PostingRow).order_by(PostingRow.external_id)).all()
    assert len(rows) == 2
    assert all(row.closed_at is None for row in rows)
    assert rows[0].first_seen_at == T0 and rows[0].last_seen_at == T0 + timedelta(4)
    assert rows[1].remote == "remote"  # content as of the last save: updated back
    engine.dispose()


def test_a_partial_scrape_closes_nothing(database_url):
    engine = open_database(database_url)
    save_postings(engine, "acme", _postings("Data Engineer", "Designer"), T0)

    partial = save_postings(
        engine, "acme", _postings("Data Engineer"), T0 + timedelta(1), complete=False
    )

    assert (partial.found, partial.closed) == (1, 0)
    with Session(engine) as session:
        rows = session.exec(select(PostingRow).where(PostingRow.company_id == "acme")).all()
    assert [row.closed_at for row in rows] == [None, None]
