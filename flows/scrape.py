"""The scrape_companies flow, and `python -m flows.scrape COMPANIES_FILE [--output DIR]`.

The flow validates the companies file, enqueues each company's RQ jobs, awaits them while
relaying progress, persists each company as it lands, then writes Parquet and a table artifact.
"""

import argparse
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, runtime
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.progress import ProgressRelay
from flows.summary import run_summary
from tasks import payloads
from tasks.companies import CompaniesFileError, load_companies, resolve_source
from tasks.export import export_outputs
from tasks.models import CompanyResult, CompanyStatus, FetchReport
from tasks.persist import (
    finish_run,
    known_boards,
    open_database,
    record_board,
    record_company_run,
    save_postings,
    start_run,
    utc_now,
)
from tasks.queue import Settled, await_run, cancel_run_jobs, connect, enqueue_run
from tasks.screening import screen, summarize
from tasks.settings import Settings
from tasks.workers import local_workers


def stop_run_jobs(flow, flow_run, state) -> None:
    """on_cancellation / on_crashed: Prefect does not reach RQ by itself, so stop the jobs here."""
    settings = Settings()
    if settings.redis_url:  # an embedded Redis went away with the flow's process
        with connect(settings) as (redis, _):
            cancel_run_jobs(redis, str(flow_run.id))


@flow(
    name="scrape-companies",
    on_cancellation=[stop_run_jobs],
    on_crashed=[stop_run_jobs],
    persist_result=False,
)
def scrape_companies(
    companies_file: str, output_dir: str | None = None, reenrich: bool = False
) -> list[CompanyResult]:
    """Scrape every company in COMPANIES_FILE into OUTPUT_DIR (default $OPENINGS_OUTPUT_DIR).

    A posting enriched before by the same model and prompt is not sent to the model again
    unless `reenrich` is set.
    """
    logger = get_run_logger()
    settings = Settings()
    companies = load_companies(companies_file)
    out = Path(output_dir or settings.output_dir)
    database_url = settings.database_url_for(out)
    engine = open_database(database_url)
    run_id = str(runtime.flow_run.id)
    logger.info("run %s: %d companies from %s", run_id, len(companies), companies_file)

    results: list[CompanyResult] = []
    start_run(engine, run_id, companies_file, out, companies, utc_now())
    boards = known_boards(engine, companies)
    with (
        connect(settings) as (redis, redis_url),
        local_workers(redis, redis_url, settings, database_url),
    ):
        planned = enqueue_run(redis, run_id, companies, settings, boards, reenrich=reenrich)
        relay = ProgressRelay(len(planned), settings.progress_interval_s, logger)
        for settled in await_run(redis, run_id, planned, settings, relay.on_event):
            company, report = settled.company, settled.fetch
            if settled.enrich and settled.enrich.warning:
                logger.warning("%s: %s", company.name, settled.enrich.warning)
            result = _company_result(run_id, settled)
            if settled.postings is not None:
                kept, rejected = screen(settled.postings)
                changes = save_postings(
                    engine,
                    company.company_id,
                    kept,
                    utc_now(),
                    complete=result.status == CompanyStatus.succeeded,
                )
                rejected = (report.rejected if report else []) + rejected
                for reason in rejected:
                    logger.warning("%s: rejected %s", company.name, reason)
                result = result.model_copy(
                    update={
                        **changes.__dict__,
                        "rejected": len(rejected),
                        "rejected_reasons": summarize(rejected),
                    }
                )
            if report and report.board_url and report.source:
                record_board(engine, company, report.source, report.board_url)
            record_company_run(engine, result)
            payloads.delete(redis, run_id, company.company_id)
            relay.on_company(result)
            results.append(result)

    finish_run(engine, run_id, results, utc_now())
    paths = export_outputs(engine, out, datetime.now(UTC).date())
    create_markdown_artifact(
        run_summary(run_id, results, pl.read_parquet(paths["postings_latest"])),
        key="run-summary",
        description=f"Run {run_id}: changes, salaries by seniority, failures",
    )
    create_table_artifact(
        [_report_row(r) for r in results],
        key="company-runs",
        description=f"Run {run_id}: one row per company. Outputs in {out.resolve()}",
    )
    failed = sum(r.status == CompanyStatus.failed for r in results)
    logger.info(
        "%d companies, %d failed; outputs: %s",
        len(results),
        failed,
        ", ".join(str(p) for p in paths.values()),
    )
    return results


def _company_result(run_id: str, settled: Settled) -> CompanyResult:
    """How the company ended: failed with a reason, partial (pages skipped), or succeeded."""
    report = settled.fetch or FetchReport(ok=False)
    status, error = CompanyStatus.succeeded, settled.error
    if error:
        status = CompanyStatus.failed
    elif report.skipped:
        status = CompanyStatus.partial
        error = f"{len(report.skipped)} pages skipped, first: {report.skipped[0]}"
    return CompanyResult(
        run_id=run_id,
        company_id=settled.company.company_id,
        company=settled.company.name,
        source=report.source or resolve_source(settled.company),
        status=status,
        error=error,
        error_category=report.error_category,
        http_status=report.http_status,
        board_url=report.board_url,
        skipped_pages=len(report.skipped),
        enrich_cached=settled.enrich.cached if settled.enrich else 0,
        enrich_fallbacks=settled.enrich.fallbacks if settled.enrich else 0,
        duration_s=settled.duration_s,
        finished_at=utc_now(),
    )


def _report_row(result: CompanyResult) -> dict:
    return result.model_dump(
        mode="json",
        include={
            "company",
            "source",
            "status",
            "found",
            "new",
            "updated",
            "closed",
            "enrich_cached",
            "enrich_fallbacks",
            "rejected",
            "error_category",
            "http_status",
            "error",
            "duration_s",
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.scrape", description=__doc__)
    parser.add_argument("companies_file", help="YAML or CSV file of companies")
    parser.add_argument(
        "--output", help="output directory (default: $OPENINGS_OUTPUT_DIR or ./data)"
    )
    parser.add_argument(
        "--reenrich",
        action="store_true",
        help="ask the model again about postings it has already enriched",
    )
    args = parser.parse_args(argv)
    try:
        results = scrape_companies(args.companies_file, args.output, args.reenrich)
    except CompaniesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_summary(results, Path(args.output or Settings().output_dir))
    return 0


def print_summary(results: list[CompanyResult], output_dir: Path) -> None:
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
    counts = Counter(r.status for r in results)
    print(
        f"\n{len(results)} companies: "
        + ", ".join(f"{counts[status]} {status}" for status in CompanyStatus)
        + "."
    )
    print(
        f"Outputs in {output_dir.resolve()}: postings_latest.parquet, postings/, "
        "postings_closed.parquet, company_runs.parquet"
    )


if __name__ == "__main__":
    sys.exit(main())
