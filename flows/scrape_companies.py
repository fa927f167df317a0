"""The scrape-companies flow (run it from a shell with `python -m flows.scrape`).

The flow validates the companies file, enqueues each company's RQ jobs, awaits them while
relaying progress, persists each company as it lands, then writes Parquet and the artifacts.

The flow run id is the run id, so whatever runs a flow run again (Prefect's Retry, flow retries,
`--resume`) resumes it: companies it saved are kept, jobs still in flight are awaited, and only
companies that failed or were cancelled are tried again. A cancel request reaches every job
within seconds however the run was started; the run's final state says how it went.
"""

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, runtime, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.exceptions import TerminationSignal
from prefect.settings import get_current_settings
from prefect.states import Cancelled, Completed, Failed, State

from flows import api_server, outcomes
from flows.live import LiveView
from flows.summary import run_summary
from tasks.companies import (
    BadEntry,
    CompaniesFile,
    CompaniesFileError,
    load_companies,
    resolve_source,
)
from tasks.models import Company, CompanyStatus, FetchReport, RunStatus
from tasks.queueing import events, payloads, stopping
from tasks.queueing.queue import (
    CompanyJobs,
    RedisUnavailable,
    Settled,
    attempts,
    await_run,
    connect,
    enqueue_run,
    shared_redis,
    stop_run_jobs,
)
from tasks.queueing.workers import local_workers
from tasks.settings import Settings, from_environment
from tasks.store.export import export_outputs
from tasks.store.persist import (
    CompanyResult,
    beat,
    company_results,
    find_run,
    finish_run,
    known_boards,
    open_database,
    record_board,
    record_company_run,
    run_counts,
    save_postings,
    settle_unfinished,
    start_run,
    utc_now,
)
from tasks.store.salaries import RatesFileError, read_rates
from tasks.store.screening import screen, summarize


class RunFailed(Exception):
    """Too many companies failed: what calling the flow raises; `results` has every company."""

    def __init__(self, message: str, results: list[CompanyResult]):
        super().__init__(message)
        self.results = results


SAVED = (CompanyStatus.succeeded, CompanyStatus.partial)  # kept when the run is resumed
CANCELLED = "cancelled: the run was cancelled before the company finished"


def close_cancelled_run(flow, flow_run, state) -> None:
    """on_cancellation: a runner (worker, serve) cancelled the run and killed the flow's process
    before the flow could close the run itself. Prefect does not reach RQ: stop the jobs here,
    then record, announce and export what the flow would have."""
    settings = Settings()
    engine, run = _open_run(settings, flow_run)
    if run is None:
        return  # it was cancelled before it started
    if run.finished_at is None:  # else the flow closed it itself, and may have been cut short
        with shared_redis(settings) as redis:
            if redis is not None:
                stop_run_jobs(redis, run.run_id, settings.run_ttl_s)
            unfinished = settle_unfinished(engine, run.run_id, CompanyStatus.cancelled, CANCELLED)
            message = _counts_text(run_counts(engine, run.run_id))
            finish_run(engine, run.run_id, RunStatus.cancelled, message, utc_now())
            results = company_results(engine, run.run_id)
            for company_id in unfinished:
                outcomes.company_settled(redis, results[company_id], settings.run_ttl_s)
            outcomes.run_completed(
                redis,
                run.run_id,
                list(results.values()),
                Cancelled(message=message),  # the run's counts, not the runner's words
                settings.run_ttl_s,
            )
    # Again even when the flow wrote them: the runner may have killed it while it was writing.
    export_outputs(engine, Path(run.output_dir), datetime.now(UTC).date())


def record_crashed_run(flow, flow_run, state) -> None:
    """on_crashed: the flow's process died. Its jobs are left running, so that Prefect's Retry
    resumes the run and awaits them instead of fetching those companies again."""
    settings = Settings()
    engine, run = _open_run(settings, flow_run)
    if run is not None and run.finished_at is None:
        counts = run_counts(engine, run.run_id)
        message = f"crashed ({_counts_text(counts)} so far); Retry resumes it"
        finish_run(engine, run.run_id, RunStatus.crashed, message, None)
        with shared_redis(settings) as redis:
            if redis is not None:  # tell the run's watchers
                events.emit(
                    redis, run.run_id, "", "run", "crashed", message, ttl_s=settings.run_ttl_s
                )


