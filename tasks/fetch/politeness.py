"""Being a good citizen on other people's servers: per-host limits and robots.txt, shared in Redis.

Every fetch worker on every host reads the same Redis, so the limits hold for the whole fleet: no
more than `host_concurrency` requests in flight to one host, requests started at least
`host_interval_s` apart, and a host that answered 429/503 with Retry-After is left alone by
everyone until then. Redis' own clock (TIME) is the only clock used, so worker clocks may differ.

Career sites and ATS APIs are limited apart (`host_*` and `api_host_*` settings): a documented
job-board API serves every board of its ATS from one host and is built for programmatic reads.
"""

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from redis import Redis

_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)"

# KEYS[1] lease set, KEYS[2] the host's learnt limit; ARGV: most allowed, lease ms, token. 1 when
# a lease was taken, else 0. A limit learnt under a higher ceiling (workers with other settings,
# or before an operator lowered it) never lifts this one's.
_ACQUIRE = f"""{_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local most = tonumber(ARGV[1])
local limit = math.floor(math.min(most, tonumber(redis.call('GET', KEYS[2]) or most)))
if redis.call('ZCARD', KEYS[1]) < math.max(1, limit) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0"""

# KEYS[1] lease set, KEYS[2] learnt limit, KEYS[3] a cut's hold; ARGV: token, most allowed, what
# the answer said ("ok", "congested" or ""), hold ms, limit ttl ms. Frees the lease and adapts the
# limit as TCP does: halved on congestion (once per hold, so the answers already on their way do
# not halve it again), grown by one per limit's worth of good answers while the limit was what
# held requests back (a host that was never asked for more has not shown it can take more).
_RELEASE = """
local busy = redis.call('ZCARD', KEYS[1])
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[3] == '' then return 0 end
local most = tonumber(ARGV[2])
local limit = math.min(most, tonumber(redis.call('GET', KEYS[2]) or most))
if ARGV[3] == 'congested' then
  if redis.call('SET', KEYS[3], 1, 'NX', 'PX', tonumber(ARGV[4])) then
    limit = math.max(1, limit / 2)
  end
elseif busy >= math.floor(limit) then
  limit = math.min(most, limit + 1 / limit)
else
  return 0
end
redis.call('SET', KEYS[2], tostring(limit), 'PX', tonumber(ARGV[5]))
return 0"""

# KEYS[1] the host's next free start time; ARGV: interval ms. Reserves a start; returns ms to wait.
_RESERVE = f"""{_NOW_MS}
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local after = at + tonumber(ARGV[1])
redis.call('SET', KEYS[1], after, 'PX', after - now + 1000)
return at - now"""

# KEYS[1] the host's next free start time; ARGV: pause ms. Nobody starts before now + pause.
_PAUSE = f"""{_NOW_MS}
local until_ms = now + tonumber(ARGV[1])
if until_ms > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1]) + 1000)
end
return 0"""


def host_key(url: str) -> str:
    """What the limits are kept per: host and port (two sites on one address are two hosts)."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")


class Answer:
    """What the answer to a request said about the host's load, for its slot to learn from."""

    def __init__(self) -> None:
        self.said = ""

    def ok(self) -> None:
        self.said = "ok"

    def congested(self) -> None:
        """429, 503 or no answer in time: the host has more than it can take."""
        self.said = "congested"


