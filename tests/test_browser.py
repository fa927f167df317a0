"""JavaScript career pages in real Chromium (Debian's package), through crawl4ai.

Run with `make test-browser` (`pytest -m browser`). Every test of this module shares one event
loop, as a fetch worker's jobs do, so the browser started by the first is reused by the others.
Chromium is told to resolve nothing but 127.0.0.1: the tests make no DNS lookups.
"""

import asyncio
import shutil

import pytest

from deployments.sample.jobs import generate_jobs
from tasks.errors import FetchError
from tasks.fetch import browser, netguard
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.web import SiteCrawl, crawl_site
from tasks.models import Company, Source
from tasks.settings import Settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(Settings().browser_executable) is None, reason="no Chromium"),
]

NO_DNS = "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
SETTINGS = Settings(
    allow_private_hosts=True, retry_wait_max_s=0.2, browser_args=[f"--host-resolver-rules={NO_DNS}"]
)


@pytest.fixture(scope="module")
def runner():
    with asyncio.Runner() as loop:
        yield loop
        loop.run(browser.close_browser())


def crawl(runner, site, redis, path, *, render=False) -> SiteCrawl:
    company = Company(name="Acme", careers_url=site.base_url + path, render=render)

    async def run() -> SiteCrawl:
        async with Fetcher(SETTINGS, redis) as fetcher:
            return await crawl_site(company, Source.jsonld, fetcher, SETTINGS)

    return runner.run(run())


def test_a_javascript_page_is_rendered_when_its_html_has_no_postings(runner, site, redis):
    result = crawl(runner, site, redis, "/pages/scripted/js/careers")

    jobs = generate_jobs("scripted", site.postings_per_company)
    postings = {posting.url: posting for posting in result.postings}
    assert sorted(postings) == sorted(
        f"{site.base_url}/pages/scripted/js/jobs/{job.n}" for job in jobs
    )
    for job in jobs:  # the detail pages are plain HTML with JSON-LD: read without the browser
        posting = postings[f"{site.base_url}/pages/scripted/js/jobs/{job.n}"]
        assert (posting.title, posting.external_id) == (job.title, f"JOB-{1000 + job.n}")
    assert result.rendered
    assert site.hits("/pages/scripted/api/jobs") == 1  # the page's own script fetched the list
    assert site.hits("/pages/scripted/js/careers") == 2  # plain, then rendered


def test_a_list_the_page_fetches_slowly_is_waited_for(runner, site, redis):
    result = crawl(runner, site, redis, "/pages/sluggish/js/careers?delay=1.5")

    assert len(result.postings) == site.postings_per_company


def test_detail_pages_built_by_javascript_are_rendered_too(runner, site, redis):
    result = crawl(runner, site, redis, "/pages/appish/spa/careers")

    jobs = generate_jobs("appish", site.postings_per_company)
    assert len(result.postings) == len(jobs)
    for posting in result.postings:
        job = jobs[int(posting.url.rsplit("/", 1)[1]) - 1]
        assert (posting.title, posting.location) == (job.title, job.location)
        assert job.blocks[0][1] in posting.description


def test_render_true_goes_straight_to_the_browser(runner, site, redis):
    result = crawl(runner, site, redis, "/jsonld/eager/careers", render=True)

    assert len(result.postings) == site.postings_per_company
    assert result.rendered
    assert site.hits("/jsonld/eager/careers") == 1  # the browser's request only


def test_the_browser_is_started_once_and_reused(runner, site, redis):
    crawl(runner, site, redis, "/pages/first/spa/careers")
    started = browser.browser_pid()
    crawl(runner, site, redis, "/pages/second/spa/careers")

    assert started is not None
    assert browser.browser_pid() == started


@pytest.mark.parametrize(
    "path, category, status",
    [
        ("/pages/x/nowhere", "http", 404),
        ("/nasty/gone", "http", 410),
        ("/nasty/pdf", "parse", None),
        ("/nasty/loop", "redirect", None),
        ("/nasty/slow?s=3", "timeout", None),
    ],
)
def test_pages_the_browser_cannot_load_are_fetch_errors(runner, site, path, category, status):
    impatient = SETTINGS.model_copy(update={"request_timeout_s": 1})

    with pytest.raises(FetchError) as failure:
        runner.run(browser.render(site.base_url + path, impatient))

    assert (failure.value.category, failure.value.http_status) == (category, status)


def test_private_addresses_are_refused_when_not_allowed(runner, site):
    guarded = SETTINGS.model_copy(update={"allow_private_hosts": False})

    with pytest.raises(FetchError) as failure:
        runner.run(browser.render(f"{site.base_url}/pages/x/js/careers", guarded))

    assert failure.value.category == "blocked"
    assert "127.0.0.1" in str(failure.value)


def test_a_redirect_to_a_private_address_is_refused(runner, site, monkeypatch):
    """The page is allowed (127.0.0.1 counts as public here), its redirect to 127.0.0.2 is not."""
    check = netguard.check_address
    monkeypatch.setattr(
        netguard, "check_address", lambda ip, host: None if ip == "127.0.0.1" else check(ip, host)
    )
    rules = f"--host-resolver-rules={NO_DNS}, EXCLUDE 127.0.0.2"
    guarded = SETTINGS.model_copy(update={"allow_private_hosts": False, "browser_args": [rules]})

    with pytest.raises(FetchError) as failure:
        runner.run(browser.render(f"{site.base_url}/pages/x/moved", guarded))

    assert failure.value.category == "blocked"
    assert "127.0.0.2" in str(failure.value)
