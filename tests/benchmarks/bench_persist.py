"""Benchmark: persisting and exporting N postings, save_postings against a row-by-row baseline.

Input: a few thousand distinct sample postings (deployments.sample.jobs, as bench_enrich builds
them) enriched once with the rules backend, then copied with a new company, external id and URL
each until there are N postings with distinct posting_ids, `--per-company` to a company. Run
with `python -m tests.benchmarks.bench_persist --postings 100000 --database both`.

Printed side by side, measured in one run, each path on a fresh database:
  openings   save_postings per company, then export_outputs; then the daily rerun: the same
             N postings a day later (all unchanged: only last_seen_at moves), save_postings again
  row-by-row one session per company, session.add(row) + session.flush() per posting (one
             INSERT each), one commit per company; then the same export; its rerun is one
             session.get + flush per posting (one SELECT, one UPDATE each)
Each path runs in its own process (this module with a hidden --child flag) so its peak RSS is
its own: ru_maxrss read in the child at the end. The parent imports nothing heavy, because on
Linux a new process's ru_maxrss starts from its parent's RSS at the time it was started.
"RSS increase" is that peak minus the child's RSS just before the persist step (imports done,
input built, database opened), i.e. what persist, export and rerun added on top of the input.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

PATHS = ("row-by-row", "openings")  # the baseline first: ratios are against it
POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def run_child(args, path: str, database: str, workdir: Path) -> dict:
    """One path on one fresh database, in a process of its own; returns what it measured."""
    result = workdir / f"{path}-{database}.json"
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks.bench_persist",
        "--child",
        path,
        "--database",
        database,
        "--postings",
        str(args.postings),
        "--per-company",
        str(args.per_company),
        "--distinct",
        str(args.distinct),
        "--postgresql-url",
        args.postgresql_url,
        "--workdir",
        str(workdir),
        "--result",
        str(result),
    ]
    if args.profile:
        command += ["--profile", args.profile]
    subprocess.run(command, check=True)
    return json.loads(result.read_text())


# Everything below runs in the child process.


def build_input(count: int, per_company: int, distinct: int) -> list[tuple[str, list]]:
    """`count` enriched postings in batches of `per_company`, each batch one company's."""
    from tasks.enrich import enrich_postings
    from tasks.enrich.rules import RulesEnricher
    from tests.benchmarks.bench_enrich import sample_postings

    templates, _ = enrich_postings(sample_postings(min(distinct, count)), RulesEnricher())
    batches = []
    for start in range(0, count, per_company):
        company_id = f"bench-co-{start // per_company:05d}"
        company = f"Bench Co {start // per_company:05d}"
        batch = []
        for i in range(start, min(start + per_company, count)):
            template = templates[i % len(templates)]
            posting = template.posting.model_copy(
                update={
                    "company_id": company_id,
                    "company": company,
                    "external_id": str(i),
                    "url": f"https://{company_id}.example/jobs/{i}",
                }
            )
            batch.append(template.model_copy(update={"posting": posting}))
        batches.append((company_id, batch))
    ids = {item.posting.posting_id for _, batch in batches for item in batch}
    assert len(ids) == count, f"{len(ids)} distinct posting_ids for {count} postings"
    return batches


def persist_openings(engine, batches, seen_at) -> dict:
    from tasks.store.persist import save_postings

    totals = {"found": 0, "new": 0, "updated": 0, "closed": 0}
    for company_id, batch in batches:
        changes = save_postings(engine, company_id, batch, seen_at, run_id="bench")
        for key in totals:
            totals[key] += getattr(changes, key)
    return totals


def persist_row_by_row(engine, batches, seen_at) -> dict:
    """One INSERT per posting (flush per row), one transaction per company."""
    from sqlmodel import Session

    from tasks.store.persist import PostingRow, row_values

    for _, batch in batches:
        with Session(engine) as session:
            for item in batch:
                session.add(PostingRow(**row_values(item, seen_at)))
                session.flush()
            session.commit()
    count = sum(len(batch) for _, batch in batches)
    return {"found": count, "new": count, "updated": 0, "closed": 0}


def rerun_row_by_row(engine, batches, seen_at) -> dict:
    """The rerun one posting at a time: a SELECT by key, then an UPDATE (or INSERT) each."""
    from sqlmodel import Session

    from tasks.store.persist import PostingRow, row_values

    kept = {"posting_id", "first_seen_at", "last_seen_at", "updated_at", "closed_at"}
    content = [name for name in PostingRow.model_fields if name not in kept]
    totals = {"found": 0, "new": 0, "updated": 0, "closed": 0}
    for _, batch in batches:
        with Session(engine) as session:
            for item in batch:
                fresh = PostingRow(**row_values(item, seen_at))
                row = session.get(PostingRow, fresh.posting_id)
                if row is None:
                    session.add(fresh)
                    totals["new"] += 1
                else:
                    if row.content_hash != fresh.content_hash:
                        for name in content:
                            setattr(row, name, getattr(fresh, name))
                        row.updated_at = seen_at
                        totals["updated"] += 1
                    row.last_seen_at = seen_at
                    row.closed_at = None
                session.flush()
            session.commit()
        totals["found"] += len(batch)
    return totals


PERSIST = {"openings": persist_openings, "row-by-row": persist_row_by_row}
RERUN = {"openings": persist_openings, "row-by-row": rerun_row_by_row}


