"""Posting intelligence in the Parquet files: stale postings, reposted roles, ghost-posting
signals, the events of each run and each company's weeks, from real runs' saves."""

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from tasks.models import Company
from tasks.store.export import export_outputs
from tasks.store.persist import open_database, save_postings, start_run
from tests.conftest import acme_postings

DAY = timedelta(days=1)
NOW = datetime.now(UTC)
# The export counts days open to now: the histories below end about now.
T0 = NOW - 14 * DAY
THIS_MONDAY = NOW.date() - NOW.weekday() * DAY
ACME = Company(name="Acme", careers_url="https://boards.greenhouse.io/acme")
ROLE = "Build pipelines in Python. Requisition 4471, posted 3 days ago."


def _posting(n: int, title: str, description: str = ROLE, **fields):
    return acme_postings(title, first_id=n, description=description, **fields)[0]


class Board:
    """Acme's board, read by one run a day: each read is a run of its own."""

    def __init__(self, database_url: str, tmp_path, t0: datetime = T0):
        self.engine = open_database(database_url)
        self.out = tmp_path / "out"
        self.t0, self.day = t0, 0

    def read(self, *postings, complete: bool = True) -> None:
        run_id, at = self.run()
        save_postings(self.engine, "acme", list(postings), at, run_id=run_id, complete=complete)

    def run(self) -> tuple[str, datetime]:
        """Start the day's run, its id and time: on its own, a run where the company failed."""
        run_id, at = f"run-{self.day}", self.t0 + self.day * DAY
        start_run(self.engine, run_id, "companies.yaml", self.out, [ACME], at, [])
        self.day += 1
        return run_id, at

    def export(self) -> dict[str, pl.DataFrame]:
        paths = export_outputs(self.engine, self.out, NOW.date())
        return {name: pl.read_parquet(path) for name, path in paths.items()}


@pytest.fixture
def board(database_url, tmp_path):
    board = Board(database_url, tmp_path)
    yield board
    board.engine.dispose()


@pytest.fixture
def weeks_of_board(database_url, tmp_path):
    """A board first read on Monday four weeks ago."""
    monday = datetime.combine(THIS_MONDAY - 4 * 7 * DAY, datetime.min.time(), UTC)
    board = Board(database_url, tmp_path, monday + timedelta(hours=6))
    yield board
    board.engine.dispose()


def _by_title(frame: pl.DataFrame) -> dict[str, dict]:
    return {row["title"]: row for row in frame.to_dicts()}


def test_a_posting_the_newest_run_did_not_see_is_stale(board):
    board.read(_posting(1, "Data Engineer"), _posting(2, "Designer"))
    board.read(_posting(1, "Data Engineer"), complete=False)  # partial: closes nothing

    latest = _by_title(board.export()["postings_latest"])

    assert latest["Data Engineer"]["is_stale"] is False
    assert latest["Designer"]["is_stale"] is True
    assert latest["Designer"]["last_seen_run_id"] == "run-0"

    board.run()  # the company failed: nothing saved
    assert set(board.export()["postings_latest"]["is_stale"]) == {True}


def test_a_role_taken_down_and_put_up_again_is_a_repost(board):
    berlin = _posting(1, "Data Engineer - Berlin", location="Berlin, Germany")
    paris = _posting(3, "Data Engineer, Paris", location="Paris, France")  # side by side
    board.read(berlin, paris)
    board.read(paris)  # Berlin's copy taken down...
    # ... and up again under a new id, its requisition number and age changed.
    again = _posting(2, "Data Engineer (Remote)", ROLE.replace("4471", "4502").replace("3", "1"))
    board.read(paris, again)
    board.read(paris, again, _posting(4, "Designer", "Draw things."))

    files = board.export()
    postings = _by_title(pl.concat([files["postings_latest"], files["postings_closed"]]))

    reposted, first, side = (
        postings[title]
        for title in ("Data Engineer (Remote)", "Data Engineer - Berlin", "Data Engineer, Paris")
    )
    assert reposted["repost_of"] == first["posting_id"]
    assert (first["repost_of"], side["repost_of"]) == (None, None)
    assert reposted["role_fingerprint"] == first["role_fingerprint"] == side["role_fingerprint"]
    assert postings["Designer"]["role_fingerprint"] != first["role_fingerprint"]
    assert [reposted["times_reposted"], side["times_reposted"]] == [1, 1]
    assert postings["Designer"]["times_reposted"] == 0
    # The role has been open since Berlin's copy was first seen, 14 days ago.
    assert reposted["role_first_seen_at"] == T0
    assert (reposted["days_open"], reposted["role_days_open"]) == (12, 14)
    assert (first["days_open"], first["role_days_open"]) == (1, 1)

    events = files["posting_events"]
    assert events.filter(pl.col("title") == "Data Engineer (Remote)")["event"].to_list() == [
        "reposted"
    ]
    assert events.select("at", "event", "title").rows() == [
        (T0, "opened", "Data Engineer - Berlin"),
        (T0, "opened", "Data Engineer, Paris"),
        (T0 + DAY, "closed", "Data Engineer - Berlin"),
        (T0 + 2 * DAY, "reposted", "Data Engineer (Remote)"),
        (T0 + 3 * DAY, "opened", "Designer"),
    ]
    assert events["run_id"].to_list() == ["run-0", "run-0", "run-1", "run-2", "run-3"]


