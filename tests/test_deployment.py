"""The deployment path a data engineer uses: a Prefect server, `prefect deploy --all` from
prefect.yaml, a process worker, and `prefect deployment run`. Slow (~1 min): `make test-slow`."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import polars as pl
import pytest

from deployments.sample.site import demo_companies
from tasks.workers import PROJECT_ROOT
from tests.conftest import free_port, write_companies

pytestmark = pytest.mark.slow
PREFECT = str(Path(sys.executable).parent / "prefect")  # the CLI of the environment under test


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    # The process worker ignores SIGTERM and needs SIGINT twice (FIELD_NOTES).
    for sig in (signal.SIGINT, signal.SIGINT, signal.SIGKILL):
        if process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue


def test_prefect_deployment_run_from_prefect_yaml(redis_url, site, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "REDIS_URL": redis_url,
        "OPENINGS_ALLOW_PRIVATE_HOSTS": "true",
    }
    companies = write_companies(tmp_path / "companies.yaml", demo_companies(site.base_url))
    server = _start(
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
        env,
        tmp_path / "server.log",
    )
    worker = None
    try:
        for _ in range(120):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        for command in (
            ["work-pool", "create", "openings", "--type", "process"],
            ["--no-prompt", "deploy", "--all"],
        ):
            subprocess.run(
                [PREFECT, *command], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True
            )
        worker = _start(
            [PREFECT, "worker", "start", "--pool", "openings"], env, tmp_path / "worker.log"
        )
        run = subprocess.run(
            [
                PREFECT,
                "deployment",
                "run",
                "scrape-companies/daily",
                "--watch",
                "--param",
                f"companies_file={companies}",
                "--param",
                f"output_dir={tmp_path / 'out'}",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if worker:
            _stop(worker)
        _stop(server)

    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Completed" in run.stdout
    runs = pl.read_parquet(tmp_path / "out" / "company_runs.parquet")
    assert runs.height == 5 and set(runs["status"]) == {"succeeded"}
