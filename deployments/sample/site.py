"""A sample careers site on 127.0.0.1, for the demo (`make run`), the tests and the benchmark.

It speaks the job-board API of every ATS the pipeline reads, each under /{ats}/... (the modules
of deployments.sample.ats, one per ATS, list their routes) and serves two kinds of careers pages:

  GET /jsonld/{slug}/careers, /jsonld/{slug}/jobs/{n}       listing + schema.org JobPosting pages
  GET /html/{slug}/careers, /html/{slug}/jobs/{n}           listing + plain HTML detail pages
  GET /{jsonld,html}/{slug}/about, .../privacy              ordinary non-job pages
  GET /pages/..., /hidden/..., /sitemap.xml                 career pages as the web serves them
                                                            (deployments.sample.pages, .hidden)
  anything else                                             404

Any slug works. Its postings are generated from `random.Random(slug)`, so a slug always gives the
same postings, with varied titles, seniority, skills, work arrangements, employment types and
salary wording (some postings state no salary). Every response first waits `latency_s`.
An ATS board whose name ends in "-N" has N postings (see deployments.sample.ats.boards).

Run it in the foreground with `python -m deployments.sample.site [--port P] [--latency S]`.
"""

import argparse
import contextlib
import html
import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from deployments.sample import ats, hidden, nasty, pages
from deployments.sample.jobs import (
    DEMO,
    Job,
    blocks_html,
    company_name,
    generate_jobs,
    iso_time,
)
from deployments.sample.reply import (
    Reply,
    base_salary,
    html_page,
    jsonld_place,
    jsonld_script,
    not_found,
)

logger = logging.getLogger(__name__)

# How schema.org spells the sample's employment types.
_SCHEMA_TYPE = {"full_time": "FULL_TIME", "part_time": "PART_TIME", "contract": "CONTRACTOR"}
_SCHEMA_TYPE |= {"temporary": "TEMPORARY", "internship": "INTERN"}


def job_posting_jsonld(job: Job, url: str) -> dict:
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": blocks_html(job.blocks),
        "identifier": {
            "@type": "PropertyValue",
            "name": job.company,
            "value": f"JOB-{1000 + job.n}",
        },
        # Some sites give a date, others a full timestamp: readers must take both.
        "datePosted": job.posted_at.date().isoformat() if job.n % 2 else iso_time(job.posted_at, 1),
        "validThrough": (job.posted_at + timedelta(days=60)).date().isoformat(),
        "employmentType": _SCHEMA_TYPE[job.employment],
        "hiringOrganization": {
            "@type": "Organization",
            "name": job.company,
            "sameAs": "https://example.com/",
        },
        "jobLocation": jsonld_place(job.city, job.region, job.country),
        "url": url,
    }
    if job.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": job.country}
    if job.pay:
        data["baseSalary"] = base_salary(job.pay)
    return data


def _nav(kind: str, slug: str) -> str:
    return (
        f'<header><nav><a href="/{kind}/{slug}/careers">Careers</a> '
        f'<a href="/{kind}/{slug}/about">About us</a> '
        f'<a href="/{kind}/{slug}/privacy">Privacy policy</a> '
        '<a href="https://example.com/">Our blog</a> '
        '<a href="mailto:jobs@example.com">Contact</a></nav></header>'
    )


def listing_page(kind: str, slug: str, jobs: list[Job]) -> str:
    rows = []
    for job in jobs:
        # Mix path-relative and root-relative links so readers must resolve both.
        href = f"jobs/{job.n}" if job.n % 2 else f"/{kind}/{slug}/jobs/{job.n}"
        title, location = html.escape(job.title), html.escape(job.location)
        rows.append(f'<li><a href="{href}">{title}</a> <span>{location}</span></li>')
    company = html.escape(company_name(slug))
    body = (
        f"{_nav(kind, slug)}<main><h1>Careers at {company}</h1>"
        f'<p>Join us! <a href="#openings">See open positions</a>.</p>'
        f'<h2 id="openings">Open positions</h2><ul class="jobs">{"".join(rows)}</ul></main>'
        f'<footer><a href="/{kind}/{slug}/privacy">Privacy</a> · © {company}</footer>'
    )
    return html_page(f"Careers at {company_name(slug)}", body)


