"""The deployment path a data engineer uses: a Prefect server, `prefect deploy --all` from
prefect.yaml, a process worker, and `prefect deployment run`. Slow (~1 min): `make test-slow`."""

import polars as pl
import pytest

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
