"""Jobvite postings carry what the career site's search pages and each posting's page state:
the title, the places (the JSON-LD's, with their country, else the meta line's), the workplace
as the place text words it, the employment type, the category, the posting date, the text,
and pay (the JSON-LD's baseSalary, and the meta line's pay in the description).

The fixtures copy the real shapes of https://jobs.jobvite.com/{company}/search/?p=N (the table
and card layouts, "N Locations", jv-pagination-text) and of the posting pages (jv-header,
jv-job-detail-meta, jv-job-detail-description, JSON-LD with industry and identifier, the job
list a closed posting answers with) documented in the adapter's module docstring; their
companies and texts are made up. The tests run the adapter's own `parse` and `fetch` on them.
"""

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import jobvite
from tasks.fetch.sources.common import collect_notes
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, Source

FIXTURES = Path(__file__).parent / "fixtures" / "jobvite"
SITE = "https://jobs.jobvite.com/northwind"
COMPANY = Company(name="Northwind", careers_url=f"{SITE}/jobs", ats=Source.jobvite)
MIRROR = "http://127.0.0.1:9/jobvite"
API = f"{MIRROR}/northwind/search/?p=0"
# The targets a fetch asks the fixture site (its root is /jobvite): the pages, then each posting.
LIST = "/jobvite/northwind/search/?p=0"
PAGE_1 = "/jobvite/northwind/search/?p=1"
IDS = ["oAcct1Fw", "oRem2Fwq", "oMkt3FwZ", "oHyb4FwT"]
DETAILS = {f"/jobvite/northwind/job/{job_id}": f"job-{job_id}.html" for job_id in IDS}


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _fetch(site, redis, answers: dict) -> tuple[list, list[str]]:
    """The postings `fetch` reads over HTTP from `site` answering each target with a fixture
    (a file name or the markup itself), or with an HTTP status (an int), and what it skipped."""
    for target, answer in answers.items():
        if isinstance(answer, int):
            site.answer(target, "Gone", status=answer, content_type="text/plain")
        elif answer == "redirect":  # to the job list, as Jobvite sends a closed posting's page
            listing = "/jobvite/northwind/jobs?error=404"
            site.answer(target, "", status=303, headers={"Location": listing})
            site.answer(listing, _read("search-0.html"), content_type="text/html; charset=utf-8")
        else:
            markup = answer if answer.startswith("<") else _read(answer)
            site.answer(target, markup, content_type="text/html; charset=utf-8")
    with collect_notes() as notes:
        postings = site.fetch(redis, jobvite, COMPANY, LIST)
    return postings, notes.skipped


def _asked(site) -> list[str]:
    """The targets `fetch` asked, less robots.txt (asked once a host, unless cached)."""
    return [target for target in site.asked if target != "/robots.txt"]


def _board(**changes) -> dict:
    return {LIST: "search-0.html", PAGE_1: "search-1.html", **DETAILS, **changes}


# --- parse: the search page alone ---------------------------------------------------------------


def test_a_search_page_states_each_rows_fields():
    jobs = {p.external_id: p for p in jobvite.parse(_read("search-0.html"), COMPANY)}
    # Seeker tools and the featured copy of a posting are no more postings.
    assert list(jobs) == ["oAcct1Fw", "oRem2Fwq", "oMkt3FwZ"]

    office = jobs["oAcct1Fw"]
    assert office.source is Source.jobvite
    assert office.title == "Senior Accountant"
    assert office.url == f"{SITE}/job/oAcct1Fw"
    assert office.location == "Winston-Salem, North Carolina"
    # The list names no country: the place as the text says it.
    assert office.locations == [Location(city="Winston-Salem", region="North Carolina")]
    assert office.remote is None  # an office names no workplace
    assert office.employment_type is EmploymentType.full_time  # the type cell
    assert office.department is None and office.posted_at is None and office.description == ""

    remote = jobs["oRem2Fwq"]
    assert remote.location == "Remote, United States"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.part_time

    several = jobs["oMkt3FwZ"]
    assert several.location is None and several.locations == []  # "3 Locations" names none
    assert several.employment_type is None


