"""`python -m flows.watch`: an operator follows a run from a terminal, from its Redis only.

Real runs of the flow (Prefect's test harness, real RQ workers, the sample site) write the event
stream the watcher replays and follows; the watcher runs as the operator runs it, a process of
its own that is interrupted with Ctrl-C (SIGINT) and started again where it stopped."""

import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from deployments.sample.site import SampleSite
from flows import watch
from flows.scrape_companies import scrape_companies
from tasks.queueing import events
from tests.conftest import (
    flow_run_in_thread,
    free_port,
    wait_for,
    write_companies,
)
from tests.conftest import (
    greenhouse_board as _board,
)

ROOT = Path(__file__).resolve().parents[1]
SETTLED = re.compile(r"^\[(\d+)/(\d+)\] (\S+)  (succeeded|partial|failed|cancelled)\b")
RESUME = re.compile(r"python -m flows\.watch (\S+) --after (\d+-\d+)")


def _settled(lines: list[str]) -> list[tuple[int, str, str]]:
    """(done, company, status) of each company line."""
    return [(int(m[1]), m[3], m[4]) for m in map(SETTLED.match, lines) if m]


def _results(state) -> list:
    results = state.result(raise_on_failure=False)
    return getattr(results, "results", results)  # RunFailed carries them


@pytest.mark.usefixtures("prefect_harness")
def test_a_finished_run_replays_a_line_per_company_its_totals_and_its_outcome(
    pipeline_env, site, tmp_path, capsys
):
    companies = [
        _board(site.base_url, "Steady"),
        _board(site.base_url, "Sure"),
        _board(f"http://127.0.0.1:{free_port()}", "Down"),
    ]
    state = scrape_companies(
        str(write_companies(tmp_path / "c.yaml", companies)),
        str(tmp_path / "out"),
        return_state=True,
    )
    results = _results(state)
    run_id = results[0].run_id
    capsys.readouterr()

    code = watch.main([run_id])

    out = capsys.readouterr().out.splitlines()
    assert code == 0 and state.name == "Completed with failures"
    assert out[0] == f"run {run_id}: 3 companies"
    settled = _settled(out)
    assert sorted(company for _, company, _ in settled) == sorted(r.company_id for r in results)
    assert [done for done, _, _ in settled] == [1, 2, 3]
    by_id = {r.company_id: r for r in results}
    for line in out[1:-1]:
        _, company, status = _settled([line])[0]
        result = by_id[company]
        assert status == result.status
        if status == "succeeded":
            assert f"found {result.found}, new {result.new}, closed {result.closed}" in line
        else:
            assert result.error in line  # why it failed
    totals = ", ".join(
        f"{name} {sum(getattr(r, name) for r in results)}"
        for name in ("found", "new", "updated", "closed", "rejected")
    )
    assert out[-1] == f"run completed: 2 succeeded, 1 failed; postings {totals}"
    assert sum(r.found for r in results) > 0

    # The latest run, when none is named; and a run that failed exits 1.
    failing = write_companies(tmp_path / "f.yaml", [companies[2]])
    failed = scrape_companies(str(failing), str(tmp_path / "out"), return_state=True)
    capsys.readouterr()
    assert watch.main([]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"run {_results(failed)[0].run_id}: 1 companies"
    assert out[-1].startswith("run failed: 1 failed (failures: 1 network)")


@pytest.mark.usefixtures("prefect_harness")
def test_an_interrupted_watch_resumes_without_missing_or_repeating_a_company(
    pipeline_env, redis, monkeypatch, tmp_path
):
    monkeypatch.setenv("OPENINGS_LOCAL_FETCH_WORKERS", "1")  # one company at a time
    names = [f"Slow{i}" for i in range(6)]
    with SampleSite(latency_s=1.0) as slow_site:
        boards = [_board(slow_site.base_url, name) for name in names]
        companies = write_companies(tmp_path / "c.yaml", boards)
        with flow_run_in_thread(
            companies_file=str(companies), output_dir=str(tmp_path / "out")
        ) as (run_id, outcome):
            wait_for(lambda: redis.exists(events.stream_key(run_id)), 60, "the run's stream")

            first = Watcher(run_id)
            wait_for(lambda: len(_settled(first.lines)) >= 2, 60, "two companies settled")
            first.process.send_signal(signal.SIGINT)
            assert first.wait(15) == 130
            [(named, last)] = RESUME.findall(first.err())
            assert named == run_id
            second = Watcher(run_id, "--after", last)
            assert second.wait(90) == 0  # it exits when the run ends

    assert outcome["state"].is_completed()
    before, after = _settled(first.lines), _settled(second.lines)
    assert before and after, "the first watch was interrupted mid-run"
    assert sorted(company for _, company, _ in before + after) == sorted(n.lower() for n in names)
    assert [done for done, _, _ in before + after] == [1, 2, 3, 4, 5, 6]  # counts rebuilt
    assert not any(line.startswith("run ") for line in second.lines[:-1])  # nothing repeated
    assert second.lines[-1].startswith("run completed: 6 succeeded")


def test_a_run_whose_flow_fell_silent_is_reported_gone(redis, redis_url, monkeypatch, capsys):
    monkeypatch.setenv("REDIS_URL", redis_url)
    run_id = f"silent-{uuid.uuid4().hex[:8]}"
    counts = {"companies": 2, "kept": 0}
    events.emit(redis, run_id, "", "run", "started", ttl_s=600, counts=counts)
    events.emit(redis, run_id, "a", "fetch", "started", ttl_s=600)
    started = time.monotonic()

    code = watch.main([run_id], gone_after_s=1.0)

    err = capsys.readouterr().err
    assert code == 1 and time.monotonic() - started < 10
    assert "the run's flow seems gone (crashed or killed)" in err
    assert f"python -m flows.watch {run_id} --after " in err


def test_runs_that_cannot_be_watched_get_a_clear_error(redis_url, monkeypatch, capsys):
    monkeypatch.setenv("REDIS_URL", redis_url)
    assert watch.main(["no-such-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no run no-such-run in Redis at ") and "Traceback" not in err

    monkeypatch.delenv("REDIS_URL")
    monkeypatch.delenv("OPENINGS_REDIS_URL", raising=False)
    assert watch.main([]) == 2
    err = capsys.readouterr().err
    assert "REDIS_URL is not set" in err and "cannot be watched from another process" in err

    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    monkeypatch.setenv("REDIS_URL", unreachable)
    assert watch.main([]) == 2
    assert f"error: Redis at {unreachable} is not reachable" in capsys.readouterr().err


def test_the_watcher_starts_without_prefect():
    check = "import sys, flows.watch; print(sorted(m for m in sys.modules if 'prefect' in m))"
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.stdout.strip() == "[]", done.stderr


class Watcher:
    """`python -m flows.watch ARGS` in a process of its own, its stdout read as it comes."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.watch", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait(self, timeout: float) -> int:
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        self.reader.join(5)
        return code

    def err(self) -> str:
        return self.process.stderr.read()
