"""The slow lane's real parts: a `prefect server`, prefect.yaml's deployments, a process worker
and external RQ workers, started and stopped the way an operator does it.

`tests/conftest.py` offers `serve_prefect` as the module-scoped `prefect_server` fixture.
"""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.objects import FlowRun, State, StateType
from prefect.settings import PREFECT_API_URL, temporary_settings
from redis import Redis
from rq import Queue, Worker

from tasks.queueing.workers import PROJECT_ROOT, worker_command
from tests.conftest import free_port, wait_for

PREFECT = str(Path(sys.executable).parent / "prefect")  # the CLI of the environment under test
FINAL = frozenset({StateType.COMPLETED, StateType.FAILED, StateType.CANCELLED, StateType.CRASHED})
DEPLOYMENT = "scrape-companies/daily"


def start_process(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A process in its own session, so stop_process can reach its children too."""
    with log.open("w") as output:
        return subprocess.Popen(
            args,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process(process: subprocess.Popen) -> None:
    # The process worker ignores SIGTERM and needs SIGINT twice (FIELD_NOTES); SIGKILL if stuck.
    for sig in (signal.SIGINT, signal.SIGINT, signal.SIGKILL):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue
    # Children that outlived their leader (a flow run of the worker) still share its group.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else f"(no {path})"


@dataclass
class PrefectServer:
    """A running server with the `openings` work pool, prefect.yaml deployed and a worker on it."""

    api_url: str
    env: dict[str, str]  # what the worker and its flow runs see: give it to CLIs and RQ workers
    logs: Path

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """`prefect ARGS` against this server, as an operator types it; a non-zero exit fails."""
        done = subprocess.run(
            [PREFECT, *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, (
            f"prefect {' '.join(args)} exited {done.returncode}:\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
        return done

    @contextmanager
    def client(self) -> Iterator[SyncPrefectClient]:
        with (
            temporary_settings(updates={PREFECT_API_URL: self.api_url}),
            get_client(sync_client=True) as client,
        ):
            yield client

    def run_deployment(self, **parameters: object) -> str:
        """Start a run of scrape-companies/daily for the worker to pick up; its flow run id."""
        with self.client() as client:
            deployment = client.read_deployment_by_name(DEPLOYMENT)
            return str(
                client.create_flow_run_from_deployment(deployment.id, parameters=parameters).id
            )

    def flow_run(self, flow_run_id: str) -> FlowRun:
        with self.client() as client:
            return client.read_flow_run(flow_run_id)

    def states(self, flow_run_id: str) -> list[State]:
        """Every state the run went through, oldest first."""
        with self.client() as client:
            return sorted(client.read_flow_run_states(flow_run_id), key=lambda s: s.timestamp)

    def wait_for_state(
        self, flow_run_id: str, types: frozenset[StateType] = FINAL, timeout: float = 180
    ) -> FlowRun:
        """The flow run once its state is one of `types` (by default: final)."""

        def reached() -> FlowRun | None:
            run = self.flow_run(flow_run_id)
            return run if run.state and run.state.type in types else None

        return wait_for(
            reached,
            timeout,
            f"flow run {flow_run_id} to be {sorted(t.value for t in types)} "
            f"(worker log: {self.logs / 'worker.log'})",
            interval=0.5,
        )


def _environment(home: Path, api_url: str, redis_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_HOME": str(home / "prefect-home"),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # runs start in ~5 s instead of ~13 s
        # No scheduled runs: maintenance/hourly would clean the tests' queues under them.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        "REDIS_URL": redis_url,
        "OPENINGS_ALLOW_PRIVATE_HOSTS": "true",  # every site of the tests is on 127.0.0.1
        # As pipeline_env: fast retries and no politeness gap (both have their own tests).
        "OPENINGS_RETRY_WAIT_MAX_S": "0.2",
        "OPENINGS_HOST_INTERVAL_S": "0.01",
        "OPENINGS_REQUEST_TIMEOUT_S": "10",
    }
    for name in ("DATABASE_URL", "OPENINGS_ENRICH_BACKEND", "OPENINGS_LLM_BASE_URL"):
        env.pop(name, None)  # SQLite in the run's output dir; rules enrichment
    return env


@contextmanager
def serve_prefect(home: Path, redis_url: str) -> Iterator[PrefectServer]:
    """`prefect server start` (not --background: it dies minutes later, FIELD_NOTES), the
    `openings` process work pool, `prefect deploy --all`, and `prefect worker start`."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    server = PrefectServer(api_url, _environment(home, api_url, redis_url), home)
    processes = [
        start_process(
            [
                PREFECT,
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--analytics-off",
            ],
            server.env,
            home / "server.log",
        )
    ]
    try:

        def healthy() -> bool:
            try:
                return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(healthy, 90, f"the Prefect server ({tail(home / 'server.log')})", interval=0.5)
        server.cli("work-pool", "create", "openings", "--type", "process")
        server.cli("--no-prompt", "deploy", "--all")
        processes.append(
            start_process(
                [PREFECT, "worker", "start", "--pool", "openings"], server.env, home / "worker.log"
            )
        )
        yield server
    finally:
        for process in reversed(processes):  # the worker (and its flow runs), then the server
            stop_process(process)


@contextmanager
def rq_workers(server: PrefectServer, counts: dict[str, int]) -> Iterator[list[str]]:
    """External `rq worker`s (SimpleWorker, as production runs them) on the server's Redis;
    yields their names once all are registered, so a run uses them instead of local ones."""
    redis = Redis.from_url(server.env["REDIS_URL"])
    workers = {
        f"test-{queue}-{i}-{os.getpid()}": queue for queue, n in counts.items() for i in range(n)
    }
    names = list(workers)
    processes = [
        start_process(
            worker_command(queue, server.env["REDIS_URL"], name),
            {**server.env, "PYTHONPATH": str(PROJECT_ROOT)},
            server.logs / f"{name}.log",
        )
        for name, queue in workers.items()
    ]
    try:
        wait_for(
            lambda: all(
                Worker.count(queue=Queue(queue, connection=redis)) >= n
                for queue, n in counts.items()
            ),
            60,
            f"RQ workers {names} to register (logs in {server.logs})",
        )
        yield names
    finally:
        for process in processes:
            stop_process(process)
        # A worker killed before it said goodbye stays registered for minutes: later tests'
        # runs would count it as listening and start no local workers of their own.
        for worker in Worker.all(connection=redis):
            if worker.name in names:
                worker.register_death()
        redis.close()
