"""Benchmark: the fetch stage alone, against a plain httpx + selectolax baseline, in one run.

Every path reads the same careers sites from the sample site on 127.0.0.1, which waits `--latency`
seconds before every response: per company a listing page and `--postings` detail pages with
schema.org JobPosting JSON-LD. Run with `make bench` or
`python -m tests.benchmarks.bench_fetch --companies 20 --postings 20 --latency 0.1`.

Printed side by side:
  baseline      httpx.AsyncClient + selectolax: the listing, then its detail pages with the same
                concurrency, JSON-LD read with json.loads. No guard, no limits, no retries.
  no-browser    tasks.fetch.sources.web.crawl_site through the Fetcher (SSRF guard, robots.txt, host
                limits in Redis, retries, size cap), host limits opened to the same concurrency
  polite        the same with the default per-host limits, to show what politeness costs
  browser       crawl_site with `render: true`: pages rendered by Chromium through crawl4ai
"""

import argparse
import asyncio
import json
import os
import re
import time
from urllib.parse import urljoin

import httpx
from redis import Redis
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from deployments.sample.site import SampleSite
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.web import crawl_site
from tasks.models import Company, Source
from tasks.queueing.queue import connect
from tasks.settings import Settings

JOB_LINK = re.compile(r"(^|/)jobs/\d+$")


async def baseline(careers_urls: list[str], concurrency: int) -> tuple[int, int]:
    pages = postings = 0
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        gate = asyncio.Semaphore(concurrency)

        async def detail(url: str) -> int:
            async with gate:
                response = await client.get(url)
            blocks = HTMLParser(response.text).css('script[type="application/ld+json"]')
            return sum(json.loads(block.text()).get("@type") == "JobPosting" for block in blocks)

        for careers_url in careers_urls:
            listing = await client.get(careers_url)
            links = {
                urljoin(careers_url, node.attributes.get("href") or "")
                for node in HTMLParser(listing.text).css("a[href]")
                if JOB_LINK.search(node.attributes.get("href") or "")
            }
            found = await asyncio.gather(*(detail(url) for url in sorted(links)))
            pages += 1 + len(links)
            postings += sum(found)
    return pages, postings


async def crawl(
    careers_urls: list[str], settings: Settings, redis: Redis, render: bool
) -> tuple[int, int]:
    pages = postings = 0
    async with Fetcher(settings, redis) as fetcher:
        for n, careers_url in enumerate(careers_urls):
            company = Company(name=f"Bench {n}", careers_url=careers_url, render=render)
            result = await crawl_site(company, Source.jsonld, fetcher, settings)
            pages += result.pages
            postings += len(result.postings)
    return pages, postings


def timed(label: str, run) -> tuple[str, float, int, int]:
    started = time.perf_counter()
    pages, postings = run()
    return label, time.perf_counter() - started, pages, postings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--postings", type=int, default=20, help="detail pages per company")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per response")
    parser.add_argument("--concurrency", type=int, default=16, help="pages in flight")
    parser.add_argument("--browser-companies", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault(
        "OPENINGS_BROWSER_ARGS", '["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]'
    )
    polite = Settings(allow_private_hosts=True, page_concurrency=args.concurrency)
    open_limits = polite.model_copy(
        update={"host_concurrency": args.concurrency, "host_interval_s": 0.0}
    )
    with (
        SampleSite(latency_s=args.latency, postings_per_company=args.postings) as site,
        connect(Settings()) as (redis, _),
    ):
        urls = [f"{site.base_url}/jsonld/bench{n:03d}/careers" for n in range(args.companies)]
        # Warm up: imports, connection pools, the embedded Redis.
        asyncio.run(crawl(urls[:1], open_limits, redis, render=False))
        rows = [
            timed("baseline", lambda: asyncio.run(baseline(urls, args.concurrency))),
            timed("no-browser", lambda: asyncio.run(crawl(urls, open_limits, redis, False))),
            timed("no-browser, polite", lambda: asyncio.run(crawl(urls, polite, redis, False))),
        ]
        few = urls[: args.browser_companies]
        if os.path.exists(polite.browser_executable):
            rows.append(timed("browser", lambda: asyncio.run(crawl(few, open_limits, redis, True))))
        else:
            print(f"no browser at {polite.browser_executable}: browser path not measured")

    print(
        f"\n{args.companies} companies x (1 listing + {args.postings} detail pages), "
        f"{args.latency * 1000:.0f} ms latency, {args.concurrency} pages in flight; "
        f"browser: {args.browser_companies} companies"
    )
    base_rate = rows[0][2] / rows[0][1]
    print(f"{'':<30}{'seconds':>9}{'pages':>7}{'postings':>10}{'pages/s':>9}{'vs baseline':>13}")
    for label, seconds, pages, postings in rows:
        rate = pages / seconds
        print(
            f"{label:<30}{seconds:>9.2f}{pages:>7}{postings:>10}{rate:>9.1f}"
            f"{rate / base_rate:>12.2f}x"
        )


if __name__ == "__main__":
    main()
