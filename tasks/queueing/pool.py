"""A run's local workers on one queue, forked from one process that imported the job code once.

`python -m tasks.queueing.pool QUEUE COUNT --url REDIS_URL`: RQ's WorkerPool of Openings workers
(tasks.queueing.worker.Worker), named `<queue>@local-<host>-<id>` like every local worker, and
started again if one dies. Each `rq worker` imports the fetch stage on its first job (~3 s of CPU
with RQ itself): eight of them starting at once on two cores took ~11 s before the first company
was read. Forked from a parent that has already imported it, they start at once.

SIGTERM (or SIGINT) asks every worker to finish its job and stop; a second one stops them now.
"""

import argparse

from rq.worker_pool import WorkerData, WorkerPool

# The job code, imported once here so that every forked worker has it.
import tasks.queueing.jobs  # noqa: F401
from tasks.fetch import http
from tasks.queueing.queue import ResilientRedis
from tasks.queueing.worker import Worker
from tasks.queueing.workers import local_name


class LocalPool(WorkerPool):
    def start_worker(self, count=None, burst=True, _sleep=0, logging_level="INFO") -> None:
        # WorkerPool names its workers with a bare uuid: a run must see these are local ones.
        name = local_name(self._queue_names[0])
        process = self.get_worker_process(name, burst, _sleep, logging_level)
        process.start()
        self.worker_dict[name] = WorkerData(name=name, pid=process.pid, process=process)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue")
    parser.add_argument("count", type=int)
    parser.add_argument("--url", required=True, help="the Redis URL")
    args = parser.parse_args(argv)
    http.preload()

    connection = ResilientRedis.from_url(args.url)
    pool = LocalPool([args.queue], connection, num_workers=args.count, worker_class=Worker)
    pool.start(burst=False, logging_level="WARNING")


if __name__ == "__main__":
    main()
