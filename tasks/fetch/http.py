"""Every request the fetch stage makes goes through one Fetcher.

It is where the rules of behaving well on the real web live, once: the SSRF guard (checked on the
exact address dialled, on every redirect hop), per-host concurrency and rate limits shared by all
workers (tasks.fetch.politeness), robots.txt for web pages, an identifying User-Agent, timeouts, a
response size cap, a redirect limit, and tenacity retries for transient failures only
(timeouts, connection errors, 408, 425, 429, 5xx), honouring Retry-After.
"""

import asyncio
import email.utils
import functools
import json
import logging
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx
from redis import Redis
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    wait_exponential_jitter,
)

from tasks.errors import FetchError
from tasks.fetch import netguard
from tasks.fetch.politeness import HostLimits, RobotsCache
from tasks.settings import Settings

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CONGESTED = frozenset({429, 503})  # the host's way of saying it has more than it can take


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return httpx.Response(self.status, headers=self.headers, content=self.content).text

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError("parse", f"response is not JSON ({exc})", url=self.url) from exc


class Fetcher:
    """One job's HTTP client. Use as `async with Fetcher(settings, redis) as fetcher:`.

    Methods raise FetchError (with category, HTTP status and Retry-After) once retries are spent.
    """

    def __init__(self, settings: Settings, redis: Redis, *, respect_robots: bool = True):
        self.settings = settings
        self.respect_robots = respect_robots
        # A lease outlives the longest request; a worker that dies mid-request frees it by expiry.
        lease_s = settings.request_timeout_s * 2 + 30
        self.limits = HostLimits(
            redis, settings.host_concurrency, settings.host_interval_s, lease_s, "host"
        )
        self.api_limits = HostLimits(
            redis, settings.api_host_concurrency, settings.api_host_interval_s, lease_s, "api"
        )
        self.robots = RobotsCache(redis, settings.user_agent)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent},
            timeout=settings.request_timeout_s,
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            verify=_tls(),
            transport=None if settings.allow_private_hosts else _guarded_transport(),
        )

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def get_json(
        self, url: str, params: dict | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        """A JSON document of an ATS API (under the API hosts' limits), sent any `headers` the
        API wants besides Accept (a token, the company it names)."""
        response = await self.request(
            "GET", url, params=params, accept="application/json", api=True, headers=headers
        )
        return response.json()

    async def post_json(self, url: str, body: Any) -> Any:
        """A JSON answer of an ATS API to a POSTed search (Workday's)."""
        response = await self.request("POST", url, json=body, accept="application/json", api=True)
        return response.json()

    async def page(self, url: str) -> Response:
        """A web page: robots.txt must allow it, and it must be HTML."""
        await self.check_robots(url)
        response = await self.request("GET", url, accept="text/html,application/xhtml+xml")
        if response.content_type not in HTML_TYPES:
            raise FetchError(
                "parse", f"expected an HTML page, got {response.content_type or 'no type'}", url=url
            )
        return response

    async def check_robots(self, url: str) -> None:
        """FetchError unless robots.txt lets our User-Agent fetch URL (always, respect_robots off).

        Every web page goes through this, plain or rendered in the browser.
        """
        if not self.respect_robots:
            return
        try:
            rules = await self.robots.rules(url, self._download_robots)
        except FetchError as exc:  # the site's robots.txt could not be asked: neither can the page
            raise FetchError(exc.category, f"{exc.message} (asking robots.txt)", url=url) from exc
        if not self.robots.allows(rules, url):
            raise FetchError(
                "robots",
                "robots.txt disallows this page (set respect_robots: false for the company "
                "to override)",
                url=url,
            )

    async def sitemaps(self, url: str) -> list[str]:
        """The sitemaps URL's site names in its robots.txt, else its /sitemap.xml."""
        try:
            named = (await self.robots.rules(url, self._download_robots)).site_maps() or []
        except FetchError:
            named = []
        return [urljoin(url, sitemap) for sitemap in named] or [urljoin(url, "/sitemap.xml")]

    async def back_off(self, url: str, retry_after_s: float, api: bool = False) -> None:
        """The host asked us to wait (Retry-After): every worker backs off from it, for no longer
        than we would wait ourselves (one board's hour-long Retry-After must not stall every
        other board on its ATS host)."""
        await self._limits(api).pause(url, min(retry_after_s, self.settings.retry_after_max_s))

    def _limits(self, api: bool) -> HostLimits:
        return self.api_limits if api else self.limits

    async def request(
        self,
        method: str,
        url: str,
        *,
        accept: str = "*/*",
        api: bool = False,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Response:
        """One request with retries; FetchError when it cannot be completed. `api`: a read of an
        ATS's documented API, under the API hosts' limits rather than a career site's. `headers`:
        any an API needs besides Accept (HiBob's names the company)."""
        settings = self.settings
        # The retry policy must not refer to this Fetcher: tenacity's AsyncRetrying is a reference
        # cycle, so a Fetcher it held would outlive the job until a full garbage collection, with
        # its HTTP client's native memory (~14 KB a job: a fetch worker grew 33% over 2,000 jobs).
        retrying = AsyncRetrying(
            retry=retry_if_exception(
                functools.partial(_worth_retrying, settings.retry_after_max_s)
            ),
            stop=functools.partial(_out_of_tries, settings.retry_attempts),
            wait=wait_exponential_jitter(multiplier=0.5, max=settings.retry_wait_max_s),
            before_sleep=_log_retry(method, url, kwargs.get("params"), settings.retry_attempts),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                sent = {"Accept": accept, **(headers or {})}
                return await self._send(method, url, api, headers=sent, **kwargs)
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def _send(self, method: str, url: str, api: bool, **kwargs: Any) -> Response:
        limit = self.settings.max_response_bytes
        async with self._limits(api).slot(url) as answer:
            try:
                async with self._client.stream(method, url, **kwargs) as response:
                    if response.status_code in _CONGESTED:
                        answer.congested()
                    if response.status_code >= 400:
                        retry_after = retry_after_s(response.headers.get("retry-after"))
                        if retry_after:
                            await self.back_off(url, retry_after, api)
                        raise FetchError.for_status(response.status_code, url, retry_after)
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > limit:
                        raise _too_large(url, limit)
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise _too_large(url, limit)
                    answer.ok()
                    return Response(
                        str(response.url), response.status_code, response.headers, bytes(body)
                    )
            except httpx.TooManyRedirects as exc:
                raise FetchError(
                    "redirect", f"more than {self.settings.max_redirects} redirects", url=url
                ) from exc
            except httpx.TimeoutException as exc:
                answer.congested()
                raise FetchError(
                    "timeout", f"no answer within {self.settings.request_timeout_s:g} s", url=url
                ) from exc
            except netguard.BlockedAddressError as exc:
                raise FetchError("blocked", exc.strerror, url=url) from exc
            except httpx.TransportError as exc:
                raise FetchError("network", f"{type(exc).__name__}: {exc}", url=url) from exc

    async def _download_robots(self, robots_url: str) -> tuple[str, int]:
        try:
            text = (await self.request("GET", robots_url, accept="text/plain")).text
            return text, RobotsCache.TTL_S
        except FetchError as exc:
            if exc.category != "http":
                raise  # the site itself is unreachable or refused: that is the company's error
            if 400 <= exc.http_status < 500 and exc.http_status != 429:
                return RobotsCache.ALLOW_ALL, RobotsCache.TTL_S
            log.warning("robots.txt unreadable, treating the site as disallowed: %s", exc)
            return RobotsCache.DISALLOW_ALL, RobotsCache.UNREACHABLE_TTL_S


def _tries(attempts: int, error: BaseException | None) -> int:
    """A request gets `attempts` tries, twice as many when the host answers 429 Too Many Requests:
    that means later, not never, and while a host's limit finds its level each probe above it
    costs one request a 429, so a request can meet several in a row (in tests/test_http.py's
    crowded host, one run in about thirty lost a request after four). A 503 may be a host that is
    down: it gets the usual tries."""
    crowded = isinstance(error, FetchError) and error.http_status == 429
    return attempts * 2 if crowded else attempts


def _out_of_tries(attempts: int, state: RetryCallState) -> bool:
    error = state.outcome.exception() if state.outcome else None
    return state.attempt_number >= _tries(attempts, error)


def _worth_retrying(retry_after_max_s: float, exc: BaseException) -> bool:
    # A Retry-After longer than we are willing to wait makes the failure final for this run.
    return (
        isinstance(exc, FetchError)
        and exc.transient
        and (exc.retry_after_s or 0) <= retry_after_max_s
    )


def _log_retry(method: str, url: str, params: Any, attempts: int):
    """tenacity's before_sleep: names the request it retries (before_sleep_log cannot name
    anything but the function it wraps, here `<unknown>`). Inside an RQ job the worker's log
    context adds the run and the company (tasks.queueing.worker)."""
    if params:
        url = str(httpx.URL(url).copy_merge_params(params))

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        reason = error.message if isinstance(error, FetchError) else repr(error)
        log.warning(
            "retrying %s %s in %.1f s (attempt %d of %d): %s",
            method,
            url,
            state.next_action.sleep if state.next_action else 0.0,
            state.attempt_number + 1,
            _tries(attempts, error),
            reason,
        )

    return before_sleep


def _too_large(url: str, limit: int) -> FetchError:
    return FetchError("too_large", f"response is larger than {limit} bytes", url=url)


def retry_after_s(value: str | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself and dials only public addresses: no DNS-rebinding window."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        for *_, sockaddr in infos:
            netguard.check_address(sockaddr[0], host)
        # TLS still verifies and sends SNI for `host`: httpcore takes it from the request URL.
        return await self._backend.connect_tcp(infos[0][4][0], port, **kwargs)

    async def connect_unix_socket(self, path: str, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise netguard.BlockedAddressError(f"unix socket {path}; refused")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The process's one TLS context: loading the CA bundle takes ~70 ms here (more under load),
    more than reading a whole board, and httpx would load it again for every job's client."""
    return httpx.create_ssl_context()


def preload() -> None:
    """Do once what each process's first request does (~35 ms of CPU, more under load): load the
    CA bundle, and the async backend that httpcore imports on first use. A worker pool calls it
    before it forks: sixteen workers taking their first jobs together need not each pay it."""
    import anyio

    _tls()
    anyio.run(anyio.sleep, 0)


def _guarded_transport() -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(verify=_tls())
    # httpx has no public hook for the network backend; its pool is the one place to put it.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=_tls(), network_backend=_GuardedBackend()
    )
    return transport
