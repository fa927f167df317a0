"""Progress events of a run: a Redis Stream per run (replayable) plus pub/sub (live).

Workers append an event when a stage of a company starts, finishes or fails. The flow reads the
stream, so an event sent before it started listening is not lost; anyone else can subscribe to
the channel `openings:run:<run_id>` to watch a run live. Events are wake-ups, not truth: RQ marks
a job finished only after its callbacks ran, so readers confirm job states with RQ.
"""

import json
import time
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel
from redis import Redis

Stage = Literal["fetch", "enrich"]
State = Literal["started", "finished", "failed"]
STREAM_MAXLEN = 100_000


class Event(BaseModel):
    run_id: str
    company_id: str
    stage: Stage
    state: State
    detail: str = ""
    at: float


def stream_key(run_id: str) -> str:
    return f"openings:run:{run_id}:events"


def channel(run_id: str) -> str:
    return f"openings:run:{run_id}"


def emit(
    redis: Redis,
    run_id: str,
    company_id: str,
    stage: Stage,
    state: State,
    detail: str = "",
    *,
    ttl_s: int,
) -> None:
    event = Event(
        run_id=run_id,
        company_id=company_id,
        stage=stage,
        state=state,
        detail=detail[:500],
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
