"""CareerPlug postings carry what a board's pages state: the job list's links and titles, and
each job page's JobPosting JSON-LD (place, date, employment type, pay, and the description that
CareerPlug escapes inside the JSON string).

The fixtures copy the real shapes of https://{company}.careerplug.com/jobs (the job table) and
/jobs/{id} (its JSON-LD) documented in the adapter's module docstring; their companies and texts
are made up. The tests run the adapter's own list reader, job-page reader and `fetch` on them.
"""

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import careerplug
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "careerplug"
BOARD = "https://example-partners-llc.careerplug.com"
COMPANY = Company(name="Example Partners", careers_url=f"{BOARD}/jobs", ats=Source.careerplug)


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- the job list -----------------------------------------------------------------------------


def test_the_list_links_each_job_of_its_table_once():
    jobs = careerplug.listed(_read("jobs.html"), f"{BOARD}/jobs?page=1", first=True)
    # The "Apply" link repeats a job; the footer's link is outside the job table.
    assert jobs == [
        {"id": "3570902", "title": "Software Developer"},
        {"id": "3570910", "title": "Office Manager"},
        {"id": "3570911", "title": "Front Desk Associate"},
        {"id": "3570912", "title": ""},
    ]
    assert careerplug.listed(_read("jobs_page2.html"), f"{BOARD}/jobs?page=2") == []


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><h1>Careers</h1><p>There are no open positions at this time.</p></body>"
        "</html>",
        '<html><body><table id="job_table"></table></body></html>',
    ],
)
def test_a_board_without_jobs_is_empty(markup):
    assert careerplug.listed(markup, f"{BOARD}/jobs", first=True) == []


@pytest.mark.parametrize(
    "markup", ["<html><body><h1>Welcome to CareerPlug</h1></body></html>", "", "{}"]
)
def test_a_first_page_that_is_no_job_list_is_a_clear_error(markup):
    with pytest.raises(ValueError, match=r"careerplug: expected a job list .*job_table"):
        careerplug.listed(markup, f"{BOARD}/jobs", first=True)
    with pytest.raises(ValueError, match=r"careerplug: expected a job list"):
        careerplug.parse(markup, COMPANY)


def test_parse_reads_a_list_page_as_postings_without_their_text(caplog):
    with caplog.at_level(logging.WARNING):
        postings = careerplug.parse(_read("jobs.html"), COMPANY)
    assert [(p.title, p.url, p.external_id) for p in postings] == [
        ("Software Developer", f"{BOARD}/jobs/3570902", "3570902"),
        ("Office Manager", f"{BOARD}/jobs/3570910", "3570910"),
        ("Front Desk Associate", f"{BOARD}/jobs/3570911", "3570911"),
    ]
    assert "skipping job 3570912" in caplog.text  # no title in the list


# --- a job's page -----------------------------------------------------------------------------


def test_a_job_page_states_every_field_of_its_json_ld():
    fields = careerplug.detail(_read("job_3570902.html"), f"{BOARD}/jobs/3570902")
    assert fields == {
        "title": "Software Developer",
        "url": f"{BOARD}/jobs/3570902",
        "external_id": "3570902",
        "location": "Saint Louis, MO, US",
        "locations": [Location(city="Saint Louis", region="MO", country="US")],
        # Escaped inside the JSON string, and still read as markup: headings, list items, "&".
        "description": "About the role\nBuild and maintain internal tooling & dashboards.\n"
        "Requirements\n- One general purpose language\n- SQL",
        "posted_at": datetime(2026, 8, 28, 17, 41, 41, tzinfo=UTC),
        "employment_type": EmploymentType.part_time,
        "salary": Salary(min=24, max=30, currency="USD", period=SalaryPeriod.hour),
    }
    plain = careerplug.detail(_read("job_3570910.html"), f"{BOARD}/jobs/3570910")
    assert plain["description"] == "Run the front office.\n- Scheduling\n- Billing"  # real markup
    assert plain["posted_at"] == datetime(2026, 8, 26, tzinfo=UTC)
    assert plain["locations"] == [Location(city="Springfield", region="IL", country="US")]
    assert plain["employment_type"] is EmploymentType.full_time and "salary" not in plain
    assert careerplug.detail(_read("job_3570911.html"), f"{BOARD}/jobs/3570911") == {}


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_reads_every_list_page_then_each_job_page(redis, fixture_site, caplog):
    api = careerplug.api_url(f"{BOARD}/jobs/3570902", root=f"{fixture_site.base_url}/careerplug")
    assert api == f"{fixture_site.base_url}/careerplug/example-partners-llc/jobs"
    jobs = "/careerplug/example-partners-llc/jobs"
    html = "text/html; charset=utf-8"
    fixture_site.answer(f"{jobs}?page=1", _read("jobs.html"), content_type=html)
    fixture_site.answer(f"{jobs}?page=2", _read("jobs_page2.html"), content_type=html)
    for job_id in range(3570910, 3570913):
        fixture_site.answer(f"{jobs}/{job_id}", _read(f"job_{job_id}.html"), content_type=html)
    # 3570902 closed since it was listed: its page answers 404, and it is left out.
    with caplog.at_level(logging.WARNING):
        postings = fixture_site.fetch(redis, careerplug, COMPANY, jobs)

    asked = [target for target in fixture_site.asked if target != "/robots.txt"]
    assert "/robots.txt" in fixture_site.asked  # the board's pages are web pages
    assert asked[:2] == [f"{jobs}?page=1", f"{jobs}?page=2"]
    assert sorted(asked[2:]) == [
        f"{jobs}/{n}" for n in range(3570902, 3570913) if n in (3570902, 3570910, 3570911, 3570912)
    ]
    by_id = {p.external_id: p for p in postings}
    assert sorted(by_id) == ["3570910", "3570911"]
    manager = by_id["3570910"]
    assert manager.title == "Office Manager" and manager.url == f"{BOARD}/jobs/3570910"
    assert manager.location == "Springfield, IL, United States"
    assert manager.description == "Run the front office.\n- Scheduling\n- Billing"
    desk = by_id["3570911"]  # a page without JSON-LD: what the list said
    assert (desk.title, desk.url, desk.description) == (
        "Front Desk Associate",
        f"{BOARD}/jobs/3570911",
        "",
    )
    assert "skipping job 3570912" in caplog.text  # no title anywhere


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://example-partners-llc.careerplug.com",
        "https://example-partners-llc.careerplug.com/jobs",
        "https://Example-Partners-LLC.CareerPlug.com/jobs/3570902?locale=en",
        "https://example-partners-llc.careerplug.com/jobs?embed=1",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert careerplug.board_url(careers_url) == f"{BOARD}/"
    assert careerplug.api_url(careers_url) == f"{BOARD}/jobs"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.careerplug.com/",
        "https://careerplug.com/jobs",
        "https://api.careerplug.com/jobs",
        "https://app.careerplug.com/login",
        "https://careers.example.com/jobs",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert careerplug.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"careerplug: no company subdomain in careers URL"):
        careerplug.api_url(careers_url)