def _open_run(settings: Settings, flow_run):
    output_dir = flow_run.parameters.get("output_dir") or settings.output_dir
    engine = open_database(settings.database_url_for(Path(output_dir)))
    try:
        return engine, find_run(engine, str(flow_run.id))
    except LookupError:
        return engine, None


@flow(
    name="scrape-companies",
    on_cancellation=[close_cancelled_run],
    on_crashed=[record_crashed_run],
    persist_result=False,
)
def scrape_companies(
    companies_file: str | None = None,
    output_dir: str | None = None,
    reenrich: bool = False,
    retry_failed: str | None = None,
    max_failed_share: float = 0.5,
) -> State:
    """Scrape every company in COMPANIES_FILE into OUTPUT_DIR (default $OPENINGS_OUTPUT_DIR).

    `retry_failed`: a new run over only the companies that did not succeed in that run (from
    COMPANIES_FILE, default the file that run read). `reenrich`: ask the model again about
    postings it has already enriched. The run fails when more than `max_failed_share` of its
    companies failed, or none succeeded; it completes, named "Completed with failures", when
    fewer did.
    """
    logger = get_run_logger()
    settings = Settings()
    run_id = str(runtime.flow_run.id)
    out = Path(output_dir or settings.output_dir)
    database_url = settings.database_url_for(out)
    engine = open_database(database_url)
    checked = validate(engine, companies_file, retry_failed, return_state=True)
    if checked.is_failed():  # its log has every problem; the run's state, the first
        return Failed(message=checked.message, data=checked.result(raise_on_failure=False))
    companies_file, listed = checked.result()
    companies, bad = listed.companies, listed.bad
    if not companies and not bad:
        return Completed(message=f"nothing to retry: every company of run {retry_failed} succeeded")
    api_url = get_current_settings().api.url
    shared_api = api_url and api_url != api_server.temporary_url  # not the run's own server
    if settings.redis_url is None and (runtime.deployment.id or shared_api):
        logger.warning(
            "REDIS_URL is not set: this run uses an embedded Redis and local workers of its own, "
            "and RQ workers elsewhere never see its jobs. Give the deployment REDIS_URL (and "
            "DATABASE_URL) in its job_variables.env (prefect.yaml)."
        )

    start_run(
        engine,
        run_id,
        companies_file,
        out,
        companies,
        utc_now(),
        [b.company_id for b in bad],
        whole_file=retry_failed is None,  # a retry covers only the failed companies of its file
    )
    for problem in listed.duplicates:
        logger.warning("%s", problem)
    for entry in bad:  # the run goes on without them; each is failed, saying what and where
        logger.warning("%s: failed: %s", entry.name, entry.error)
        record_company_run(engine, _bad_entry_result(run_id, entry))
    earlier = company_results(engine, run_id)  # a resumed run: what its earlier attempts saved
    saved = {cid: result for cid, result in earlier.items() if result.status in SAVED}
    todo = [company for company in companies if company.company_id not in saved]
    names = {c.company_id: c.name for c in companies} | {b.company_id: b.name for b in bad}
    logger.info(
        "run %s: %d companies from %s%s%s",
        run_id,
        len(names),
        companies_file,
        f", {len(bad)} of them bad entries" if bad else "",
        f"; resumed, {len(saved)} already saved are kept" if saved else "",
    )
    ttl_s = settings.run_ttl_s
    interrupted: BaseException | None = None
    unfinished: list[str] = []  # companies a cancel settled
    try:
        with connect(settings) as (redis, redis_url), pulse(engine, redis, run_id, ttl_s):
            outcomes.run_started(redis, run_id, len(names), len(saved), ttl_s)
            for entry in bad:
                outcomes.company_settled(redis, earlier[entry.company_id], ttl_s)
            with (
                local_workers(redis, redis_url, settings, database_url, len(todo)),
                cancel_watch(run_id) as cancel_requested,
            ):
                try:
                    stopping.clear_stop(redis, run_id)
                    tried = {cid: result.attempts for cid, result in earlier.items()}
                    planned = enqueue(engine, redis, run_id, todo, settings, reenrich, tried)
                    live = LiveView(
                        run_id,
                        names,
                        saved | {b.company_id: earlier[b.company_id] for b in bad},
                        settings.progress_interval_s,
                        settings.table_interval_s,
                        logger,
                    )
                    await_companies(
                        engine, redis, run_id, planned, settings, live, cancel_requested
                    )
                except BaseException as exc:  # Ctrl-C; a runner's cancel; anything else re-raised
                    interrupted = _interrupt_behind(exc)
                    if interrupted is None:
                        raise
                    # A Redis command it cut short leaves its reply unread on the connection,
                    # where the next command would read it as its own: start on fresh ones.
                    redis.connection_pool.disconnect()
                cancelled = interrupted is not None or cancel_requested()
                if cancelled:
                    unfinished = _stop_run(engine, redis, run_id, settings, logger)

            results = company_results(engine, run_id)
            results = [results[company_id] for company_id in names]
            state = _final_state(results, max_failed_share, cancelled)
            finish_run(
                engine, run_id, RunStatus(state.type.value.lower()), state.message, utc_now()
            )
            export(engine, run_id, out, results)
            for result in results:
                if result.company_id in unfinished:
                    outcomes.company_settled(redis, result, ttl_s)
            outcomes.run_completed(redis, run_id, results, state, ttl_s)
    except RedisUnavailable as exc:  # the state's message says it: "Finished in state Failed(...)"
        finish_run(engine, run_id, RunStatus.failed, str(exc), utc_now())
        return Failed(message=str(exc), data=exc)

    logger.info("run %s: %s", run_id, state.message)
    if isinstance(interrupted, TerminationSignal):
        raise interrupted  # Prefect records the state its runner asked for
    return state


