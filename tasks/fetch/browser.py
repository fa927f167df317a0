"""Chromium for JavaScript career pages: crawl4ai's browser mode on Debian's `chromium` package.

One browser per worker process, started on first use and reused by every later job: launching
Chromium and importing crawl4ai cost seconds, a page costs a fraction of one. fetch.py runs every
job on one long-lived event loop, so the browser (whose Playwright connection belongs to the loop
that made it) stays valid from job to job; it calls `close_browser()` at exit. A worker that dies
without closing it takes Chromium along (the kernel sends it SIGTERM: PR_SET_PDEATHSIG).

We launch Chromium ourselves with `--remote-debugging-port=0` and hand crawl4ai its CDP address
(browser_mode="custom"): crawl4ai's own managed browser uses a fixed debugging port and kills
whatever listens on it, which would take down the browser of another worker on the same host.

SSRF guard: when private hosts are not allowed, Chromium reaches the network only through a SOCKS4
proxy in this process that dials public addresses only (netguard.check_address on the exact address
dialled). Unlike request interception (Playwright routes never see redirect hops), the proxy sees
every connection: redirects, subresources, frames, workers. With SOCKS4 Chromium resolves names
itself, so its --host-resolver-rules (tests: no DNS) still apply; IPv6-only sites cannot be
rendered in this mode.
"""

import asyncio
import contextlib
import ctypes
import logging
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.errors import FetchError
from tasks.fetch import netguard
from tasks.fetch.http import HTML_TYPES, retry_after_s
from tasks.settings import Settings

log = logging.getLogger(__name__)

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--blink-settings=imagesEnabled=false",  # postings are text: images only cost time
)
START_TIMEOUT_S = 30.0
# After the load event a page's scripts often fetch its job list: the HTML is taken once no request
# has been in flight for QUIET_S, or after SETTLE_S for pages that never go quiet (polling).
QUIET_S = 0.2
SETTLE_S = 5.0
DIAL_TIMEOUT_S = 20.0
_NET_ERROR = re.compile(r"net::(ERR_[A-Z_]+)")
_WRAPPERS = ("Unexpected error in", "Failed on navigating")
_CATEGORY = {
    "ERR_TIMED_OUT": "timeout",
    "ERR_CONNECTION_TIMED_OUT": "timeout",
    "ERR_TOO_MANY_REDIRECTS": "redirect",
    "ERR_ABORTED": "parse",  # Chromium aborts a navigation to a download (a PDF, a file)
}


@dataclass(frozen=True)
class Rendered:
    url: str  # after redirects
    html: str
    status: int | None


async def render(url: str, settings: Settings) -> Rendered:
    """The HTML of URL after its JavaScript ran. FetchError when it cannot be loaded."""
    browser = await _shared_browser(url, settings)
    return await browser.render(url, settings)


async def close_browser() -> None:
    """Close the process's browser, if one was started. Call it on the loop that started it."""
    global _current
    browser, _current = _current, None
    if browser is not None:
        await browser.close()


def browser_pid() -> int | None:
    """The running browser's process id (None when none runs): how tests see that it is reused."""
    return _current.process.pid if _current is not None else None


# ---------------------------------------------------------------- the shared browser


_current: "_Browser | None" = None
_start_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None


def _lock() -> asyncio.Lock:
    """The lock that keeps concurrent pages from starting two browsers (one per event loop)."""
    global _start_lock
    loop = asyncio.get_running_loop()
    if _start_lock is None or _start_lock[0] is not loop:
        _start_lock = (loop, asyncio.Lock())
    return _start_lock[1]


async def _shared_browser(url: str, settings: Settings) -> "_Browser":
    global _current
    async with _lock():
        launch = _Launch.of(settings)
        if _current is not None and not _current.serves(launch):
            log.info("restarting the browser (settings changed, loop changed or it exited)")
            await _current.close()
            _current = None
        if _current is None:
            _current = await _Browser.start(launch, url)
        return _current


@dataclass(frozen=True)
class _Launch:
    """What a running browser was started with; other settings need another browser."""

    executable: str
    args: tuple[str, ...]
    guarded: bool
    user_agent: str

    @classmethod
    def of(cls, settings: Settings) -> "_Launch":
        return cls(
            settings.browser_executable,
            tuple(settings.browser_args),
            not settings.allow_private_hosts,
            settings.user_agent,
        )


