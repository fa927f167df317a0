"""The maintenance flow against a Redis and a database prepared with the leftovers it is for:
a run whose flow was killed (still `running` here and in Prefect), a run that ended hours ago
with its keys and jobs still in Redis, an abandoned job in RQ's started registry, and a queue
nobody serves. Real Redis, real Prefect (test harness), SQLite."""

import time
import uuid
from datetime import timedelta

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.states import Running
from rq import Queue
from rq.job import Job, JobStatus

from flows.maintenance import maintenance
from tasks.models import Company, CompanyStatus, RunStatus
from tasks.queueing import events
from tasks.queueing.queue import enqueue_run
from tasks.settings import Settings
from tasks.store.persist import (
    CompanyResult,
    company_results,
    find_run,
    finish_run,
    open_database,
    record_company_run,
    start_run,
    utc_now,
)

pytestmark = pytest.mark.usefixtures("prefect_harness")


@flow
def killed_scrape() -> None:
    """Stands for a scrape-companies flow run whose process was SIGKILLed: Running, silent."""


def company(name: str) -> Company:
    return Company(name=name, careers_url=f"https://{name.lower()}.example/careers")


@pytest.fixture
def settings(monkeypatch, redis_url, tmp_path):
    """Queues of this test's own, its database in tmp_path, and the test Redis."""
    tag = uuid.uuid4().hex[:8]
    env = {
        "REDIS_URL": redis_url,
        "OPENINGS_OUTPUT_DIR": str(tmp_path),
        "OPENINGS_FETCH_QUEUE": f"io_fetch-{tag}",
        "OPENINGS_ENRICH_QUEUE": f"ai_enrich-{tag}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


def test_maintenance_closes_dead_runs_cleans_redis_and_fails_when_unhealthy(
    settings, redis, tmp_path
):
    engine = open_database(settings.database_url_for(tmp_path))
    long_ago = utc_now() - timedelta(hours=2)
    fetch_queue = Queue(settings.fetch_queue, connection=redis)

    # A run whose flow was killed mid-run: Running in Prefect, `running` here, silent for 2 h;
    # one company saved, one with jobs still queued (no worker serves these queues).
    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run(killed_scrape, state=Running())
    dead_run = str(flow_run.id)
    saved, unsaved = company("Saved"), company("Unsaved")
    start_run(engine, dead_run, "companies.yaml", tmp_path, [saved, unsaved], long_ago)
    record_company_run(
        engine,
        CompanyResult(
            run_id=dead_run,
            company_id=saved.company_id,
            company=saved.name,
            status=CompanyStatus.succeeded,
            found=3,
            finished_at=long_ago,
        ),
    )
    [leftover] = enqueue_run(redis, dead_run, [unsaved], settings)

    # A run that ended two hours ago, its event stream and jobs still in Redis.
    ended_run = str(uuid.uuid4())
    start_run(engine, ended_run, "companies.yaml", tmp_path, [company("Old")], long_ago)
    events.emit(redis, ended_run, "", "run", "started", ttl_s=3600)
    events.index_run(redis, ended_run, ttl_s=3600)
    [old_jobs] = enqueue_run(redis, ended_run, [company("Old")], settings)
    finish_run(engine, ended_run, RunStatus.completed, "1 succeeded", long_ago)

    # A job a dead worker left in the started registry, and a job queued 2 h ago with no worker.
    abandoned = fetch_queue.enqueue("builtins.len", "x")
    fetch_queue.remove(abandoned)
    abandoned.set_status(JobStatus.STARTED)
    redis.zadd(fetch_queue.started_job_registry.key, {f"{abandoned.id}:gone": time.time() - 60})
    stuck = fetch_queue.enqueue("builtins.len", "x")
    stuck.enqueued_at = long_ago.replace(tzinfo=None)
    stuck.save()

    state = maintenance(return_state=True)

    # Unhealthy: the run says why, so Prefect's notifications can too.
    assert state.is_failed()
    assert f"{settings.fetch_queue}: 1 job queued and no worker listening for 2.0 h" in (
        state.message
    )
    # The killed run is closed: crashed here, Crashed in Prefect, its jobs cancelled, the
    # company it never saved failed (category crashed), the saved one untouched.
    run = find_run(engine, dead_run)
    assert run.status == RunStatus.crashed and run.finished_at is not None
    assert run.message.startswith("crashed: the run's flow fell silent")
    results = company_results(engine, dead_run)
    assert results[saved.company_id].status == CompanyStatus.succeeded
    assert results[saved.company_id].found == 3
    assert results[unsaved.company_id].status == CompanyStatus.failed
    assert results[unsaved.company_id].error_category == "crashed"
    assert {Job.fetch(i, connection=redis).get_status() for i in leftover.ids} == {
        JobStatus.CANCELED
    }
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(dead_run).state.is_crashed()
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    # The ended run's keys and jobs are gone; the killed run's stay (for its Retry).
    assert not list(redis.scan_iter(f"openings:run:{ended_run}:*"))
    assert all(Job.fetch_many(list(old_jobs.ids), connection=redis)) is False
    assert ended_run.encode() not in redis.zrange(events.RUNS_KEY, 0, -1)
    assert redis.exists(f"openings:run:{dead_run}:jobs")
    # The abandoned job was failed by RQ's cleanup.
    assert abandoned.get_status() == JobStatus.FAILED
    # The health artifact: the report, then what was cleaned up.
    assert artifact.key == "health"
    assert "**Unhealthy**" in artifact.data
    cleaned = artifact.data.split("## Cleaned up")[1]
    assert f"run {dead_run}: crashed" in cleaned
    assert f"run {ended_run}: " in cleaned
    assert f"{settings.fetch_queue}: started 1 -> 0, failed 0 -> 1" in cleaned


def test_a_healthy_system_with_nothing_to_clean_completes(settings, tmp_path):
    state = maintenance(return_state=True)
    assert state.is_completed(), state.message
    assert state.message == "healthy; 2 clean-ups"  # one line per queue: "nothing to clean"
