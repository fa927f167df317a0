"""Career pages read without a browser: crawl_site against the sample site through a real Fetcher.

The browser lane (tests/test_browser.py) runs real Chromium; here a stand-in records what would be
rendered, so that "this page needs the browser" is visible without one.
"""

import asyncio
import logging
from dataclasses import dataclass, field

import pytest

from deployments.sample.jobs import generate_jobs
from deployments.sample.pages import GRAPH_JOBS, MALFORMED_JOBS, PAGED_JOBS
from deployments.sample.site import SampleSite
from tasks.errors import FetchError
from tasks.fetch import browser
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.web import SiteCrawl, crawl_site
from tasks.models import Company, EmploymentType, RemotePolicy, Source
from tasks.settings import Settings


def crawl(site, redis, path, *, ats="auto", render=False, **settings) -> SiteCrawl:
    settings = Settings(allow_private_hosts=True, retry_wait_max_s=0.2, **settings)
    company = Company(name="Acme", careers_url=site.base_url + path, ats=ats, render=render)
    source = Source.jsonld if ats == "auto" else Source(ats)

    async def run() -> SiteCrawl:
        async with Fetcher(settings, redis) as fetcher:
            return await crawl_site(company, source, fetcher, settings)

    return asyncio.run(run())


@dataclass
class FakeBrowser:
    """Chromium's stand-in: records the URLs it is asked to render and answers `pages[url]`
    (an empty page by default); no JavaScript runs."""

    calls: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)

    async def render(self, url: str, settings: Settings) -> browser.Rendered:
        self.calls.append(url)
        return browser.Rendered(url, self.pages.get(url, "<html><body></body></html>"), 200)


@pytest.fixture
def fake_browser(monkeypatch) -> FakeBrowser:
    fake = FakeBrowser()
    monkeypatch.setattr(browser, "render", fake.render)
    return fake


def test_jsonld_detail_pages_become_postings_with_their_stated_fields(site, redis):
    result = crawl(site, redis, "/jsonld/northwind/careers")

    jobs = generate_jobs("northwind", site.postings_per_company)
    postings = {posting.url: posting for posting in result.postings}
    assert len(result.postings) == len(jobs)
    for job in jobs:
        posting = postings[f"{site.base_url}/jsonld/northwind/jobs/{job.n}"]
        assert posting.title == job.title
        assert posting.location == f"{job.city}, {job.region}, {job.country}"
        assert posting.external_id == f"JOB-{1000 + job.n}"
        assert posting.employment_type == EmploymentType(job.employment)
        assert posting.remote == (RemotePolicy.remote if job.remote == "remote" else None)
        assert posting.posted_at.date() == job.posted_at.date()
        assert job.blocks[0][1] in posting.description
        if job.pay:
            salary = posting.salary
            assert (salary.min, salary.max, salary.currency, salary.period) == (
                job.pay.min,
                job.pay.max,
                job.pay.currency,
                job.pay.period,
            )
        else:
            assert posting.salary is None
    # The careers page and one page per posting: no about/privacy page, no link from a detail page.
    assert (result.pages, result.skipped, result.rendered) == (1 + len(jobs), [], False)


def test_pages_without_structured_data_still_give_title_url_and_location(site, redis):
    result = crawl(site, redis, "/pages/bluebird/plain/careers")

    jobs = generate_jobs("bluebird", site.postings_per_company)
    assert sorted((p.title, p.location) for p in result.postings) == sorted(
        (job.title, job.location) for job in jobs
    )
    for posting in result.postings:
        job = next(job for job in jobs if job.title == posting.title)
        assert posting.url.startswith(f"{site.base_url}/pages/bluebird/plain/jobs/{job.n}-")
        assert posting.description.startswith(job.blocks[0][1])
    # Benefits, "life at", students, job alerts, blog, about and privacy were not even fetched.
    assert result.pages == 1 + len(jobs)
    assert site.hits("/pages/bluebird/plain/careers/benefits") == 0
    assert site.hits("/pages/bluebird/about") == 0


def test_plain_html_source(site, redis):
    result = crawl(site, redis, "/html/bluebird-energy/careers", ats="html")

    jobs = generate_jobs("bluebird-energy", site.postings_per_company)
    assert sorted((p.title, p.location, p.source) for p in result.postings) == sorted(
        (job.title, job.location, Source.html) for job in jobs
    )