@dataclass
class _Browser:
    launch: _Launch
    loop: asyncio.AbstractEventLoop  # the loop its Playwright connection belongs to
    process: subprocess.Popen
    profile: tempfile.TemporaryDirectory
    crawler: Any  # crawl4ai.AsyncWebCrawler
    proxy: "_GuardProxy | None"

    @classmethod
    async def start(cls, launch: _Launch, url: str) -> "_Browser":
        proxy = await _GuardProxy().start() if launch.guarded else None
        profile = tempfile.TemporaryDirectory(
            prefix="openings-chromium-", ignore_cleanup_errors=True
        )
        process = None
        try:
            process = _launch_chromium(launch, Path(profile.name), proxy, url)
            port = await _debugging_port(process, Path(profile.name), url)
            crawler = await _connect(launch, port)
        except BaseException:
            if process is not None:
                _stop(process)
            if proxy is not None:
                proxy.close()
            profile.cleanup()
            raise
        log.info("browser started: %s (pid %d)", launch.executable, process.pid)
        return cls(launch, asyncio.get_running_loop(), process, profile, crawler, proxy)

    def serves(self, launch: _Launch) -> bool:
        return (
            launch == self.launch
            and self.loop is asyncio.get_running_loop()
            and self.process.poll() is None
        )

    async def render(self, url: str, settings: Settings) -> Rendered:
        crawl4ai = _crawl4ai()
        config = crawl4ai.CrawlerRunConfig(
            cache_mode=crawl4ai.CacheMode.BYPASS,
            wait_until="load",
            page_timeout=int(settings.request_timeout_s * 1000),
            delay_before_return_html=0,  # _settle waits for what matters: the page's requests
            verbose=False,
        )
        refused = self.proxy.refused if self.proxy else 0
        result = await self.crawler.arun(url, config=config)
        newly_refused = self.proxy is not None and self.proxy.refused > refused
        return _outcome(result, url, settings, self.proxy.last_refusal if newly_refused else None)

    async def close(self) -> None:
        # A browser from another (closed) loop cannot be disconnected politely: just stop it.
        if self.loop is asyncio.get_running_loop():
            with contextlib.suppress(Exception):
                await self.crawler.close()
        _stop(self.process)
        if self.proxy is not None:
            self.proxy.close()
        self.profile.cleanup()


def _crawl4ai():
    """crawl4ai, imported on first use (~2 s), with its home, banner and cost-map fetch tamed."""
    os.environ.setdefault("CRAWL4AI_NO_CLOUD_NOTICE", "1")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("CRAWL4_AI_BASE_DIRECTORY", str(Path.home() / ".cache" / "openings"))
    import crawl4ai

    return crawl4ai


def _launch_chromium(
    launch: _Launch, profile: Path, proxy: "_GuardProxy | None", url: str
) -> subprocess.Popen:
    args = [
        launch.executable,
        *CHROMIUM_FLAGS,
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",  # Chromium picks a free port and writes it to the profile
        f"--user-data-dir={profile}",
    ]
    if proxy is not None:
        args += [
            f"--proxy-server=socks4://127.0.0.1:{proxy.port}",
            "--proxy-bypass-list=<-loopback>",  # loopback too goes through the guard
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        ]
    args += [*launch.args, "about:blank"]
    try:
        with (profile / "chromium.log").open("wb") as chromium_log:
            return subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=chromium_log,
                start_new_session=True,  # its own process group: stopping it stops its helpers
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
    except OSError as exc:
        raise _browser_error(f"cannot start {launch.executable}: {exc.strerror}", url) from exc


_libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: the child only calls it
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it when the worker (its parent thread) exits."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


async def _debugging_port(process: subprocess.Popen, profile: Path, url: str) -> int:
    """The CDP port Chromium chose, from the DevToolsActivePort file it writes once listening."""
    active = profile / "DevToolsActivePort"
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT_S
    while asyncio.get_running_loop().time() < deadline:
        if process.poll() is not None:
            log_tail = (profile / "chromium.log").read_text(errors="replace")[-500:].strip()
            raise _browser_error(
                f"Chromium exited at start (code {process.returncode}): {log_tail}", url
            )
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(active.read_text().split()[0])
        await asyncio.sleep(0.05)
    raise _browser_error(f"Chromium did not open its debugging port in {START_TIMEOUT_S:g} s", url)


async def _connect(launch: _Launch, port: int) -> Any:
    crawl4ai = _crawl4ai()
    config = crawl4ai.BrowserConfig(
        browser_mode="custom",
        cdp_url=f"http://127.0.0.1:{port}",
        create_isolated_context=True,  # without it, concurrent pages over CDP get lost
        cdp_cleanup_on_close=True,
        cdp_close_delay=0,
        user_agent=launch.user_agent,
        verbose=False,
    )
    crawler = crawl4ai.AsyncWebCrawler(
        config=config, logger=crawl4ai.AsyncLogger(log_file=None, verbose=False)
    )
    await crawler.start()
    crawler.crawler_strategy.set_hook("before_goto", _watch_requests)
    crawler.crawler_strategy.set_hook("after_goto", _settle)
    return crawler


_in_flight: "weakref.WeakKeyDictionary[Any, set]" = weakref.WeakKeyDictionary()


async def _watch_requests(page: Any, **_: Any) -> Any:
    """crawl4ai hook before navigation: keep the set of the page's requests in flight."""
    requests = _in_flight.setdefault(page, set())

    def started(request: Any) -> None:  # Playwright wants functions, not builtin methods
        requests.add(request)

    def ended(request: Any) -> None:
        requests.discard(request)

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    return page


