"""`python -m flows.scrape COMPANIES_FILE [--output DIR]`: run the scrape-companies flow from a
shell, and print how each company went.

A companies file is checked before Prefect is even imported, so a bad one is reported once,
within a second, and `--check FILE` starts nothing at all.
"""

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

# Nothing else at the top: the temporary Prefect server starts before the rest is imported.
from flows import api_server

if TYPE_CHECKING:
    from prefect import Flow


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 completed (some companies may have failed), 1 failed, 2 a bad companies
    file or arguments, 130 cancelled."""
    parser = argparse.ArgumentParser(prog="python -m flows.scrape", description=__doc__)
    parser.add_argument(
        "companies_file",
        nargs="?",
        help="YAML or CSV file of companies (with --retry-failed: default, the file that run read)",
    )
    parser.add_argument(
        "--output", help="output directory (default: $OPENINGS_OUTPUT_DIR or ./data)"
    )
    parser.add_argument(
        "--reenrich",
        action="store_true",
        help="ask the model again about postings it has already enriched",
    )
    parser.add_argument(
        "--check", action="store_true", help="only validate the companies file, then exit"
    )
    parser.add_argument(
        "--retry-failed",
        metavar="RUN_ID",
        help="a new run over the companies that did not succeed in run RUN_ID",
    )
    parser.add_argument(
        "--resume",
        metavar="RUN_ID",
        type=UUID,
        help="run RUN_ID again (its flow process died): keeps what it saved, awaits its jobs",
    )
    parser.add_argument(
        "--max-failed-share",
        type=float,
        default=0.5,
        help="the run fails when more than this share of its companies failed (default 0.5)",
    )
    args = parser.parse_args(argv)
    if args.check or not (args.companies_file or args.retry_failed or args.resume):
        if not args.companies_file:
            parser.error("a companies file is required")
        return _check(args.companies_file)
    # The temporary Prefect server, when none is configured, takes the longest to start (~3.5 s
    # of CPU): it starts first, and the rest of the run gets ready beside it.
    server = api_server.start()
    try:
        companies = 0
        if args.companies_file:
            # Before any run starts: a file it cannot use is reported once, nothing enqueued.
            from tasks.companies import CompaniesFileError, load_companies

            try:
                companies = len(load_companies(args.companies_file).companies)
            except CompaniesFileError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        with _embedded_queue(args.output, companies):
            from flows.scrape_companies import scrape_companies  # Prefect: seconds to import

            if not args.resume:  # a resumed run's output directory is in its parameters
                _warm_up(args.output)
            with server.in_use() if server else contextlib.nullcontext():
                return _run(args, scrape_companies)
    finally:
        if server:
            server.stop()


def _check(companies_file: str) -> int:
    """--check: what a run would record as bad entries, said as errors; nothing started."""
    from tasks.companies import CompaniesFileError, load_companies

    try:
        listed = load_companies(companies_file)
    except CompaniesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems = [p for entry in listed.bad for p in entry.problems] + listed.duplicates
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(
        f"{companies_file}: {len(listed.companies)} companies, "
        + (f"{len(problems)} problems" if problems else "no problems")
    )
    return 2 if problems else 0


def _warm_up(output: str | None) -> None:
    """What the run does first and slowly, done while the Prefect server is still starting: its
    database opened and migrated (Alembic, ~0.3 s to import), and FastAPI imported (~0.3 s),
    which Prefect imports to serialize the parameters of the flow run it creates."""
    import fastapi.encoders  # noqa: F401

    from tasks.settings import Settings
    from tasks.store.persist import open_database

    settings = Settings()
    open_database(settings.database_url_for(Path(output or settings.output_dir))).dispose()


@contextlib.contextmanager
def _embedded_queue(output: str | None, companies: int) -> Iterator[None]:
    """With no REDIS_URL, the run's embedded Redis and local workers, started now, beside the
    Prefect server and the imports rather than after them. The flow finds them: REDIS_URL names
    the embedded Redis while the run lasts, and its own local_workers keeps to these."""
    from tasks.settings import Settings

    settings = Settings()
    if settings.redis_url or not companies:  # a shared Redis, or a run whose size is not known
        yield
        return
    from tasks.queueing.queue import connect
    from tasks.queueing.workers import local_workers

    database_url = settings.database_url_for(Path(output or settings.output_dir))
    with (
        connect(settings) as (redis, url),
        local_workers(redis, url, settings, database_url, companies),
    ):
        os.environ["REDIS_URL"] = url
        try:
            yield
        finally:
            del os.environ["REDIS_URL"]


def _run(args: argparse.Namespace, scrape_companies: "Flow") -> int:
    from tasks.settings import Settings

    output = args.output
    if args.resume:
        from prefect.exceptions import ObjectNotFound

        try:
            state, output = _resume(args.resume, scrape_companies)
        except ObjectNotFound:
            print(f"error: no flow run {args.resume} on the Prefect server", file=sys.stderr)
            return 2
    else:
        state = scrape_companies(
            args.companies_file,
            args.output,
            args.reenrich,
            args.retry_failed,
            args.max_failed_share,
            return_state=True,
        )
    results = state.result(raise_on_failure=False)
    results = getattr(results, "results", results)  # RunFailed carries them
    if isinstance(results, list) and results:
        print_summary(results, Path(output or Settings().output_dir))
    if state.is_completed():
        print(f"{state.name}: {state.message}")
        return 0
    print(f"{state.name.lower()}: {state.message}", file=sys.stderr)
    return 130 if state.is_cancelled() else 1


def _resume(run_id: UUID, scrape_companies: "Flow"):
    """Run flow run `run_id` again in this process, with its own parameters: for a run started
    with `python -m flows.scrape` whose process died (Prefect still shows it Running, so its
    Retry button does not apply). Runs from deployments are resumed with Prefect's Retry."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow
    from prefect.states import Scheduled

    with get_client(sync_client=True) as client:
        client.read_flow_run(run_id)  # ObjectNotFound before its state is touched
        client.set_flow_run_state(run_id, Scheduled(message="resumed by --resume"), force=True)
        flow_run = client.read_flow_run(run_id)
    parameters = flow_run.parameters
    state = run_flow(
        scrape_companies, flow_run=flow_run, parameters=parameters, return_type="state"
    )
    return state, parameters.get("output_dir")


def print_summary(results: list, output_dir: Path) -> None:
    from tasks.models import tally

    width = max((len(r.company) for r in results), default=7)
    print(
        f"\n{'company':<{width}}  {'source':<15} {'status':<9} {'found':>5} {'new':>4} "
        f"{'upd':>4} {'closed':>6}  error"
    )
    for r in results:
        print(
            f"{r.company:<{width}}  {r.source or '':<15} {r.status:<9} {r.found:>5} {r.new:>4} "
            f"{r.updated:>4} {r.closed:>6}  {r.error or ''}"
        )
    print(f"\n{len(results)} companies: {tally(r.status for r in results)}.")
    # What the export wrote, read from the folder: a list typed here went stale with each file.
    outputs = sorted(path.name for path in output_dir.glob("*.parquet"))
    if (output_dir / "postings").is_dir():
        outputs.append("postings/")
    print(f"Outputs in {output_dir.resolve()}: {', '.join(outputs) or 'none'}")


if __name__ == "__main__":
    sys.exit(main())