def test_ghost_signals_name_their_evidence(board, monkeypatch):
    monkeypatch.setenv("OPENINGS_GHOST_REPOSTS", "2")
    monkeypatch.setenv("OPENINGS_GHOST_OPEN_DAYS", "5")
    monkeypatch.setenv("OPENINGS_GHOST_OPEN_FACTOR", "2")
    monkeypatch.setenv("OPENINGS_GHOST_PUBLISHED_DAYS", "30")

    def analyst(n: int):
        return _posting(n, f"Analyst {n}", f"Analyse {n}.", department="Analytics")

    def recruiter(n: int):
        return _posting(n, "Recruiter", department="People")

    board.read(analyst(10), analyst(11), analyst(12))
    board.read(analyst(10), recruiter(1))
    board.read(analyst(10))
    board.read(analyst(10), recruiter(2))  # Recruiter reposted
    board.day = 13
    old = T0 - 60 * DAY
    buyer = _posting(20, "Buyer", department="Purchasing", posted_at=old)
    board.read(analyst(10), recruiter(3), buyer)  # and again

    latest = _by_title(board.export()["postings_latest"])

    assert latest["Recruiter"]["times_reposted"] == 2
    assert latest["Recruiter"]["ghost_signals"] == ["reposted", "unchanged_reposts"]
    # Open 14 days, where the other analysts' postings stayed one.
    assert latest["Analyst 10"]["ghost_signals"] == ["open_long"]
    assert latest["Buyer"]["ghost_signals"] == ["published_early"]
    assert (latest["Buyer"]["ghost_published_early"], latest["Buyer"]["ghost_reposted"]) == (
        True,
        False,
    )


def test_published_long_before_the_first_read_of_a_board_is_no_signal(board):
    board.read(_posting(1, "Buyer", posted_at=T0 - 400 * DAY))

    latest = board.export()["postings_latest"]

    assert latest["ghost_signals"].to_list() == [[]]
    assert latest["days_open"].to_list() == [414]


def test_company_stats_count_each_week(weeks_of_board):
    board = weeks_of_board
    board.read(_posting(1, "Data Engineer"), _posting(2, "Designer"))  # Monday, week 1
    board.day = 8  # Tuesday, week 2
    board.read(_posting(1, "Data Engineer"), _posting(3, "Senior Data Engineer"))
    board.day = 22  # Tuesday, week 4: nothing happened in week 3
    board.read(_posting(3, "Senior Data Engineer"))

    stats = board.export()["company_stats"]

    weekly = (
        stats.group_by("week")
        .agg(pl.col("open", "opened", "closed").sum(), pl.col("median_days_open").max())
        .sort("week")
    )
    week = [THIS_MONDAY - (4 - n) * 7 * DAY for n in range(5)]
    assert weekly.rows() == [
        (week[0], 2, 2, 0, None),
        (week[1], 2, 1, 1, 8.0),
        (week[2], 2, 0, 0, None),
        (week[3], 1, 0, 1, 22.0),
        (week[4], 1, 0, 0, None),  # up to this week
    ]
    senior = stats.filter(pl.col("seniority") == "senior")
    assert senior.select("week", "open", "opened").rows() == [
        (week[1], 1, 1),
        (week[2], 1, 0),
        (week[3], 1, 0),
        (week[4], 1, 0),
    ]
