"""What an operator relies on, against real parts: a `prefect server`, the deployment of
prefect.yaml under a process worker, external RQ workers (SimpleWorker) on Redis, and the sample
career site. A run's final state says how it went; Retry resumes a run without fetching again
what it saved; --retry-failed re-runs only the failures; Cancel stops every job within 5 s
however the run was started; an unreachable Redis is one clear line. Slow: `make test-slow`.
"""

import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
from prefect.client.schemas.objects import StateType
from redis import Redis
from rq import Queue, Worker
from rq.job import Job, JobStatus

from deployments.sample.site import SampleSite
from tasks.queueing.workers import PROJECT_ROOT
from tests.conftest import free_port, greenhouse_board, wait_for, write_companies
from tests.prefect_server import rq_workers, stop_process, tail

pytestmark = pytest.mark.slow

QUEUES = {"io_fetch": 2, "ai_enrich": 1}
# A job in one of these states is still the run's business; cancel must leave none of them.
ACTIVE = {
    JobStatus.QUEUED,
    JobStatus.STARTED,
    JobStatus.DEFERRED,
    JobStatus.SCHEDULED,
    JobStatus.READY_TO_ENQUEUE,  # rq 3.0: a dependent about to be queued
}
CANCEL_WITHIN_S = 5.0
PREFECT_LOG = re.compile(r"\d\d:\d\d:\d\d\.\d{3} \| ")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def workers(prefect_server):
    """2 fetch and 1 enrich worker for the whole module: runs use them, not local ones."""
    with rq_workers(prefect_server, QUEUES) as names:
        yield names


@pytest.fixture(autouse=True)
def quiet_queues(request, redis_url):
    """Each test starts with idle workers and empty queues, so one test's leftovers (a job that
    ignored a cancel) show up as that test's failure, not as a timeout in the next one."""
    if "workers" not in request.fixturenames:
        yield
        return
    redis = Redis.from_url(redis_url)
    queues = [Queue(name, connection=redis) for name in QUEUES]

    def idle() -> bool:
        busy = [w for q in queues for w in Worker.all(queue=q) if w.get_state() == "busy"]
        return not busy and all(q.count == 0 for q in queues)

    try:
        wait_for(idle, 60, "RQ workers to finish an earlier test's jobs")
        yield
    finally:
        redis.close()


@pytest.fixture
def late_site():
    """A site on a fixed port that is not started yet: companies on it fail until a test starts
    it (then a retry of the same companies succeeds)."""
    site = SampleSite(port=free_port())
    yield site
    site.stop()


@pytest.fixture
def scrape(prefect_server):
    """Start `python -m flows.scrape ARGS` as an operator types it (against the test's Prefect
    server unless `env` says otherwise), stdout and stderr kept apart in `logs`; whatever is
    still running when the test ends is stopped."""
    processes: list[subprocess.Popen] = []

    def start(logs: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        logs.mkdir(parents=True, exist_ok=True)
        with (logs / "stdout").open("w") as stdout, (logs / "stderr").open("w") as stderr:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "flows.scrape", *args],
                    cwd=PROJECT_ROOT,
                    env=env or prefect_server.env,
                    stdout=stdout,
                    stderr=stderr,
                    start_new_session=True,  # own group: Ctrl-C goes to a terminal's whole group
                )
            )
        return processes[-1]

    yield start
    for process in processes:
        stop_process(process)


@pytest.fixture(scope="module")
def cancel_latencies(tmp_path_factory):
    """Seconds from each cancel request to the last active job of the run; reported at the end
    (median and max) on stdout (`pytest -s`) and in cancel_latencies.json."""
    latencies: dict[str, float] = {}
    yield latencies
    if latencies:
        report = {
            "latencies_s": latencies,
            "median_s": statistics.median(latencies.values()),
            "max_s": max(latencies.values()),
        }
        path = tmp_path_factory.mktemp("report") / "cancel_latencies.json"
        path.write_text(json.dumps(report, indent=2))
        print(f"\ncancel latencies: {json.dumps(report)} ({path})")