def test_card_rows_with_a_query_on_the_link():
    (posting,) = jobvite.parse(_read("search-1.html"), COMPANY)
    assert posting.external_id == "oHyb4FwT"
    assert posting.url == f"{SITE}/job/oHyb4FwT"
    assert posting.title == "Warehouse Lead"
    assert posting.location == "Hybrid Remote, Salt Lake City, Utah"
    assert posting.remote is RemotePolicy.hybrid


@pytest.mark.parametrize(
    ("name", "stated"),
    [("search-0.html", (1, 3, 4)), ("search-1.html", (4, 4, 4)), ("no-results.html", None)],
)
def test_the_pager_says_which_rows_of_how_many(name, stated):
    assert jobvite.listing(_read(name), API)[1] == stated


def test_a_site_without_openings_is_an_empty_board():
    assert jobvite.parse(_read("no-results.html"), COMPANY) == []


@pytest.mark.parametrize(
    ("payload", "got"),
    [
        (_read("support.html"), "'Job Seeker Support | Jobvite'"),
        ("<html><body><p>Welcome</p></body></html>", "'a page without one'"),
        (b"", "bytes"),
        ([], "list"),
    ],
)
def test_a_page_that_is_no_search_page_is_a_clear_error(payload, got):
    with pytest.raises(ValueError, match=r"jobvite: expected a Jobvite search page") as error:
        jobvite.parse(payload, COMPANY)
    assert got in str(error.value)


def test_an_odd_row_is_skipped_without_sinking_the_board(caplog):
    page = _read("search-0.html").replace(">Support Engineer</a>", "> </a>")
    with caplog.at_level(logging.WARNING):
        postings = jobvite.parse(page, COMPANY)
    assert [p.external_id for p in postings] == ["oAcct1Fw", "oMkt3FwZ"]
    assert "skipping job oRem2Fwq" in caplog.text


# --- fetch: every search page, then each posting's page -----------------------------------------


def test_fetch_reads_every_page_to_the_stated_total_and_each_posting(redis, fixture_site):
    assert jobvite.api_url(f"{SITE}/jobs", root=f"{fixture_site.base_url}/jobvite") == (
        fixture_site.url(LIST)
    )
    postings, skipped = _fetch(fixture_site, redis, _board())

    asked = _asked(fixture_site)
    assert asked[:2] == [LIST, PAGE_1]  # "1-3 of 4", then "4-4 of 4": no third page
    assert sorted(asked[2:]) == sorted(DETAILS)
    assert skipped == []
    jobs = {p.external_id: p for p in postings}
    assert list(jobs) == IDS

    office = jobs["oAcct1Fw"]
    assert office.title == "Senior Accountant"
    assert office.url == f"{SITE}/job/oAcct1Fw"
    assert office.location == "Winston-Salem, North Carolina, United States"
    assert office.locations == [
        Location(city="Winston-Salem", region="North Carolina", country="US")
    ]
    assert office.department == "Accounting & Finance"
    assert office.posted_at == datetime(2026, 7, 18, tzinfo=UTC)
    assert office.employment_type is EmploymentType.full_time
    assert office.remote is None
    assert office.salary == Salary(min=85000, max=105000, currency="USD", period="year")
    assert office.description == (
        "About the role\nClose the books every month & own the audit.\n- CPA\n"
        "- Five years in public accounting\n\n$85,000 - $105,000 per year"
    )

    # No JSON-LD: the page's own title, meta places and text.
    remote = jobs["oRem2Fwq"]
    assert remote.title == "Support Engineer (Evenings)"
    assert remote.department == "Customer Success"
    assert remote.location == "Remote, United States"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.part_time  # the list's type cell
    assert remote.posted_at is None
    assert remote.description == (
        "Description\nAnswer our customers' questions from home, four evenings a week."
    )

    several = jobs["oMkt3FwZ"]
    assert several.location == (
        "Bangalore, Karnataka, India; San Jose, California, United States; Singapore"
    )
    assert [place.country for place in several.locations] == ["IN", "US", "SG"]
    assert several.department == "Marketing"
    assert several.posted_at == datetime(2026, 8, 2, tzinfo=UTC)
    assert several.remote is None

    hybrid = jobs["oHyb4FwT"]
    assert hybrid.location == "Salt Lake City, Utah, United States"
    assert hybrid.remote is RemotePolicy.hybrid  # "Hybrid Remote , Salt Lake City, Utah"
    assert hybrid.employment_type is EmploymentType.part_time
    assert hybrid.department == "Operations"


