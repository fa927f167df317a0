"""HTTP for ATS JSON APIs: httpx with the SSRF guard, a size cap and tenacity retries."""

import json
import logging
from typing import Any

import httpx
from tenacity import (
    before_sleep_log,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from tasks import netguard
from tasks.errors import FetchError
from tasks.settings import Settings

log = logging.getLogger(__name__)


def retrying(settings: Settings):
    """Tenacity policy shared by every fetch path: transient failures only, backoff with jitter."""
    return retry(
        retry=retry_if_exception(lambda exc: isinstance(exc, FetchError) and exc.transient),
        stop=stop_after_attempt(settings.retry_attempts),
        wait=wait_exponential_jitter(multiplier=0.5, max=settings.retry_wait_max_s),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    )


def client(settings: Settings) -> httpx.Client:
    hooks = [] if settings.allow_private_hosts else [_guard]
    return httpx.Client(
        headers={"User-Agent": settings.user_agent, "Accept": "application/json"},
        timeout=settings.request_timeout_s,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        event_hooks={"request": hooks},
    )


def get_json(http: httpx.Client, url: str, settings: Settings) -> Any:
    """GET a JSON document, retrying transient failures; FetchError says what went wrong."""

    @retrying(settings)
    def attempt() -> Any:
        body = _get_capped(http, url, settings.max_response_bytes)
        try:
            return json.loads(body)
        except ValueError as exc:
            raise FetchError("parse", f"response is not JSON ({exc})", url=url) from exc

    return attempt()


def _get_capped(http: httpx.Client, url: str, limit: int) -> bytes:
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(
                    "http",
                    f"HTTP {response.status_code}",
                    url=url,
                    http_status=response.status_code,
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError("too_large", f"response exceeds {limit} bytes", url=url)
                chunks.append(chunk)
            return b"".join(chunks)
    except netguard.BlockedAddressError as exc:
        raise FetchError("blocked", exc.strerror, url=url) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError("http", "too many redirects", url=url) from exc
    except httpx.TransportError as exc:
        raise FetchError("network", f"{type(exc).__name__}: {exc}", url=url) from exc


def _guard(request: httpx.Request) -> None:
    # Runs for the first request and for every redirect hop.
    netguard.check_url(str(request.url))