# ---------------------------------------------------------------- helpers


def tag() -> str:
    """A prefix that keeps this test's boards apart on the session-wide sample site."""
    return f"op{uuid.uuid4().hex[:6]}"


def greenhouse(base_url: str, board: str, api_path: str | None = None) -> dict:
    """A Greenhouse company read from `base_url` (board "x-N" has N postings), or from
    `api_path` there (a /nasty/ route) instead of its board."""
    return {
        "name": board,
        "careers_url": f"https://boards.greenhouse.io/{board}",
        "api_url": base_url + (api_path or f"/greenhouse/v1/boards/{board}/jobs?content=true"),
        "respect_robots": False,  # one request per company: hit counts are requests for boards
    }


def board_path(board: str) -> str:
    return f"/greenhouse/v1/boards/{board}/jobs"


def companies_file(path: Path, companies: list[dict]) -> str:
    return str(write_companies(path, companies))


def query(out: Path, sql: str, *params: object) -> list[dict]:
    """Rows from the run's SQLite database, opened read-only (never creating it); none until the
    flow has created the table."""
    path = out / "openings.db"
    if not path.exists():
        return []
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as db:
        db.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in db.execute(sql, params)]
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise


def company_runs(out: Path, run_id: str, *, parquet: bool = False) -> dict[str, dict]:
    """The run's company_runs rows by company id, from the database or company_runs.parquet.
    A company listed twice fails the test: one row per company per run, however often resumed."""
    if parquet:
        path = out / "company_runs.parquet"
        rows = (
            pl.read_parquet(path).filter(pl.col("run_id") == run_id).to_dicts()
            if path.exists()
            else []
        )
    else:
        rows = query(out, "SELECT * FROM company_runs WHERE run_id = ?", run_id)
    by_company = {row["company_id"]: row for row in rows}
    assert len(by_company) == len(rows), f"a company has two company_runs rows in run {run_id}"
    return by_company


def run_row(out: Path, run_id: str) -> dict | None:
    rows = query(out, "SELECT * FROM runs WHERE run_id = ?", run_id)
    return rows[0] if rows else None


def run_ids(out: Path) -> list[str]:
    """Runs recorded in this output dir, oldest first (a CLI run's id is its flow run id)."""
    return [row["run_id"] for row in query(out, "SELECT run_id FROM runs ORDER BY started_at")]


def run_jobs(redis: Redis, run_id: str) -> list[Job]:
    """Every RQ job of the run: the flow lists their ids in openings:run:{run_id}:jobs."""
    ids = sorted(jid.decode() for jid in redis.smembers(f"openings:run:{run_id}:jobs"))
    return [job for job in Job.fetch_many(ids, connection=redis) if job is not None]


def active_jobs(redis: Redis, run_id: str) -> list[str]:
    return [
        f"{job.id}: {status.value}"
        for job in run_jobs(redis, run_id)
        if (status := job.get_status(refresh=False)) in ACTIVE
    ]


