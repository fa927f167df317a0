"""SuccessFactors postings carry what the two public feeds state.

A Career Site Builder site's RSS (/googlefeed.xml): the title without the place appended to it,
the job page, the RMK id, the place (city, region, country; postal codes dropped; the country
last), the job function as the department, the ad as text (also when escaped twice), and where a
site states them the publication date and the job type. A legacy career site's <Job-Listing>:
the requisition, its page, its columns read by their labels (places, department, employment
type, workplace) and its posting date, month- or day-first as the feed writes it.

The fixtures copy the real shapes documented in the adapter's module docstring (element names,
nesting, value spellings); their companies and texts are made up. The tests run the adapter's
own `parse`, and `fetch` against the sample site.
"""

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deployments.sample.ats.boards import board
from tasks.fetch.http import Fetcher
from tasks.fetch.sources import board_from_page, detect_source
from tasks.fetch.sources.ats import successfactors
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Source
from tasks.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "successfactors"
SITE = "https://jobs.northwind.example"
CSB = Company(name="Northwind", careers_url=f"{SITE}/", ats=Source.successfactors)
LEGACY_URL = "https://career4.successfactors.com/career?company=northwindP&lang=en_US"
LEGACY = Company(name="Northwind", careers_url=LEGACY_URL, ats=Source.successfactors)
JOB_PAGE = "https://career4.successfactors.com/career?career_ns=job_listing&company=northwindP"


def _feed() -> bytes:
    return (FIXTURES / "googlefeed.xml").read_bytes()


def _listing() -> bytes:
    return (FIXTURES / "job_listing.xml").read_bytes()


def _by_id(postings) -> dict:
    return {p.external_id: p for p in postings}


# --- Career Site Builder RSS --------------------------------------------------------------------


def test_every_stated_field_of_the_rss_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_id(successfactors.parse(_feed(), CSB))
    # The last item has no <link>: skipped, and said so.
    assert sorted(jobs) == ["1234567", "1240011", "1240377", "1240480", "1386549900"]
    assert "skipping job 1100001: url" in caplog.text

    data = jobs["1234567"]
    assert data.source is Source.successfactors
    assert data.title == "Senior Data Engineer"  # "(Tel Aviv, IL)" names its place
    assert data.url == f"{SITE}/job/Tel-Aviv-Senior-Data-Engineer/1234567/"
    assert data.location == "Tel Aviv, Israel"  # the postal code is no place
    assert data.locations == [Location(city="Tel Aviv", country="IL")]
    assert data.department == "Engineering"
    assert data.description == (
        "Lead the data platform of our R&D centre.\n- Spark and Kafka\n- Five years of data work"
    )
    # g:expiration_date is when it closes; the item states no posting date.
    assert data.posted_at is None
    assert data.remote is None and data.employment_type is None and data.salary is None

    night = jobs["1240011"]
    assert night.title == "Warehouse Lead, Night Shift"
    assert night.location == "Tempe, AZ, US"
    assert night.locations == [Location(city="Tempe", region="AZ", country="US")]
    assert night.department is None  # the ATS_WEBFORM placeholder is no function
    assert night.posted_at == datetime(2026, 8, 18, tzinfo=UTC)  # pubDate, where stated
    assert night.employment_type is EmploymentType.part_time  # g:job_type
    assert night.salary is None  # pay in prose stays in the text
    assert night.description.endswith("Pay: $24.50 - $29.00 per hour.")

    # Two parts are city and country: "DE" is Germany, not Delaware.
    german = jobs["1240377"]
    assert german.title == "Maschinenbauingenieur (m/w/d)"
    assert german.location == "Walldorf, DE"
    assert german.locations == [Location(city="Walldorf", country="DE")]

    # No g:id: the guid. Parentheses that name no place stay in the title; an ad escaped twice.
    specialist = jobs["1240480"]
    assert specialist.title == "Specialist (Research, AI)"
    assert specialist.description == "Fresh graduates welcome; Python & PyTorch."
    assert specialist.department == "Research & Development"
    assert specialist.locations == [Location(city="Geneva", country="CH")]

    # A location without a country is read as text; the title names no place in parentheses.
    tampa = jobs["1386549900"]
    assert tampa.title == "Hospital Account Manager - Tampa, FL"
    assert tampa.location == "Tampa, Florida"
    assert tampa.locations == [Location(city="Tampa", region="Florida")]
    assert tampa.department is None


def test_an_item_without_any_id_is_named_by_its_link():
    item = "<item><title>Welder</title><link>https://jobs.x.example/job/W/1/</link></item>"
    (posting,) = successfactors.parse(f"<rss><channel>{item}</channel></rss>", CSB)
    assert posting.external_id == "https://jobs.x.example/job/W/1/"
    assert posting.location is None and posting.locations == []


