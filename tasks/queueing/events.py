"""Progress events of a run: a Redis Stream per run (replayable) plus pub/sub (live).

Workers append an event when a stage of a company starts, finishes or fails; the flow appends one
when the run starts, when each company is saved with its final status, every HEARTBEAT_S while it
lives, and when the run ends. The flow reads the stream, so an event sent before it started
listening is not lost; anyone else can replay the stream (`python -m flows.watch`) or subscribe
to the channel `openings:run:<run_id>` to follow a run live. Worker events are wake-ups, not
truth: RQ marks a job finished only after its callbacks ran, so readers confirm job states with RQ.
"""

import json
import time
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel
from redis import Redis

# run: the flow's view of the whole run; fetch, enrich: a worker's job; company: saved for good.
Stage = Literal["run", "fetch", "enrich", "company"]
State = Literal[
    # fetch and enrich: the job's progress; run: "started", then "alive" every HEARTBEAT_S
    "started",
    "finished",
    "failed",
    "alive",
    # company: how it ended (tasks.models.CompanyStatus)
    "succeeded",
    "partial",
    "cancelled",
    # run: how it ended (tasks.models.RunStatus), after "started"
    "completed",
    "crashed",
]
ENDED = frozenset({"completed", "failed", "cancelled", "crashed"})  # the states a run ends in
# The counts of a `company` event, summed in the `run` event that ends the run.
COMPANY_COUNTS = ("found", "new", "updated", "closed", "rejected")
STREAM_MAXLEN = 100_000
HEARTBEAT_S = 15.0  # a run whose flow has been silent for several of these is gone


class Event(BaseModel):
    """One event of a run, as it appears in the stream and on the channel (JSON)."""

    run_id: str
    company_id: str = ""  # empty for run events
    stage: Stage
    state: State
    detail: str = ""  # run: the state's message; company: the error, or a summary
    counts: dict[str, int] = {}  # run started: companies, kept; company: found, new, ...
    at: float  # Unix time

    @property
    def run_ended(self) -> bool:
        return self.stage == "run" and self.state in ENDED


def stream_key(run_id: str) -> str:
    return f"openings:run:{run_id}:events"


def channel(run_id: str) -> str:
    return f"openings:run:{run_id}"


RUNS_KEY = "openings:runs"  # run ids scored by start time: which run is the latest


def index_run(redis: Redis, run_id: str, ttl_s: int) -> None:
    """Remember that `run_id` started now (a resumed run moves to the front)."""
    with redis.pipeline(transaction=False) as pipe:
        pipe.zadd(RUNS_KEY, {run_id: time.time()})
        pipe.zremrangebyscore(RUNS_KEY, "-inf", time.time() - ttl_s)  # runs whose keys expired
        pipe.execute()


def latest_run(redis: Redis) -> str | None:
    newest = redis.zrange(RUNS_KEY, -1, -1)
    return newest[0].decode() if newest else None


def emit(
    redis: Redis,
    run_id: str,
    company_id: str,
    stage: Stage,
    state: State,
    detail: str = "",
    *,
    ttl_s: int,
    counts: dict[str, int] | None = None,
) -> None:
    event = Event(
        run_id=run_id,
        company_id=company_id,
        stage=stage,
        state=state,
        detail=detail[:500],
        counts=counts or {},
        at=time.time(),
    )
    message = event.model_dump_json()
    with redis.pipeline(transaction=False) as pipe:
        pipe.xadd(stream_key(run_id), {"event": message}, maxlen=STREAM_MAXLEN, approximate=True)
        pipe.expire(stream_key(run_id), ttl_s)
        pipe.publish(channel(run_id), message)
        pipe.execute()


def read(redis: Redis, run_id: str, after: str, block_ms: int) -> Iterator[tuple[str, Event]]:
    """Events after stream id `after`, waiting up to block_ms (0: not at all) for the first one."""
    # XREAD BLOCK 0 would wait forever, so 0 means no BLOCK argument.
    replies = redis.xread({stream_key(run_id): after}, block=block_ms or None, count=1000)
    for _, entries in replies or []:
        for entry_id, fields in entries:
            yield entry_id.decode(), Event.model_validate(json.loads(fields[b"event"]))
