"""Benchmark: how the pipeline's cost grows with the work, from 100 to 5,000 companies.

`make bench` or `python -m tests.benchmarks.bench_scale --sizes 100 1000 5000`. Each size is
one `python -m flows.scrape` run, as a user types it, over fixture companies spread across
three ATS API hosts (Greenhouse, Lever and Ashby shapes, each served by a sample site of its own
on 127.0.0.1 that waits `--latency` before every response), once on SQLite and once on
PostgreSQL (when 127.0.0.1:5432 answers). Redis is one this benchmark starts, so that its memory
can be read during the run and after it.

Printed per run: wall time, processing time per company (first fetch started to last company
done, as RQ recorded it, over the companies), CPU per company across every process of the run,
the flow process's peak RSS, and Redis's memory at its peak and after the run. Cost per company
must stay flat as the work grows: a figure that grows with the size is an O(n^2) somewhere.
"""

import argparse
import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from redis import Redis
from sqlalchemy.exc import OperationalError

from deployments.sample.site import SampleSite, board_company
from tests.benchmarks.bench_pipeline import run_pipeline
from tests.postgres import scratch_database

SOURCES = ("greenhouse", "lever", "ashby")  # each on a host of its own


def companies_for(sites: dict[str, SampleSite], count: int) -> list[dict]:
    """`count` companies, one ATS host after another."""
    return [
        board_company(f"Scale Co {i:05d}", source, f"scale{i:05d}", sites[source].base_url)
        for i, source in zip(range(count), itertools.cycle(SOURCES), strict=False)
    ]


class Peaks:
    """The flow process's peak RSS and Redis's peak memory, read while the run goes on."""

    def __init__(self, redis: Redis) -> None:
        self.redis, self.rss_mb, self.redis_mb = redis, 0.0, 0.0

    def __call__(self, pid: int) -> None:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            peak_kb = next(int(line.split()[1]) for line in status.splitlines() if "VmHWM" in line)
            self.rss_mb = max(self.rss_mb, peak_kb / 1024)
        except (OSError, StopIteration):
            pass
        self.redis_mb = max(self.redis_mb, redis_mb(self.redis))


def redis_mb(redis: Redis) -> float:
    return redis.info("memory")["used_memory"] / 2**20


@contextlib.contextmanager
def database(kind: str) -> Iterator[dict[str, str] | None]:
    """The environment of a run on a new database of `kind` (SQLite: the run's default, in its
    output directory; PostgreSQL: dropped afterwards), or None when PostgreSQL does not answer."""
    if kind == "sqlite":
        yield {}
        return
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(scratch_database("openings_bench"))
        except OperationalError as exc:  # the SQLite rows still run
            print(f"PostgreSQL skipped: {str(exc.orig).splitlines()[0]}")
            yield None
            return
        yield {"DATABASE_URL": url}


@contextlib.contextmanager
def own_redis(directory: Path) -> Iterator[Redis]:
    """A Redis of the run's own, on a unix socket in `directory`."""
    socket = directory / "redis.sock"
    command = ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", ""]
    process = subprocess.Popen(
        [*command, "--appendonly", "no", "--dir", str(directory)], stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        yield Redis(unix_socket_path=str(socket))
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--postings", type=int, default=10, help="postings per company")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("bench_scale needs redis-server on PATH, to read Redis's memory")
    os.environ["OPENINGS_ALLOW_PRIVATE_HOSTS"] = "true"

    print(
        f"{'companies':>9} {'database':<11}{'wall s':>7}{'ms/company':>11}{'CPU ms/co':>10}"
        f"{'flow RSS MB':>12}{'Redis peak MB':>14}{'Redis after MB':>15}"
    )
    with tempfile.TemporaryDirectory(prefix="openings-scale-") as tmp:
        sites = {
            source: SampleSite(latency_s=args.latency, postings_per_company=args.postings).start()
            for source in SOURCES
        }
        try:
            for size in args.sizes:
                companies = companies_for(sites, size)
                for kind in args.databases:
                    workdir = Path(tmp) / f"{size}-{kind}"
                    workdir.mkdir()
                    with database(kind) as env, own_redis(workdir) as redis:
                        if env is None:
                            continue
                        peaks = Peaks(redis)
                        env["REDIS_URL"] = f"unix://{workdir / 'redis.sock'}"
                        result = run_pipeline(companies, workdir, env, peaks)
                        print(
                            f"{size:>9} {kind:<11}{result['wall']:>7.1f}"
                            f"{result['processing'] / size * 1000:>11.1f}"
                            f"{result['cpu'] / size * 1000:>10.0f}{peaks.rss_mb:>12.0f}"
                            f"{peaks.redis_mb:>14.1f}{redis_mb(redis):>15.1f}",
                            flush=True,
                        )
        finally:
            for site in sites.values():
                site.stop()


if __name__ == "__main__":
    main()