# The run's stages, each a task run on the flow run's timeline in the Prefect UI. Per-company
# work stays in RQ: thousands of task runs destabilise a Prefect server (FIELD_NOTES).
stage = task(cache_policy=NO_CACHE, persist_result=False)


@stage
def validate(
    engine, companies_file: str | None, retry_failed: str | None
) -> tuple[str, CompaniesFile]:
    """The companies file and what of it this run covers (bad entries included: the run records
    them as failed); a task run Failed with the first problem (every problem in its log) when the
    file cannot be used at all, the run to retry is wrong or the salary rates file is bad (found
    now rather than when the run exports)."""
    try:
        if (rates := from_environment().salary_rates_file) is not None:
            read_rates(rates)
        if retry_failed is None:
            if companies_file is None:
                raise CompaniesFileError("no companies file given")
            return _absolute(companies_file), load_companies(companies_file)
        earlier = find_run(engine, retry_failed)
        companies_file = companies_file or earlier.companies_file
        succeeded = {
            cid
            for cid, result in company_results(engine, retry_failed).items()
            if result.status == CompanyStatus.succeeded
        }
        wanted = set(earlier.company_ids) - succeeded
        listed = load_companies(companies_file)
        return _absolute(companies_file), CompaniesFile(
            [c for c in listed.companies if c.company_id in wanted],
            [b for b in listed.bad if b.company_id in wanted],
            listed.duplicates,
        )
    except (CompaniesFileError, LookupError, RatesFileError) as exc:
        get_run_logger().error("%s", exc)  # not a crash: no traceback
        return Failed(message=_first_problem(str(exc)), data=exc)


def _absolute(companies_file: str) -> str:
    """The file as runs record it: `companies.yaml` and `/srv/companies.yaml` are one file to
    start_run, which untracks the companies a file no longer lists."""
    return str(Path(companies_file).resolve())


