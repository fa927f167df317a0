"""Taleo Business Edition postings carry what the career site's RSS feed states (the place from
its city / ISO state / country parts, the department, the posting date, the ad), and every
posting of the site's job list is read: the ones the feed leaves out from their own pages.

The fixtures copy the real shapes documented in the adapter's module docstring (the feed's
urn:TBERss elements, the v2 list's classes and links, a job page with and without JSON-LD, a
closed job's page); their companies and texts are made up. The tests run the adapter's own
`parse`, and its `fetch` over real HTTP (tests/fixture_site.py).
"""

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources import board_from_page
from tasks.fetch.sources.ats import taleo
from tasks.fetch.sources.common import collect_notes
from tasks.models import Company, EmploymentType, Location, Source

FIXTURES = Path(__file__).parent / "fixtures" / "taleo"
SITE = "https://phf.tbe.taleo.net/phf01/ats/careers"
CAREERS = f"{SITE}/v2/searchResults?org=GULFSTAR&cws=45"
COMPANY = Company(name="Gulfstar Energy", careers_url=CAREERS, ats=Source.taleo)


def _page(rid: int) -> str:
    return f"{SITE}/v2/viewRequisition?org=GULFSTAR&cws=45&rid={rid}"


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- the feed ----------------------------------------------------------------------------------


def test_every_stated_field_of_the_feed_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = {p.external_id: p for p in taleo.parse(_fixture("rss.xml"), COMPANY)}
    assert sorted(jobs) == ["1006", "1011", "1015"]
    assert "skipping job 1019: title" in caplog.text

    engineer = jobs["1006"]
    assert engineer.source is Source.taleo
    assert engineer.title == "Subsea Controls Engineer"
    # The feed links the old requisition.jsp address; the posting's page is the v2 one.
    assert engineer.url == _page(1006)
    assert engineer.location == "US - Texas, Houston, Gulfstar Corporate"  # the site's label
    assert engineer.locations == [Location(city="Houston", region="TX", country="US")]  # "US-TX"
    assert engineer.department == "Engineering"
    assert engineer.posted_at == datetime(2026, 3, 11, 13, 17, 13, tzinfo=UTC)
    assert (
        engineer.description == "Design subsea control systems.\nRequirements\n- 5 years offshore"
    )
    assert engineer.remote is None and engineer.employment_type is None
    assert engineer.salary is None

    # No locationCountry: "US-IL" names it. The ad is escaped once more. No department.
    payroll = jobs["1011"]
    assert payroll.location == "Chicago (Loop), IL"
    assert payroll.locations == [Location(city="Chicago", region="IL", country="US")]
    assert payroll.description == "Run payroll for our Chicago office & its 40 staff."
    assert payroll.department is None
    assert payroll.posted_at == datetime(2026, 8, 20, 16, 53, 36, tzinfo=UTC)

    # No reqId (the link's rid), no place parts (the label), an empty HTML ad (the plain one).
    deckhand = jobs["1015"]
    assert deckhand.url == _page(1015)
    assert deckhand.location == "Port Fourchon, LA"
    assert deckhand.locations == [Location(city="Port Fourchon", region="LA", country="US")]
    assert deckhand.description == "Relief crew for our supply vessels. Rotations of 28 days."
    assert deckhand.department == "Marine"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<!DOCTYPE html><html><body>Come Back Soon", r"taleo: expected an XML <rss> document"),
        (b"<?xml version='1.0'?><error/>", r"taleo: .*got <error>"),
        ({"items": []}, r"taleo: expected an XML <rss> document, got dict"),
    ],
)
def test_malformed_feed_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        taleo.parse(payload, COMPANY)


# --- job pages ---------------------------------------------------------------------------------


def _detail(name: str) -> dict:
    return taleo.detail_fields({"url": _page(1), "markup": _fixture(name).decode()})


def test_a_job_page_gives_its_json_ld_else_its_description_block():
    assert _detail("requisition.html") == {
        "location": "Lafayette, LA, US",
        "locations": [Location(city="Lafayette", region="LA", country="US")],
        "description": "Maintain rig electrical systems.\n- Journeyman licence",
        "posted_at": datetime(2026, 8, 12, tzinfo=UTC),  # "2026-08-12 00:00:00.0"
        "employment_type": EmploymentType.full_time,
    }
    assert _detail("requisition_without_jsonld.html") == {
        "description": "Lead our safety meetings.\nOSHA 30 required."
    }
    assert _detail("requisition_closed.html") == {"closed": True}


def test_a_list_page_that_is_no_job_list_is_an_error():
    with pytest.raises(ValueError, match=r"taleo: expected a career site job list"):
        taleo._rows("<html><body>Recruiter login</body></html>", CAREERS)


# --- fetch: the feed, the list and the pages the feed leaves out --------------------------------


FEED = (
    "/taleo/phf01/ats/servlet/Rss?org=GULFSTAR&cws=45&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2"
)
LIST = "/taleo/phf01/ats/careers/v2/searchResults?org=GULFSTAR&cws=45"
RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"


def _mirror_page(rid: int) -> str:
    return f"/taleo/phf01/ats/careers/v2/viewRequisition?org=GULFSTAR&cws=45&rid={rid}"


def _answers() -> dict:
    """What the site answers, by target: (body, content type), or an HTTP status."""
    return {
        FEED: (_fixture("rss.xml"), RSS),
        LIST: (_fixture("search_results.html"), HTML),
        _mirror_page(1022): (_fixture("requisition.html"), HTML),
        _mirror_page(1024): (_fixture("requisition_without_jsonld.html"), HTML),
        _mirror_page(1030): (_fixture("requisition_closed.html"), HTML),
    }


