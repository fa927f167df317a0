"""`python -m flows.health` tells an operator (or a container healthcheck) whether the queue
system is working: workers listening, nothing stuck in a queue, Redis memory, database size."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rq import Queue, Worker
from rq.job import Job

from tasks.queueing.workers import PROJECT_ROOT, worker_command
from tasks.store.persist import open_database
from tests.conftest import free_port


@pytest.fixture
def queues():
    suffix = uuid.uuid4().hex[:8]
    return f"io_fetch-{suffix}", f"ai_enrich-{suffix}"


def health(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The CLI as an operator runs it, with only the environment given here."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OPENINGS_") and key not in {"REDIS_URL", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-m", "flows.health", *args],
        cwd=PROJECT_ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def queue_env(redis_url: str, queues: tuple[str, str], output_dir: Path) -> dict[str, str]:
    fetch, enrich = queues
    return {
        "REDIS_URL": redis_url,
        "OPENINGS_FETCH_QUEUE": fetch,
        "OPENINGS_ENRICH_QUEUE": enrich,
        "OPENINGS_OUTPUT_DIR": str(output_dir),
    }


def start_worker(redis, redis_url: str, queue: str) -> tuple[subprocess.Popen, str]:
    name = f"health-{queue}"
    process = subprocess.Popen(worker_command(queue, redis_url, name), cwd=PROJECT_ROOT)
    deadline = datetime.now(UTC) + timedelta(seconds=30)
    while name not in {w.name for w in Worker.all(queue=Queue(queue, connection=redis))}:
        assert process.poll() is None, "the worker exited before it registered"
        assert datetime.now(UTC) < deadline, "the worker did not register within 30 s"
        time.sleep(0.1)
    return process, name


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_listening_workers_and_nothing_old_queued_are_healthy(redis, redis_url, queues, tmp_path):
    workers = [start_worker(redis, redis_url, queue) for queue in queues]
    try:
        shown = health(**queue_env(redis_url, queues, tmp_path))
        as_json = health("--json", **queue_env(redis_url, queues, tmp_path))
    finally:
        for process, _ in workers:
            stop(process)

    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert shown.stdout.rstrip().endswith("**Healthy**")
    for (_, name), queue in zip(workers, queues, strict=True):
        [row] = [line for line in shown.stdout.splitlines() if line.startswith(f"| {name} |")]
        assert f"| {queue} |" in row
        assert " s ago |" in row  # its last heartbeat, seconds ago
    report = json.loads(as_json.stdout)
    assert as_json.returncode == 0
    assert report["healthy"] is True
    assert [q["name"] for q in report["queues"]] == list(queues)
    for q, (_, name) in zip(report["queues"], workers, strict=True):
        [worker] = q["workers"]
        assert worker["name"] == name
        assert worker["state"] in {"idle", "busy"}
        heartbeat = datetime.fromisoformat(worker["last_heartbeat"])
        assert datetime.now(UTC) - heartbeat < timedelta(minutes=1)


def test_jobs_waiting_on_a_queue_nobody_listens_on_are_unhealthy(
    redis, redis_url, queues, tmp_path
):
    fetch, enrich = queues
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    for _ in range(3):
        job = Queue(fetch, connection=redis).enqueue("operator.truediv", 1, 1)
        job.enqueued_at = two_hours_ago  # as if it had been waiting since then
        job.save()
    # Two jobs fail for real on the enrich queue; one of them as if two days ago.
    failing = [Queue(enrich, connection=redis).enqueue("operator.truediv", 1, 0) for _ in "ab"]
    burst = [*worker_command(enrich, redis_url, f"health-burst-{enrich}"), "--burst"]
    subprocess.run(burst, cwd=PROJECT_ROOT, check=True, timeout=60)
    old = Job.fetch(failing[1].id, connection=redis)
    assert old.is_failed
    old.ended_at = datetime.now(UTC) - timedelta(days=2)
    old.save(include_meta=False)
    # Just queued, no worker: not a problem yet.
    Queue(enrich, connection=redis).enqueue("operator.truediv", 1, 1)

    shown = health(**queue_env(redis_url, queues, tmp_path))
    report = json.loads(health("--json", **queue_env(redis_url, queues, tmp_path)).stdout)

    assert shown.returncode == 1, shown.stdout + shown.stderr
    assert (
        f"- {fetch}: 3 jobs queued and no worker listening for 2.0 h "
        "(limit OPENINGS_HEALTH_NO_WORKER_S=300)" in shown.stdout
    )
    assert (
        f"- {fetch}: 3 jobs queued longer than 60 min, the oldest for 2.0 h "
        "(limit OPENINGS_HEALTH_MAX_QUEUED_AGE_S=3600)" in shown.stdout
    )
    assert f"- {enrich}:" not in shown.stdout
    assert f"| {fetch} | 3 | 0 | 0 | 0 | 0 | 2.0 h | 0 |" in shown.stdout
    fetch_health, enrich_health = report["queues"]
    assert report["healthy"] is False
    assert len(report["problems"]) == 2
    assert fetch_health["queued"] == 3
    assert fetch_health["oldest_queued_age_s"] >= 7200
    assert fetch_health["workers"] == []
    assert enrich_health["queued"] == 1
    assert enrich_health["failed_24h"] == 1  # the one that failed two days ago is not counted


def test_redis_over_its_memory_limit_is_unhealthy(redis_url, queues, tmp_path):
    shown = health(
        **queue_env(redis_url, queues, tmp_path), OPENINGS_HEALTH_MAX_REDIS_MEMORY_MB="0"
    )

    assert shown.returncode == 1, shown.stdout + shown.stderr
    [problem] = [line for line in shown.stdout.splitlines() if line.startswith("- Redis uses")]
    assert problem.endswith("of memory (limit OPENINGS_HEALTH_MAX_REDIS_MEMORY_MB=0)")


def test_database_size_is_reported_and_without_redis_url_only_the_database_is_checked(
    tmp_path,
):
    url = f"sqlite:///{(tmp_path / 'openings.db').resolve()}"
    open_database(url).dispose()
    files = [tmp_path / "openings.db", tmp_path / "openings.db-wal"]
    size = sum(f.stat().st_size for f in files if f.exists())

    shown = health("--json", "--output-dir", str(tmp_path))

    assert shown.returncode == 0, shown.stdout + shown.stderr
    report = json.loads(shown.stdout)
    assert report["database"] == url
    assert report["database_bytes"] == size > 0
    assert report["queues"] == []
    assert report["redis"] is None
    assert any("REDIS_URL is unset" in note for note in report["notes"])


def test_unreachable_redis_is_unhealthy_and_named_without_its_password(tmp_path, queues):
    port = free_port()

    shown = health(**queue_env(f"redis://:hunter2@127.0.0.1:{port}/0", queues, tmp_path))

    assert shown.returncode == 1
    assert f"- Redis at redis://:***@127.0.0.1:{port}/0 is not reachable (" in shown.stdout
    assert "check REDIS_URL" in shown.stdout
    assert "hunter2" not in shown.stdout + shown.stderr


def test_the_cli_does_not_import_prefect():
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, flows.health; print('prefect' in sys.modules)"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert imported.stdout.strip() == "False"
