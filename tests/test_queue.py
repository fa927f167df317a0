"""Awaiting a run never hangs: lost jobs, crashed jobs and timeouts all settle the company."""

import pytest
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus

from tasks.models import Company
from tasks.queueing.queue import await_run, enqueue_run
from tasks.settings import Settings


@pytest.fixture
def settings(request, redis_url):
    # Queues of their own: no worker elsewhere picks these jobs up unless the test runs one.
    name = request.node.name.replace("[", "-").replace("]", "")
    return Settings(
        redis_url=redis_url,
        fetch_queue=f"{name}-fetch",
        enrich_queue=f"{name}-enrich",
        run_timeout_s=2,
        job_retries=1,
    )


def _companies(n: int) -> list[Company]:
    return [Company(name=f"Co {i}", careers_url=f"https://co{i}.example/jobs") for i in range(n)]


def test_unworked_jobs_time_out_and_are_cancelled(redis, settings):
    planned = enqueue_run(redis, "run-timeout", _companies(2), settings)

    settled = list(await_run(redis, "run-timeout", planned, settings))

    assert [s.company.name for s in settled] == ["Co 0", "Co 1"]
    assert all(s.error.startswith("timeout: still queued after 2s") for s in settled)
    statuses = {
        job.get_status()
        for job in Job.fetch_many([jid for p in planned for jid in p.ids], connection=redis)
    }
    assert statuses == {JobStatus.CANCELED}


def test_a_vanished_job_settles_as_lost(redis, settings):
    planned = enqueue_run(redis, "run-lost", _companies(1), settings)
    Job.fetch(planned[0].fetch_id, connection=redis).delete()

    [settled] = list(await_run(redis, "run-lost", planned, settings))

    assert settled.postings is None
    assert settled.error == "lost: the fetch job vanished from Redis"


def test_a_finished_job_whose_result_vanished_settles_as_lost(redis, settings):
    # Redis restarted without its data while a worker finished the job: the worker's retried
    # writes recreate the job as finished, but its result is gone.
    planned = enqueue_run(redis, "run-no-result", _companies(1), settings)
    redis.hset(f"rq:job:{planned[0].fetch_id}", "status", JobStatus.FINISHED.value)

    [settled] = list(await_run(redis, "run-no-result", planned, settings))

    assert settled.postings is None
    assert settled.error == "lost: the fetch job's result vanished from Redis"


def test_a_crashing_job_is_retried_then_fails_with_its_error(redis, settings, monkeypatch):
    # An unexpected exception (not a FetchError) is a crash: RQ's Retry runs it again, then the
    # company fails with the exception's last line as its reason.
    attempts = []

    def explode(company, settings, redis, board, stop):
        attempts.append(company.name)
        raise RuntimeError("parser blew up")

    monkeypatch.setattr("tasks.queueing.jobs.fetch_postings", explode)
    planned = enqueue_run(redis, "run-crash", _companies(1), settings)
    SimpleWorker(
        [
            Queue(settings.fetch_queue, connection=redis),
            Queue(settings.enrich_queue, connection=redis),
        ],
        connection=redis,
    ).work(burst=True)

    [settled] = list(await_run(redis, "run-crash", planned, settings))

    assert attempts == ["Co 0", "Co 0"]  # the first try and one retry
    assert settled.error == "fetch job failed: RuntimeError: parser blew up"