@pytest.mark.parametrize("max_listing_pages, expected", [(20, PAGED_JOBS), (2, 10), (1, 5)])
def test_pagination_is_followed_up_to_its_bound(site, redis, max_listing_pages, expected):
    slug = f"paged{max_listing_pages}"
    result = crawl(site, redis, f"/pages/{slug}/paged/careers", max_listing_pages=max_listing_pages)

    titles = sorted(posting.title for posting in result.postings)
    assert titles == sorted(job.title for job in generate_jobs(slug, PAGED_JOBS)[:expected])
    listing_pages = max_listing_pages if expected < PAGED_JOBS else 3
    assert result.pages == listing_pages + expected
    assert result.skipped == []


def test_detail_pages_are_bounded(site, redis):
    result = crawl(site, redis, "/pages/bounded/paged/careers", max_detail_pages=4)

    assert len(result.postings) == 4


def test_malformed_jsonld_is_repaired_or_skipped_with_a_warning(site, redis, caplog):
    with caplog.at_level(logging.WARNING, logger="tasks.fetch.sources.web"):
        result = crawl(site, redis, "/pages/mangled/malformed/careers")

    jobs = generate_jobs("mangled", MALFORMED_JOBS)
    postings = {int(posting.url.rsplit("/", 1)[1]): posting for posting in result.postings}
    assert sorted(postings) == [job.n for job in jobs]
    for job in jobs[:6]:  # trailing commas, comment, CDATA, a bad block, control chars, two objects
        assert postings[job.n].title == job.title
        assert postings[job.n].external_id == f"JOB-{1000 + job.n}"
    # Nothing readable on page 7: its markup still gives the posting.
    assert (postings[7].title, postings[7].location, postings[7].external_id) == (
        jobs[6].title,
        jobs[6].location,
        None,
    )
    base = f"{site.base_url}/pages/mangled/malformed/jobs"
    assert sorted(r.getMessage() for r in caplog.records if "JSON-LD" in r.getMessage()) == [
        f"unreadable JSON-LD block skipped on {base}/4",
        f"unreadable JSON-LD block skipped on {base}/7",
    ]


def test_jsonld_in_lists_graphs_and_nested_objects(site, redis):
    result = crawl(site, redis, "/pages/graphed/graph/careers")

    # Each posting is stated twice (the listing's JSON-LD, its own page): it is kept once.
    assert sorted(posting.external_id for posting in result.postings) == [
        f"JOB-{1000 + n}" for n in range(1, GRAPH_JOBS + 1)
    ]


@pytest.mark.parametrize(
    "kind, board",
    [
        ("greenhouse", (Source.greenhouse, "https://boards.greenhouse.io/{slug}")),
        ("lever", (Source.lever, "https://jobs.lever.co/{slug}")),
    ],
)
def test_an_embedded_or_linked_ats_board_is_returned(site, redis, kind, board):
    slug = f"boarded-{kind}"
    result = crawl(site, redis, f"/pages/{slug}/{kind}/careers")

    assert result.board == (board[0], board[1].format(slug=slug))
    assert (result.postings, result.pages) == ([], 1)


def test_a_chosen_source_reads_the_page_itself(site, redis, fake_browser):
    result = crawl(site, redis, "/pages/chosen/lever/careers", ats="jsonld")

    assert (result.board, result.postings) == (None, [])


def test_failed_detail_pages_are_skipped_not_fatal(site, redis):
    result = crawl(site, redis, "/pages/shaky/broken/careers")

    jobs = generate_jobs("shaky", 4)
    assert sorted(p.title for p in result.postings) == sorted([jobs[0].title, jobs[3].title])
    base = f"{site.base_url}/pages/shaky/broken/jobs"
    assert sorted(result.skipped) == [
        f"http: HTTP 404 ({base}/2)",
        f"parse: expected an HTML page, got application/pdf ({base}/3)",
    ]