def _fetch(redis, site, answers: dict):
    assert taleo.api_url(CAREERS, root=f"{site.base_url}/taleo") == site.url(FEED)
    for target, answer in answers.items():
        if isinstance(answer, int):
            site.answer(target, f"HTTP {answer}", status=answer, content_type="text/plain")
        else:
            site.answer(target, answer[0], content_type=answer[1])
    with collect_notes() as notes:
        return site.fetch(redis, taleo, COMPANY, FEED), notes


def _asked(site) -> list[str]:
    """The targets asked besides robots.txt (the job list and pages are web pages)."""
    return [target for target in site.asked if target != "/robots.txt"]


def test_fetch_reads_the_listed_postings_the_feed_leaves_out_from_their_pages(redis, fixture_site):
    postings, notes = _fetch(redis, fixture_site, _answers())

    # Only the pages of listed postings missing from the feed are read (on the mirror).
    assert sorted(_asked(fixture_site)) == sorted(_answers())
    # The list's order (1030 closed since it was listed); then what only the feed states.
    assert [p.external_id for p in postings] == ["1022", "1006", "1024", "1011", "1015"]
    assert notes.skipped == []
    electrician, engineer, safety = postings[:3]
    assert electrician.title == "Rig Electrician"  # the list's title
    assert electrician.url == _page(1022)  # the real site's page, not the mirror's
    assert electrician.posted_at == datetime(2026, 8, 12, tzinfo=UTC)
    assert electrician.employment_type is EmploymentType.full_time
    assert electrician.locations == [Location(city="Lafayette", region="LA", country="US")]
    assert engineer.department == "Engineering"  # from the feed
    assert safety.description == "Lead our safety meetings.\nOSHA 30 required."
    assert safety.url == _page(1024)  # a root-relative link on the list
    assert safety.posted_at is None and safety.location is None


def test_a_switched_off_feed_leaves_the_list_and_the_pages(redis, fixture_site):
    answers = _answers() | {FEED: 404, _mirror_page(1006): (_fixture("requisition.html"), HTML)}
    postings, notes = _fetch(redis, fixture_site, answers)
    assert [p.external_id for p in postings] == ["1022", "1006", "1024"]
    assert notes.skipped == []


def test_an_unreadable_list_keeps_the_feed_and_says_so(redis, fixture_site):
    postings, notes = _fetch(redis, fixture_site, _answers() | {LIST: 503})
    assert [p.external_id for p in postings] == ["1006", "1011", "1015"]
    [reason] = notes.skipped
    assert reason.startswith("taleo: job list not read, only the feed's postings are: http")


def test_a_dead_site_is_an_error(redis, fixture_site):
    login = (b"<html><body><form>Recruiter login</form></body></html>", HTML)
    with pytest.raises(ValueError, match=r"taleo: expected a career site job list"):
        _fetch(redis, fixture_site, _answers() | {FEED: 404, LIST: login})


# --- URLs and detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "board", "api"),
    [
        (
            CAREERS,
            CAREERS,
            "https://phf.tbe.taleo.net/phf01/ats/servlet/Rss?org=GULFSTAR&cws=45"
            "&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2",
        ),
        (
            "https://PHF.tbe.taleo.net/phf01/ats/careers/v2/viewRequisition?org=GULFSTAR&cws=45"
            "&rid=1006",
            CAREERS,
            "https://phf.tbe.taleo.net/phf01/ats/servlet/Rss?org=GULFSTAR&cws=45"
            "&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2",
        ),
        (
            "https://tbe.taleo.net/NA1/ats/careers/requisition.jsp?org=EKKON&cws=38&rid=352",
            "https://tbe.taleo.net/NA1/ats/careers/v2/searchResults?org=EKKON&cws=38",
            "https://tbe.taleo.net/NA1/ats/servlet/Rss?org=EKKON&cws=38"
            "&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2",
        ),
        (
            "https://ch.tbe.taleo.net/CH06/ats/servlet/Rss?org=CVENT2&cws=40",
            "https://ch.tbe.taleo.net/CH06/ats/careers/v2/searchResults?org=CVENT2&cws=40",
            "https://ch.tbe.taleo.net/CH06/ats/servlet/Rss?org=CVENT2&cws=40"
            "&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2",
        ),
    ],
)
def test_board_and_feed_from_careers_and_job_urls(careers_url, board, api):
    assert taleo.board_url(careers_url) == board
    assert taleo.api_url(careers_url) == api


def test_api_url_on_a_mirror_keeps_the_pod():
    assert taleo.api_url(CAREERS, root="http://127.0.0.1:9/taleo") == (
        "http://127.0.0.1:9/taleo/phf01/ats/servlet/Rss?org=GULFSTAR&cws=45"
        "&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://phf.tbe.taleo.net/phf01/ats/careers/v2/searchResults?org=GULFSTAR",
        "https://phf.tbe.taleo.net/phf01/ats/careers/v2/searchResults?cws=45",
        "https://phf.tbe.taleo.net/",
        "https://acme.taleo.net/careersection/2/jobsearch.ftl?lang=en",
        "https://www.oracle.com/human-capital-management/taleo/",
    ],
)
def test_a_url_without_org_and_cws_names_no_board(careers_url):
    assert taleo.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"taleo: no org and cws in careers URL") as error:
        taleo.api_url(careers_url)
    assert repr(careers_url) in str(error.value)


def test_a_company_page_linking_its_career_site_names_it():
    page = (
        '<html><body><a href="https://phf.tbe.taleo.net/phf01/ats/careers/v2/searchResults?'
        'org=GULFSTAR&amp;cws=45">Open positions</a></body></html>'
    )
    assert board_from_page(page, "https://www.gulfstar.example/careers") == (Source.taleo, CAREERS)
