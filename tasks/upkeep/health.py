"""The health of the queue system: queue depths, workers, Redis memory, database size.

Read-only (nothing is cleaned up or moved; that is maintenance's job) and quick, so it serves as
a container healthcheck as well as a report. No Prefect import: it must answer within a second.
A figure over its limit (settings `health_*`) is a problem; failed jobs are reported only, since
a failing company is the run report's business, not the system's.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, computed_field
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.defaults import DEFAULT_FAILURE_TTL
from rq.job import Job
from rq.registry import (
    DeferredJobRegistry,
    FailedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)
from rq.utils import utcparse

from tasks.queueing.queue import redacted, unreachable
from tasks.settings import Settings

# Jobs whose timestamps are read per queue. The head of a queue is its oldest job, and a
# healthcheck must stay fast with a backlog of millions.
SAMPLE = 10_000
FAILED_WINDOW = timedelta(hours=24)
CONNECT_TIMEOUT_S = 5


class WorkerHealth(BaseModel):
    name: str
    state: str
    last_heartbeat: AwareDatetime | None = None
    current_job_id: str | None = None


class QueueHealth(BaseModel):
    name: str
    queued: int
    started: int
    deferred: int
    scheduled: int
    failed_24h: int
    oldest_queued_age_s: float | None = None
    workers: list[WorkerHealth]


class HealthReport(BaseModel):
    checked_at: AwareDatetime
    redis: str | None = None  # redacted; None when each run has an embedded Redis of its own
    redis_used_memory_bytes: int | None = None
    redis_maxmemory_bytes: int | None = None  # None: Redis sets no maxmemory
    queues: list[QueueHealth] = []
    database: str  # redacted
    database_bytes: int | None = None
    problems: list[str] = []
    notes: list[str] = []  # worth knowing, not a problem

    @computed_field
    @property
    def healthy(self) -> bool:
        return not self.problems

    def markdown(self) -> str:
        lines = [f"# Openings health, {self.checked_at:%Y-%m-%d %H:%M:%S %Z}", ""]
        if self.queues:
            lines += [
                "| queue | queued | started | deferred | scheduled | workers alive "
                "| oldest queued | failed 24h |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            lines += [
                f"| {q.name} | {q.queued} | {q.started} | {q.deferred} | {q.scheduled} "
                f"| {len(q.workers)} | {_age(q.oldest_queued_age_s)} | {q.failed_24h} |"
                for q in self.queues
            ]
            lines.append("")
            workers: dict[str, tuple[WorkerHealth, list[str]]] = {}
            for q in self.queues:
                for w in q.workers:
                    workers.setdefault(w.name, (w, []))[1].append(q.name)
            if workers:
                lines += [
                    "| worker | queue | state | last heartbeat | current job |",
                    "| --- | --- | --- | --- | --- |",
                ]
                for w, queues in workers.values():
                    heartbeat = (
                        f"{_age((self.checked_at - w.last_heartbeat).total_seconds())} ago"
                        if w.last_heartbeat
                        else "never"
                    )
                    lines.append(
                        f"| {w.name} | {', '.join(queues)} | {w.state} | {heartbeat} "
                        f"| {w.current_job_id or '-'} |"
                    )
                lines.append("")
            else:
                lines += ["No worker is listening on these queues.", ""]
        if self.redis and self.redis_used_memory_bytes is None:
            lines.append(f"- Redis {self.redis}: not reachable")
        elif self.redis:
            memory = _size(self.redis_used_memory_bytes)
            ceiling = _size(self.redis_maxmemory_bytes) if self.redis_maxmemory_bytes else "none"
            lines.append(f"- Redis {self.redis}: {memory} used (maxmemory {ceiling})")
        size = "not measured" if self.database_bytes is None else _size(self.database_bytes)
        lines.append(f"- Database {self.database}: {size}")
        lines += [f"- {note}" for note in self.notes]
        lines.append("")
        if self.healthy:
            lines.append("**Healthy**")
        else:
            count = len(self.problems)
            lines.append(f"**Unhealthy**: {count} problem{'s' if count > 1 else ''}")
            lines += [f"- {problem}" for problem in self.problems]
        return "\n".join(lines) + "\n"


def check_health(
    redis: Redis | None, settings: Settings, database_url: str, now: datetime | None = None
) -> HealthReport:
    """The health of both queues named by `settings`, their Redis and the database.

    `redis` may be None: with REDIS_URL set, a connection is made (and closed) here with short
    timeouts, so an unreachable Redis is a problem reported within seconds, not a hang.
    """
    now = now or datetime.now(UTC)
    report = HealthReport(checked_at=now, database=redacted(database_url))
    if settings.redis_url is None:
        report.notes.append(
            "REDIS_URL is unset: each run starts an embedded Redis and workers of its own, "
            "so there are no shared queues to check"
        )
    else:
        report.redis = redacted(settings.redis_url)
        connection = redis
        try:
            if connection is None:
                connection = Redis.from_url(
                    settings.redis_url,
                    socket_connect_timeout=CONNECT_TIMEOUT_S,
                    socket_timeout=CONNECT_TIMEOUT_S,
                )
            _check_redis(report, connection, settings, now)
        except (RedisError, ValueError) as exc:
            report.problems.append(unreachable(settings.redis_url, exc))
        finally:
            if redis is None and connection is not None:
                connection.close()
    _check_database(report, database_url)
    return report


def _check_redis(report: HealthReport, redis: Redis, settings: Settings, now: datetime) -> None:
    memory = redis.info("memory")
    report.redis_used_memory_bytes = int(memory["used_memory"])
    report.redis_maxmemory_bytes = int(memory.get("maxmemory", 0)) or None
    for name in dict.fromkeys([settings.fetch_queue, settings.enrich_queue]):  # distinct
        enqueued = _enqueued_at(redis, name)
        q = _queue_health(Queue(name, connection=redis), enqueued, now)
        report.queues.append(q)
        age = q.oldest_queued_age_s
        if q.queued and not q.workers and age is not None and age > settings.health_no_worker_s:
            report.problems.append(
                f"{q.name}: {_jobs(q.queued)} queued and no worker listening for {_age(age)} "
                f"({_limit('health_no_worker_s', settings)})"
            )
        if age is not None and age > settings.health_max_queued_age_s:
            cutoff = now - timedelta(seconds=settings.health_max_queued_age_s)
            late = sum(1 for at in enqueued if at < cutoff)
            report.problems.append(
                f"{q.name}: {_jobs(late)} queued longer than "
                f"{_age(settings.health_max_queued_age_s)}, the oldest for {_age(age)} "
                f"({_limit('health_max_queued_age_s', settings)})"
            )
    limit_bytes = settings.health_max_redis_memory_mb * 1024 * 1024
    if report.redis_used_memory_bytes > limit_bytes:
        report.problems.append(
            f"Redis uses {_size(report.redis_used_memory_bytes)} of memory "
            f"({_limit('health_max_redis_memory_mb', settings)})"
        )


def _queue_health(queue: Queue, enqueued: list[datetime], now: datetime) -> QueueHealth:
    redis = queue.connection
    oldest = min(enqueued, default=None)
    return QueueHealth(
        name=queue.name,
        queued=queue.count,
        # cleanup=False: counting must not move abandoned jobs around (maintenance does that).
        started=StartedJobRegistry(queue=queue).get_job_count(cleanup=False),
        deferred=DeferredJobRegistry(queue=queue).get_job_count(cleanup=False),
        scheduled=ScheduledJobRegistry(queue=queue).get_job_count(cleanup=False),
        failed_24h=_failed_since(redis, queue, now - FAILED_WINDOW),
        oldest_queued_age_s=round((now - oldest).total_seconds(), 1) if oldest else None,
        workers=[
            WorkerHealth(
                name=worker.name,
                state=worker.get_state(),
                last_heartbeat=worker.last_heartbeat,
                current_job_id=worker.get_current_job_id(),
            )
            # Only workers whose key has not expired, i.e. that sent a heartbeat in time.
            for worker in sorted(Worker.all(queue=queue), key=lambda w: w.name)
        ],
    )


def _enqueued_at(redis: Redis, queue_name: str) -> list[datetime]:
    """When the jobs at the head of the queue were enqueued (ids whose job is gone are skipped)."""
    ids = Queue(queue_name, connection=redis).get_job_ids(0, SAMPLE)
    with redis.pipeline(transaction=False) as pipe:
        for job_id in ids:
            pipe.hget(Job.key_for(job_id), "enqueued_at")
        values = pipe.execute()
    return [utcparse(value.decode()) for value in values if value]


def _failed_since(redis: Redis, queue: Queue, since: datetime) -> int:
    """Jobs of the failed registry that failed after `since` (the newest SAMPLE entries).

    A job a worker ran records ended_at; one found abandoned by cleanup may not, and then its
    registry score (failure time + failure_ttl) tells when it failed.
    """
    key = FailedJobRegistry(queue=queue).key
    entries = redis.zrange(key, 0, SAMPLE - 1, desc=True, withscores=True)
    with redis.pipeline(transaction=False) as pipe:
        for job_id, _ in entries:
            pipe.hmget(Job.key_for(job_id.decode()), "ended_at", "failure_ttl")
        fields = pipe.execute()
    count = 0
    for (_, score), (ended_at, failure_ttl) in zip(entries, fields, strict=True):
        if ended_at:
            failed_at = utcparse(ended_at.decode())
        elif score != float("inf"):
            ttl = int(failure_ttl) if failure_ttl else DEFAULT_FAILURE_TTL
            failed_at = datetime.fromtimestamp(score - ttl, UTC)
        else:
            continue
        count += failed_at >= since
    return count


def _check_database(report: HealthReport, url: str) -> None:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
        if not path or path == ":memory:":
            report.notes.append("the database is in memory: no size to report")
            return
        files = [Path(path), Path(f"{path}-wal")]
        if not files[0].exists():
            report.notes.append(f"no database at {path} yet: the first run creates it")
            return
        report.database_bytes = sum(f.stat().st_size for f in files if f.exists())
        return
    if not url.startswith("postgresql"):
        report.notes.append(f"the size of a {url.split(':', 1)[0]} database is not measured")
        return
    # SQLAlchemy only here: a healthcheck on SQLite does not pay for importing it.
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    try:
        with engine.connect() as connection:
            size = connection.execute(text("SELECT pg_database_size(current_database())"))
            report.database_bytes = int(size.scalar_one())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        report.problems.append(f"database at {report.database} is not reachable ({reason})")
    finally:
        engine.dispose()


def _limit(field: str, settings: Settings) -> str:
    env = f"{Settings.model_config['env_prefix']}{field}".upper()
    return f"limit {env}={getattr(settings, field)}"


def _jobs(n: int) -> str:
    return f"{n} job" if n == 1 else f"{n} jobs"


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def _size(n: int | None) -> str:
    if n is None:
        return "unknown"
    if n < 1024:
        return f"{n} B"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024 or unit == "GiB":
            break
    return f"{size:.1f} {unit}"