def test_the_json_ld_industry_stands_in_for_a_meta_line_without_one(redis, fixture_site):
    page = _read("job-oHyb4FwT.html").replace('<p class="jv-job-detail-meta">', '<p class="x">')
    postings, _ = _fetch(fixture_site, redis, _board(**{"/jobvite/northwind/job/oHyb4FwT": page}))
    assert {p.external_id: p.department for p in postings}["oHyb4FwT"] == "Operations"


@pytest.mark.parametrize(
    "closed",
    [
        "gone.html",  # 200, the job list and "The job listing no longer exists."
        "redirect",  # 303 to the job list, /jobs?error=404
        410,
    ],
)
def test_a_posting_closed_since_it_was_listed_is_left_out(redis, fixture_site, closed):
    closing = {"/jobvite/northwind/job/oMkt3FwZ": closed}
    postings, skipped = _fetch(fixture_site, redis, _board(**closing))
    assert [p.external_id for p in postings] == ["oAcct1Fw", "oRem2Fwq", "oHyb4FwT"]
    assert skipped == []


def test_a_page_that_starts_elsewhere_than_asked_makes_the_read_short(redis, fixture_site):
    # /search?p=1 without its slash answers the first page again.
    postings, skipped = _fetch(fixture_site, redis, _board(**{PAGE_1: "search-0.html"}))
    assert [p.external_id for p in postings] == IDS[:3]
    [reason] = skipped
    assert reason.startswith("jobvite: items from offset 3 on not read: ")
    assert "asked for postings from 4, got 1-3" in reason


def test_a_later_page_that_is_no_search_page_makes_the_read_short(redis, fixture_site):
    postings, skipped = _fetch(fixture_site, redis, _board(**{PAGE_1: "support.html"}))
    assert len(postings) == 3
    [reason] = skipped
    assert "expected a Jobvite search page" in reason


def test_a_first_page_that_is_no_search_page_fails_the_board(redis, fixture_site):
    # An unknown company lands on Jobvite's job-seeker support page.
    with pytest.raises(ValueError, match=r"jobvite: expected a Jobvite search page"):
        _fetch(fixture_site, redis, _board(**{LIST: "support.html"}))


def test_an_empty_site_reads_one_page_and_no_posting(redis, fixture_site):
    postings, skipped = _fetch(fixture_site, redis, {LIST: "no-results.html"})
    assert postings == [] and skipped == [] and _asked(fixture_site) == [LIST]


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://jobs.jobvite.com/northwind",
        "https://jobs.jobvite.com/northwind/jobs",
        "https://jobs.jobvite.com/Northwind/jobs/positions?d=Engineering",
        "https://jobs.jobvite.com/northwind/search/?p=3&c=IT",
        "https://jobs.jobvite.com/northwind/job/oAcct1Fw?nl=0",
        "https://jobs.jobvite.com/careers/northwind/jobs",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert jobvite.board_url(careers_url) == f"{SITE}/jobs"
    assert jobvite.api_url(careers_url) == f"{SITE}/search/?p=0"


def test_detail_url_follows_the_search_page():
    row = {"company": "northwind", "id": "oAcct1Fw"}
    assert jobvite.detail_url(f"{SITE}/search/?p=2", row) == f"{SITE}/job/oAcct1Fw"
    assert jobvite.detail_url(API, row) == f"{MIRROR}/northwind/job/oAcct1Fw"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.jobvite.com/",
        "https://jobs.jobvite.com/",
        "https://jobs.jobvite.com/careers",
        "https://jobs.jobvite.com/api/v2/company/northwind/jobs",
        "https://app.jobvite.com/CompanyJobs/Careers.aspx?c=qck9Vfwk&page=Jobs",
        "https://hire.jobvite.com/CompanyJobs/Careers.aspx?c=qz49Vfwr",
        "https://careers.northwind.example/jobs",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert jobvite.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"jobvite: no company name .* in careers URL") as error:
        jobvite.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