@stage
def enqueue(
    engine,
    redis,
    run_id: str,
    companies: list[Company],
    settings: Settings,
    reenrich: bool,
    tried: dict[str, int],
) -> list[CompanyJobs]:
    """Each company's fetch and enrich jobs (a resumed run awaits the jobs still viable)."""
    boards = known_boards(engine, companies)
    return enqueue_run(redis, run_id, companies, settings, boards, reenrich=reenrich, tried=tried)


@stage(name="await-companies")
def await_companies(
    engine,
    redis,
    run_id: str,
    planned: list[CompanyJobs],
    settings: Settings,
    live: LiveView,
    cancel_requested,
) -> None:
    """Save each company as soon as its jobs are over, announce it, and keep the view live."""
    logger = get_run_logger()
    awaited = await_run(
        redis, run_id, planned, settings, live.on_event, cancel_requested, live.on_waiting
    )
    for settled in awaited:
        result = _save_company(engine, run_id, settled, logger)
        live.on_company(result)
        outcomes.company_settled(redis, result, settings.run_ttl_s)
        payloads.delete(redis, run_id, settled.company.company_id)


@stage
def export(engine, run_id: str, out: Path, results: list[CompanyResult]) -> None:
    """Parquet for analysts, and the run's summary and final table artifacts for the Prefect UI."""
    paths = export_outputs(engine, out, datetime.now(UTC).date())
    create_markdown_artifact(
        run_summary(run_id, results, pl.read_parquet(paths["postings_latest"])),
        key="run-summary",
        description=f"Run {run_id}: changes, salaries by seniority, failures",
    )
    create_table_artifact(
        [outcomes.company_row(r) for r in results],
        key="company-runs",
        description=f"Run {run_id}: one row per company. Outputs in {out.resolve()}",
    )
    get_run_logger().info("outputs: %s", ", ".join(str(p) for p in paths.values()))


def _stop_run(engine, redis, run_id: str, settings: Settings, logger) -> list[str]:
    """A cancelled run: stop its jobs and settle its unfinished companies as cancelled."""
    stopped = stop_run_jobs(redis, run_id, settings.run_ttl_s)
    logger.warning(
        "run %s cancelled: stopped %d jobs: %s",
        run_id,
        len(stopped),
        ", ".join(stopped) or "none left",
    )
    return settle_unfinished(
        engine, run_id, CompanyStatus.cancelled, CANCELLED, attempts(redis, run_id)
    )