def child(args) -> None:
    # Heavy imports here, not at the top: the parent stays small (see the module docstring).
    import cProfile
    import gc
    import time
    from datetime import UTC, datetime, timedelta

    import polars as pl
    from sqlalchemy import create_engine, func, make_url, select, text

    from tasks.store.export import export_outputs
    from tasks.store.persist import PostingRow, open_database

    path, workdir = args.child, Path(args.workdir)
    marks: dict[str, float] = {}
    batches = build_input(args.postings, args.per_company, args.distinct)
    marks["input_peak"] = peak_rss_mb()

    admin = scratch = None
    if args.database == "postgresql":
        scratch = f"openings_bench_{os.getpid()}"
        admin = create_engine(args.postgresql_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {scratch}"))
        url = make_url(args.postgresql_url).set(database=scratch)
        url = url.render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{workdir / f'{path}.db'}"
    try:
        engine = open_database(url)
        first = datetime(2025, 11, 3, 12, tzinfo=UTC)
        later = first + timedelta(days=1)
        out_dir = workdir / f"out-{path}-{args.database}"

        def timed(phase: str, function, *call_args):
            profile = cProfile.Profile() if args.profile else None
            started = time.perf_counter()
            if profile:
                profile.enable()
            value = function(*call_args)
            if profile:
                profile.disable()
            marks[f"{phase}_s"] = time.perf_counter() - started
            marks[f"{phase}_peak"] = peak_rss_mb()
            if profile:
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                profile.dump_stats(Path(args.profile) / f"{path}-{args.database}-{phase}.prof")
            return value

        gc.collect()
        marks["start_rss"] = current_rss_mb()
        saved = timed("persist", PERSIST[path], engine, batches, first)
        paths = timed("export", export_outputs, engine, out_dir, first.date())
        rerun = timed("rerun", RERUN[path], engine, batches, later)
        marks["peak"] = peak_rss_mb()

        latest = pl.scan_parquet(paths["postings_latest"]).select(pl.len()).collect().item()
        with engine.connect() as connection:
            moved = connection.execute(
                select(func.count())
                .select_from(PostingRow)
                .where(PostingRow.last_seen_at == later, PostingRow.closed_at.is_(None))
            ).scalar_one()
        engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
            admin.dispose()
    Path(args.result).write_text(
        json.dumps(
            {
                **marks,
                "saved": saved,
                "rerun": rerun,
                "latest_rows": latest,
                "rerun_rows": moved,
                "latest_bytes": paths["postings_latest"].stat().st_size,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--per-company", type=int, default=100, help="postings per company")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--distinct", type=int, default=3000, help="distinct sample postings")
    parser.add_argument(
        "--postgresql-url",
        default=POSTGRESQL_URL,
        help="a server where a scratch database may be created and dropped",
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="write cProfile stats per path and phase (slower)"
    )
    parser.add_argument("--child", choices=PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    results: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory(prefix="openings-bench-") as tmp:
        for database in databases:
            for path in PATHS:
                workdir = Path(tmp) / f"{database}-{path}"
                workdir.mkdir()
                print(f"running {path} on {database} ...", file=sys.stderr, flush=True)
                results[path, database] = run_child(args, path, database, workdir)

    n = args.postings
    companies = -(-n // args.per_company)
    print(
        f"\n{n} postings, {companies} companies x {args.per_company}, from {args.distinct} "
        f"distinct sample postings (rules enrichment); a fresh database per path"
        + ("; PROFILED (times inflated)" if args.profile else "")
    )
    header = (
        f"{'path':<12}{'database':<12}{'rows':>8}{'persist s':>11}{'rows/s':>9}"
        f"{'rerun s':>9}{'rerun rows/s':>14}{'export s':>10}{'peak RSS MB':>13}"
        f"{'RSS incr. MB':>14}{'persist vs base':>17}{'rerun vs base':>15}"
    )
    print(header)
    for database in databases:
        base = results["row-by-row", database]
        for path in PATHS:
            r = results[path, database]
            print(
                f"{path:<12}{database:<12}{r['latest_rows']:>8}{r['persist_s']:>11.2f}"
                f"{n / r['persist_s']:>9.0f}{r['rerun_s']:>9.2f}{n / r['rerun_s']:>14.0f}"
                f"{r['export_s']:>10.2f}{r['peak']:>13.0f}{r['peak'] - r['start_rss']:>14.0f}"
                f"{base['persist_s'] / r['persist_s']:>16.2f}x"
                f"{base['rerun_s'] / r['rerun_s']:>14.2f}x"
            )
    print("\npeak RSS (MB, ru_maxrss) as each phase ended, and the child's RSS before persisting:")
    print(
        f"{'path':<12}{'database':<12}{'input built':>12}{'start RSS':>11}{'persist':>9}"
        f"{'export':>8}{'rerun':>8}{'latest.parquet MB':>19}"
    )
    for database in databases:
        for path in PATHS:
            r = results[path, database]
            print(
                f"{path:<12}{database:<12}{r['input_peak']:>12.0f}{r['start_rss']:>11.0f}"
                f"{r['persist_peak']:>9.0f}{r['export_peak']:>8.0f}{r['rerun_peak']:>8.0f}"
                f"{r['latest_bytes'] / 2**20:>19.1f}"
            )

    for database in databases:
        counts = {path: results[path, database]["latest_rows"] for path in PATHS}
        print(f"\n{database}: rows in postings_latest.parquet: {counts}")
        assert len(set(counts.values())) == 1, f"paths disagree on {database}: {counts}"
        assert counts["openings"] == n, f"{counts['openings']} rows exported, {n} saved"
        for path in PATHS:
            r = results[path, database]
            print(f"  {path}: first pass {r['saved']}, rerun {r['rerun']}")
            assert r["saved"]["new"] == n, r["saved"]
            assert r["rerun"] == {"found": n, "new": 0, "updated": 0, "closed": 0}, r["rerun"]
            assert r["rerun_rows"] == n, f"{r['rerun_rows']} rows have the rerun's last_seen_at"


if __name__ == "__main__":
    main()
