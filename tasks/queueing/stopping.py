"""A run's stop flag: how a cancelled run reaches jobs that are already running.

RQ cancels queued jobs, and its stop command kills a forking worker's work horse, but a
SimpleWorker (the worker class this project runs, to keep a browser or a model loaded) has no
work horse: rq 3.0's stop command does nothing there and a started job would run to its end.
So a cancelled run sets a flag in Redis, and the stages check it between requests: the fetch
stage cancels its requests in flight within `POLL_S`, the enrich stage stops before its next
batch of model requests.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable
from typing import TypeVar

from redis import Redis

T = TypeVar("T")
POLL_S = 0.5


class RunStopped(Exception):
    """The run this job belongs to was cancelled: the job stops without a result."""


def flag_key(run_id: str) -> str:
    return f"openings:run:{run_id}:stop"


def request_stop(redis: Redis, run_id: str, ttl_s: int) -> None:
    redis.set(flag_key(run_id), 1, ex=ttl_s)


def clear_stop(redis: Redis, run_id: str) -> None:
    """A resumed run's new jobs must not see the flag its cancellation set."""
    redis.delete(flag_key(run_id))


class StopFlag:
    """A job's view of its run's flag, read from Redis at most once per POLL_S."""

    def __init__(self, redis: Redis, run_id: str):
        self.redis, self.key = redis, flag_key(run_id)
        self._checked_at, self._set = -POLL_S, False

    def is_set(self) -> bool:
        now = time.monotonic()
        if not self._set and now - self._checked_at >= POLL_S:
            self._checked_at = now
            self._set = bool(self.redis.exists(self.key))
        return self._set

    def check(self) -> None:
        if self.is_set():
            raise RunStopped("the run was cancelled")

    async def guard(self, work: Awaitable[T]) -> T:
        """Await `work`, cancelling it (requests in flight included) once the flag is set."""
        self.check()
        task = asyncio.ensure_future(work)
        while True:
            done, _ = await asyncio.wait({task}, timeout=POLL_S)
            if done:
                return task.result()
            if self.is_set():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                raise RunStopped("the run was cancelled")
