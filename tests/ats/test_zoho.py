"""Zoho Recruit postings carry what the career site's public JSON states: the place (city, state
and country names, empty on remote openings), Remote_Job, the job type, the opening date (month
first, or ISO), the text with the industry, experience and skills asked for, and the salary
(a bare amount as a salary, words into the description).

The fixture copies the real shape of GET https://{tenant}.zohorecruit.{tld}/recruit/v2/public/
Job_Openings?pagename=Careers&source=CareerSite (field names, value spellings) documented in the
adapter's module docstring; its companies and texts are made up. The tests run the adapter's own
`parse` and `fetch` on it.
"""

import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import zoho
from tasks.fetch.sources.common import collect_notes
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    Source,
)

FIXTURE = Path(__file__).parent / "fixtures" / "zoho" / "job_openings.json"
BOARD = "https://northwind.zohorecruit.com/jobs/Careers"
COMPANY = Company(name="Northwind", careers_url=BOARD, ats=Source.zoho)


def _payload() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in zoho.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_payload()["data"][0])
    row.update(changes)
    return {"code": "success", "data": [row]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_payload())
    # The fifth opening has no title at all: skipped, and said so.
    assert sorted(jobs) == [
        "Graduate Engineer Trainee",
        "Marketing Intern",
        "Sales Development Representative (SDR)",
        "Warehouse Trainee",
    ]
    assert "skipping job 435765000019000777" in caplog.text

    trainee = jobs["Graduate Engineer Trainee"]
    assert trainee.source is Source.zoho
    assert trainee.external_id == "435765000017272887"
    assert trainee.url == (
        "https://northwind.zohorecruit.com/jobs/Careers/435765000017272887/"
        "Graduate-Engineer-Trainee?source=CareerSite"
    )
    assert trainee.location == "Bangalore North, Karnataka, India"
    assert trainee.locations == [Location(city="Bangalore North", region="Karnataka", country="IN")]
    assert trainee.remote is None  # Remote_Job false: not remote, on-site or hybrid unsaid
    assert trainee.employment_type is EmploymentType.full_time
    assert trainee.department is None
    assert trainee.posted_at == datetime(2025, 10, 30, tzinfo=UTC)  # "10/30/2025"
    assert trainee.salary is None  # an empty Salary
    assert trainee.description == (
        "About the role\nBuild and optimize secure access systems.\n- Java & Linux\n"
        "- Shift work\n\nIndustry\nSoftware Product\n\nWork Experience\nFresher\n\n"
        "Required Skills\nJava, Linux"
    )

    sdr = jobs["Sales Development Representative (SDR)"]
    assert sdr.remote is RemotePolicy.remote
    assert sdr.location is None and sdr.locations == []  # a remote opening names no place
    assert sdr.employment_type is EmploymentType.full_time  # "Permanent"
    assert sdr.posted_at == datetime(2026, 7, 16, tzinfo=UTC)  # an ISO date
    # Worded pay is no structured salary: it joins the description.
    assert sdr.salary is None
    assert sdr.description == (
        "Drive outbound pipeline.\n\nIndustry\nIT Services\n\nWork Experience\n4-5 years\n\n"
        "Salary\n$90,000 - $120,000 per year"
    )

    intern = jobs["Marketing Intern"]
    # No $url: the job page from the careers URL's board.
    assert intern.url == f"{BOARD}/435765000018685001"
    assert intern.location == "Bucharest, Romania"
    assert intern.locations == [Location(city="Bucharest", country="RO")]
    assert intern.employment_type is EmploymentType.internship
    assert intern.posted_at == datetime(2026, 2, 22, tzinfo=UTC)  # "22/02/2026": day first
    # A bare amount is a salary, in the stated currency; Zoho states no period.
    assert intern.salary == Salary(min=2500, max=None, currency="RON", period=None)
    assert intern.description == "Help us tell our story."

    warehouse = jobs["Warehouse Trainee"]  # no Posting_Title: the opening's name
    assert warehouse.locations == [Location(city="Sydney", region="New South Wales", country="AU")]
    assert warehouse.employment_type is None  # "Training" names no employment type
    assert warehouse.posted_at is None and warehouse.description == ""  # not published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, RemotePolicy.remote),
        ("Yes", RemotePolicy.remote),
        ("true", RemotePolicy.remote),
        (False, None),
        (None, None),
        ("No", None),
    ],
)
def test_remote_job_is_remote_or_says_nothing(value, expected):
    (posting,) = zoho.parse(_one({"Remote_Job": value}), COMPANY)
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01/02/2026", datetime(2026, 1, 2, tzinfo=UTC)),  # month first, as Zoho sends it
        ("31.12.2025", datetime(2025, 12, 31, tzinfo=UTC)),
        ("2026-03-04", datetime(2026, 3, 4, tzinfo=UTC)),
        ("13/13/2026", None),
        ("soon", None),
        ("", None),
    ],
)
def test_date_opened(value, expected):
    (posting,) = zoho.parse(_one({"Date_Opened": value}), COMPANY)
    assert posting.posted_at == expected


