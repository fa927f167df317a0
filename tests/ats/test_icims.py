"""iCIMS postings carry what the portal's search pages and each posting's JSON-LD state: the
title, the place (the JSON-LD's addresses, else the row's "US-CA-Monrovia" codes), the
workplace, the employment type, the Category, the posting date, the text, and pay fields as
the company words them.

The fixtures copy the real shapes of https://{portal}.icims.com/jobs/search?ss=1&in_iframe=1
(card rows, header fields, dt/dd tags, the pager) and of the posting pages' JSON-LD (iCIMS's
"UNAVAILABLE", occupationalCategory, employmentType "OTHER") documented in the adapter's module
docstring; their companies and texts are made up. The tests run the adapter's own `parse` and
`fetch` on them.
"""

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import icims
from tasks.fetch.sources.common import collect_notes
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Source

FIXTURES = Path(__file__).parent / "fixtures" / "icims"
PORTAL = "https://careers-northwind.icims.com"
COMPANY = Company(name="Northwind", careers_url=f"{PORTAL}/jobs/search?ss=1", ats=Source.icims)
MIRROR = "http://127.0.0.1:9/icims"
API = f"{MIRROR}/careers-northwind/jobs/search?ss=1&in_iframe=1"
# The targets a fetch asks the fixture site (its root is /icims): the pages, then each posting.
LIST = "/icims/careers-northwind/jobs/search?ss=1&in_iframe=1"
PAGE_2 = f"{LIST}&pr=1&searchRelation=keyword_all"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _job(job_id: int, slug: str) -> str:
    return f"/icims/careers-northwind/jobs/{job_id}/{slug}/job?in_iframe=1"


DETAILS = {
    _job(20679, "principal-i%2c-fusion-data-intelligence"): "job-20679.html",
    _job(75243, "sr.-field-support-specialist-%28ts-sci%29"): "job-75243.html",
    _job(47906, "retail-sales-associate"): "job-47906.html",
    _job(15503, "linux-engineer"): "job-15503.html",
}


def _fetch(site, redis, answers: dict) -> tuple[list, list[str]]:
    """The postings `fetch` reads over HTTP from `site` answering each target with a fixture
    (a file name or the markup itself), or with an HTTP status (an int), and what it skipped."""
    for target, answer in answers.items():
        if isinstance(answer, int):
            site.answer(target, "Gone", status=answer, content_type="text/plain")
        else:
            markup = answer if answer.startswith("<") else _read(answer)
            site.answer(target, markup, content_type="text/html; charset=utf-8")
    with collect_notes() as notes:
        postings = site.fetch(redis, icims, COMPANY, LIST)
    return postings, notes.skipped


def _asked(site) -> list[str]:
    """The targets `fetch` asked, less robots.txt (asked once a host, unless cached)."""
    return [target for target in site.asked if target != "/robots.txt"]


def _board(**changes) -> dict:
    return {LIST: "search-1.html", PAGE_2: "search-2.html", **DETAILS, **changes}


# --- parse: the search page alone ---------------------------------------------------------------


def test_a_search_page_states_each_rows_fields():
    jobs = {p.external_id: p for p in icims.parse(_read("search-1.html"), COMPANY)}
    # The talent-community link is no posting.
    assert sorted(jobs) == ["20679", "47906", "75243"]

    hybrid = jobs["20679"]
    assert hybrid.source is Source.icims
    assert hybrid.title == "Principal I, Fusion Data Intelligence"
    assert hybrid.url == f"{PORTAL}/jobs/20679/principal-i%2c-fusion-data-intelligence/job"
    assert hybrid.location == "Winston-Salem, NC, US; Dallas, TX, US"
    assert hybrid.locations == [
        Location(city="Winston-Salem", region="NC", country="US"),
        Location(city="Dallas", region="TX", country="US"),
    ]
    assert hybrid.department == "Global Technology Services"  # "Category (Portal Searching)"
    assert hybrid.posted_at == datetime(2026, 9, 30, tzinfo=UTC)  # the span's title, its day
    assert hybrid.remote is RemotePolicy.hybrid  # "Location Type"
    assert hybrid.employment_type is EmploymentType.full_time  # "Regular Full-Time"
    assert hybrid.description == "Lead the analytics platform behind our routing engine."
    assert hybrid.salary is None

    remote = jobs["75243"]
    assert remote.title == "Sr. Field Support Specialist (TS/SCI)"
    assert remote.location == "Remote, US"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote  # "US-Remote"
    assert remote.department == "Technicians/Technical Support"
    assert remote.posted_at == datetime(2026, 10, 2, tzinfo=UTC)

    store = jobs["47906"]
    assert store.location == "Toronto, ON, CA"
    assert store.locations == [Location(city="Toronto", region="ON", country="CA")]
    assert store.posted_at is None  # its right header is the requisition id
    assert store.remote is None
    assert store.employment_type is EmploymentType.part_time
    assert store.department == "Retail"
    # Pay as the company's field words it: into the description, not a structured salary.
    assert store.description == (
        "Help customers find the right plan in store.\n\nMaximum Pay\nCAD 21.50/hour"
    )
    assert store.salary is None


