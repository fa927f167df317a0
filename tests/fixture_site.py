"""A real HTTP server on 127.0.0.1 that answers with fixtures: how a test feeds an adapter's `fetch`
the real shapes of an ATS's answers (tests/fixtures/<ats>/) over real HTTP, through the fetch
stage's own client (retries, limits, robots.txt, encodings), rather than through a stand-in.

    site.answer("/bamboohr/northwind/careers/list", payload)     # JSON for a dict or list
    site.answer("/icims/acme/jobs/search?pr=1", html_text)       # text/html for text, unless told
    postings = site.fetch(redis, bamboohr, company, "/bamboohr/northwind/careers/list")
    site.asked                                                   # the targets asked, in order

A target with a query is answered only when asked with exactly that query (in any order); one
without answers any query. Anything else is a 404, robots.txt included (which allows all).
Answering a target again queues the answer: its requests get the answers in turn, the last one
repeating (pages of a search POSTed to one address). `headers` go with an answer (a redirect's
Location).
"""

import asyncio
import contextlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tasks.fetch.http import Fetcher
from tasks.models import Company, Posting
from tasks.settings import Settings

SETTINGS = Settings(allow_private_hosts=True, retry_wait_max_s=0.2, host_interval_s=0)


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: dict[str, str]  # names in lower case
    body: bytes


def _key(target: str) -> tuple[str, frozenset]:
    parts = urlsplit(target)
    return parts.path, frozenset(parse_qsl(parts.query, keep_blank_values=True))


class FixtureSite:
    def __init__(self) -> None:
        self._answers: dict[tuple[str, frozenset], list[Answer]] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        # A short poll: stopping waits for it, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def asked(self) -> list[str]:
        """The targets asked, in order (path and query as sent)."""
        with self._lock:
            return [request.target for request in self.requests]

    def url(self, target: str) -> str:
        return self.base_url + target

    def answer(
        self,
        target: str,
        body: Any,
        *,
        status: int = 200,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> str:
        """Answer `target` with `body` (JSON for a dict or list), after any answers it has
        already; the full URL it is served at."""
        if isinstance(body, dict | list):
            body, content_type = json.dumps(body), content_type or "application/json"
        data = body.encode() if isinstance(body, str) else bytes(body)
        answer = Answer(status, content_type or "text/html", data, headers or {})
        self._answers.setdefault(_key(target), []).append(answer)
        return self.url(target)

    def _next(self, target: str) -> Answer | None:
        """The answer for this request: the target's next in turn, its last one once used up."""
        path, query = _key(target)
        with self._lock:
            queued = self._answers.get((path, query)) or self._answers.get((path, frozenset()))
            if not queued:
                return None
            return queued.pop(0) if len(queued) > 1 else queued[0]

    def fetch(
        self, redis: Any, adapter: ModuleType, company: Company, target: str
    ) -> list[Posting]:
        """The postings the adapter's `fetch` reads from the API at `target` on this site."""

        async def read() -> list[Posting]:
            async with Fetcher(SETTINGS, redis) as fetcher:
                return await adapter.fetch(fetcher, self.url(target), company)

        return asyncio.run(read())

    def __enter__(self) -> "FixtureSite":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    site: FixtureSite
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._reply(b"")

    def do_POST(self) -> None:
        self._reply(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _reply(self, body: bytes) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        with self.site._lock:
            self.site.requests.append(Request(self.command, self.path, headers, body))
        answer = self.site._next(self.path) or Answer(404, "text/plain", b"Not Found")
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass
