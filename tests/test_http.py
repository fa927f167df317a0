"""The Fetcher against servers that misbehave: retries, Retry-After, caps, robots.txt, host limits.

Durations are asserted only as lower bounds (a wait that must have happened), never as upper
bounds: the machines are shared and noisy.
"""

import asyncio
import threading
import time

import pytest

from deployments.sample.site import SampleSite
from tasks.errors import FetchError
from tasks.fetch.http import Fetcher
from tasks.fetch.politeness import HostLimits, host_key
from tasks.settings import Settings


@pytest.fixture
def nasty():
    with SampleSite() as running:
        yield running


def settings(**overrides) -> Settings:
    values = {"allow_private_hosts": True, "retry_wait_max_s": 0.1, "host_interval_s": 0}
    return Settings(**(values | overrides))


def run(redis, coro_fn, **overrides):
    async def main():
        async with Fetcher(settings(**overrides), redis) as fetcher:
            return await coro_fn(fetcher)

    return asyncio.run(main())


def fails(redis, coro_fn, **overrides) -> FetchError:
    with pytest.raises(FetchError) as error:
        run(redis, coro_fn, **overrides)
    return error.value


def test_429_waits_for_retry_after_then_succeeds(redis, nasty):
    url = f"{nasty.base_url}/nasty/limited/a?times=1&after=1"
    started = time.monotonic()
    assert run(redis, lambda f: f.get_json(url)) == {"ok": True, "hits": 2}
    assert time.monotonic() - started >= 1.0  # Retry-After: 1, although our backoff is 0.1 s


def test_retry_after_beyond_the_limit_fails_at_once_with_status(redis, nasty):
    url = f"{nasty.base_url}/nasty/limited/b?times=1&after=3600"
    error = fails(redis, lambda f: f.get_json(url))
    assert (error.category, error.http_status, error.retry_after_s) == ("http", 429, 3600)
    assert "Retry-After 3600 s" in str(error) and url in str(error)
    assert nasty.hits("/nasty/limited/b") == 1


def test_503_that_recovers_is_retried(redis, nasty):
    url = f"{nasty.base_url}/nasty/flaky/c?times=2"
    assert run(redis, lambda f: f.get_json(url))["hits"] == 3


def test_503_that_persists_gives_up_after_the_attempts(redis, nasty):
    url = f"{nasty.base_url}/nasty/flaky/d?times=99"
    error = fails(redis, lambda f: f.get_json(url), retry_attempts=3)
    assert (error.category, error.http_status) == ("http", 503)
    assert nasty.hits("/nasty/flaky/d") == 3


def test_permanent_errors_are_not_retried(redis, nasty):
    error = fails(redis, lambda f: f.get_json(f"{nasty.base_url}/nasty/gone"))
    assert (error.category, error.http_status) == ("http", 410)
    assert nasty.hits("/nasty/gone") == 1


def test_slow_page_times_out(redis, nasty):
    url = f"{nasty.base_url}/nasty/slow?s=2"
    error = fails(redis, lambda f: f.page(url), request_timeout_s=0.3, retry_attempts=2)
    assert error.category == "timeout" and "0.3 s" in str(error)
    assert nasty.hits("/nasty/slow") == 2  # a timeout is transient: tried again


def test_page_larger_than_the_cap_is_refused(redis, nasty):
    url = f"{nasty.base_url}/nasty/big?kb=300"
    error = fails(redis, lambda f: f.page(url), max_response_bytes=100_000)
    assert error.category == "too_large" and "100000 bytes" in str(error)
    assert run(redis, lambda f: f.page(url), max_response_bytes=1_000_000).status == 200


def test_redirect_loop_is_cut_off(redis, nasty):
    error = fails(redis, lambda f: f.page(f"{nasty.base_url}/nasty/loop"), max_redirects=4)
    assert error.category == "redirect" and "more than 4 redirects" in str(error)
    page = run(redis, lambda f: f.page(f"{nasty.base_url}/nasty/hop/3"), max_redirects=4)
    assert page.url.endswith("/nasty/hop/0") and "Arrived" in page.text


def test_non_html_answer_to_a_page_request_is_a_parse_error(redis, nasty):
    error = fails(redis, lambda f: f.page(f"{nasty.base_url}/nasty/pdf"))
    assert error.category == "parse" and "got application/pdf" in str(error)


def test_robots_txt_is_honoured_unless_the_company_opts_out(redis):
    rules = "User-agent: *\nDisallow: /jsonld/\n"
    with SampleSite(robots_txt=rules) as site:
        url = f"{site.base_url}/jsonld/acme/careers"
        error = fails(redis, lambda f: f.page(url))
        assert error.category == "robots" and "respect_robots: false" in str(error)
        assert run(redis, lambda f: f.page(f"{site.base_url}/html/acme/careers")).status == 200

        async def ignoring_robots():
            async with Fetcher(settings(), redis, respect_robots=False) as fetcher:
                return await fetcher.page(url)

        assert asyncio.run(ignoring_robots()).status == 200
        # Asked once, then shared through Redis by every later fetcher (every worker).
        assert site.hits("/robots.txt") == 1