def test_pages_robots_txt_disallows_are_skipped(redis):
    with SampleSite(robots_txt="User-agent: *\nDisallow: /jsonld/robo/jobs/2\n") as own:
        result = crawl(own, redis, "/jsonld/robo/careers")

    assert len(result.postings) == own.postings_per_company - 1
    assert [reason.split(":")[0] for reason in result.skipped] == ["robots"]


def test_an_unreadable_careers_page_fails_the_company(site, redis):
    with pytest.raises(FetchError) as failure:
        crawl(site, redis, "/pages/missing/nowhere/careers")

    assert failure.value.http_status == 404


def test_a_javascript_page_has_no_postings_without_the_browser(site, redis, fake_browser):
    result = crawl(site, redis, "/pages/scripted/js/careers")

    careers = f"{site.base_url}/pages/scripted/js/careers"
    assert fake_browser.calls == [
        careers
    ]  # read plainly first, found nothing, asked for the browser
    assert site.hits("/pages/scripted/js/careers") == 1
    assert (result.postings, result.rendered) == ([], True)


def test_render_true_goes_straight_to_the_browser(site, redis, fake_browser):
    careers = f"{site.base_url}/pages/rendered/js/careers"
    links = "".join(f'<a href="/jsonld/rendered/jobs/{n}">Job {n}</a>' for n in (1, 2))
    fake_browser.pages[careers] = f"<html><body><main>{links}</main></body></html>"

    result = crawl(site, redis, "/pages/rendered/js/careers", render=True)

    assert fake_browser.calls == [careers]
    assert site.hits("/pages/rendered/js/careers") == 0
    # The rendered page is read like any other; its detail pages need no browser.
    jobs = generate_jobs("rendered", 2)
    assert sorted(p.title for p in result.postings) == sorted(job.title for job in jobs)
    assert result.rendered


def test_robots_txt_applies_to_the_browser_too(redis, fake_browser):
    robots = "User-agent: *\nDisallow: /pages/\n"
    with SampleSite(robots_txt=robots) as own, pytest.raises(FetchError) as failure:
        crawl(own, redis, "/pages/private/js/careers", render=True)

    assert failure.value.category == "robots"
    assert fake_browser.calls == []


def test_a_missing_browser_is_a_clear_error(site, redis):
    with pytest.raises(FetchError) as failure:
        crawl(site, redis, "/pages/nobrowser/js/careers", browser_executable="/nowhere/chromium")

    assert failure.value.category == "browser"
    assert "cannot start /nowhere/chromium" in str(failure.value)


@pytest.mark.parametrize("slug", ["working", "life-sciences-co", "our-team"])
def test_company_slugs_that_read_like_nav_pages_still_have_postings(site, redis, slug):
    result = crawl(site, redis, f"/jsonld/{slug}/careers")
    assert len(result.postings) == site.postings_per_company and not result.rendered


# ---------------------------------------------------------------- links with no job word


@pytest.mark.parametrize("path", ["/hidden/shapes/team", "/hidden/shapes/en/careers.html"])
def test_links_of_one_shape_whose_pages_carry_jsonld_are_postings(site, redis, fake_browser, path):
    result = crawl(site, redis, path)

    jobs = generate_jobs("shapes", site.postings_per_company)
    assert sorted(p.title for p in result.postings) == sorted(job.title for job in jobs)
    # The page of that shape that is no posting ("How we hire", "About") is not one.
    assert all("how-we-hire" not in p.url and "about" not in p.url for p in result.postings)
    by_title = {p.title: p for p in result.postings}
    for job in jobs:
        posting = by_title[job.title]
        assert posting.locations[0].city == job.city
        assert posting.employment_type == EmploymentType(job.employment)
    assert (result.skipped, result.incomplete, fake_browser.calls) == ([], None, [])


def test_a_job_list_in_next_data_is_read_without_visiting_a_posting(site, redis, fake_browser):
    result = crawl(site, redis, "/hidden/nextco/next/careers")

    for posting, job in _matched(result, site, "nextco"):
        assert posting.url == f"{site.base_url}/hidden/nextco/next/o/{job.number}"
        assert posting.department == job.department
        place = posting.locations[0]
        assert (place.city, place.country) == (job.city, job.country_code)
        assert posting.remote == RemotePolicy(job.remote)
        assert posting.employment_type == EmploymentType(job.employment)
        assert (posting.salary and posting.salary.min) == (job.pay and job.pay.min)
        assert site.hits(f"/hidden/nextco/next/o/{job.number}") == 0
    assert fake_browser.calls == []


