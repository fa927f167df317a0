"""The fault suite: real processes failing as they do in production, and what a user then sees:
every company settled with a status, nothing lost, within a stated time. `make test-faults`."""

import os
import shutil
import signal
import time

import polars as pl
import pytest
from redis import Redis
from rq import Queue, Worker
from rq.job import Job, JobStatus

from deployments.sample.site import SampleSite
from tasks.queueing import events
from tests.conftest import (
    OwnRedis,
    flow_run_in_thread,
    greenhouse_board,
    wait_for,
    write_companies,
)
from tests.scripted_model import ScriptedModel

pytestmark = [pytest.mark.faults, pytest.mark.usefixtures("prefect_harness")]

FOUND_WITHIN_S = 60  # a dead worker's job is retried (or failed) within this


@pytest.mark.parametrize("stage", ["fetch", "enrich"])
def test_a_killed_workers_job_is_retried_within_a_minute(
    pipeline_env, queues, start_workers, redis, monkeypatch, tmp_path, stage
):
    monkeypatch.setenv("OPENINGS_REQUEST_TIMEOUT_S", "30")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'openings.db'}")  # workers' too
    # The stage under test takes 6 s a request: time to kill its worker mid-job.
    model = ScriptedModel(delay_s=6 if stage == "enrich" else 0)
    monkeypatch.setenv("OPENINGS_LLM_BASE_URL", model.url)
    monkeypatch.setenv("OPENINGS_LLM_MODEL", "scripted-1")
    workers = start_workers(queues[stage], 2)
    start_workers(queues["enrich" if stage == "fetch" else "fetch"], 1)
    with SampleSite(latency_s=6 if stage == "fetch" else 0) as site:
        companies = write_companies(
            tmp_path / "c.yaml", [greenhouse_board(site.base_url, "Victim")]
        )
        with flow_run_in_thread(
            companies_file=str(companies), output_dir=str(tmp_path / "out")
        ) as (run_id, outcome):
            job_id = f"{run_id}-victim-{stage}-1"

            def started() -> Job | None:
                [job] = Job.fetch_many([job_id], connection=redis)
                return job if job and job.get_status() == JobStatus.STARTED else None

            job = wait_for(started, 60, f"the {stage} job to start")
            [victim] = [p for p in workers if job.worker_name.endswith(f"-{p.pid}")]
            victim.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            # Found abandoned, RQ's Retry puts it back (retries_left down) for the other worker.
            wait_for(
                lambda: Job.fetch(job_id, connection=redis).retries_left < job.retries_left,
                FOUND_WITHIN_S + 30,
                "the killed worker's job to be retried",
                interval=0.2,
            )
            found_s = time.monotonic() - killed
    model.close()

    [result] = outcome["state"].result()
    print(f"\na SIGKILLed {stage} worker's job was retried {found_s:.1f} s after the kill")
    assert found_s <= FOUND_WITHIN_S, found_s
    assert result.status == "succeeded" and result.found > 0, result
    assert Job.fetch(job_id, connection=redis).worker_name != job.worker_name
    latest = pl.read_parquet(tmp_path / "out" / "postings_latest.parquet")
    assert latest["posting_id"].is_unique().all() and latest.height == result.found
    assert set(latest["enrichment_backend"]) == {"openai"}  # enriched by the model, not a fallback


@pytest.fixture(
    params=[("kill -9", True), ("kill -9", False), ("graceful", True)],
    ids=["kill-aof", "kill-no-persistence", "graceful-aof"],
)
def own_redis(request, tmp_path, monkeypatch):
    """A Redis of the test's own, and how it goes down: a crash, or a restart by systemd or
    `docker restart` (SIGTERM: clients disconnected, the append-only file flushed)."""
    how, aof = request.param
    server = OwnRedis(tmp_path / "redis", aof=aof)
    server.directory.mkdir()
    server.start()
    monkeypatch.setenv("REDIS_URL", server.url)
    yield server, how, server.kill if how == "kill -9" else server.stop
    server.kill()


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server binary")
def test_workers_and_the_run_outlive_a_redis_restart(
    pipeline_env, own_redis, start_workers, monkeypatch, tmp_path
):
    own_redis, how, go_down = own_redis
    monkeypatch.setenv("OPENINGS_REQUEST_TIMEOUT_S", "30")
    fetchers = start_workers("io_fetch", 2, own_redis.url)
    enrichers = start_workers("ai_enrich", 1, own_redis.url)
    redis = Redis.from_url(own_redis.url)
    names = [f"Restart{i}" for i in range(6)]
    with SampleSite(latency_s=2) as slow:  # 2 fetch workers, 2 s a request: ~8 s of fetching
        boards = [greenhouse_board(slow.base_url, name) for name in names]
        companies = write_companies(tmp_path / "c.yaml", boards)
        with flow_run_in_thread(
            companies_file=str(companies), output_dir=str(tmp_path / "out")
        ) as (run_id, outcome):
            wait_for(
                lambda: any(e.stage == "company" for _, e in events.read(redis, run_id, "0", 0)),
                60,
                "a company saved",
            )
            assert redis.exists(events.stream_key(run_id))
            go_down()  # mid-run: jobs queued, started and finished
            time.sleep(2)
            own_redis.start()
            restarted = time.monotonic()
        settled_s = time.monotonic() - restarted

    state = outcome["state"]
    results = state.result(raise_on_failure=False)
    results = getattr(results, "results", results)  # RunFailed carries them too
    statuses = {r.company: (r.status, r.error) for r in results}
    print(f"\nRedis restarted ({how}, {own_redis.aof=}): the run ended {settled_s:.1f} s later")
    assert set(statuses) == set(names)  # every company settled, none lost from the report
    if own_redis.aof:  # Redis came back with the run's jobs: it completes as if nothing happened
        assert {status for status, _ in statuses.values()} == {"succeeded"}, statuses
        assert settled_s <= 90
    else:  # Redis came back empty: what was in flight is lost, each with the reason, at once
        assert all(error for status, error in statuses.values() if status != "succeeded")
        assert settled_s <= 30
    # The workers lived through it and are registered again: a new run uses them.
    assert all(process.poll() is None for process in fetchers + enrichers)
    wait_for(
        lambda: (
            Worker.count(queue=Queue("io_fetch", connection=redis)) == 2
            and Worker.count(queue=Queue("ai_enrich", connection=redis)) == 1
        ),
        60,
        "the workers to be registered again",
    )


def test_jobs_no_worker_serves_fail_with_that_reason_instead_of_waiting_hours(
    pipeline_env, queues, monkeypatch, site, tmp_path
):
    # Every worker of the fetch queue is gone (and the run starts none of its own).
    monkeypatch.setenv("OPENINGS_LOCAL_FETCH_WORKERS", "0")
    monkeypatch.setenv("OPENINGS_HEALTH_NO_WORKER_S", "5")
    companies = write_companies(tmp_path / "c.yaml", [greenhouse_board(site.base_url, "Orphan")])
    started = time.monotonic()
    with flow_run_in_thread(companies_file=str(companies), output_dir=str(tmp_path / "out")) as (
        run_id,
        outcome,
    ):
        pass

    state = outcome["state"]
    [result] = state.result(raise_on_failure=False).results
    assert state.is_failed() and result.status == "failed"
    assert result.error.startswith(f"no worker: nobody served {queues['fetch']} for ")
    assert time.monotonic() - started < 60  # not the 6-hour run timeout
    assert (
        Job.fetch(
            f"{run_id}-orphan-fetch-1", connection=Redis.from_url(os.environ["REDIS_URL"])
        ).get_status()
        == JobStatus.CANCELED
    )