def finish_scrape(process: subprocess.Popen, logs: Path, timeout: float = 180) -> int:
    """Its exit code; a CLI still running after `timeout` s is stopped and fails the test."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_process(process)
        raise AssertionError(
            f"python -m flows.scrape still running after {timeout} s:\n{tail(logs / 'stderr')}"
        ) from None


def flow_run_pids(flow_run_id: str) -> list[int]:
    """Processes of this flow run: the worker starts each run in a subprocess whose
    environment names it (PREFECT__FLOW_RUN_ID)."""
    marker = f"PREFECT__FLOW_RUN_ID={flow_run_id}".encode()
    pids = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                pids.append(int(environ.parent.name))
        except OSError:  # gone, or not ours to read
            continue
    return pids


# ---------------------------------------------------------------- tests
# The cancels come last: a job that ignored one would keep a worker busy for the tests after.


def test_unreachable_redis_is_one_clear_line_and_a_failed_run(
    prefect_server, scrape, site, tmp_path
):
    url = f"redis://127.0.0.1:{free_port()}/0"
    out = tmp_path / "out"
    file = companies_file(tmp_path / "companies.yaml", [greenhouse(site.base_url, "x-1")])

    logs = tmp_path / "cli"
    process = scrape(logs, file, "--output", str(out), env={**prefect_server.env, "REDIS_URL": url})
    code = finish_scrape(process, logs)

    stderr = (logs / "stderr").read_text()
    output = (logs / "stdout").read_text() + stderr
    assert code == 1, stderr[-2000:]
    # One line for the operator, besides Prefect's own log records ("12:00:00.000 | ERROR | ...").
    error_lines = [
        line for line in stderr.splitlines() if url in line and not PREFECT_LOG.match(line)
    ]
    assert len(error_lines) == 1, stderr[-2000:]
    assert "Traceback" not in output, output[-3000:]
    [run_id] = run_ids(out)
    row = run_row(out, run_id)
    assert row["status"] == "failed" and row["finished_at"] is not None, row


def test_final_state_and_exit_code_say_how_the_run_went(
    prefect_server, workers, scrape, site, tmp_path
):
    base, t = site.base_url, tag()
    ok = [greenhouse(base, f"{t}-ok{i}-2") for i in range(3)]
    gone = [greenhouse(base, f"{t}-gone{i}", "/nasty/gone") for i in range(2)]  # 410, for good
    cases = {  # companies, then the state they end in (type, name, counts in its message), exit
        "all succeeded": (ok, StateType.COMPLETED, "Completed", ["3 succeeded"], 0),
        "one failed": (
            [*ok, gone[0]],
            StateType.COMPLETED,
            "Completed with failures",
            ["3 succeeded", "1 failed"],
            0,
        ),
        "most failed": ([ok[0], *gone], StateType.FAILED, None, ["1 succeeded", "2 failed"], 1),
        "all failed": (gone, StateType.FAILED, None, ["2 failed"], 1),
    }
    # From the CLI, all at once: the deployment runs one run at a time (its concurrency limit),
    # and the other tests cover the state of deployment runs.
    started = {}
    for i, (case, (companies, *_)) in enumerate(cases.items()):
        file, out = companies_file(tmp_path / f"{i}.yaml", companies), tmp_path / f"out{i}"
        logs = tmp_path / f"cli{i}"
        started[case] = (scrape(logs, file, "--output", str(out)), logs, out)

    for case, (_, state_type, name, counts, exit_code) in cases.items():
        process, logs, out = started[case]
        assert finish_scrape(process, logs) == exit_code, (case, tail(logs / "stderr"))
        [run_id] = run_ids(out)
        state = prefect_server.flow_run(run_id).state
        assert state.type == state_type, (case, state)
        assert name is None or state.name == name, (case, state)
        assert all(count in (state.message or "") for count in counts), (case, state.message)


def test_retry_keeps_what_succeeded_and_retries_the_failed_company(
    prefect_server, workers, site, late_site, redis, tmp_path
):
    t, out = tag(), tmp_path / "out"
    boards = [f"{t}-a-2", f"{t}-b-3", f"{t}-c-1"]
    late = f"{t}-late-2"
    companies = [greenhouse(site.base_url, b) for b in boards]
    companies.append(greenhouse(f"http://127.0.0.1:{late_site.port}", late))  # nothing there yet
    run_id = prefect_server.run_deployment(
        companies_file=companies_file(tmp_path / "companies.yaml", companies), output_dir=str(out)
    )
    first = prefect_server.wait_for_state(run_id).state
    assert first.name == "Completed with failures", first
    before = company_runs(out, run_id)
    hits_before = {b: site.hits(board_path(b)) for b in boards}
    assert before[late]["status"] == "failed" and before[late]["attempts"] == 1, before[late]

    late_site.start()
    prefect_server.cli("flow-run", "retry", run_id)
    state = prefect_server.wait_for_state(run_id).state

    assert (state.type, state.name) == (StateType.COMPLETED, "Completed"), state
    assert "4 succeeded" in (state.message or ""), state.message
    after = company_runs(out, run_id)
    assert {b: after[b] for b in boards} == {b: before[b] for b in boards}  # untouched
    assert {b: site.hits(board_path(b)) for b in boards} == hits_before  # not fetched again
    assert after[late]["status"] == "succeeded" and after[late]["attempts"] == 2, after[late]
    assert late_site.hits(board_path(late)) == 1
    assert set(company_runs(out, run_id, parquet=True)) == set(after) == {*boards, late}
    # The second attempt has jobs of its own, beside the first's (what rq-dashboard shows).
    second_attempt = {job.id for job in run_jobs(redis, run_id) if job.id.endswith("-2")}
    assert second_attempt == {f"{run_id}-{late}-fetch-2", f"{run_id}-{late}-enrich-2"}


def test_retry_after_the_flow_process_is_killed_fetches_nothing_twice(
    prefect_server, workers, tmp_path
):
    t, out = tag(), tmp_path / "out"
    boards = [f"{t}-k{i}-2" for i in range(6)]
    # 3 s a request, 2 fetch workers: companies land about 3 s apart, time to kill mid-run.
    with SampleSite(latency_s=3) as slow:
        run_id = prefect_server.run_deployment(
            companies_file=companies_file(
                tmp_path / "companies.yaml", [greenhouse(slow.base_url, b) for b in boards]
            ),
            output_dir=str(out),
        )
        wait_for(
            lambda: 1 <= len(company_runs(out, run_id)) < len(boards),
            120,
            "a company saved and others still to come",
        )
        pids = wait_for(lambda: flow_run_pids(run_id), 10, "the flow run's process")
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        prefect_server.wait_for_state(run_id, frozenset({StateType.CRASHED}), timeout=60)
        # The worker is not done with the killed attempt yet: it runs the on_crashed hooks in a
        # subprocess of the run (~10 s), then reports Crashed once more, and that late report
        # would turn a Retry made meanwhile back into Crashed (Prefect 3.8.8). Retry after it.
        started = time.monotonic()
        wait_for(lambda: not flow_run_pids(run_id), 60, "the crashed run's hooks to finish")
        print(
            f"\non_crashed hooks of {run_id} done {time.monotonic() - started:.1f} s after Crashed"
        )
        saved = company_runs(out, run_id)

        prefect_server.cli("flow-run", "retry", run_id)
        state = prefect_server.wait_for_state(run_id).state
        hits = {b: slow.hits(board_path(b)) for b in boards}

    assert state.type == StateType.COMPLETED, [
        (s.timestamp.isoformat(), s.name, s.message) for s in prefect_server.states(run_id)
    ]
    after = company_runs(out, run_id)
    assert {c: row["status"] for c, row in after.items()} == dict.fromkeys(boards, "succeeded")
    assert {c: after[c] for c in saved} == saved  # saved before the kill: untouched
    assert hits == dict.fromkeys(boards, 1)  # every board requested once, kill or not
    row = run_row(out, run_id)
    assert row["status"] == "completed" and row["finished_at"] is not None, row


def test_retry_failed_is_a_new_run_over_the_failed_companies_only(
    prefect_server, workers, scrape, site, late_site, tmp_path
):
    t, out = tag(), tmp_path / "out"
    boards = [f"{t}-a-2", f"{t}-b-1"]
    late = f"{t}-late-2"
    file = companies_file(
        tmp_path / "companies.yaml",
        [
            *(greenhouse(site.base_url, b) for b in boards),
            greenhouse(f"http://127.0.0.1:{late_site.port}", late),
        ],
    )
    logs = tmp_path / "first"
    process = scrape(logs, file, "--output", str(out))
    assert finish_scrape(process, logs) == 0, tail(logs / "stderr")  # completed, with a failure
    [first] = run_ids(out)
    first_rows = company_runs(out, first)
    assert first_rows[late]["status"] == "failed", first_rows[late]

    late_site.start()
    logs = tmp_path / "retry"
    process = scrape(logs, file, "--output", str(out), "--retry-failed", first)
    assert finish_scrape(process, logs) == 0, tail(logs / "stderr")

    [second] = [run_id for run_id in run_ids(out) if run_id != first]
    retried = company_runs(out, second)
    assert {c: row["status"] for c, row in retried.items()} == {late: "succeeded"}
    assert [site.hits(board_path(b)) for b in boards] == [1, 1]  # not requested again
    assert late_site.hits(board_path(late)) == 1
    assert company_runs(out, first) == first_rows  # the first run's record stands
    state = prefect_server.flow_run(second).state
    assert state.type == StateType.COMPLETED, state


@pytest.mark.parametrize("how", ["deployment", "cli", "sigint"])
def test_cancel_stops_every_job_within_5_s(
    how, prefect_server, workers, scrape, site, redis, cancel_latencies, tmp_path
):
    t, out = tag(), tmp_path / "out"
    # Every fetch takes a minute: 2 are in flight on the 2 fetch workers, the rest queued, and
    # every enrich job deferred behind its fetch when the cancel comes.
    boards = [f"{t}-s{i}" for i in range(4)]
    file = companies_file(
        tmp_path / "companies.yaml",
        [greenhouse(site.base_url, b, f"/nasty/slow?s=60&board={b}") for b in boards],
    )
    process = None
    if how == "deployment":
        run_id = prefect_server.run_deployment(companies_file=file, output_dir=str(out))
    else:
        process = scrape(tmp_path / "cli", file, "--output", str(out))
        run_id = wait_for(lambda: run_ids(out), 60, "the CLI run to be recorded")[0]
    wait_for(
        lambda: any(j.get_status() == JobStatus.STARTED for j in run_jobs(redis, run_id)),
        90,
        "a job of the run to start",
    )

    if how == "sigint":
        cancelled_at = datetime.now(UTC)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    else:
        prefect_server.cli("flow-run", "cancel", run_id)
    wait_for(lambda: not active_jobs(redis, run_id), 30, f"jobs of {run_id} to stop", 0.05)
    stopped_at = datetime.now(UTC)
    if how != "sigint":  # from when the server took the request, not the CLI's start-up
        requests = [s for s in prefect_server.states(run_id) if s.type == StateType.CANCELLING]
        assert requests, prefect_server.states(run_id)
        cancelled_at = requests[0].timestamp
    latency = (stopped_at - cancelled_at).total_seconds()
    cancel_latencies[how] = latency
    print(f"\ncancel ({how}): every job of {run_id} stopped {latency:.2f} s after the request")

    state = prefect_server.wait_for_state(run_id, timeout=60).state
    if process is not None:
        assert finish_scrape(process, tmp_path / "cli", timeout=60) == 130

    assert latency <= CANCEL_WITHIN_S, latency
    assert state.type == StateType.CANCELLED, state
    assert not active_jobs(redis, run_id)  # and none came back (an RQ retry, say)
    statuses = wait_for(
        lambda: company_runs(out, run_id, parquet=True), 30, "company_runs.parquet of the run"
    )
    assert {c: row["status"] for c, row in statuses.items()} == dict.fromkeys(boards, "cancelled")
    assert (out / "postings_latest.parquet").exists()
    row = run_row(out, run_id)
    assert row["status"] == "cancelled" and row["finished_at"] is not None, row


# ---------------------------------------------------------------- alerts and maintenance


@pytest.fixture
def webhook():
    """An HTTP server on 127.0.0.1 that keeps the JSON bodies POSTed to it."""
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


def test_the_shipped_automations_alert_on_a_run_with_failed_companies(
    prefect_server, workers, site, webhook, tmp_path
):
    url, received = webhook
    # A notification block, made as an operator would, then the files applied as the README says.
    save_block = (
        "import json, sys; from prefect.blocks.notifications import "
        "CustomWebhookNotificationBlock as B; "
        "print(B(name='ops', url=sys.argv[1], json_data=json.loads(sys.argv[2]))"
        ".save('ops-webhook'))"
    )
    template = json.dumps({"text": "{{subject}}|{{body}}"})
    block_id = subprocess.run(
        [sys.executable, "-c", save_block, url, template],
        env=prefect_server.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    alerts = (PROJECT_ROOT / "infra/automations/alerts.yaml").read_text()
    (tmp_path / "alerts.yaml").write_text(alerts.replace("NOTIFY_BLOCK_ID", block_id))
    prefect_server.cli("automation", "create", "--from-file", str(tmp_path / "alerts.yaml"))
    prefect_server.cli(
        "automation",
        "create",
        "--from-file",
        str(PROJECT_ROOT / "infra/automations/zombie-runs.yaml"),
    )
    with prefect_server.client() as client:
        names = {automation.name for automation in client.read_automations()}
    assert names >= {
        "Openings: a run ended with failed companies",
        "Openings: no daily run completed in 26 h",
        "Openings: crash flow runs that stopped heartbeating",
    }, names

    t = tag()
    down = f"http://127.0.0.1:{free_port()}"
    run_id = prefect_server.run_deployment(
        companies_file=companies_file(
            tmp_path / "companies.yaml",
            [greenhouse(site.base_url, f"{t}-ok-2"), greenhouse(down, f"{t}-down-1")],
        ),
        output_dir=str(tmp_path / "out"),
        max_failed_share=1.0,
    )
    state = prefect_server.wait_for_state(run_id).state
    assert state.name == "Completed with failures", state

    [alert] = wait_for(lambda: received, 60, "the alert to reach the webhook")
    subject, body = alert["text"].split("|", 1)
    assert subject == "Openings: 1 of 2 companies failed"
    assert f"Run {run_id} ended Completed with failures: 1 succeeded, 1 failed" in body
    assert f"--param retry_failed={run_id}" in body


def test_maintenance_crashes_a_killed_run_that_prefect_still_shows_running(
    prefect_server, workers, scrape, site, tmp_path
):
    t, out = tag(), tmp_path / "out"
    file = companies_file(
        tmp_path / "companies.yaml",
        [
            greenhouse(site.base_url, f"{t}-z{i}", f"/nasty/slow?s=60&board={t}-z{i}")
            for i in range(2)
        ],
    )
    # Started in-process: no runner watches it, so when its process is killed nothing tells
    # Prefect, which shows it Running for ever.
    process = scrape(tmp_path / "cli", file, "--output", str(out))
    run_id = wait_for(lambda: run_ids(out), 60, "the CLI run to be recorded")[0]
    wait_for(
        lambda: prefect_server.flow_run(run_id).state.is_running(), 30, "the run to be Running"
    )
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(2)
    assert prefect_server.flow_run(run_id).state.is_running()  # and it would stay so

    maintenance = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from flows.maintenance import maintenance; maintenance(output_dir={str(out)!r})",
        ],
        cwd=PROJECT_ROOT,
        env={**prefect_server.env, "OPENINGS_RUN_SILENT_S": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert maintenance.returncode == 0, maintenance.stderr[-3000:]

    state = prefect_server.flow_run(run_id).state
    assert state.is_crashed() and "found by maintenance" in state.message, state
    row = run_row(out, run_id)
    assert row["status"] == "crashed" and row["finished_at"] is not None, row
    assert {r["status"] for r in company_runs(out, run_id).values()} == {"failed"}
    assert not active_jobs(Redis.from_url(prefect_server.env["REDIS_URL"]), run_id)


# ---------------------------------------------------------------- the temporary Prefect server


def live_processes() -> Iterator[tuple[int, int, list[bytes]]]:
    """(pid, parent pid, command line) of every process that is alive (zombies left out)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
            args = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):  # gone
            continue
        if state != "Z":
            yield int(stat.parent.name), int(ppid), args