def detail_page(kind: str, slug: str, job: Job, url: str) -> str:
    head = ""
    if kind == "jsonld":
        data: dict[str, Any] = job_posting_jsonld(job, url)
        if job.n == 2:  # one page nests its JobPosting in an @graph, as many CMSs do
            data.pop("@context")
            data = {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebPage", "@id": url, "name": job.title},
                    {"@type": "Organization", "name": job.company, "url": "https://example.com/"},
                    data,
                ],
            }
        head = jsonld_script(data)
    body = (
        f"{_nav(kind, slug)}<main><h1>{html.escape(job.title)}</h1>"
        f'<p class="location">{html.escape(job.location)}</p>'
        f'<div class="description">{blocks_html(job.blocks)}</div>'
        f'<p><a class="apply" href="mailto:jobs@example.com">Apply now</a></p></main>'
    )
    return html_page(f"{job.title} at {job.company}", body, head)


def info_page(kind: str, slug: str, page: str) -> str:
    company = html.escape(company_name(slug))
    text = {
        "about": f"<h1>About {company}</h1><p>We are a small team that cares about customers.</p>",
        "privacy": "<h1>Privacy policy</h1><p>We keep the data you send us only as needed.</p>",
    }[page]
    return html_page(
        f"{page.capitalize()} · {company_name(slug)}", f"{_nav(kind, slug)}<main>{text}</main>"
    )


# ---------------------------------------------------------------- the server


