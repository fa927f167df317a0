"""Benchmark: the pipeline against a sequential fetch-extract-enrich-persist baseline.

Both read the same N Greenhouse-shaped boards from the sample site on 127.0.0.1, which waits
`--latency` seconds before every response (a real ATS API answers in 0.2-0.8 s). Run with
`make bench` or `python -m tests.benchmarks.bench_pipeline --companies 100 --latency 0.2`.

Printed side by side, measured in one run:
  baseline   one process, one company after another, same stage functions, own SQLite file
  pipeline   the scrape_companies flow: RQ workers, Redis, Prefect, persist as companies land
The pipeline's wall time includes starting Prefect and its workers; "processing" is the span
from the first fetch job starting to the last company finishing, as RQ recorded it.
"""

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import yaml

from deployments.sample.site import SampleSite
from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.fetch.stage import fetch_postings
from tasks.models import Company
from tasks.queueing.queue import connect
from tasks.queueing.workers import fetch_workers_for
from tasks.settings import Settings
from tasks.store.persist import open_database, save_postings


def companies_for(site: SampleSite, count: int) -> list[dict]:
    return [
        {
            "name": f"Bench Co {i:04d}",
            "careers_url": f"https://boards.greenhouse.io/bench{i:04d}",
            "api_url": f"{site.base_url}/greenhouse/v1/boards/bench{i:04d}/jobs?content=true",
        }
        for i in range(count)
    ]


def run_baseline(companies: list[dict], workdir: Path) -> tuple[float, int]:
    settings = Settings()
    engine = open_database(f"sqlite:///{workdir / 'baseline.db'}")
    enricher = RulesEnricher()
    with connect(settings) as (redis, _):
        started, postings = time.perf_counter(), 0
        for entry in companies:
            company = Company.model_validate(entry)
            fetched, _ = fetch_postings(company, settings, redis)
            enriched, _ = enrich_postings(fetched, enricher)
            saved = save_postings(engine, company.company_id, enriched, datetime.now(UTC))
            postings += saved.found
        return time.perf_counter() - started, postings


def run_pipeline(companies: list[dict], workdir: Path) -> tuple[float, float, int]:
    from flows.scrape_companies import scrape_companies

    companies_file = workdir / "companies.yaml"
    companies_file.write_text(yaml.safe_dump({"companies": companies}))
    started = time.perf_counter()
    results = scrape_companies(str(companies_file), str(workdir / "pipeline"))
    wall = time.perf_counter() - started
    failed = [r for r in results if r.status != "succeeded"]
    if failed:
        raise SystemExit(f"{len(failed)} companies failed, e.g. {failed[0].error}")
    runs = pl.read_parquet(workdir / "pipeline" / "company_runs.parquet")
    began = runs.select(
        (pl.col("finished_at") - pl.duration(seconds=pl.col("duration_s"))).min()
    ).item()
    processing = (runs["finished_at"].max() - began).total_seconds()
    return wall, processing, int(runs["found"].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per response")
    parser.add_argument("--postings", type=int, default=10, help="postings per company")
    args = parser.parse_args()

    # Default settings otherwise: every board is on one API host (the sample site), as every board
    # of an ATS is, so the API hosts' politeness limits are part of what is measured.
    os.environ["OPENINGS_ALLOW_PRIVATE_HOSTS"] = "true"
    with (
        SampleSite(latency_s=args.latency, postings_per_company=args.postings) as site,
        tempfile.TemporaryDirectory(prefix="openings-bench-") as tmp,
    ):
        workdir = Path(tmp)
        companies = companies_for(site, args.companies)
        base_s, base_postings = run_baseline(companies, workdir)
        wall_s, processing_s, postings = run_pipeline(companies, workdir)

    n, settings = args.companies, Settings()
    print(
        f"\n{n} companies x {args.postings} postings, {args.latency * 1000:.0f} ms latency, "
        f"{fetch_workers_for(n, settings)} local io_fetch workers, {settings.api_host_concurrency} "
        f"in flight per API host, Redis: {os.environ.get('REDIS_URL', 'embedded')}"
    )
    print(f"{'':<24}{'seconds':>9}{'companies/s':>13}{'postings':>10}{'vs baseline':>13}")
    print(
        f"{'baseline (sequential)':<24}{base_s:>9.2f}{n / base_s:>13.1f}{base_postings:>10}"
        f"{1.0:>12.2f}x"
    )
    for label, seconds in (("pipeline, wall", wall_s), ("pipeline, processing", processing_s)):
        print(
            f"{label:<24}{seconds:>9.2f}{n / seconds:>13.1f}{postings:>10}"
            f"{base_s / seconds:>12.2f}x"
        )


if __name__ == "__main__":
    main()
