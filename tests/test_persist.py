"""Persist: idempotent upserts, closing what a successful scrape no longer lists, reopening."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.models import Company, CompanyStatus, Posting, RunStatus, Source
from tasks.store.persist import (
    CompanyResult,
    CompanyRow,
    PostingEventRow,
    PostingRow,
    RunRow,
    company_results,
    find_run,
    finish_run,
    open_database,
    record_company_run,
    save_postings,
    settle_unfinished,
    start_run,
)
from tests.conftest import acme_postings

T0 = datetime(2026, 11, 1, 6, tzinfo=UTC)


def _postings(*titles: str, description: str = "Python and SQL, fully remote.") -> list:
    return acme_postings(*titles, description=description)


def test_new_unchanged_updated_closed_and_reopened(database_url):
    engine = open_database(database_url)

    first = save_postings(engine, "acme", _postings("Data Engineer", "Designer"), T0, run_id="r0")
    again = save_postings(
        engine, "acme", _postings("Data Engineer", "Designer"), T0 + timedelta(1), run_id="r1"
    )
    changed = save_postings(
        engine,
        "acme",
        _postings("Data Engineer", "Designer", description="Go, hybrid."),
        T0 + timedelta(2),
        run_id="r2",
    )
    shrunk = save_postings(
        engine, "acme", _postings("Data Engineer"), T0 + timedelta(3), run_id="r3"
    )
    back = save_postings(
        engine, "acme", _postings("Data Engineer", "Designer"), T0 + timedelta(4), run_id="r4"
    )

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
    assert [row.last_seen_run_id for row in rows] == ["r4", "r4"]
    with Session(engine) as session:
        events = session.exec(select(PostingEventRow).order_by(PostingEventRow.event_id)).all()
    title = {row.posting_id: row.title for row in rows}
    assert sorted((e.run_id, title[e.posting_id], e.event, e.at - T0) for e in events) == [
        ("r0", "Data Engineer", "opened", timedelta(0)),
        ("r0", "Designer", "opened", timedelta(0)),
        ("r2", "Data Engineer", "updated", timedelta(2)),
        ("r2", "Designer", "updated", timedelta(2)),
        ("r3", "Data Engineer", "updated", timedelta(3)),
        ("r3", "Designer", "closed", timedelta(3)),
        ("r4", "Designer", "reopened", timedelta(4)),
        ("r4", "Designer", "updated", timedelta(4)),
    ]
    engine.dispose()


def test_a_partial_scrape_closes_nothing(database_url):
    engine = open_database(database_url)
    save_postings(engine, "acme", _postings("Data Engineer", "Designer"), T0, run_id="r0")

    partial = save_postings(
        engine, "acme", _postings("Data Engineer"), T0 + timedelta(1), run_id="r1", complete=False
    )

    assert (partial.found, partial.closed) == (1, 0)
    with Session(engine) as session:
        rows = session.exec(select(PostingRow).where(PostingRow.company_id == "acme")).all()
    assert [row.closed_at for row in rows] == [None, None]
    # The one the partial scrape missed is still open, as last seen by the run before.
    assert sorted(row.last_seen_run_id for row in rows) == ["r0", "r1"]


def _company(name: str, careers_url: str = "", ats: str = "auto") -> Company:
    slug = name.lower().replace(" ", "-")
    return Company(name=name, careers_url=careers_url or f"https://{slug}.example/careers", ats=ats)


def _result(run_id: str, company_id: str, status: CompanyStatus) -> CompanyResult:
    return CompanyResult(
        run_id=run_id, company_id=company_id, company=company_id, status=status, finished_at=T0
    )


def test_runs_and_companies_are_recorded_idempotently(database_url):
    engine = open_database(database_url)
    acme, globex = _company("Acme"), _company("Globex", ats="lever")
    later = T0 + timedelta(days=1)

    start_run(engine, "r1", "companies.yaml", "data", [acme, globex, _company("ACME")], T0)
    start_run(engine, "r1", "companies.yaml", "data", [acme, globex], T0)  # resumed
    record_company_run(engine, _result("r1", "acme", CompanyStatus.succeeded))
    record_company_run(engine, _result("r1", "globex", CompanyStatus.failed))
    finish_run(engine, "r1", RunStatus.completed, "1 succeeded, 1 failed", T0 + timedelta(hours=1))
    moved = _company("Acme", "https://acme.example/jobs")
    start_run(engine, "r2", "other.yaml", "out", [moved], later)
    start_run(engine, "r1", "companies.yaml", "data", [acme, globex], T0)  # r1 resumed after r2

    with Session(engine) as session:
        runs = {run.run_id: run for run in session.exec(select(RunRow))}
        companies = {row.company_id: row for row in session.exec(select(CompanyRow))}
    assert set(runs) == {"r1", "r2"}
    r1 = runs["r1"]  # running again: unfinished, no outcome yet
    assert (r1.started_at, r1.companies, r1.finished_at, r1.status) == (T0, 2, None, "running")
    assert (r1.company_ids, r1.message) == (["acme", "globex"], None)
    assert (runs["r2"].companies_file, runs["r2"].output_dir, runs["r2"].companies) == (
        "other.yaml",
        "out",
        1,
    )
    assert set(companies) == {"acme", "globex"}
    assert companies["acme"].first_seen_at == T0
    assert (companies["acme"].last_run_id, companies["acme"].last_run_at) == ("r2", later)
    assert companies["acme"].careers_url == "https://acme.example/jobs"  # the newest run's view
    assert (companies["globex"].ats, companies["globex"].last_run_id) == ("lever", "r1")

    # The resumed run tried acme again; a company's last result counts, once.
    record_company_run(engine, _result("r1", "acme", CompanyStatus.partial))
    record_company_run(engine, _result("r1", "globex", CompanyStatus.succeeded))
    record_company_run(engine, _result("r2", "acme", CompanyStatus.failed))  # another run
    finish_run(engine, "r1", RunStatus.completed, "1 succeeded, 1 partial", later)
    with Session(engine) as session:
        run = session.get(RunRow, "r1")
    assert (run.finished_at, run.succeeded, run.partial, run.failed) == (later, 1, 1, 0)
    assert (run.status, run.message) == ("completed", "1 succeeded, 1 partial")
    with pytest.raises(LookupError, match="no run 'never-started'"):
        finish_run(engine, "never-started", RunStatus.completed, "", later)
    engine.dispose()


def test_companies_a_run_did_not_finish_are_recorded_with_a_status(database_url):
    engine = open_database(database_url)
    companies = [_company("Acme"), _company("Globex"), _company("Initech", ats="lever")]
    start_run(engine, "r1", "companies.yaml", "data", companies, T0)
    record_company_run(engine, _result("r1", "acme", CompanyStatus.succeeded))

    settled = settle_unfinished(
        engine, "r1", CompanyStatus.cancelled, "cancelled: by the operator", {"globex": 2}
    )
    finish_run(engine, "r1", RunStatus.cancelled, "1 succeeded, 2 cancelled", T0)

    assert settled == ["globex", "initech"]
    results = company_results(engine, "r1")
    assert {cid: (r.status, r.attempts) for cid, r in results.items()} == {
        "acme": ("succeeded", 1),
        "globex": ("cancelled", 2),
        "initech": ("cancelled", 1),
    }
    assert results["initech"].source == "lever"
    assert results["globex"].error == "cancelled: by the operator"
    run = find_run(engine, "r1")
    assert (run.succeeded, run.cancelled, run.failed, run.status) == (1, 2, 0, "cancelled")
    assert settle_unfinished(engine, "r1", CompanyStatus.cancelled, "again") == []
    engine.dispose()


def _tracking(engine) -> dict[str, datetime | None]:
    """untracked_at by company id."""
    with Session(engine) as session:
        return {row.company_id: row.untracked_at for row in session.exec(select(CompanyRow))}


def test_a_company_its_file_no_longer_lists_is_untracked_until_listed_again(database_url):
    engine = open_database(database_url)
    acme, globex, initech = _company("Acme"), _company("Globex"), _company("Initech")
    day = [T0 + timedelta(days=n) for n in range(6)]

    start_run(engine, "a1", "/srv/a.yaml", "data", [acme, globex], day[0])
    start_run(engine, "b1", "/srv/b.yaml", "data", [initech], day[1])  # another deployment
    assert _tracking(engine) == {"acme": None, "globex": None, "initech": None}

    start_run(engine, "a2", "/srv/a.yaml", "data", [acme], day[2])  # globex dropped from a.yaml
    start_run(engine, "b2", "/srv/b.yaml", "data", [initech], day[2])
    assert _tracking(engine) == {"acme": None, "globex": day[2], "initech": None}

    start_run(engine, "a3", "/srv/a.yaml", "data", [acme], day[3])  # still not listed
    assert _tracking(engine)["globex"] == day[2]  # untracked since it was dropped

    # Listed again, with an attribute now: tracked again, the attribute kept.
    back = Company(**globex.model_dump(exclude={"attributes"}), attributes={"tier": 1})
    start_run(engine, "a4", "/srv/a.yaml", "data", [acme, back], day[4])
    assert _tracking(engine)["globex"] is None
    with Session(engine) as session:
        assert session.get(CompanyRow, "globex").attributes == {"tier": 1}
    engine.dispose()


def test_only_a_whole_run_of_the_file_that_last_listed_a_company_untracks_it(database_url):
    engine = open_database(database_url)
    acme, globex, initech = _company("Acme"), _company("Globex"), _company("Initech")
    day = [T0 + timedelta(days=n) for n in range(5)]
    start_run(engine, "a1", "/srv/a.yaml", "data", [acme, globex, initech], day[0])

    # A retry of a1's failed companies covers part of the file: it untracks nothing.
    start_run(engine, "a1-retry", "/srv/a.yaml", "data", [acme], day[1], whole_file=False)
    # An entry of the file that cannot be scraped is still listed there.
    start_run(engine, "a2", "/srv/a.yaml", "data", [acme, globex], day[2], ["initech"])
    assert _tracking(engine) == {"acme": None, "globex": None, "initech": None}

    # Globex moves to b.yaml: a.yaml no longer listing it says nothing about it.
    start_run(engine, "b1", "/srv/b.yaml", "data", [globex], day[3])
    start_run(engine, "a3", "/srv/a.yaml", "data", [acme], day[4])
    assert _tracking(engine) == {"acme": None, "globex": None, "initech": day[4]}
    engine.dispose()


def test_two_runs_at_once_share_companies(database_url):
    """Two flows at once, different run ids, the same companies listed in opposite orders."""
    engine = open_database(database_url)
    names = [f"Company {i}" for i in range(40)]
    errors: list[BaseException] = []

    def run(run_id: str, order: list[str]) -> None:
        try:
            for attempt in range(10):
                started = T0 + timedelta(minutes=attempt)
                companies = [_company(name) for name in order]
                start_run(engine, run_id, "companies.yaml", "data", companies, started)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=("ra", names)),
        threading.Thread(target=run, args=("rb", names[::-1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with Session(engine) as session:
        companies = session.exec(select(CompanyRow)).all()
        runs = session.exec(select(RunRow)).all()
    assert len(companies) == 40 and len(runs) == 2
    assert {row.first_seen_at for row in companies} == {T0}
    assert {row.last_run_at for row in companies} == {T0 + timedelta(minutes=9)}
    engine.dispose()


def test_two_flows_saving_one_company_at_once_neither_fail_nor_duplicate(database_url):
    engine = open_database(database_url)
    errors: list[BaseException] = []

    def save(titles: tuple[str, ...], barrier: threading.Barrier, day: int) -> None:
        try:
            barrier.wait()
            save_postings(
                engine, "acme", _postings(*titles), T0 + timedelta(days=day), run_id=f"r{day}"
            )
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)

    for day in range(5):  # a few rounds: the race is a matter of timing
        barrier = threading.Barrier(2)
        titles = [f"Role {day}-{n}" for n in range(30)]
        threads = [
            threading.Thread(target=save, args=(tuple(titles[:20]), barrier, day)),
            threading.Thread(target=save, args=(tuple(titles[10:]), barrier, day)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    with Session(engine) as session:
        rows = session.exec(select(PostingRow)).all()
    ids = [row.posting_id for row in rows]
    assert len(ids) == len(set(ids)) == 20  # _postings numbers ids 0..19 in each batch


def _web_posting(url: str, external_id: str | None = None, source=Source.jsonld) -> Posting:
    return Posting(
        company_id="acme",
        company="Acme",
        source=source,
        title="Data Engineer",
        url=url,
        external_id=external_id,
    )


def test_one_posting_reached_through_several_urls_is_one_row(database_url):
    engine = open_database(database_url)
    same = [
        _web_posting("https://Acme.example/jobs/7/"),
        _web_posting("https://acme.example/jobs/7?utm_source=linkedin&utm_medium=social"),
        _web_posting("https://acme.example/jobs/7#apply"),
        _web_posting("https://acme.example/jobs/7?gclid=abc&ref=home"),
    ]
    by_ats_id = [
        _web_posting("https://boards.greenhouse.io/acme/jobs/9", "9", Source.greenhouse),
        _web_posting("https://acme.example/careers?gh_jid=9", "9", Source.greenhouse),
    ]
    distinct = [
        _web_posting("https://acme.example/job?id=1&lang=en"),
        _web_posting("https://acme.example/job?lang=en&id=2"),
        _web_posting("https://acme.example/job?id=1&lang=en&utm_campaign=x"),  # the id=1 one
    ]
    postings = same + by_ats_id + distinct
    assert len({p.posting_id for p in postings}) == 4

    changes = save_postings(
        engine, "acme", enrich_postings(postings, RulesEnricher())[0], T0, run_id="r0"
    )

    assert (changes.found, changes.new) == (4, 4)  # found counts postings, not URLs
    with Session(engine) as session:
        assert len(session.exec(select(PostingRow)).all()) == 4


def test_a_site_that_moves_host_port_or_scheme_keeps_its_postings(database_url):
    engine = open_database(database_url)

    def seen(base: str, *paths: str, title: str = "Data Engineer") -> list:
        postings = [_web_posting(base + path).model_copy(update={"title": title}) for path in paths]
        return enrich_postings(postings, RulesEnricher())[0]

    first = seen("http://127.0.0.1:8001", "/jobs/1", "/jobs/2")
    save_postings(engine, "acme", first, T0, run_id="r0")
    moved = save_postings(
        engine,
        "acme",
        seen("https://localhost:8443", "/jobs/1/?utm_source=x", "/jobs/2#apply", title="Data Lead"),
        T0 + timedelta(1),
        run_id="r1",
    )
    back_and_new = save_postings(
        engine,
        "acme",
        seen("http://127.0.0.1:8001", "/jobs/1", "/jobs/2", "/jobs/3"),
        T0 + timedelta(2),
        run_id="r2",
    )

    assert (moved.found, moved.new, moved.closed) == (2, 0, 0)  # retitled too: same postings
    assert (back_and_new.new, back_and_new.closed) == (1, 0)  # another path is another posting
    with Session(engine) as session:
        rows = session.exec(select(PostingRow).order_by(PostingRow.url)).all()
    assert [row.url for row in rows] == [f"http://127.0.0.1:8001/jobs/{n}" for n in (1, 2, 3)]
    assert [row.first_seen_at for row in rows] == [T0, T0, T0 + timedelta(2)]
    assert all(row.closed_at is None for row in rows)
    engine.dispose()
