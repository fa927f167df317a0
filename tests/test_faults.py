"""The fault suite: real processes failing as they do in production, and what a user then sees:
every company settled with a status, nothing lost, within a stated time. `make test-faults`."""

import os
import signal
import subprocess
import time
import uuid

import pytest
from redis import Redis
from rq import Queue, Worker
from rq.job import Job, JobStatus

from deployments.sample.site import SampleSite
from tasks.queueing.workers import PROJECT_ROOT, worker_command
from tests.conftest import flow_run_in_thread, greenhouse_board, wait_for, write_companies

pytestmark = pytest.mark.faults

FOUND_WITHIN_S = 60  # a dead worker's job is retried (or failed) within this


@pytest.fixture
def queues(monkeypatch) -> dict[str, str]:
    """Queues of this test's own, so that only its workers serve them."""
    tag = uuid.uuid4().hex[:8]
    names = {"fetch": f"io_fetch-{tag}", "enrich": f"ai_enrich-{tag}"}
    monkeypatch.setenv("OPENINGS_FETCH_QUEUE", names["fetch"])
    monkeypatch.setenv("OPENINGS_ENRICH_QUEUE", names["enrich"])
    return names


@pytest.fixture
def start_workers(redis_url, tmp_path):
    """Start `rq worker`s as production runs them; stops (or reaps) them at the end."""
    started: list[subprocess.Popen] = []
    redis = Redis.from_url(redis_url)

    def start(queue: str, count: int) -> list[subprocess.Popen]:
        processes = [
            subprocess.Popen(
                worker_command(queue, redis_url),
                cwd=PROJECT_ROOT,
                env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                stdout=(tmp_path / f"{queue}-{i}.log").open("w"),
                stderr=subprocess.STDOUT,
            )
            for i in range(count)
        ]
        started.extend(processes)
        wait_for(
            lambda: Worker.count(queue=Queue(queue, connection=redis)) >= count,
            60,
            f"{count} workers on {queue}",
        )
        return processes

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        process.wait(timeout=30)


def test_a_killed_fetch_workers_job_is_retried_within_a_minute(
    pipeline_env, queues, start_workers, redis, monkeypatch, tmp_path
):
    monkeypatch.setenv("OPENINGS_REQUEST_TIMEOUT_S", "30")
    fetchers = start_workers(queues["fetch"], 2)
    start_workers(queues["enrich"], 1)
    with SampleSite(latency_s=6) as slow:  # a fetch takes 6 s: time to kill its worker
        companies = write_companies(
            tmp_path / "c.yaml", [greenhouse_board(slow.base_url, "Victim")]
        )
        with flow_run_in_thread(
            companies_file=str(companies), output_dir=str(tmp_path / "out")
        ) as (run_id, outcome):
            fetch_id = f"{run_id}-victim-fetch-1"

            def started() -> Job | None:
                [job] = Job.fetch_many([fetch_id], connection=redis)
                return job if job and job.get_status() == JobStatus.STARTED else None

            job = wait_for(started, 60, "the fetch job to start")
            [victim] = [p for p in fetchers if job.worker_name.endswith(f"-{p.pid}")]
            victim.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            # Found abandoned, RQ's Retry puts it back (retries_left down) for the other worker.
            wait_for(
                lambda: Job.fetch(fetch_id, connection=redis).retries_left < job.retries_left,
                FOUND_WITHIN_S + 30,
                "the killed worker's job to be retried",
                interval=0.2,
            )
            found_s = time.monotonic() - killed

    [result] = outcome["state"].result()
    print(f"\na SIGKILLed fetch worker's job was retried {found_s:.1f} s after the kill")
    assert found_s <= FOUND_WITHIN_S, found_s
    assert result.status == "succeeded" and result.found > 0, result
    assert Job.fetch(fetch_id, connection=redis).worker_name != job.worker_name
