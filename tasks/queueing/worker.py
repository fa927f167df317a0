"""The worker class every Openings `rq worker` runs: `--worker-class tasks.queueing.worker.Worker`.

A SimpleWorker: no fork per job, so the browser (and on GPU hosts the model) stays loaded between
jobs. On top of it:
- its name says where it runs, `<queues>@<hostname>-<pid>` (`io_fetch@fetch-2-4121`, queues
  joined by `+`), unless `--name` gives one; hostname and pid keep it unique per Redis;
- every log record emitted while a job of a run is performed starts with `run=<run>
  company=<company>`, whichever logger emits it (the fetch stage's retries, the adapters, the
  libraries, RQ's own lines), so a worker's log says whose work each warning is about;
- the project's loggers (and other libraries' warnings) get handlers in RQ's own format, at the
  worker's logging level, instead of Python's bare last-resort output;
- a running job holds a short lease (HEARTBEAT_TTL_S), renewed every HEARTBEAT_S by a thread
  beside it. SimpleWorker's own lease is the job's whole timeout plus 60 s, so a killed worker's
  job was found abandoned (and retried) only after ~16 minutes; with the lease, the next
  registry cleanup finds it within a minute. A job whose lease ran out while it still ran (its
  host cut off from Redis, then back) has been handed on: its late result is dropped, never
  recorded over the other execution's.
"""

import logging
import os
import socket
import threading
from collections.abc import Sequence

from rq import Queue
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.executions import Execution
from rq.job import Job
from rq.logutils import setup_loghandlers
from rq.worker import SimpleWorker

# "run=<run> company=<company>" while this process performs a job of a run, else None.
# Process-wide, not a ContextVar: a SimpleWorker performs one job at a time, and a ContextVar would
# not reach everything the job runs. The fetch stage runs every job on one long-lived
# asyncio.Runner, whose tasks keep the context of its first run (the first job's), and threads a
# library starts begin with an empty context.
_job_context: str | None = None


def default_name(queues: str | Queue | Sequence[str | Queue]) -> str:
    """`<queues>@<hostname>-<pid>`: readable in `rq info`, and unique while this process lives."""
    items = [queues] if isinstance(queues, str | Queue) else list(queues)
    names = "+".join(q if isinstance(q, str) else q.name for q in items)
    return f"{names}@{socket.gethostname()}-{os.getpid()}"


HEARTBEAT_S = 10  # how often a running job's lease is renewed
HEARTBEAT_TTL_S = 30  # how long it lasts: a job unrenewed this long lost its worker


