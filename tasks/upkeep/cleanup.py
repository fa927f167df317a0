"""What nobody else cleans up: RQ's registries, the Redis keys of runs that ended, and runs whose
flow died without a word (SIGKILL, a lost host), which would otherwise stay `running` for ever.

Every function says what it did, for the maintenance flow's report.
"""

from collections import Counter
from datetime import datetime

from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import CanceledJobRegistry, clean_registries
from rq.worker_registration import clean_worker_registry

from tasks.models import CompanyStatus, RunStatus, tally
from tasks.queueing import events
from tasks.queueing.queue import retry_abandoned, run_jobs_key, stop_run_jobs
from tasks.settings import Settings
from tasks.store.persist import (
    RunRow,
    ended_runs,
    finish_run,
    run_counts,
    settle_unfinished,
    silent_runs,
    utc_now,
)


def clean_queues(redis: Redis, settings: Settings) -> list[str]:
    """RQ's own cleanup on both queues: started jobs whose worker died are retried or failed,
    expired entries leave the registries, and dead workers leave the worker registry."""
    done = []
    for name in dict.fromkeys([settings.fetch_queue, settings.enrich_queue]):
        queue = Queue(name, connection=redis)
        before = _registry_sizes(queue)
        retry_abandoned(queue)  # first, from any thread; clean_registries then finds none there
        clean_registries(queue)
        CanceledJobRegistry(queue=queue).cleanup()  # not among clean_registries' own
        clean_worker_registry(queue)
        after = _registry_sizes(queue)
        changed = [
            f"{registry} {before[registry]} -> {after[registry]}"
            for registry in before
            if before[registry] != after[registry]
        ]
        done.append(f"{name}: " + (", ".join(changed) if changed else "nothing to clean"))
    return done


def _registry_sizes(queue: Queue) -> Counter:
    # cleanup=False: a registry's `count` cleans it first, and the point is to see what changed.
    registries = {
        "started": queue.started_job_registry,
        "finished": queue.finished_job_registry,
        "failed": queue.failed_job_registry,
        "deferred": queue.deferred_job_registry,
        "canceled": queue.canceled_job_registry,
    }
    return Counter({name: r.get_job_count(cleanup=False) for name, r in registries.items()})


def forget_ended_runs(redis: Redis, engine, ended_before: datetime) -> list[str]:
    """Delete the Redis keys of runs that ended before `ended_before` (their event stream, stop
    flag, attempts, hand-offs) and their RQ jobs, instead of waiting days for them to expire.
    Only runs this database knows ended: another deployment's runs are not touched."""
    present = {key.decode().split(":")[2] for key in redis.scan_iter("openings:run:*", count=1000)}
    forgotten = []
    for run_id in ended_runs(engine, sorted(present), ended_before):
        job_ids = [job_id.decode() for job_id in redis.smembers(run_jobs_key(run_id))]
        jobs = [job for job in Job.fetch_many(job_ids, connection=redis) if job is not None]
        if any(job.get_status() == JobStatus.STARTED for job in jobs):
            continue  # a stopped job still winding down reads the run's stop flag: next time
        for job in jobs:
            job.delete()  # and out of its registries
        keys = list(redis.scan_iter(f"openings:run:{run_id}:*", count=1000))
        redis.delete(*keys)
        redis.zrem(events.RUNS_KEY, run_id)
        forgotten.append(f"run {run_id}: {len(keys)} keys, {len(jobs)} jobs")
    return forgotten


def crash_silent_runs(
    engine, redis: Redis | None, silent_since: datetime, settings: Settings
) -> list[RunRow]:
    """Runs still `running` whose flow has not beaten since `silent_since`: their flow is gone.
    Cancel their leftover jobs, fail their unfinished companies (category `crashed`), and mark
    them crashed, so that the run's numbers are final and a Retry fetches those companies again.
    Returns the runs, as they were found."""
    runs = silent_runs(engine, silent_since)
    for run in runs:
        last = f"{run.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC" if run.heartbeat_at else "never"
        why = f"crashed: the run's flow fell silent (last heartbeat {last})"
        if redis is not None:
            stopped = stop_run_jobs(redis, run.run_id, settings.run_ttl_s)
            why += f"; its {len(stopped)} leftover jobs were cancelled" if stopped else ""
        settle_unfinished(engine, run.run_id, CompanyStatus.failed, why, category="crashed")
        message = f"{why} ({tally(run_counts(engine, run.run_id).elements())})"
        finish_run(engine, run.run_id, RunStatus.crashed, message, utc_now())
        if redis is not None:  # the run's watchers stop waiting
            events.emit(redis, run.run_id, "", "run", "crashed", message, ttl_s=settings.run_ttl_s)
    return runs