def temporary_servers(run_pid: int) -> list[int]:
    """Live temporary Prefect servers (flows.api_server) that the run `run_pid` started."""
    return [
        pid
        for pid, _, args in live_processes()
        if b"flows.api_server" in args and str(run_pid).encode() in args
    ]


def pools(run_pid: int) -> list[str]:
    """The queues of the local worker pools (tasks.queueing.pool) the run `run_pid` started."""
    return [
        args[args.index(b"tasks.queueing.pool") + 1].decode()
        for _, ppid, args in live_processes()
        if ppid == run_pid and b"tasks.queueing.pool" in args
    ]


def viewed_at(logs: Path) -> str:
    """The Prefect server the run's log says it is on."""
    found = re.search(r"View at (http://127\.0\.0\.1:\d+)/", (logs / "stderr").read_text())
    assert found, tail(logs / "stderr")
    return found.group(1)


def test_with_no_prefect_server_a_run_starts_a_temporary_one_and_leaves_none_behind(
    scrape, prefect_server, site, tmp_path
):
    # As on a fresh clone: no PREFECT_API_URL, no REDIS_URL, a Prefect home of its own.
    env = {
        **{
            k: v for k, v in prefect_server.env.items() if k not in ("PREFECT_API_URL", "REDIS_URL")
        },
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
    }
    file = write_companies(tmp_path / "c.yaml", [greenhouse_board(site.base_url, "Temporary")])
    out = tmp_path / "out"
    process = scrape(tmp_path / "cli", file, "--output", str(out), env=env)
    wait_for(lambda: temporary_servers(process.pid), 10, "the temporary Prefect server to start")
    # Its embedded Redis and local workers start beside the server, before the flow begins, and
    # the flow keeps to them: one pool of workers per queue, both there when the flow begins.
    wait_for(
        lambda: "Beginning flow run" in (tmp_path / "cli" / "stderr").read_text(),
        60,
        "the flow to begin",
    )
    assert sorted(pools(process.pid)) == ["ai_enrich", "io_fetch"]
    wait_for(
        lambda: "Temporary: succeeded" in (tmp_path / "cli" / "stderr").read_text(),
        60,
        "the company to be saved",
    )
    assert sorted(pools(process.pid)) == ["ai_enrich", "io_fetch"]  # none of the flow's own
    assert finish_scrape(process, tmp_path / "cli") == 0, tail(tmp_path / "cli" / "stderr")
    assert viewed_at(tmp_path / "cli") != prefect_server.api_url.removesuffix("/api")
    assert pl.read_parquet(out / "postings_latest.parquet").height == 4
    assert "Error logging to API" not in (tmp_path / "cli" / "stderr").read_text()
    assert not temporary_servers(process.pid)

    # A run killed outright (SIGKILL: nothing of it runs to clean up) takes its server along.
    process = scrape(tmp_path / "killed", file, "--output", str(out), env=env)
    wait_for(
        lambda: "Beginning flow run" in (tmp_path / "killed" / "stderr").read_text(),
        60,
        "the second run to begin",
    )
    assert temporary_servers(process.pid)
    process.kill()
    wait_for(
        lambda: not temporary_servers(process.pid), 10, "the temporary server to go with its run"
    )


def test_a_prefect_server_named_in_a_profile_is_used_not_a_temporary_one(
    scrape, prefect_server, site, tmp_path
):
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        f'active = "ops"\n[profiles.ops]\nPREFECT_API_URL = "{prefect_server.api_url}"\n'
    )
    env = {k: v for k, v in prefect_server.env.items() if k != "PREFECT_API_URL"}
    env["PREFECT_PROFILES_PATH"] = str(profiles)
    file = write_companies(tmp_path / "c.yaml", [greenhouse_board(site.base_url, "Profiled")])
    process = scrape(tmp_path / "cli", file, "--output", str(tmp_path / "out"), env=env)
    assert finish_scrape(process, tmp_path / "cli") == 0, tail(tmp_path / "cli" / "stderr")
    assert viewed_at(tmp_path / "cli") == prefect_server.api_url.removesuffix("/api")
    [run_id] = run_ids(tmp_path / "out")
    assert prefect_server.flow_run(run_id).state.is_completed()
