"""Local RQ workers for a run that finds no worker listening on a queue.

They are the Worker class a production host's `rq worker` runs (tasks.queueing.worker), forked
by one pool process per queue (tasks.queueing.pool), and they are stopped when the run ends.
Their names say so (`io_fetch@local-<host>-<id>`): another run at the same time does not count on
them, since they go when their run ends, and starts its own.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from redis import Redis
from rq import Queue, Worker

from tasks.settings import Settings

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL = "@local-"  # in the name of every worker a run starts for itself
# (Redis URL, queue) this process runs local workers for: a run from the shell starts them before
# its flow, beside Prefect's start-up (flows/scrape.py), and the flow's own call keeps to them.
_RUNNING: set[tuple[str, str]] = set()


def worker_command(queue: str, redis_url: str, name: str | None = None) -> list[str]:
    """The `rq worker` command line for a queue: the same one a production host runs.

    Without `name` the worker names itself `<queue>@<hostname>-<pid>` (tasks.queueing.worker).
    """
    command = [
        sys.executable,
        "-m",
        "rq.cli",
        "worker",
        queue,
        "--url",
        redis_url,
        "--with-scheduler",
        # A SimpleWorker (no fork per job: crawl4ai and, on GPU hosts, the model stay loaded
        # between jobs) with readable names and logs that name each job's run and company.
        "--worker-class",
        "tasks.queueing.worker.Worker",
        # Commands retried for about a minute: the worker outlives a Redis restart.
        "--connection-class",
        "tasks.queueing.queue.ResilientRedis",
        # rq 3.0 may leave dependents in READY_TO_ENQUEUE until maintenance; run it often.
        "--maintenance-interval",
        "5",
        "--quiet",
    ]
    return [*command, "--name", name] if name else command


MOST_LOCAL_FETCH_WORKERS = 16  # each is a process of ~75 MB
WORKERS_PER_CORE = 8
COMPANIES_PER_WORKER = 10  # a worker forks from its pool at once, but holds ~75 MB while it runs


def fetch_workers_for(companies: int, settings: Settings) -> int:
    """How many local fetch workers a run of `companies` starts: the setting, else one per ten
    companies, at least two, at most eight per CPU core and 16. A fetch mostly waits on the
    network: 300 boards at 200 ms a response took 14 s of processing with 16 workers on two
    cores, 21 s with 8 (tests/benchmarks/bench_pipeline.py)."""
    if settings.local_fetch_workers is not None:
        return settings.local_fetch_workers
    most = min(WORKERS_PER_CORE * (os.cpu_count() or 1), MOST_LOCAL_FETCH_WORKERS)
    return min(max(2, -(-companies // COMPANIES_PER_WORKER)), most)


@contextmanager
def local_workers(
    redis: Redis, redis_url: str, settings: Settings, database_url: str, companies: int
) -> Iterator[int]:
    """Start workers for each queue nobody listens on; yield how many were started.

    They use the run's database (the enrich stage keeps its cache of model answers there).
    """
    wanted = {
        settings.fetch_queue: fetch_workers_for(companies, settings),
        settings.enrich_queue: settings.local_enrich_workers,
    }
    processes: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    started, ours = 0, []
    try:
        for queue, count in wanted.items():
            if (redis_url, queue) in _RUNNING:  # started by an enclosing call (flows/scrape.py)
                continue
            served = Worker.all(queue=Queue(queue, connection=redis))
            if count <= 0 or any(LOCAL not in worker.name for worker in served):
                continue
            log.info("no worker listens on %s: starting %d local worker(s)", queue, count)
            # One pool per queue (tasks.queueing.pool): its workers fork from one process that
            # imported the job code once, instead of each importing it on two busy cores.
            command = [sys.executable, "-m", "tasks.queueing.pool", queue, str(count)]
            processes.append(
                subprocess.Popen([*command, "--url", redis_url], cwd=PROJECT_ROOT, env=env)
            )
            ours.append((redis_url, queue))
            _RUNNING.add(ours[-1])
            started += count
        yield started
    finally:
        _RUNNING.difference_update(ours)
        for process in processes:
            process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current job
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGTERM)  # a second time: its workers stop now
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def local_name(queue: str) -> str:
    """The name of a worker a run starts for itself (LOCAL in it)."""
    return f"{queue}{LOCAL}{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