@contextmanager
def pulse(engine, redis, run_id: str, ttl_s: int, every_s: float = events.HEARTBEAT_S):
    """While the flow lives, beat every `every_s`: the runs row's heartbeat_at (which the
    maintenance flow reads) and a `run alive` event (which `flows.watch` reads). A killed
    flow's run falls silent, so it cannot stay `running` for ever."""
    stopped, logger = threading.Event(), get_run_logger()

    def beat_until_stopped() -> None:
        while not stopped.wait(every_s):
            try:
                beat(engine, run_id, utc_now())
                events.emit(redis, run_id, "", "run", "alive", ttl_s=ttl_s)
            except Exception as exc:  # the database or Redis is away a moment: beat again later
                logger.debug("heartbeat missed: %s", exc)

    thread = threading.Thread(target=beat_until_stopped, name=f"pulse-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join()


def _interrupt_behind(exc: BaseException | None) -> BaseException | None:
    """The Ctrl-C or runner's cancel that `exc` is, or that was being handled when it was raised:
    an interrupt landing while Prefect creates a task run comes out of Prefect as
    ValueError("Task run is not set"), and the run must still stop its jobs."""
    while exc is not None:
        if isinstance(exc, KeyboardInterrupt | TerminationSignal):
            return exc
        exc = exc.__context__
    return None


def _first_problem(text: str) -> str:
    """One line for the state: "invalid companies file: entry 3 (...): ... (and 4 more)"."""
    head, *problems = text.splitlines()
    if not problems:
        return head
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{head} {problems[0].strip()}{more}"


@contextmanager
def cancel_watch(run_id: str, every_s: float = 1.0) -> Iterator:
    """Yield a check that turns true once the flow run is Cancelling (or Cancelled).

    A run started by a worker or serve() is cancelled by its runner, but one started in-process
    (`python -m flows.scrape` with a PREFECT_API_URL) is only marked Cancelling: nothing stops
    it unless it watches its own state. It reads the state at most once per `every_s`.
    """
    requested = False
    checked_at = 0.0
    with get_client(sync_client=True) as client:

        def cancel_requested() -> bool:
            nonlocal requested, checked_at
            if not requested and time.monotonic() - checked_at >= every_s:
                checked_at = time.monotonic()
                try:
                    state = client.read_flow_run(run_id).state
                except Exception as exc:  # the API is away for a moment: the run goes on
                    get_run_logger().debug("could not read the run's state: %s", exc)
                    return False
                requested = state is not None and (state.is_cancelling() or state.is_cancelled())
            return requested

        yield cancel_requested


def _save_company(engine, run_id: str, settled: Settled, logger) -> CompanyResult:
    """Persist a company whose jobs are over, and record how it ended."""
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
            run_id=run_id,
            complete=result.status == CompanyStatus.succeeded,
        )
        rejected = (report.rejected if report else []) + rejected
        for reason in rejected:
            logger.warning("%s: rejected %s", company.name, reason)
        dropped = [item for item in kept if item.enrichment.provenance.dropped]
        for item in dropped:
            why = "; ".join(item.enrichment.provenance.dropped)
            logger.warning("%s: kept %s without %s", company.name, item.posting.url[:200], why)
        result = result.model_copy(
            update={
                **changes.__dict__,
                "rejected": len(rejected),
                "rejected_reasons": summarize(rejected),
                "fields_dropped": len(dropped),
            }
        )
    if report and report.board_url and report.source:
        record_board(engine, company, report.source, report.board_url)
    record_company_run(engine, result)
    return result


def _company_result(run_id: str, settled: Settled) -> CompanyResult:
    """How the company ended: failed with a reason, partial (pages skipped, or nothing found where
    that proves nothing), or succeeded."""
    report = settled.fetch or FetchReport(ok=False)
    status, error = CompanyStatus.succeeded, settled.error
    if error:
        cancelled = report.error_category == "cancelled" or error.startswith("cancelled")
        status = CompanyStatus.cancelled if cancelled else CompanyStatus.failed
    elif report.incomplete or report.skipped:
        status = CompanyStatus.partial
        reasons = [report.incomplete] if report.incomplete else []
        if report.skipped:
            reasons.append(f"{len(report.skipped)} pages skipped, first: {report.skipped[0]}")
        error = "; ".join(reasons)
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
        attempts=settled.attempt,
        finished_at=utc_now(),
    )


def _bad_entry_result(run_id: str, entry: BadEntry) -> CompanyResult:
    return CompanyResult(
        run_id=run_id,
        company_id=entry.company_id,
        company=entry.name,
        status=CompanyStatus.failed,
        error=entry.error,
        error_category="input",
        finished_at=utc_now(),
    )


def _final_state(results: list[CompanyResult], max_failed_share: float, cancelled: bool) -> State:
    """The run's Prefect state: what an operator sees first in the runs list."""
    counts = Counter(result.status for result in results)
    message = _counts_text(counts)
    if cancelled:
        return Cancelled(message=message, data=results)
    failed, total = counts[CompanyStatus.failed], len(results)
    if failed > max_failed_share * total or failed == total:
        reasons = Counter(result.error_category or "error" for result in results if result.error)
        why = ", ".join(f"{n} {category}" for category, n in reasons.most_common())
        message = f"{message} (failures: {why})"
        return Failed(message=message, data=RunFailed(message, results))
    if failed:
        return Completed(message=message, name="Completed with failures", data=results)
    return Completed(message=message, data=results)


def _counts_text(counts: Counter) -> str:
    return ", ".join(
        f"{counts[status]} {status.value}" for status in CompanyStatus if counts[status]
    )