@pytest.mark.parametrize(
    ("salary", "currency", "expected"),
    [
        ("60,000", "usd", Salary(min=60000, currency="USD")),
        ("45000", None, Salary(min=45000)),
        ("0", "USD", None),  # a placeholder, no pay
        ("INR 20,000 monthly", "INR", None),  # words: into the description
    ],
)
def test_salary_is_structured_only_as_a_bare_amount(salary, currency, expected):
    (posting,) = zoho.parse(_one({"Salary": salary, "Currency": currency}), COMPANY)
    assert posting.salary == expected
    assert ("Salary\nINR 20,000 monthly" in posting.description) == (
        expected is None and salary != "0"
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"zoho: expected a JSON object with a 'data' list, got list"),
        ({"code": "success"}, r"zoho: expected .* 'data' list, got dict with keys \['code'\]"),
        ({"code": "ORG_NOT_FOUND", "status": "error"}, r"zoho: .*got dict with keys \['code', "),
        ("<html>", r"zoho: expected .* 'data' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        zoho.parse(payload, COMPANY)


# --- fetch ------------------------------------------------------------------------------------


TARGET = "/zoho/northwind/recruit/v2/public/Job_Openings?pagename=Careers&source=CareerSite"


def test_fetch_reads_the_board_in_one_answer(redis, fixture_site):
    api = zoho.api_url(BOARD, root=f"{fixture_site.base_url}/zoho")
    assert api == fixture_site.url(TARGET)
    fixture_site.answer(TARGET, _payload())
    with collect_notes() as notes:
        postings = fixture_site.fetch(redis, zoho, COMPANY, TARGET)
    assert fixture_site.asked == [TARGET]
    assert len(postings) == 4 and notes.skipped == []


def test_a_board_with_more_records_than_it_sent_is_a_short_read(redis, fixture_site):
    fixture_site.answer(TARGET, _payload() | {"info": {"count": 5, "more_records": True}})
    with collect_notes() as notes:
        postings = fixture_site.fetch(redis, zoho, COMPANY, TARGET)
    assert len(postings) == 4
    assert notes.skipped == ["zoho: the board has more postings than its one answer of 5"]


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "board", "api"),
    [
        (
            "https://northwind.zohorecruit.com/jobs/Careers",
            "https://northwind.zohorecruit.com/jobs/Careers",
            "https://northwind.zohorecruit.com/recruit/v2/public/Job_Openings"
            "?pagename=Careers&source=CareerSite",
        ),
        (
            "https://Northwind.ZohoRecruit.eu/jobs/Careers/730923000001270086/Tax-Manager?source=RSS",
            "https://northwind.zohorecruit.eu/jobs/Careers",
            "https://northwind.zohorecruit.eu/recruit/v2/public/Job_Openings"
            "?pagename=Careers&source=CareerSite",
        ),
        (
            "https://northwind.zohorecruit.in/",
            "https://northwind.zohorecruit.in/jobs/Careers",
            "https://northwind.zohorecruit.in/recruit/v2/public/Job_Openings"
            "?pagename=Careers&source=CareerSite",
        ),
        (  # a renamed career page is the API's pagename
            "https://northwind.zohorecruit.com.au/jobs/Join%20Us/618725000005596009/Planner",
            "https://northwind.zohorecruit.com.au/jobs/Join%20Us",
            "https://northwind.zohorecruit.com.au/recruit/v2/public/Job_Openings"
            "?pagename=Join%20Us&source=CareerSite",
        ),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, board, api):
    assert zoho.board_url(careers_url) == board
    assert zoho.api_url(careers_url) == api


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.zohorecruit.com/",
        "https://zohorecruit.com/jobs/Careers",
        "https://recruit.zoho.com/recruit/v2/public/Job_Openings",
        "https://careers.zohocorp.com/jobs/Careers",
        "https://a.b.zohorecruit.com/jobs/Careers",
    ],
)
def test_a_url_without_a_tenant_names_no_board(careers_url):
    assert zoho.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"zoho: no tenant subdomain in careers URL") as error:
        zoho.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