# --- legacy <Job-Listing> -----------------------------------------------------------------------


def test_every_stated_field_of_the_job_listing_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_id(successfactors.parse(_listing(), LEGACY))
    assert sorted(jobs) == ["782174", "782190", "9660"]
    assert "skipping job 782199: title" in caplog.text

    channel = jobs["9660"]
    assert channel.title == "Channel Manager"
    assert channel.url == f"{JOB_PAGE}&career_job_req_id=9660"
    assert channel.location == "San Jose, CA, USA"  # <Location> wins over the Country column
    assert channel.locations == [Location(city="San Jose", region="CA", country="US")]
    assert channel.department == "Sales"  # "Job Family / Functional Area"
    assert channel.employment_type is EmploymentType.full_time  # "Regular Full Time"
    assert channel.posted_at == datetime(2026, 9, 23, tzinfo=UTC)  # MM/DD/YYYY
    assert channel.description == (
        "Grow our partner channel in the West.\nWhat you bring\n- Channel sales & alliances"
    )
    assert channel.remote is None and channel.salary is None

    # Places from labelled columns, in whatever order and numbering the company chose.
    engineer = jobs["782174"]
    assert engineer.location == "Kista, Stockholm, Sweden"
    assert engineer.locations == [Location(city="Kista", region="Stockholm", country="SE")]
    assert engineer.department == "Networks"
    assert engineer.employment_type is EmploymentType.temporary
    assert engineer.remote is RemotePolicy.hybrid  # "Remote Work Option"
    assert engineer.posted_at == datetime(2026, 10, 1, tzinfo=UTC)

    lab = jobs["782190"]
    assert lab.title == "R&D Lab Technician"  # the title is escaped once more
    assert lab.location == "Lund, Sweden"  # "Posting Location"; "Location Type" is no place
    assert lab.locations == [Location(city="Lund", country="SE")]
    assert lab.remote is RemotePolicy.onsite
    assert lab.posted_at is None  # an empty date
    assert lab.department is None and lab.employment_type is None


def test_a_day_first_feed_is_read_day_first_throughout():
    job = "<Job><ReqId>{}</ReqId><JobTitle>Nurse</JobTitle><Posted-Date>{}</Posted-Date></Job>"
    feed = f"<Job-Listing>{job.format(1, '25/09/2026')}{job.format(2, '03/10/2026')}</Job-Listing>"
    dates = [p.posted_at for p in successfactors.parse(feed, LEGACY)]
    assert dates == [datetime(2026, 9, 25, tzinfo=UTC), datetime(2026, 10, 3, tzinfo=UTC)]


def test_legacy_job_pages_come_from_the_careers_url_also_on_a_mirror():
    api = "http://127.0.0.1:9/successfactors/career?company=northwindP&career_ns=x"
    company = Company(name="Northwind", careers_url=LEGACY_URL, api_url=api)
    (posting, *_) = successfactors.parse(_listing(), company)
    assert posting.url == f"{JOB_PAGE}&career_job_req_id=9660"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Career',
            r"successfactors: expected an XML <rss> or <Job-Listing> document, got '<!doctype",
        ),
        (b"<?xml version='1.0'?><error/>", r"successfactors: .*got <error>"),
        ({"jobs": []}, r"successfactors: expected an XML .*got dict"),
        (b"", r"successfactors: expected an XML <rss> or <Job-Listing> document"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        successfactors.parse(payload, CSB)


def test_the_feeds_read_no_entities_or_external_files():
    feed = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        "<rss><channel><item><title>Welder &secret;</title><link>https://x.example/1</link>"
        "</item></channel></rss>"
    )
    (posting,) = successfactors.parse(feed, CSB)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "?"
    assert posting.title.startswith("Welder") and hostname not in posting.title


# --- the legacy feed end to end ----------------------------------------------------------------


