"""The deployment path a data engineer uses: a Prefect server, `prefect deploy --all` from
prefect.yaml, a process worker, and `prefect deployment run`. Slow (~1 min): `make test-slow`."""

import polars as pl
import pytest
from prefect.client.schemas.filters import (
    ArtifactCollectionFilter,
    ArtifactCollectionFilterKey,
)

from deployments.sample.site import demo_companies
from tests.conftest import write_companies

pytestmark = pytest.mark.slow


def test_prefect_deployment_run_from_prefect_yaml(prefect_server, site, tmp_path):
    companies = write_companies(tmp_path / "companies.yaml", demo_companies(site.base_url))
    run = prefect_server.cli(
        "deployment",
        "run",
        "scrape-companies/daily",
        "--watch",
        "--param",
        f"companies_file={companies}",
        "--param",
        f"output_dir={tmp_path / 'out'}",
        timeout=300,
    )

    assert "Completed" in run.stdout
    runs = pl.read_parquet(tmp_path / "out" / "company_runs.parquet")
    assert runs.height == 5 and set(runs["status"]) == {"succeeded"}


def test_the_deployment_runs_one_run_at_a_time(prefect_server):
    # Two scheduled runs must never scrape the same companies at once: the next one waits.
    with prefect_server.client() as client:
        deployment = client.read_deployment_by_name("scrape-companies/daily")
    assert deployment.global_concurrency_limit.limit == 1
    assert deployment.concurrency_options.collision_strategy == "ENQUEUE"


def test_the_hourly_maintenance_deployment_reports_health(prefect_server, tmp_path):
    run = prefect_server.cli(
        "deployment",
        "run",
        "maintenance/hourly",
        "--watch",
        "--param",
        f"output_dir={tmp_path}",
        timeout=300,
    )

    assert "Completed" in run.stdout, run.stdout
    with prefect_server.client() as client:
        deployment = client.read_deployment_by_name("maintenance/hourly")
        [schedule] = deployment.schedules
        artifact = client.read_latest_artifacts(
            artifact_filter=ArtifactCollectionFilter(
                key=ArtifactCollectionFilterKey(any_=["health"])
            )
        )[0]
    assert schedule.schedule.cron == "17 * * * *"
    assert "| io_fetch |" in artifact.data and "**Healthy**" in artifact.data
    assert "## Cleaned up" in artifact.data