def test_a_job_list_in_app_state_is_read(site, redis, fake_browser):
    result = crawl(site, redis, "/hidden/stateco/state/careers")

    for posting, job in _matched(result, site, "stateco"):
        assert posting.url == f"{site.base_url}/hidden/stateco/state/jobs/{job.uid}"
        assert posting.external_id == job.uid and posting.department == job.team
        assert posting.employment_type == EmploymentType(job.employment)
    assert fake_browser.calls == []


def _matched(result: SiteCrawl, site, slug: str) -> list:
    """(posting, the sample job it stands for) for each posting; every job is found once."""
    jobs = {job.title: job for job in generate_jobs(slug, site.postings_per_company)}
    assert sorted(p.title for p in result.postings) == sorted(jobs)
    return [(posting, jobs[posting.title]) for posting in result.postings]


def test_postings_only_the_sitemap_lists_are_found_there(site, redis, fake_browser):
    sitemaps = ("/sitemap.xml", "/sitemaps/jobs.xml.gz")
    before = [site.hits(path) for path in sitemaps]
    result = crawl(site, redis, "/hidden/mapped/careers")

    jobs = generate_jobs("mapped", site.postings_per_company)
    assert sorted(p.title for p in result.postings) == sorted(job.title for job in jobs)
    assert {p.url.rpartition("/")[0] for p in result.postings} == {
        f"{site.base_url}/hidden/mapped/p"
    }
    # The index leads to the gzipped jobs sitemap; no browser was needed.
    assert [site.hits(path) - hits for path, hits in zip(sitemaps, before, strict=True)] == [1, 1]
    assert (fake_browser.calls, result.incomplete) == ([], None)


def test_a_sitemap_that_robots_txt_names_is_read_and_others_are_not_taken(redis, fake_browser):
    with SampleSite(robots_txt="User-agent: *\nAllow: /\nSitemap: /sitemaps/jobs.xml.gz\n") as own:
        found = crawl(own, redis, "/hidden/mapped/careers")
        # Another company on the same host: the sitemap's postings are not under its folder.
        other = crawl(own, redis, "/hidden/other/careers")

        assert len(found.postings) == own.postings_per_company
        assert own.hits("/sitemap.xml") == 0  # robots.txt named the sitemap to read
    assert other.postings == [] and other.incomplete.startswith("no postings found on ")


def test_a_page_that_says_it_has_no_openings_is_a_complete_empty_read(site, redis, fake_browser):
    result = crawl(site, redis, "/hidden/quiet/none/careers")

    assert (result.postings, result.incomplete, result.skipped) == ([], None, [])
    assert fake_browser.calls == []  # the page says so: nothing to render


def test_an_empty_read_that_proves_nothing_says_why(site, redis, fake_browser):
    careers = f"{site.base_url}/hidden/cagey/unreadable/careers"
    fake_browser.pages[careers] = site.respond("/hidden/cagey/unreadable/careers").body

    unreadable = crawl(site, redis, "/hidden/cagey/unreadable/careers")
    silent = crawl(site, redis, "/hidden/cagey/silent/careers")

    assert unreadable.postings == [] and silent.postings == []
    assert unreadable.incomplete == (
        f"{careers} says 'Open positions' but no posting could be read from it"
    )
    assert silent.incomplete == (
        f"no postings found on {site.base_url}/hidden/cagey/silent/careers, and the page does not"
        " say it has none"
    )


def test_links_that_look_like_postings_but_read_as_none_say_so(site, redis, fake_browser):
    careers = f"{site.base_url}/pages/shells/spa/careers"
    links = "".join(f'<li><a href="/pages/shells/spa/jobs/{n}">Job {n}</a></li>' for n in (1, 2))
    fake_browser.pages[careers] = f"<html><body><main><ul>{links}</ul></main></body></html>"

    result = crawl(site, redis, "/pages/shells/spa/careers")

    assert result.postings == []
    assert result.incomplete == (
        f"2 links look like postings but none could be read as one (first: "
        f"{site.base_url}/pages/shells/spa/jobs/1)"
    )