async def _settle(page: Any, **_: Any) -> Any:
    """crawl4ai hook after navigation: wait until the page's own requests are done (bounded).

    Playwright's "networkidle" would do, but it always waits 500 ms of silence; most pages are
    quiet much sooner."""
    requests = _in_flight.get(page, set())
    loop = asyncio.get_running_loop()
    quiet_since = started = loop.time()
    while loop.time() - started < SETTLE_S:
        if requests:
            quiet_since = loop.time()
        elif loop.time() - quiet_since >= QUIET_S:
            break
        await asyncio.sleep(0.02)
    return page


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _browser_error(message: str, url: str) -> FetchError:
    return FetchError("browser", message, url=url)


# ---------------------------------------------------------------- crawl4ai's result


def _outcome(result: Any, url: str, settings: Settings, refusal: str | None) -> Rendered:
    """crawl4ai's result flags as Rendered or FetchError (arun itself never raises).

    Browser mode answers success=True for 404/500 (the status says it), success=False for 429/503
    ("Blocked by anti-bot protection"), and also flags as blocked any 2xx page with little visible
    text: such a page is returned all the same, extraction decides whether it holds postings.
    """
    status = result.redirected_status_code or result.status_code
    # The headers are the first response's: a redirect's, when there was one.
    headers = {k.lower(): v for k, v in (result.response_headers or {}).items()}
    if status is not None and status >= 400:
        raise FetchError.for_status(status, url, retry_after_s(headers.get("retry-after")))
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    redirected = 300 <= (result.status_code or 0) < 400
    if content_type and content_type not in HTML_TYPES and not redirected:
        # Chromium shows a PDF or JSON in a page of its own; that page is not the site's.
        raise FetchError("parse", f"expected an HTML page, got {content_type}", url=url)
    html = result.html or ""
    if not result.success:
        reason = _reason(result.error_message or "")
        if not (html and reason.startswith("Blocked by anti-bot")):
            raise FetchError(*_failure(reason, refusal, settings), url=url)
        log.info("rendered page flagged by crawl4ai, kept: %s (%s)", reason, url)
    if len(html.encode()) > settings.max_response_bytes:
        raise FetchError(
            "too_large", f"page is larger than {settings.max_response_bytes} bytes", url=url
        )
    return Rendered(result.redirected_url or url, html, status)


def _reason(error_message: str) -> str:
    """The reason in crawl4ai's error text, without the source lines it appends ("Code context")."""
    text = error_message.split("Code context")[0].split("Call log:")[0]
    if match := _NET_ERROR.search(text):
        return match.group(0)
    lines = [line.strip().removeprefix("Error: ") for line in text.splitlines() if line.strip()]
    # Past crawl4ai's wrappers ("Unexpected error in _crawl_web ...", "Failed on navigating").
    reasons = [line for line in lines if not line.startswith(_WRAPPERS)]
    return (reasons or lines or ["unknown browser error"])[0].removeprefix("Page.goto: ")


def _failure(reason: str, refusal: str | None, settings: Settings) -> tuple[str, str]:
    """(category, message) of a page the browser could not load."""
    code = reason.removeprefix("net::")
    if code == "ERR_SOCKS_CONNECTION_FAILED" and refusal:
        return "blocked", refusal
    if code in _CATEGORY:
        return _CATEGORY[code], reason
    if code.startswith("ERR_"):
        return "network", reason
    if "timeout" in reason.lower() or "timed out" in reason.lower():
        return "timeout", f"no complete page within {settings.request_timeout_s:g} s"
    return "browser", reason


# ---------------------------------------------------------------- the SSRF guard


class _GuardProxy:
    """SOCKS4 on 127.0.0.1 for Chromium: connects to public addresses only, refuses the rest."""

    _GRANTED, _REJECTED = b"\x00\x5a" + bytes(6), b"\x00\x5b" + bytes(6)

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self.port = 0
        self.refused = 0  # how many connections were refused, and why the last one was
        self.last_refusal = ""

    async def start(self) -> "_GuardProxy":
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            version, command, port, packed = struct.unpack("!BBH4s", await reader.readexactly(8))
            await reader.readuntil(b"\0")  # the user id, unused
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        ip = socket.inet_ntoa(packed)
        upstream = await self._dial(ip, port) if (version, command) == (4, 1) else None
        if upstream is None:
            writer.write(self._REJECTED)
            writer.close()
            return
        writer.write(self._GRANTED)
        await asyncio.gather(_pipe(reader, upstream[1]), _pipe(upstream[0], writer))

    async def _dial(
        self, ip: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        try:
            netguard.check_address(ip, ip)
        except netguard.BlockedAddressError as exc:
            self.refused += 1
            self.last_refusal = exc.strerror
            log.warning("browser: %s", exc.strerror)
            return None
        try:
            return await asyncio.wait_for(asyncio.open_connection(ip, port), DIAL_TIMEOUT_S)
        except (OSError, TimeoutError):
            return None


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()