def test_missing_robots_txt_allows_everything(redis, nasty):
    assert run(redis, lambda f: f.page(f"{nasty.base_url}/html/acme/careers")).status == 200
    assert nasty.hits("/robots.txt") == 1


def _in_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_host_concurrency_holds_across_independent_fetchers(redis):
    """Two fetchers with nothing in common but Redis (two workers) share one host's limit."""
    with SampleSite(latency_s=0.15) as site:
        urls = [f"{site.base_url}/nasty/json?n={n}" for n in range(8)]

        def worker():
            run(redis, lambda f: asyncio.gather(*map(f.get_json, urls)), api_host_concurrency=3)

        _in_threads(2, worker)
        assert site.request_count == 16
        assert 2 <= site.peak_in_flight <= 3


def test_career_pages_and_ats_apis_have_limits_of_their_own(redis):
    """An ATS API is built for programmatic reads; a company's own site gets the gentler limit."""
    limits = {"host_concurrency": 2, "api_host_concurrency": 6}
    with SampleSite(latency_s=0.15) as site:
        pages = [f"{site.base_url}/jsonld/acme{n}/careers" for n in range(8)]
        run(redis, lambda f: asyncio.gather(*map(f.page, pages)), **limits)
        assert site.peak_in_flight == 2
    with SampleSite(latency_s=0.15) as site:
        apis = [f"{site.base_url}/nasty/json?n={n}" for n in range(12)]
        run(redis, lambda f: asyncio.gather(*map(f.get_json, apis)), **limits)
        assert 3 <= site.peak_in_flight <= 6


def test_a_host_that_refuses_a_crowd_settles_the_fleet_near_what_it_takes(redis):
    """The host answers 429 above 3 requests in flight; two workers allowed 16 each learn 3."""
    with SampleSite(latency_s=0.1) as site:
        urls = [f"{site.base_url}/nasty/crowded?limit=3&n={n}" for n in range(60)]
        outcomes = []

        async def fetch_all(fetcher: Fetcher) -> list:
            return await asyncio.gather(*map(fetcher.get_json, urls), return_exceptions=True)

        def worker():
            # Retries wait as they do in production (0.5, 1, 2 s): the limit learns meanwhile.
            outcomes.extend(run(redis, fetch_all, api_host_concurrency=16, retry_wait_max_s=10))

        _in_threads(2, worker)
        limit = HostLimits(redis, 16, 0, 60, "api").learnt(urls[0])

    failed = [outcome for outcome in outcomes if not isinstance(outcome, dict)]
    assert not failed, f"{len(failed)} requests failed, e.g. {failed[0]}"
    # From 16 down to the sawtooth around 3: halved when a probe above 3 is refused, grown back
    # a step per round of good answers, so it ends anywhere from about half to about twice that.
    assert 1.5 <= limit < 6, limit


def test_a_limit_learnt_under_a_higher_ceiling_never_lifts_a_lower_one(redis):
    """Workers with a higher setting learnt 16 for the host; one allowed 3 still holds to 3."""
    with SampleSite(latency_s=0.15) as site:
        urls = [f"{site.base_url}/nasty/json?n={n}" for n in range(9)]
        redis.set(f"openings:api:{host_key(urls[0])}:limit", 16)
        run(redis, lambda f: asyncio.gather(*map(f.get_json, urls)), api_host_concurrency=3)
        assert site.request_count == 9
        assert site.peak_in_flight <= 3
        assert HostLimits(redis, 3, 0, 60, "api").learnt(urls[0]) == 3


def test_host_request_rate_spaces_request_starts(redis, nasty):
    urls = [f"{nasty.base_url}/nasty/json?n={n}" for n in range(6)]
    started = time.monotonic()
    run(redis, lambda f: asyncio.gather(*(f.get_json(u) for u in urls)), api_host_interval_s=0.2)
    assert time.monotonic() - started >= 1.0  # 6 starts, 0.2 s apart


def test_retry_after_makes_every_fetcher_back_off_from_the_host(redis, nasty):
    limited = f"{nasty.base_url}/nasty/limited/e?times=1&after=2"
    other = f"{nasty.base_url}/nasty/json"
    waited: list[float] = []

    async def second_worker():
        await asyncio.sleep(0.3)  # starts after the first worker got its 429
        async with Fetcher(settings(), redis) as fetcher:
            started = time.monotonic()
            await fetcher.get_json(other)
            waited.append(time.monotonic() - started)

    async def both():
        async with Fetcher(settings(), redis) as fetcher:
            await asyncio.gather(fetcher.get_json(limited), second_worker())

    asyncio.run(both())
    assert waited[0] >= 1.2  # paused until the first worker's Retry-After ran out