def test_older_rows_with_relative_links_and_h2_titles():
    (posting,) = icims.parse(_read("search-2.html"), COMPANY)
    assert posting.title == "Linux Engineer"
    assert posting.url == f"{PORTAL}/jobs/15503/linux-engineer/job"
    assert posting.location == "Bangalore, IN"
    assert posting.locations == [Location(city="Bangalore", country="IN")]
    assert posting.department == "Information Technology"
    assert posting.posted_at == datetime(2026, 10, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "said"), [("search-1.html", (1, 2)), ("search-2.html", (2, 2)), ("no-jobs.html", None)]
)
def test_the_pager_says_which_page_of_how_many(name, said):
    assert icims.listing(_read(name), API)[1] == said


def test_a_portal_without_openings_is_an_empty_board():
    assert icims.parse(_read("no-jobs.html"), COMPANY) == []


@pytest.mark.parametrize(
    ("payload", "got"),
    [
        (_read("challenge.html"), "'Human Verification'"),
        ("<html><body><p>Welcome</p></body></html>", "'a page without one'"),
        ("", "str"),
        ({"jobs": []}, "dict with keys ['jobs']"),
    ],
)
def test_a_page_that_is_no_search_page_is_a_clear_error(payload, got):
    with pytest.raises(ValueError, match=r"icims: expected an iCIMS job search page") as error:
        icims.parse(payload, COMPANY)
    assert got in str(error.value)


def test_an_odd_row_is_skipped_without_sinking_the_board(caplog):
    page = _read("search-1.html").replace("<h3>Retail Sales Associate</h3>", "<h3> </h3>")
    page = page.replace('title="47906 - Retail Sales Associate"', "")
    with caplog.at_level(logging.WARNING):
        postings = icims.parse(page, COMPANY)
    assert [p.external_id for p in postings] == ["20679", "75243"]
    assert "skipping job 47906" in caplog.text


@pytest.mark.parametrize(
    ("code", "place"),
    [
        ("US-CA-Monrovia", {"city": "Monrovia", "region": "CA", "country": "US"}),
        ("US-NC-Winston-Salem", {"city": "Winston-Salem", "region": "NC", "country": "US"}),
        ("IN-Bangalore", {"city": "Bangalore", "region": None, "country": "IN"}),
        ("US-Remote", {"city": "Remote", "region": None, "country": "US"}),
        ("Multiple Locations", "Multiple Locations"),
    ],
)
def test_icims_place_codes(code, place):
    assert icims._coded_place(code) == place


# --- fetch: every search page, then each posting's page -----------------------------------------


def test_fetch_reads_the_pages_the_pager_states_and_each_postings_json_ld(redis, fixture_site):
    assert icims.api_url(f"{PORTAL}/jobs/search?ss=1", root=f"{fixture_site.base_url}/icims") == (
        fixture_site.url(LIST)
    )
    postings, skipped = _fetch(fixture_site, redis, _board())

    # Two pages, as "Page 1 of 2" says, one after another; then the four postings' pages.
    asked = _asked(fixture_site)
    assert asked[:2] == [LIST, PAGE_2]
    assert sorted(asked[2:]) == sorted(DETAILS)
    assert skipped == []
    jobs = {p.external_id: p for p in postings}
    assert list(jobs) == ["20679", "75243", "47906", "15503"]

    hybrid = jobs["20679"]
    assert hybrid.url == f"{PORTAL}/jobs/20679/principal-i%2c-fusion-data-intelligence/job"
    assert hybrid.location == "Winston-Salem, NC, US; Dallas, TX, US"
    assert hybrid.locations == [
        Location(city="Winston-Salem", region="NC", country="US"),
        Location(city="Dallas", region="TX", country="US"),
    ]
    assert hybrid.posted_at == datetime(2026, 9, 30, 4, tzinfo=UTC)  # the JSON-LD's datePosted
    assert hybrid.employment_type is EmploymentType.full_time
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.department == "Global Technology Services"
    assert hybrid.description == (
        "Overview\nLead the analytics platform behind our routing engine.\nResponsibilities\n"
        "- Own the Fusion data model\n- Mentor three analysts\nQualifications\n"
        "Eight years of Oracle analytics & SQL."
    )

    remote = jobs["75243"]
    # The JSON-LD's title is the whole one; "UNAVAILABLE" is no city.
    assert remote.title == "Sr. Field Support Specialist (TS/SCI Clearance Required)"
    assert remote.location == "VA, US"
    assert remote.locations == [Location(region="VA", country="US")]
    assert remote.remote is RemotePolicy.remote
    # employmentType "OTHER" says nothing: the row's "Regular Full-Time" does.
    assert remote.employment_type is EmploymentType.full_time
    assert remote.posted_at == datetime(2026, 10, 4, 4, tzinfo=UTC)
    assert "CLEARANCE REQUIREMENTS: Top Secret/SCI" in remote.description

    store = jobs["47906"]
    assert store.location == "Toronto, ON, CA"
    assert store.employment_type is EmploymentType.part_time
    assert store.posted_at == datetime(2026, 10, 2, 4, tzinfo=UTC)
    assert store.description == (
        "At a Glance\nHelp customers find the right plan in store.\nPay\n"
        "CAD 18.00 to 21.50 per hour.\n\nMaximum Pay\nCAD 21.50/hour"
    )

    # A posting page without JSON-LD: the row alone.
    linux = jobs["15503"]
    assert linux.title == "Linux Engineer"
    assert linux.location == "Bangalore, IN"
    assert linux.posted_at == datetime(2026, 10, 1, tzinfo=UTC)
    assert linux.description == "Build and automate Linux infrastructure."


