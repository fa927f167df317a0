"""Postings handed from one stage to the next, kept in Redis under the run's expiring keys.

RQ results and events stay small (a count, an error); the postings themselves travel through
these compressed blobs, and the flow deletes them once the company is persisted.
"""

import zlib

from pydantic import TypeAdapter
from redis import Redis

from tasks.models import EnrichedPosting, Posting

FETCHED = TypeAdapter(list[Posting])
ENRICHED = TypeAdapter(list[EnrichedPosting])


def key(run_id: str, company_id: str, stage: str) -> str:
    return f"openings:run:{run_id}:{stage}:{company_id}"


def put_fetched(redis: Redis, run_id: str, company_id: str, items: list[Posting], ttl_s: int):
    _put(redis, key(run_id, company_id, "fetched"), FETCHED.dump_json(items), ttl_s)


def put_enriched(
    redis: Redis, run_id: str, company_id: str, items: list[EnrichedPosting], ttl_s: int
):
    _put(redis, key(run_id, company_id, "enriched"), ENRICHED.dump_json(items), ttl_s)


def get_fetched(redis: Redis, run_id: str, company_id: str) -> list[Posting] | None:
    return _get(redis, key(run_id, company_id, "fetched"), FETCHED)


def get_enriched(redis: Redis, run_id: str, company_id: str) -> list[EnrichedPosting] | None:
    return _get(redis, key(run_id, company_id, "enriched"), ENRICHED)


def exists(redis: Redis, run_id: str, company_id: str, stage: str) -> bool:
    return bool(redis.exists(key(run_id, company_id, stage)))


def delete(redis: Redis, run_id: str, company_id: str) -> None:
    redis.delete(key(run_id, company_id, "fetched"), key(run_id, company_id, "enriched"))


def _put(redis: Redis, name: str, data: bytes, ttl_s: int) -> None:
    redis.set(name, zlib.compress(data), ex=ttl_s)


def _get(redis: Redis, name: str, adapter: TypeAdapter):
    blob = redis.get(name)
    return None if blob is None else adapter.validate_json(zlib.decompress(blob))
