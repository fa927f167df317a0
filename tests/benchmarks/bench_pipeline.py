"""Benchmark: the pipeline against a sequential fetch-extract-enrich-persist baseline.

Both read the same N Greenhouse-shaped boards from the sample site on 127.0.0.1, which waits
`--latency` seconds before every response (a real ATS API answers in 0.2-0.8 s). Run with
`make bench` or `python -m tests.benchmarks.bench_pipeline --companies 100 --latency 0.2`.

Printed side by side, measured in one run:
  baseline   one process, one company after another, same stage functions, own SQLite file
  pipeline   `python -m flows.scrape` on embedded defaults: RQ workers, Redis, Prefect, persist
             as companies land
The pipeline's end-to-end time is the command's, from its imports and its temporary Prefect
server to its exit; "processing" is the span from the first fetch job starting to the last
company finishing, as RQ recorded it. Where the time went is printed from the run's log.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from datetime import time as dt_time
from pathlib import Path

import polars as pl
import yaml

from deployments.sample.site import SampleSite, board_company
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
        board_company(f"Bench Co {i:04d}", "greenhouse", f"bench{i:04d}", site.base_url)
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
            saved = save_postings(
                engine, company.company_id, enriched, datetime.now(UTC), run_id="bench"
            )
            postings += saved.found
        return time.perf_counter() - started, postings


# Milestones of a run, from the lines its log prints (HH:MM:SS.mmm, local time).
MILESTONES = {
    "flow began": re.compile(r"(\d\d:\d\d:\d\d\.\d{3}) .* Beginning flow run"),
    "jobs enqueued": re.compile(r"(\d\d:\d\d:\d\d\.\d{3}) .* Task run 'enqueue-.* Finished"),
    "first company saved": re.compile(r"(\d\d:\d\d:\d\d\.\d{3}) .*: succeeded, \d+ postings"),
    "flow ended": re.compile(r"(\d\d:\d\d:\d\d\.\d{3}) .* Flow run .* Finished in state"),
}


def run_pipeline(
    companies: list[dict],
    workdir: Path,
    env: dict[str, str] | None = None,
    watch: Callable[[int], None] | None = None,
) -> dict:
    """`python -m flows.scrape` as a user types it, by default on embedded defaults (no
    PREFECT_API_URL, no REDIS_URL; `env` adds to or overrides that): its wall time includes its
    imports and its temporary Prefect server. `watch(pid)` is called every 0.2 s while it runs."""
    companies_file = workdir / "companies.yaml"
    companies_file.write_text(yaml.safe_dump({"companies": companies}))
    defaults = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "REDIS_URL")}
    log = workdir / "pipeline.log"
    command = [sys.executable, "-m", "flows.scrape", str(companies_file)]
    started_at, started = datetime.now(), time.perf_counter()
    cpu_before = _children_cpu_s()
    with log.open("w") as output:
        cli = subprocess.Popen(
            [*command, "--output", str(workdir / "pipeline")],
            env={**defaults, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        while cli.poll() is None:
            if watch:
                watch(cli.pid)
            time.sleep(0.2)
    wall = time.perf_counter() - started
    cpu = _children_cpu_s() - cpu_before  # the command, its workers, Redis and Prefect server
    logged = log.read_text()
    if cli.returncode != 0:
        raise SystemExit(f"the pipeline failed ({cli.returncode}):\n{logged[-3000:]}")
    runs = pl.read_parquet(workdir / "pipeline" / "company_runs.parquet")
    began = runs.select(
        (pl.col("finished_at") - pl.duration(seconds=pl.col("duration_s"))).min()
    ).item()
    times = {"command started": 0.0}
    for name, pattern in MILESTONES.items():
        found = pattern.search(logged)
        if found:
            at = datetime.combine(started_at.date(), dt_time.fromisoformat(found.group(1)))
            times[name] = (at - started_at).total_seconds()
    times["command ended"] = wall
    return {
        "wall": wall,
        "processing": (runs["finished_at"].max() - began).total_seconds(),
        "postings": int(runs["found"].sum()),
        "milestones": times,
        "cpu": cpu,
    }


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
        pipeline = run_pipeline(companies, workdir)

    n, settings = args.companies, Settings()
    wall_s, processing_s, postings = pipeline["wall"], pipeline["processing"], pipeline["postings"]
    print(
        f"\n{n} companies x {args.postings} postings, {args.latency * 1000:.0f} ms latency, "
        f"{fetch_workers_for(n, settings)} local io_fetch workers, {settings.api_host_concurrency} "
        "in flight per API host, embedded Redis and a temporary Prefect server"
    )
    print(f"{'':<24}{'seconds':>9}{'companies/s':>13}{'postings':>10}{'vs baseline':>13}")
    print(
        f"{'baseline (sequential)':<24}{base_s:>9.2f}{n / base_s:>13.1f}{base_postings:>10}"
        f"{1.0:>12.2f}x"
    )
    rows = (("pipeline, end to end", wall_s), ("pipeline, processing", processing_s))
    for label, seconds in rows:
        print(
            f"{label:<24}{seconds:>9.2f}{n / seconds:>13.1f}{postings:>10}"
            f"{base_s / seconds:>12.2f}x"
        )
    print("\nwhere the pipeline's time went (s since the command started):")
    milestones = list(pipeline["milestones"].items())
    for (name, at), (_, before) in zip(milestones, [("", 0.0), *milestones], strict=False):
        print(f"  {at:7.2f}  (+{at - before:5.2f})  {name}")
    first = pipeline["milestones"].get("first company saved")
    if first is not None:
        print(f"start-up (command to first company saved): {first:.2f} s")
    print(
        f"CPU: {pipeline['cpu']:.1f} s in all the pipeline's processes, "
        f"{pipeline['cpu'] / n * 1000:.0f} ms per company, on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
