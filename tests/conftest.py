"""Shared fixtures: a real Redis, a real Prefect (test harness) and the sample career site.

Redis: $OPENINGS_TEST_REDIS_URL, else 127.0.0.1:6379 (database 15, flushed) when it answers,
else an embedded redis-server (tasks.queueing.queue.embedded_redis): the suite runs with only
Python.
"""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from sqlalchemy.exc import OperationalError

from deployments.sample.site import SampleSite, board_company, demo_companies
from tasks.queueing.queue import embedded_redis
from tasks.queueing.workers import PROJECT_ROOT, worker_command
from tests.fixture_site import FixtureSite
from tests.postgres import scratch_database


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("OPENINGS_TEST_REDIS_URL")
    if url is None and _answers("127.0.0.1", 6379):
        url = "redis://127.0.0.1:6379/15"
    if url:
        Redis.from_url(url).flushdb()
        yield url
        return
    with embedded_redis() as embedded:
        yield embedded


@pytest.fixture
def redis(redis_url):
    connection = Redis.from_url(redis_url)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def prefect_server(redis_url, tmp_path_factory):
    """A real `prefect server` with prefect.yaml deployed and a process worker, shared by one
    module's tests (slow lane; tests/prefect_server.py)."""
    from tests.prefect_server import serve_prefect  # it imports this module

    with serve_prefect(tmp_path_factory.mktemp("prefect"), redis_url) as server:
        yield server


@pytest.fixture(scope="session")
def site():
    with SampleSite() as running:
        yield running


@pytest.fixture
def fixture_site():
    """A real HTTP server answering with the fixtures a test gives it (tests/fixture_site.py)."""
    with FixtureSite() as running:
        yield running


@pytest.fixture
def pipeline_env(monkeypatch, redis_url, tmp_path):
    """Environment for a flow run: the test Redis, private hosts allowed, fast retries."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("OPENINGS_ALLOW_PRIVATE_HOSTS", "true")
    monkeypatch.setenv("OPENINGS_RETRY_WAIT_MAX_S", "0.2")
    monkeypatch.setenv("OPENINGS_REQUEST_TIMEOUT_S", "5")
    monkeypatch.setenv("OPENINGS_HOST_INTERVAL_S", "0.01")  # politeness has its own tests
    monkeypatch.setenv("OPENINGS_RETRY_AFTER_MAX_S", "2")
    for name in ("DATABASE_URL", "OPENINGS_ENRICH_BACKEND", "OPENINGS_LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)  # SQLite in tmp_path; rules unless a test says
    return tmp_path


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on (free when asked)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


T = TypeVar("T")


def wait_for(check: Callable[[], T], timeout: float, what: str, interval: float = 0.1) -> T:
    """Poll `check` until it returns something truthy, and return that; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(interval)


def greenhouse_board(base_url: str, name: str) -> dict:
    """A company whose Greenhouse board the sample site at `base_url` serves."""
    return board_company(name, "greenhouse", name.lower(), base_url)


@contextmanager
def flow_run_in_thread(**parameters) -> Iterator[tuple[str, dict]]:
    """A scrape_companies flow run created through the Prefect API and run in a thread, as a
    worker runs one: yields its id and a dict that holds its final `state` once the block ends."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow

    from flows.scrape_companies import scrape_companies

    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run(scrape_companies, parameters=parameters)
    outcome: dict = {}
    thread = threading.Thread(
        target=lambda: outcome.update(
            state=run_flow(scrape_companies, flow_run=flow_run, return_type="state")
        )
    )
    thread.start()
    try:
        yield str(flow_run.id), outcome
    finally:
        thread.join(timeout=120)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process started with start_new_session=True and everything it started: an `rq
    worker --with-scheduler` forks a scheduler that outlives its worker otherwise."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def write_companies(path: Path, companies: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"companies": companies}, sort_keys=False))
    return path


@pytest.fixture
def demo_file(site, tmp_path) -> Path:
    return write_companies(tmp_path / "companies.yaml", demo_companies(site.base_url))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each test twice: on a SQLite file, and on a fresh database of the local PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
        return
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(scratch_database("openings_test"))
        except OperationalError as exc:
            pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({exc.orig})")
        yield url


def acme_postings(*titles: str, company: str = "Acme", first_id: int = 0, **fields) -> list:
    """A company's Greenhouse postings (Acme's unless named) with these titles (ids first_id,
    first_id + 1, ...), enriched by rules."""
    from tasks.enrich import enrich_postings
    from tasks.enrich.rules import RulesEnricher
    from tasks.models import Posting, Source

    postings = [
        Posting(
            company_id=company.lower(),
            company=company,
            source=Source.greenhouse,
            title=title,
            url=f"https://boards.greenhouse.io/{company.lower()}/jobs/{i}",
            external_id=str(i),
            **fields,
        )
        for i, title in enumerate(titles, start=first_id)
    ]
    return enrich_postings(postings, RulesEnricher())[0]


class OwnRedis:
    """A redis-server of the test's own on a free port, that the test can kill -9 and restart
    (with its append-only file, when `aof`); also listening on `also_bind`, when given."""

    def __init__(self, directory: Path, aof: bool, also_bind: str | None = None):
        self.port, self.directory, self.aof = free_port(), directory, aof
        self.bind = ["127.0.0.1", *([also_bind] if also_bind else [])]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "OwnRedis":
        persistence = ["--appendonly", "yes", "--appendfsync", "everysec"] if self.aof else []
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                *self.bind,
                # Workers in other network namespaces reach it over a veth (tests/netns.py).
                "--protected-mode",
                "no",
                "--save",
                "",
                "--dir",
                str(self.directory),
                *(persistence or ["--appendonly", "no"]),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, f"redis-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            return Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except RedisError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        """A graceful shutdown (SIGTERM, as systemd or `docker stop` does): clients disconnected,
        the append-only file flushed."""
        self.process.terminate()
        self.process.wait(timeout=30)


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

    def start(queue: str, count: int, url: str | None = None) -> list[subprocess.Popen]:
        url = url or redis_url
        processes = [
            subprocess.Popen(
                worker_command(queue, url),
                cwd=PROJECT_ROOT,
                env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                stdout=(tmp_path / f"{queue}-{i}.log").open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            for i in range(count)
        ]
        started.extend(processes)
        connection = Redis.from_url(url)
        wait_for(
            lambda: Worker.count(queue=Queue(queue, connection=connection)) >= count,
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
        kill_group(process)  # the scheduler a SIGKILLed worker left behind
