"""RQ job functions: thin wrappers that run a stage and hand its output to the next.

Arguments and results are small JSON-able values; postings travel through tasks.queueing.payloads.
A company that cannot be fetched is a result (ok=False with the reason), not a job failure: RQ's
Retry is kept for crashes, while tenacity inside the stage already retried transient errors. Such
a job is `finished` in RQ; its meta says `outcome: failed` and why, for `rq info` and dashboards.
A job of a cancelled run stops at its next request (tasks.queueing.stopping) with ok=False,
`cancelled`.
"""

import functools
import logging

from rq import get_current_job

from tasks.enrich import enrich_postings, get_enricher
from tasks.errors import FetchError
from tasks.fetch.stage import fetch_postings
from tasks.models import Company, EnrichReport, FetchReport, Source
from tasks.queueing import payloads
from tasks.queueing.events import emit
from tasks.queueing.stopping import RunStopped, StopFlag
from tasks.settings import from_environment

log = logging.getLogger(__name__)


def fetch_company(run_id: str, company: dict, board: list | None = None) -> dict:
    """Fetch one company; `board` is [source, url] of an ATS board a previous run found."""
    settings = from_environment()
    model = Company.model_validate(company)
    redis = get_current_job().connection
    emit(redis, run_id, model.company_id, "fetch", "started", ttl_s=settings.run_ttl_s)
    known = (Source(board[0]), board[1]) if board else None
    try:
        postings, report = fetch_postings(model, settings, redis, known, StopFlag(redis, run_id))
    except FetchError as exc:
        log.warning("%s: %s", model.name, exc)
        report = FetchReport(
            ok=False, error=str(exc), error_category=exc.category, http_status=exc.http_status
        )
        return report.model_dump(mode="json")
    except RunStopped as exc:
        log.info("%s: fetch stopped: %s", model.name, exc)
        report = FetchReport(ok=False, error=f"cancelled: {exc}", error_category="cancelled")
        return report.model_dump(mode="json")
    payloads.put_fetched(redis, run_id, model.company_id, postings, settings.run_ttl_s)
    return report.model_dump(mode="json")


def enrich_company(run_id: str, company_id: str, force: bool = False) -> dict:
    """Enrich one company's fetched postings; `force` ignores answers cached for them."""
    settings = from_environment()
    redis = get_current_job().connection
    postings = payloads.get_fetched(redis, run_id, company_id)
    if postings is None:  # the fetch stage failed: nothing to enrich
        report = EnrichReport(
            ok=False, error="nothing to enrich: the fetch stage stored no postings"
        )
        return report.model_dump(mode="json")
    emit(redis, run_id, company_id, "enrich", "started", ttl_s=settings.run_ttl_s)
    enricher = get_enricher(settings)
    cache = None
    if enricher.model:  # model answers are worth keeping; rules are instant and deterministic
        cache = _cache(settings.database_url_for(settings.output_dir))
    try:
        enriched, report = enrich_postings(
            postings, enricher, cache, force=force, stop=StopFlag(redis, run_id)
        )
    except RunStopped as exc:
        log.info("%s: enrich stopped: %s", company_id, exc)
        return EnrichReport(ok=False, error=f"cancelled: {exc}").model_dump(mode="json")
    if report.warning:
        log.warning("%s: %s", company_id, report.warning)
    payloads.put_enriched(redis, run_id, company_id, enriched, settings.run_ttl_s)
    return report.model_dump(mode="json")


@functools.cache
def _cache(database_url: str):
    """One engine per worker process and database, migrated on first use. Imported here, not at
    the top: a fetch worker never needs the database, and SQLAlchemy and SQLModel cost it ~21 MB
    of RSS (103 -> 82 MB after warm-up, tests/benchmarks/bench_worker_memory.py)."""
    from tasks.store.persist import EnrichmentCache, open_database

    return EnrichmentCache(open_database(database_url))


def report_success(job, connection, result, *args, **kwargs) -> None:
    """RQ on_success callback: wake the flow (which still confirms the state with RQ), and say
    in the job's meta when the stage did not get the company's postings."""
    ok = bool(result.get("ok"))
    detail = result.get("error") or f"{result.get('postings', 0)} postings"
    if not ok:
        job.meta.update(outcome="failed", error=detail[:500])
        job.save_meta()  # save_meta, not save: the worker writes the job's other fields
    _emit_for(job, connection, "finished" if ok else "failed", detail)


def report_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ on_failure callback (also runs for abandoned jobs): wake the flow."""
    _emit_for(job, connection, "failed", f"{exc_type.__name__}: {exc_value}")


def _emit_for(job, connection, state: str, detail: str) -> None:
    meta = job.meta
    emit(
        connection,
        meta["run_id"],
        meta["company_id"],
        meta["stage"],
        state,
        detail,
        ttl_s=from_environment().run_ttl_s,
    )
