"""Benchmark: a fetch worker's memory over many jobs (the soak issue 12 asks for).

One real `rq worker` (worker_command: the project's worker class, as production runs it) on a
queue of its own in Redis database 9, fed N fetch jobs of the sample site's demo companies in turn
(Greenhouse, Lever and Ashby boards, a JSON-LD and a plain HTML careers site), after 300 warm-up
jobs. Its RSS (from /proc) is printed at the start, every quarter and at
the end, next to a baseline worker fed the same number of no-op jobs (`builtins.len`), so that
what the fetch stage adds stands apart from RQ's own bookkeeping. Run with
`python -m tests.benchmarks.bench_worker_memory --jobs 10000`.
"""

import argparse
import os
import subprocess
import time

from redis import Redis
from rq import Queue

from deployments.sample.site import SampleSite, demo_companies
from tasks.models import Company
from tasks.queueing.workers import PROJECT_ROOT, worker_command

REDIS_URL = "redis://127.0.0.1:6379/9"
WARM_UP = 300


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return kb / 1024


def soak(name: str, jobs_in_turn: list[tuple], jobs: int, redis: Redis) -> list[float]:
    """The worker's RSS after the warm-up and after each quarter of `jobs`."""
    queue = Queue(f"bench_{name}", connection=redis)
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "OPENINGS_ALLOW_PRIVATE_HOSTS": "true",
        "OPENINGS_HOST_INTERVAL_S": "0",
    }
    worker = subprocess.Popen(
        worker_command(queue.name, REDIS_URL),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def run(count: int) -> None:
        with redis.pipeline() as pipeline:
            for i in range(count):
                queue.enqueue(
                    *jobs_in_turn[i % len(jobs_in_turn)], result_ttl=60, pipeline=pipeline
                )
            pipeline.execute()
        while queue.count or queue.started_job_registry.get_job_count(cleanup=False):
            time.sleep(0.2)

    try:
        run(WARM_UP)
        figures = [rss_mb(worker.pid)]
        for _ in range(4):
            run(jobs // 4)
            figures.append(rss_mb(worker.pid))
        return figures
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    args = parser.parse_args()
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    with SampleSite() as site:
        fetches = [
            ("tasks.queueing.jobs.fetch_company", "bench-run", company, None)
            for company in (
                Company.model_validate({**fields, "respect_robots": False}).model_dump(mode="json")
                for fields in demo_companies(site.base_url)
            )
        ]
        runs = {
            "no-op jobs (baseline)": soak("noop", [("builtins.len", "x")], args.jobs, redis),
            "fetch jobs": soak("fetch", fetches, args.jobs, redis),
        }
    print(f"worker RSS (MB) over {args.jobs} jobs, after {WARM_UP} warm-up jobs")
    print(f"{'':24}{'start':>8}{'25%':>8}{'50%':>8}{'75%':>8}{'end':>8}{'growth':>9}")
    for name, figures in runs.items():
        growth = figures[-1] / figures[0] - 1
        cells = "".join(f"{f:8.1f}" for f in figures)
        print(f"{name:24}{cells}{growth:9.1%}")


if __name__ == "__main__":
    main()
