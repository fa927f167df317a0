"""Sample-site routes that misbehave the way real servers do, for the fetcher's tests.

  GET /robots.txt                          the site's `robots_txt`, or 404 when it has none
  GET /nasty/slow?s=S                      answers after S seconds
  GET /nasty/big?kb=N                      an HTML page of N KiB
  GET /nasty/loop                          redirects to itself, forever
  GET /nasty/hop/{n}                       redirects n times, then a page
  GET /nasty/pdf                           a PDF, where a careers page was expected
  GET /nasty/limited/{key}?times=N&after=S 429, Retry-After: S, for the first N requests; then JSON
  GET /nasty/flaky/{key}?times=N           503 for the first N requests, then JSON
  GET /nasty/crowded?limit=N               429 (no Retry-After) while more than N requests are
                                           in flight on the site, else JSON
  GET /nasty/gone                          410, a permanent error
  GET /nasty/json                          a small JSON document

`key` lets each test have its own counter; the counters are the site's per-path hit counts.
"""

import time
from typing import Any

from deployments.sample.reply import Reply, html_page


def _int(query: dict, name: str, default: int) -> int:
    return int((query.get(name) or [default])[0])


def respond(site: Any, method: str, path: str, query: dict, body: bytes) -> Reply | None:
    if path == "/robots.txt":
        if site.robots_txt is None:
            return Reply(404, "text/plain", "no robots.txt here")
        return Reply(200, "text/plain", site.robots_txt)
    if not path.startswith("/nasty/"):
        return None
    route, _, rest = path.removeprefix("/nasty/").partition("/")
    if route == "slow":
        time.sleep(float((query.get("s") or ["1"])[0]))
        return Reply.html(html_page("Slow", "<h1>Finally</h1>"))
    if route == "big":
        filler = "<p>" + "x" * 1020 + "</p>"
        return Reply.html(html_page("Big", filler * _int(query, "kb", 1024)))
    if route == "loop":
        return Reply(302, "text/html", "", {"Location": path})
    if route == "hop":
        left = int(rest)
        if left <= 0:
            return Reply.html(html_page("Arrived", "<h1>Arrived</h1>"))
        return Reply(302, "text/html", "", {"Location": f"/nasty/hop/{left - 1}"})
    if route == "pdf":
        return Reply(200, "application/pdf", b"%PDF-1.4\n% not a careers page\n")
    if route == "limited" and site.hits(path) <= _int(query, "times", 1):
        after = (query.get("after") or ["1"])[0]
        return Reply(429, "text/plain", "slow down", {"Retry-After": after})
    if route == "flaky" and site.hits(path) <= _int(query, "times", 2):
        return Reply(503, "text/plain", "try again later")
    if route == "crowded" and site.in_flight > _int(query, "limit", 1):
        return Reply(429, "text/plain", "too many requests")
    if route == "gone":
        return Reply(410, "text/plain", "this board is gone")
    if route in ("limited", "flaky", "json", "crowded"):
        return Reply.json({"ok": True, "hits": site.hits(path)})
    return None
