"""JOIN postings carry what the public jobs API states: the city and country, the workplace,
the employment type, the category (as department), the posting date, the pay where amounts are
entered (in cents), and, from each job's detail, the text.

The fixtures copy the real shapes (field names, nesting, value spellings) documented in the
adapter's module docstring: a careers page with its __NEXT_DATA__, a page of
/api/public/companies/{id}/jobs, and job details; their companies and texts are made up. The tests
run the adapter's own functions on them.
"""

import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import join
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "join"
BOARD = "https://join.com/companies/nordlicht-software"
COMPANY = Company(name="Nordlicht Software", careers_url=BOARD, ats=Source.join)


def _jobs() -> dict:
    return json.loads((FIXTURES / "jobs.json").read_text(encoding="utf-8"))


def _details() -> dict:
    return json.loads((FIXTURES / "details.json").read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in join.parse(payload, COMPANY)}


def _with_details() -> dict:
    """The list page with each job's detail merged in, as `fetch` merges them."""
    payload, details = _jobs(), _details()
    for item in payload["items"]:
        if detail := details.get(str(item["id"])):
            item.update(join._text_of_detail(detail))
    return payload


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_jobs())
    # The fifth row has no idParam, so no job page: skipped, and said so.
    assert sorted(jobs) == [
        "Fullstack Developer (m/w/d)",
        "Praktikum Produktdesign",
        "Servicetechniker:in",
        "Werkstudent:in Marketing",
    ]
    assert "skipping job 16540777: url" in caplog.text

    hybrid = jobs["Fullstack Developer (m/w/d)"]
    assert hybrid.source is Source.join
    assert hybrid.external_id == "16497003"
    assert hybrid.url == f"{BOARD}/16497003-fullstack-developer-m-w-d"
    assert hybrid.location == "Bremen, Germany"
    assert hybrid.locations == [Location(city="Bremen", country="DE")]
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.employment_type is EmploymentType.full_time
    assert hybrid.department == "IT & Software Development"
    assert hybrid.posted_at == datetime(2026, 7, 21, 9, 15, 49, 907000, tzinfo=UTC)
    # 5,500,000 and 6,800,000 cents.
    assert hybrid.salary == Salary(min=55000, max=68000, currency="EUR", period=SalaryPeriod.year)
    assert hybrid.description == ""  # the list has no text: the detail brings it

    remote = jobs["Werkstudent:in Marketing"]
    assert remote.external_id == "16501122"
    assert remote.url == f"{BOARD}/16501122-werkstudent-in-marketing"
    assert remote.location == "Berlin, Germany"
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.part_time  # a working student
    assert remote.department == "Marketing"
    # publishedAt, where a job states it, is when it went up; createdAt when it was drafted.
    assert remote.posted_at == datetime(2026, 8, 4, 8, 0, tzinfo=UTC)
    assert remote.salary == Salary(min=16.5, currency="EUR", period=SalaryPeriod.hour)

    onsite = jobs["Servicetechniker:in"]
    assert onsite.location == "Zürich, Switzerland"
    assert onsite.locations == [Location(city="Zürich", country="CH")]
    assert onsite.remote is RemotePolicy.onsite
    assert onsite.employment_type is EmploymentType.part_time
    assert onsite.department == "Technical Service"
    # salaryFrequency is set where no amount is entered: no salary.
    assert onsite.salary is None

    # Odd row: no city, country or category; a minimum of 0, JOIN's placeholder, is no pay.
    intern = jobs["Praktikum Produktdesign"]
    assert intern.location is None and intern.locations == []
    assert intern.remote is RemotePolicy.onsite
    assert intern.employment_type is EmploymentType.internship
    assert intern.department is None
    assert intern.salary is None


def test_the_detail_brings_the_text_markdown_as_plain_text():
    jobs = _by_title(_with_details())
    assert jobs["Fullstack Developer (m/w/d)"].description == (
        "Wir bauen Software für die Logistik.\n"
        "Deine Aufgaben\n"
        "- Du entwickelst unsere Vue-Oberflächen\n"
        "- Du pflegst unsere REST-API\n"
        "Dein Profil\n"
        "- Erfahrung mit JavaScript oder Java\n"
        "Was wir bieten\n"
        "30 Tage Urlaub & ein Jobrad"
    )
    # A job whose text comes in parts: each under its heading, empty ones dropped.
    assert jobs["Werkstudent:in Marketing"].description == (
        "Unterstütze unser Marketing-Team remote.\n\n"
        "Tasks\n- Social Media\n- Newsletter\n\n"
        "Requirements\n- Eingeschriebene:r Student:in\n\n"
        "Wir freuen uns auf dich!"
    )
    assert jobs["Servicetechniker:in"].description == ""  # no detail read for it here


def test_a_detail_of_another_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"join: expected a job object .*got list"):
        join._text_of_detail([{"msg": "Not found"}])


def test_country_from_the_city_where_the_job_names_no_country():
    row = copy.deepcopy(_jobs()["items"][0]) | {"country": None}
    (job,) = join.parse({"items": [row]}, COMPANY)
    assert job.location == "Bremen, Germany"
    assert job.locations == [Location(city="Bremen", country="DE")]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        # What the API answers to a pageSize above 5 (with HTTP 422).
        (
            [{"param": "pageSize", "msg": "Invalid value"}],
            r"join: expected a JSON object with a 'items' list, got list",
        ),
        ({"items": None}, r"join: expected .* 'items' list, got dict with keys \['items'\]"),
        ("<html>", r"join: expected .* 'items' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        join.parse(payload, COMPANY)


# --- the careers page -------------------------------------------------------------------------


def test_the_careers_page_names_the_company_id():
    markup = (FIXTURES / "careers.html").read_text(encoding="utf-8")
    company = join.company_of(markup, "nordlicht-software")
    assert company["id"] == 98123 and company["name"] == "Nordlicht Software GmbH"


def test_a_page_of_another_company_is_an_error_not_its_board():
    markup = (FIXTURES / "careers.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"join: the careers page of 'greenteg' is company"):
        join.company_of(markup, "greenteg")


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><h1>Page not found</h1></body></html>",
        '<script id="__NEXT_DATA__" type="application/json">{"props": {}}</script>',
        '<script id="__NEXT_DATA__" type="application/json">not json</script>',
        "",
    ],
)
def test_a_page_without_the_company_is_a_clear_error(markup):
    with pytest.raises(ValueError, match=r"join: expected the careers page's __NEXT_DATA__"):
        join.company_of(markup, "nordlicht-software")


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        BOARD,
        f"{BOARD}/",
        f"{BOARD}?page=2",
        f"{BOARD}/16497003-fullstack-developer-m-w-d",
        "https://www.join.com/companies/nordlicht-software/16497003-fullstack-developer-m-w-d",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert join.board_url(careers_url) == BOARD
    assert join.api_url(careers_url) == BOARD


def test_api_url_on_a_mirror():
    assert join.api_url(f"{BOARD}/16497003-x", root="http://127.0.0.1:9/join/") == (
        "http://127.0.0.1:9/join/companies/nordlicht-software"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://join.com/",
        "https://join.com/companies",
        "https://join.com/en/pricing",
        "https://nordlicht.example/companies/nordlicht-software",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert join.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"join: no company slug in careers URL"):
        join.api_url(careers_url)