def test_the_json_ld_category_stands_in_for_a_row_without_one(redis, fixture_site):
    page = _read("search-1.html").replace("Category (Portal Searching)", "Division")
    postings, _ = _fetch(fixture_site, redis, _board(**{LIST: page}))
    assert {p.external_id: p.department for p in postings}["75243"] == (
        "Technicians/Technical Support"
    )


def test_a_posting_closed_since_it_was_listed_is_left_out(redis, fixture_site):
    closed = _job(47906, "retail-sales-associate")
    postings, skipped = _fetch(fixture_site, redis, _board(**{closed: 410}))
    assert [p.external_id for p in postings] == ["20679", "75243", "15503"]
    assert skipped == []


def test_a_page_that_is_not_the_one_asked_for_makes_the_read_short(redis, fixture_site):
    postings, skipped = _fetch(fixture_site, redis, _board(**{PAGE_2: "search-1.html"}))
    assert [p.external_id for p in postings] == ["20679", "75243", "47906"]
    [reason] = skipped
    assert reason.startswith("icims: items from offset 3 on not read: ")
    assert "asked for page 2, got page 1" in reason


def test_a_later_page_that_is_no_search_page_makes_the_read_short(redis, fixture_site):
    postings, skipped = _fetch(fixture_site, redis, _board(**{PAGE_2: "challenge.html"}))
    assert len(postings) == 3
    [reason] = skipped
    assert "expected an iCIMS job search page" in reason


def test_a_first_page_that_is_no_search_page_fails_the_board(redis, fixture_site):
    with pytest.raises(ValueError, match=r"icims: expected an iCIMS job search page"):
        _fetch(fixture_site, redis, _board(**{LIST: "challenge.html"}))


def test_an_empty_portal_reads_one_page_and_no_posting(redis, fixture_site):
    postings, skipped = _fetch(fixture_site, redis, {LIST: "no-jobs.html"})
    assert postings == [] and skipped == [] and _asked(fixture_site) == [LIST]


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://careers-northwind.icims.com",
        "https://careers-northwind.icims.com/jobs/search?ss=1&searchLocation=12781",
        "https://Careers-Northwind.iCIMS.com/jobs/20679/principal-i/job?in_iframe=1",
        "https://careers-northwind.icims.com/jobs/intro?hashed=-435621309&in_iframe=1",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert icims.board_url(careers_url) == f"{PORTAL}/"
    assert icims.api_url(careers_url) == f"{PORTAL}/jobs/search?ss=1&in_iframe=1"


def test_detail_url_follows_the_search_page():
    href = f"{PORTAL}/jobs/20679/principal-i%2c-fusion/job?in_iframe=1"
    assert icims.detail_url(f"{PORTAL}/jobs/search?ss=1&in_iframe=1", href) == (
        f"{PORTAL}/jobs/20679/principal-i%2c-fusion/job?in_iframe=1"
    )
    assert icims.detail_url(API, href) == (
        f"{MIRROR}/careers-northwind/jobs/20679/principal-i%2c-fusion/job?in_iframe=1"
    )
    assert icims.detail_url(API, f"{PORTAL}/jobs/intro?hashed=0") is None


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.icims.com/",
        "https://icims.com/products/talent-cloud/",
        "https://api.icims.com/customers/1234/jobs",
        "https://community.icims.com/s/article/1",
        "https://careers.northwind.example/jobs",
    ],
)
def test_a_url_without_a_portal_names_no_board(careers_url):
    assert icims.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"icims: no portal subdomain in careers URL") as error:
        icims.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