def test_fetch_reads_a_legacy_site_from_the_sample_site(redis, site):
    settings = Settings(allow_private_hosts=True, retry_wait_max_s=0.2, host_interval_s=0)
    careers_url = "https://career5.successfactors.eu/career?company=acme-legacy-5"
    api = successfactors.api_url(careers_url, root=f"{site.base_url}/successfactors")
    company = Company(name="Acme", careers_url=careers_url, api_url=api)

    async def main():
        async with Fetcher(settings, redis) as fetcher:
            return await successfactors.fetch(fetcher, api, company)

    postings = asyncio.run(main())
    jobs = board(site, "acme-legacy-5")
    assert [p.title for p in postings] == [job.title for job in jobs]
    for posting, job in zip(postings, jobs, strict=True):
        assert posting.external_id == str(job.number)
        assert posting.url == (
            "https://career5.successfactors.eu/career?career_ns=job_listing"
            f"&company=acme-legacy-5&career_job_req_id={job.number}"
        )
        assert posting.locations == [
            Location(city=job.city, region=job.region, country=job.country_code)
        ]
        assert posting.department == job.department
        assert posting.employment_type == job.employment
        assert posting.posted_at == datetime.combine(job.posted_at.date(), datetime.min.time(), UTC)
        assert job.blocks[-1][1] in posting.description


# --- URLs and detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "board", "api"),
    [
        (
            "https://northwind.jobs2web.com/job/Berlin-Engineer/1234567/",
            "https://northwind.jobs2web.com/",
            "https://northwind.jobs2web.com/googlefeed.xml",
        ),
        (
            "https://Northwind.valhalla.stage.jobs2web.com/search/?q=",
            "https://northwind.valhalla.stage.jobs2web.com/",
            "https://northwind.valhalla.stage.jobs2web.com/googlefeed.xml",
        ),
        (
            "https://jobs.northwind.example/talentcommunity/subscribe/",
            "https://jobs.northwind.example/",
            "https://jobs.northwind.example/googlefeed.xml",
        ),
        (
            "https://jobs.northwind.example/sitemal.xml",
            "https://jobs.northwind.example/",
            "https://jobs.northwind.example/sitemal.xml",
        ),
        (
            "https://career4.successfactors.com/career?company=northwindP&career_ns=job_listing"
            "&career_job_req_id=9660",
            "https://career4.successfactors.com/career?company=northwindP",
            "https://career4.successfactors.com/career?company=northwindP"
            "&career_ns=job_listing_summary&resultType=XML",
        ),
        (
            "https://career17.sapsf.com/career?company=TTCPRODUCTION&navBarLevel=JOB_SEARCH",
            "https://career17.sapsf.com/career?company=TTCPRODUCTION",
            "https://career17.sapsf.com/career?company=TTCPRODUCTION"
            "&career_ns=job_listing_summary&resultType=XML",
        ),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, board, api):
    assert successfactors.board_url(careers_url) == board
    assert successfactors.api_url(careers_url) == api


def test_a_careers_url_on_the_company_domain_reads_its_feed():
    """A Career Site Builder domain names no ATS; a company configured as SuccessFactors does."""
    assert detect_source("https://jobs.northwind.example/") is Source.jsonld
    assert successfactors.board_url("https://jobs.northwind.example/") is None
    assert successfactors.api_url("https://jobs.northwind.example/") == (
        "https://jobs.northwind.example/googlefeed.xml"
    )


@pytest.mark.parametrize(
    ("careers_url", "api"),
    [
        ("https://northwind.jobs2web.com/", "http://127.0.0.1:9/sf/northwind/googlefeed.xml"),
        (
            "https://jobs.northwind.example/",
            "http://127.0.0.1:9/sf/jobs.northwind.example/googlefeed.xml",
        ),
        (
            "https://career2.successfactors.eu/career?company=SwissRe",
            "http://127.0.0.1:9/sf/career?company=SwissRe&career_ns=job_listing_summary"
            "&resultType=XML",
        ),
    ],
)
def test_api_url_on_a_mirror(careers_url, api):
    assert successfactors.api_url(careers_url, root="http://127.0.0.1:9/sf/") == api


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.successfactors.com/",
        "https://rmkcdn.successfactors.com/84a8fcf6/8b5fa9e6-27c5-4c4d.js",
        "https://career5.successfactors.eu/career",
        "https://performancemanager4.successfactors.com/login?company=northwindP",
        "https://career5.sapsf.eu/",
        "https://www.jobs2web.com/",
    ],
)
def test_a_url_without_a_site_or_company_names_no_board(careers_url):
    assert successfactors.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"successfactors: no career site or company id") as error:
        successfactors.api_url(careers_url)
    assert repr(careers_url) in str(error.value)


def test_a_career_site_builder_page_is_found_by_its_own_links():
    page = (
        '<html><head><script src="https://rmkcdn.successfactors.com/84a8fcf6/main.js"></script>'
        '</head><body><a href="/job/Berlin-Engineer/1234567/">Engineer</a>'
        '<a href="/talentcommunity/subscribe/">Join our talent community</a></body></html>'
    )
    assert board_from_page(page, "https://jobs.northwind.example/search/") == (
        Source.successfactors,
        "https://jobs.northwind.example/",
    )