class HostLimits:
    """Per-host concurrency and start-rate limits held in Redis across all workers.

    The concurrency limit adapts: every worker's answers feed one limit per host, so a run finds
    the load a host takes (a host answering 429 above N requests in flight settles near N) instead
    of holding to a guess; `concurrency` is the most it ever allows.
    """

    LEARNT_TTL_S = 600  # a host left alone this long starts again from the most allowed

    def __init__(
        self, redis: Redis, concurrency: int, interval_s: float, lease_s: float, kind: str
    ):
        self._redis = redis
        self._concurrency = concurrency
        self._interval_ms = int(interval_s * 1000)
        self._lease_ms = int(lease_s * 1000)
        self._prefix = f"openings:{kind}"  # "host" (career sites) or "api": limits of their own
        self._acquire = redis.register_script(_ACQUIRE)
        self._release = redis.register_script(_RELEASE)
        self._reserve = redis.register_script(_RESERVE)
        self._pause = redis.register_script(_PAUSE)

    def learnt(self, url: str) -> float:
        """The concurrency URL's host is allowed now (the most allowed until it pushed back)."""
        value = self._redis.get(f"{self._prefix}:{host_key(url)}:limit")
        return min(float(value or self._concurrency), self._concurrency)

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[Answer]:
        """Hold one of the host's concurrency slots, started no sooner than the rate allows. Say
        through the Answer what the response said, and the host's limit learns from it."""
        key = f"{self._prefix}:{host_key(url)}"
        leases, limit, token = f"{key}:leases", f"{key}:limit", uuid.uuid4().hex
        backoff = 0.02
        while not await self._call(
            self._acquire, [leases, limit], [self._concurrency, self._lease_ms, token]
        ):
            await asyncio.sleep(backoff * (0.5 + random.random()))
            backoff = min(backoff * 2, 0.5)
        answer, started = Answer(), time.monotonic()
        try:
            wait_ms = await self._call(self._reserve, [f"{key}:next"], [self._interval_ms])
            if wait_ms > 0:
                await asyncio.sleep(wait_ms / 1000)
            yield answer
        finally:
            # The answers already on their way when a cut was made came back within about two
            # round trips: no second cut for them.
            hold_ms = max(100, int(2000 * (time.monotonic() - started)))
            ttl_ms = self.LEARNT_TTL_S * 1000
            await self._call(
                self._release,
                [leases, limit, f"{key}:cut"],
                [token, self._concurrency, answer.said, hold_ms, ttl_ms],
            )

    async def pause(self, url: str, seconds: float) -> None:
        """The host asked us to back off (Retry-After): no worker starts a request before then."""
        key = f"{self._prefix}:{host_key(url)}:next"
        await self._call(self._pause, [key], [int(seconds * 1000)])

    @staticmethod
    async def _call(script, keys: list, args: list) -> int:
        # redis-py's sync client in a thread: sub-millisecond calls, and no event-loop binding.
        return int(await asyncio.to_thread(script, keys=keys, args=args))


class RobotsCache:
    """robots.txt rules per site, cached in Redis for a day so each site is asked once per fleet.

    Per RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be read
    (5xx, network error) disallows everything, and is cached only briefly.
    """

    ALLOW_ALL, DISALLOW_ALL = "", "User-agent: *\nDisallow: /\n"
    TTL_S, UNREACHABLE_TTL_S = 24 * 3600, 300

    def __init__(self, redis: Redis, user_agent: str):
        self._redis = redis
        self._agent = user_agent
        self._parsed: dict[str, RobotFileParser] = {}

    @staticmethod
    def robots_url(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}/robots.txt"

    async def rules(self, url: str, download) -> RobotFileParser:
        """The parsed rules for URL's site; `download(robots_url) -> (text, ttl_s)` on a miss."""
        robots_url = self.robots_url(url)
        if robots_url in self._parsed:
            return self._parsed[robots_url]
        key = f"openings:robots:{robots_url}"
        cached = await asyncio.to_thread(self._redis.get, key)
        if cached is None:
            text, ttl_s = await download(robots_url)
            await asyncio.to_thread(self._redis.set, key, text, ex=ttl_s)
        else:
            text = cached.decode("utf-8", "replace")
        parser = RobotFileParser(robots_url)
        parser.parse(text.splitlines())
        self._parsed[robots_url] = parser
        return parser

    def allows(self, rules: RobotFileParser, url: str) -> bool:
        return rules.can_fetch(self._agent, url)
