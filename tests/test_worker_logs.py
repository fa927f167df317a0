"""A worker's log says whose work each line is about, and `rq info` says where each worker runs."""

import os
import socket
import subprocess
import time
import uuid

import pytest
from rq import Queue
from rq import Worker as RQWorker
from rq.job import Job, JobStatus

from tasks.models import Company
from tasks.queueing.queue import enqueue_run
from tasks.queueing.worker import Worker
from tasks.queueing.workers import PROJECT_ROOT, worker_command
from tasks.settings import Settings
from tests.conftest import wait_for


def test_retries_and_warnings_name_the_run_the_company_and_the_url(
    redis, redis_url, site, tmp_path
):
    key = uuid.uuid4().hex[:8]
    fetch_queue = f"logs-{key}-fetch"
    run_id = f"run-{key}"
    flaky = f"{site.base_url}/nasty/flaky/{key}?times=2"  # 503, 503, then 200
    down = f"{site.base_url}/nasty/flaky/{key}-down?times=99"  # 503 whatever we do
    companies = [
        Company(name="Flaky Co", careers_url=flaky),
        Company(name="Down Co", careers_url=down),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "OPENINGS_ALLOW_PRIVATE_HOSTS": "true",
        "OPENINGS_RETRY_WAIT_MAX_S": "0.2",
        "OPENINGS_HOST_INTERVAL_S": "0.01",
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log_file:
        worker = subprocess.Popen(
            worker_command(fetch_queue, redis_url),
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        queue = Queue(fetch_queue, connection=redis)
        wait_for(lambda: RQWorker.count(queue=queue) == 1, 30, "the worker to register")
        # Readable, and unique per Redis: queue, host and process.
        assert [w.name for w in RQWorker.all(queue=queue)] == [
            f"{fetch_queue}@{socket.gethostname()}-{worker.pid}"
        ]

        settings = Settings(redis_url=redis_url, fetch_queue=fetch_queue, enrich_queue=f"{key}-e")
        planned = enqueue_run(redis, run_id, companies, settings)
        fetch_ids = [p.fetch_id for p in planned]
        wait_for(
            lambda: all(
                job.get_status() == JobStatus.FINISHED
                for job in Job.fetch_many(fetch_ids, connection=redis)
            ),
            30,
            f"the fetch jobs (worker log: {log_path})",
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    lines = log_path.read_text().splitlines()

    def logged(*parts: str) -> list[str]:
        return [line for line in lines if all(part in line for part in parts)]

    for attempt in (2, 3):
        assert logged(
            f"run={run_id} company=flaky-co: retrying GET {flaky} in ",
            f"(attempt {attempt} of 4): HTTP 503",
        ), lines
    # The second job's lines name its own company (one worker, one process, one event loop).
    assert len(logged(f"run={run_id} company=down-co: retrying GET {down} in ")) == 3, lines
    assert len(logged("retrying GET")) == 5, lines
    # The job's own warning once its retries are spent.
    assert logged(f"run={run_id} company=down-co: Down Co: http: HTTP 503 ({down})"), lines
    assert not logged("<unknown>"), lines


def test_a_dead_predecessor_with_this_host_and_pid_does_not_block_its_name(redis):
    # A container restarted after a kill keeps its hostname and often its pid: the new worker
    # takes over the name its predecessor never unregistered.
    key = uuid.uuid4().hex[:8]
    ghost = Worker([f"ghost-{key}"], connection=redis)
    ghost.register_birth()  # then "killed": no death registered

    successor = Worker([f"ghost-{key}"], connection=redis)
    assert successor.name == ghost.name == f"ghost-{key}@{socket.gethostname()}-{os.getpid()}"
    successor.register_birth()
    successor.register_death()

    # A live worker of the same name elsewhere still refuses it.
    other = Worker([f"ghost-{key}"], connection=redis)
    other.register_birth()
    redis.hset(other.key, "pid", os.getpid() + 1)
    with pytest.raises(ValueError, match="active worker named"):
        Worker([f"ghost-{key}"], connection=redis).register_birth()
    other.register_death()


def test_a_busy_worker_is_registered_again_soon_after_redis_loses_its_data(redis, start_workers):
    queue = Queue(f"busy-{uuid.uuid4().hex[:8]}", connection=redis)
    start_workers(queue.name, 1)
    job = queue.enqueue("time.sleep", 25)
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.STARTED, 30, "the job to start")

    redis.flushdb()  # Redis restarted without persistence, mid-job
    lost = time.monotonic()
    # Its lease thread registers it again: `rq info` shows it long before the job ends.
    wait_for(lambda: RQWorker.count(queue=queue) == 1, 20, "the busy worker to register again")
    assert time.monotonic() - lost < 20
    [worker] = RQWorker.all(queue=queue)
    assert worker.get_state() == "busy"