class Worker(SimpleWorker):
    def __init__(self, queues, name: str | None = None, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", HEARTBEAT_S)  # busy: worker key TTL 70 s
        # rq 3.0 may leave dependents in READY_TO_ENQUEUE until maintenance; run it often (the
        # `rq worker` command says so too: tasks.queueing.workers.worker_command).
        kwargs.setdefault("maintenance_interval", 5)
        super().__init__(queues, name or default_name(queues), *args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker wakes at least this often to beat (and re-register after a Redis that
        # lost its data), instead of blocking for the worker TTL (420 s by default).
        return min(super().dequeue_timeout, HEARTBEAT_TTL_S)

    def heartbeat(self, timeout: int | None = None, pipeline=None):
        super().heartbeat(timeout, pipeline)
        if pipeline is None:  # idle: RQ's dequeue loop beats at least every HEARTBEAT_TTL_S
            self._register_again_if_lost()

    def maintain_heartbeats(self, job: Job, execution: Execution):
        super().maintain_heartbeats(job, execution)
        # Busy: the lease thread beats every HEARTBEAT_S, so a worker in the middle of a long
        # job is registered again within seconds of Redis coming back, not when the job ends.
        self._register_again_if_lost()

    def _register_again_if_lost(self) -> None:
        if self.connection.sismember(self.redis_workers_keys, self.key):
            return
        # Redis came back without its data (a restart with no persistence): the worker is no
        # longer registered, so `rq info` shows none and runs would start workers of their own
        # beside it. (RQ's own heartbeat may have rewritten its hash, but not the registry sets
        # that `rq info` and Worker.count read.) Register again.
        self.log.warning("Worker %s: Redis lost its registration; registering again", self.name)
        self.connection.delete(self.key)
        self.register_birth()
        self.set_state(self.get_state())  # busy or idle, as `rq info` showed it before

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return HEARTBEAT_TTL_S

    def perform_job(self, job: Job, queue: Queue, execution: Execution) -> bool:
        done = threading.Event()

        def renew_lease() -> None:
            while not done.wait(HEARTBEAT_S):
                try:
                    self.maintain_heartbeats(job, execution)
                except Exception as exc:  # Redis away a moment: the lease has 30 s to spare
                    self.log.warning("Worker %s: heartbeat failed: %s", self.name, exc)

        beat = threading.Thread(target=renew_lease, name=f"lease-{job.id}", daemon=True)
        beat.start()
        try:
            return super().perform_job(job, queue, execution)
        finally:
            done.set()
            beat.join()

    def _finalize_success(self, job: Job, queue: Queue, execution: Execution, return_value):
        if not self._handed_on(job, queue, execution):
            super()._finalize_success(job, queue, execution, return_value)

    def _finalize_failure(self, job: Job, queue: Queue, execution: Execution, exc_info):
        if not self._handed_on(job, queue, execution):
            super()._finalize_failure(job, queue, execution, exc_info)

    def _handed_on(self, job: Job, queue: Queue, execution: Execution) -> bool:
        """Whether the job's lease ran out while this worker performed it, so that RQ's cleanup
        retried it on another worker or failed it: this host was cut off from Redis, or stalled,
        for longer than HEARTBEAT_TTL_S. Its result is then not this execution's to report: RQ
        would record it over the other execution's (a late failure over a success), call the
        job's callbacks and enqueue its dependents a second time."""
        registry = queue.started_job_registry
        if self.connection.zscore(registry.key, execution.composite_key) is not None:
            return False
        self.log.warning(
            "Worker %s: job %s lost its lease while it ran (this worker was out of touch with "
            "Redis for over %d s) and was handed on; this execution's result is dropped",
            self.name,
            job.id,
            HEARTBEAT_TTL_S,
        )
        with self.connection.pipeline() as pipeline:
            self.cleanup_execution(job, pipeline, execution)
            pipeline.execute()
        return True

    def bootstrap(
        self,
        logging_level: str | None = "INFO",
        date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
        log_format: str = DEFAULT_LOGGING_FORMAT,
    ):
        super().bootstrap(logging_level, date_format, log_format)
        _configure_logging(logging_level, date_format, log_format)

    def register_birth(self):
        registered = self.connection.hmget(self.key, "hostname", "pid", "death")
        if registered == [self.hostname.encode(), str(self.pid).encode(), None]:
            # This host's process with this pid is this very one, so that registration is a
            # predecessor's that died without saying so (a container restarted after a kill keeps
            # its hostname and often its pid); it would refuse this name for minutes.
            self.log.warning("Worker %s: replacing a dead worker's registration", self.name)
            self.register_death()
        super().register_birth()

    def execute_job(self, job: Job, queue: Queue):
        global _job_context
        meta = job.meta or {}
        if "run_id" in meta and "company_id" in meta:  # set by tasks.queueing.queue at enqueue
            _job_context = f"run={meta['run_id']} company={meta['company_id']}"
        try:
            super().execute_job(job, queue)
        finally:
            _job_context = None


def _configure_logging(logging_level: str | int | None, date_format: str, log_format: str) -> None:
    _install_record_factory()
    # Root handlers like RQ's (no-op when the process already configured logging, e.g. an RQ
    # config file's DICT_CONFIG). The root level stays WARNING: httpx alone logs every request at
    # INFO. The project's own loggers follow the worker's level (--quiet: warnings and up).
    setup_loghandlers(None, date_format, log_format, name="")
    if logging_level is not None:
        level = logging_level if isinstance(logging_level, int) else logging_level.upper()
        logging.getLogger("tasks").setLevel(level)


def _install_record_factory() -> None:
    """Prefix every record created while a job runs with its context: one place, every logger
    and handler (a filter would have to be added to each handler, including ones libraries add)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "openings_job_context", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        context = _job_context
        if context:
            try:
                message = record.getMessage()
            except Exception:  # a bad format string: leave it to the handler to report
                return record
            record.msg, record.args = f"{context}: {message}", None
        return record

    factory.openings_job_context = True
    logging.setLogRecordFactory(factory)