_SLUG = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
_ROUTES = [
    ("listing", re.compile(rf"/(jsonld|html)/{_SLUG}/careers")),
    ("detail", re.compile(rf"/(jsonld|html)/{_SLUG}/jobs/(\d+)/?")),
    ("info", re.compile(rf"/(jsonld|html)/{_SLUG}/(about|privacy)/?")),
]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    site: "SampleSite"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections give their thread back after this
    server_version = "SampleCareers/1.0"

    def do_GET(self) -> None:
        self._reply(b"")

    def do_POST(self) -> None:  # Workday's CXS API searches with a POST
        self._reply(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _reply(self, request_body: bytes) -> None:
        site = self.server.site
        with site._serving(urlsplit(self.path).path):
            if site.latency_s > 0:
                time.sleep(site.latency_s)
            try:
                reply = site.respond(self.path, self.command, request_body, self.headers)
            except Exception:
                logger.exception("sample site failed on %s", self.path)
                reply = Reply(500, "text/html", html_page("Error", "<h1>500</h1>"))
        data = reply.body.encode() if isinstance(reply.body, str) else reply.body
        self.send_response(reply.status)
        self.send_header("Content-Type", f"{reply.content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)


class SampleSite:
    """The sample careers site, served from a daemon thread on 127.0.0.1."""

    def __init__(
        self,
        latency_s: float = 0.0,
        postings_per_company: int = 4,
        port: int = 0,
        robots_txt: str | None = None,
        host: str = "127.0.0.1",
    ):
        self.host = host  # another local address for tests whose workers run in other netns
        self.latency_s = latency_s
        self.postings_per_company = postings_per_company
        self.port = port
        self.robots_txt = robots_txt  # served at /robots.txt; None: 404 (everything allowed)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._hits: Counter[str] = Counter()
        self._request = threading.local()  # each request is answered on a thread of its own
        self._in_flight = 0
        self._peak_in_flight = 0

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SampleSite is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._hits.total()

    def hits(self, path: str) -> int:
        """How many requests this path has had (the nasty routes use it to recover or fail)."""
        with self._lock:
            return self._hits[path]

    @property
    def request_headers(self) -> dict[str, str]:
        """The headers of the request this thread is answering, names in lower case (for the
        APIs that refuse a request without theirs: HiBob's company, Hireology's token)."""
        return getattr(self._request, "headers", {})

    @property
    def in_flight(self) -> int:
        """Requests being answered now, this one included (the crowded route reads it)."""
        with self._lock:
            return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        """The most requests this site has been answering at once (politeness tests read it)."""
        with self._lock:
            return self._peak_in_flight

    @contextlib.contextmanager
    def _serving(self, path: str) -> Iterator[None]:
        with self._lock:
            self._hits[path] += 1
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    def start(self) -> "SampleSite":
        if self._server is not None:
            raise RuntimeError("SampleSite is already started")
        self._server = _Server((self.host, self.port), _Handler)
        self._server.site = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="sample-site",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> "SampleSite":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def respond(
        self,
        target: str,
        method: str = "GET",
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """The reply to a request target such as "/lever/v0/postings/x"."""
        self._request.headers = {name.lower(): value for name, value in (headers or {}).items()}
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        for extra in (ats.respond, nasty.respond, pages.respond, hidden.respond):
            reply = extra(self, method, parts.path, query, body)
            if reply is not None:
                return reply
        count = self.postings_per_company
        for name, pattern in _ROUTES:
            match = pattern.fullmatch(parts.path)
            if not match:
                continue
            kind, slug = match[1], match[2]
            if name == "listing":
                return Reply.html(listing_page(kind, slug, generate_jobs(slug, count)))
            if name == "info":
                return Reply.html(info_page(kind, slug, match[3]))
            n = int(match[3])
            if 1 <= n <= count:
                job = generate_jobs(slug, n)[-1]
                url = f"{self.base_url}/{kind}/{slug}/jobs/{n}"
                return Reply.html(detail_page(kind, slug, job, url))
            break
        return not_found(parts.path)


# An ATS board on this site: its careers page at the ATS, and its API endpoint here ({b} the
# site's base URL, {s} the board's slug).
ATS_BOARDS = {
    "greenhouse": (
        "https://boards.greenhouse.io/{s}",
        "{b}/greenhouse/v1/boards/{s}/jobs?content=true",
    ),
    "lever": ("https://jobs.lever.co/{s}", "{b}/lever/v0/postings/{s}?mode=json"),
    "ashby": (
        "https://jobs.ashbyhq.com/{s}",
        "{b}/ashby/posting-api/job-board/{s}?includeCompensation=true",
    ),
}


def board_company(name: str, source: str, slug: str, base_url: str) -> dict:
    """The companies-file entry of a company whose `source` board `slug` this site serves."""
    careers, endpoint = ATS_BOARDS[source]
    return {
        "name": name,
        "careers_url": careers.format(s=slug),
        "api_url": endpoint.format(b=base_url.rstrip("/"), s=slug),
    }


def demo_companies(base_url: str) -> list[dict]:
    """The companies-file entries of the demo: one fictional company per source format."""
    base = base_url.rstrip("/")
    entries = []
    for name, source, slug, _ in DEMO:
        if source in ATS_BOARDS:
            entry = board_company(name, source, slug, base)
        else:
            entry = {"name": name, "careers_url": f"{base}/{source}/{slug}/careers"}
            if source == "html":
                entry["ats"] = "html"
        entries.append(entry)
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the sample careers site in the foreground.")
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each response waits")
    parser.add_argument("--postings", type=int, default=4, help="postings per company")
    args = parser.parse_args(argv)
    site = SampleSite(
        latency_s=args.latency, postings_per_company=args.postings, port=args.port
    ).start()
    print(f"Sample careers site at {site.base_url} (Ctrl-C to stop)", flush=True)
    print("Demo companies:")
    print(json.dumps(demo_companies(site.base_url), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
