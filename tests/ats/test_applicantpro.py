"""ApplicantPro postings carry what the job list and each job's details state: the place (the
list's location text, and city / state / ISO3 country), the workplace type, the employment type,
the department, the start date, the pay range and its period, and the advertised text with the
benefits and pay details.

The fixtures copy the real shapes of the careers page (its domainId), GET
https://{tenant}.applicantpro.com/core/jobs/{domainId}?getParams={} and .../{id}/job-details
(field names, value spellings) documented in the adapter's module docstring; their companies and
texts are made up. The tests run the adapter's own `parse` and `fetch` on them.
"""

import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import applicantpro
from tasks.fetch.sources.common import collect_notes
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "applicantpro"
BOARD = "https://kirkhill.applicantpro.com"
COMPANY = Company(name="Kirkhill", careers_url=f"{BOARD}/jobs/", ats=Source.applicantpro)


def _load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _merged() -> dict:
    """The list with each job's details merged in, as `fetch` merges them."""
    listed, details = _load("jobs.json"), _load("details.json")
    rows = [
        {**row, **applicantpro._detail(details[str(row["id"])])}
        if str(row["id"]) in details
        else row
        for row in listed["data"]["jobs"]
    ]
    return {"success": True, "data": {"jobs": rows, "jobCount": len(rows)}}


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in applicantpro.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_load("jobs.json")["data"]["jobs"][0])
    row.update(changes)
    return {"success": True, "data": {"jobs": [row], "jobCount": 1}}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_merged())
    assert sorted(jobs) == ["Line Cook", "Project Engineer", "Remote Support Specialist"]
    assert "skipping job 4124660" in caplog.text  # no title

    engineer = jobs["Project Engineer"]
    assert engineer.source is Source.applicantpro
    assert engineer.external_id == "4124648"
    assert engineer.url == f"{BOARD}/jobs/4124648"
    assert engineer.location == "Brea, CA, USA, 92821"
    assert engineer.locations == [Location(city="Brea", region="CA", country="US")]
    assert engineer.remote is RemotePolicy.onsite
    assert engineer.employment_type is EmploymentType.full_time
    assert engineer.department == "Engineering"
    assert engineer.posted_at == datetime(2026, 6, 22, tzinfo=UTC)  # "22-Jun-2026"
    assert engineer.salary == Salary(min=110_000, max=140_000, period=SalaryPeriod.year)
    # The advertised text (not the internal description), the benefits and the pay details.
    assert engineer.description == (
        "Summary\nLead aircraft product development.\n- CAD\n- Testing\n\n"
        "Benefits\nMedical, dental, and vision\n\nPay\nDOE"
    )

    remote = jobs["Remote Support Specialist"]
    assert remote.url == f"{BOARD}/jobs/4124650"  # a relative jobUrl
    assert remote.location == "Remote - United States"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.contract
    assert remote.salary == Salary(min=75, max=95, period=SalaryPeriod.hour)  # payType Hourly
    # The detail's empty start date leaves the list's.
    assert remote.posted_at == datetime(2026, 5, 24, tzinfo=UTC)
    assert remote.description == "Answer customer tickets from home."  # the fallback text

    cook = jobs["Line Cook"]  # not in the details: the list alone
    assert cook.url == f"{BOARD}/jobs/4124655"  # no jobUrl: the tenant's job page
    assert cook.location == "Toronto, ON, CAN"
    assert cook.locations == [Location(city="Toronto", region="ON", country="CA")]
    assert cook.remote is RemotePolicy.hybrid
    assert cook.employment_type is EmploymentType.part_time  # from the classification
    assert cook.department is None
    assert cook.posted_at == datetime(2026, 7, 1, tzinfo=UTC)  # "Jul 01, 2026"
    assert cook.salary is None
    assert cook.description == "Pay\n$18/hour plus tips"


@pytest.mark.parametrize(
    ("pay", "expected"),
    [
        (
            {"payTypeFrame": "per hour", "minSalary": "21.5", "maxSalary": ""},
            Salary(min=21.5, period=SalaryPeriod.hour),
        ),
        (  # no frame: payType "Salary" is yearly
            {"payTypeFrame": None, "payType": "Salary"},
            Salary(min=110_000, max=140_000, period=SalaryPeriod.year),
        ),
        ({"minSalary": "0", "maxSalary": "0"}, None),
        ({"minSalary": "Competitive", "maxSalary": None}, None),
    ],
)
def test_pay(pay, expected):
    (posting,) = applicantpro.parse(_one(pay), COMPANY)
    assert posting.salary == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"applicantpro: expected a JSON object with success true and a 'data' object"),
        ({"success": False, "data": None}, r"applicantpro: .*got dict with keys \['data', 'su"),
        ({"success": True, "data": {"jobCount": 0}}, r"applicantpro: .*'jobs' list, got dict"),
        ("<html>", r"applicantpro: expected .* got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        applicantpro.parse(payload, COMPANY)


@pytest.mark.parametrize("payload", [[], {"success": False, "data": None}, {"data": {}}, "<html>"])
def test_malformed_details_are_a_clear_error(payload):
    with pytest.raises(ValueError, match=r"applicantpro: expected .*success true"):
        applicantpro._detail(payload)


# --- fetch ------------------------------------------------------------------------------------


def _answer_details(fixture_site, listing: str) -> None:
    for job_id, detail in _load("details.json").items():
        fixture_site.answer(f"{listing}/{job_id}/job-details", detail)


def test_fetch_finds_the_domain_id_then_reads_the_list_and_each_job(redis, fixture_site):
    api = applicantpro.api_url(
        f"{BOARD}/jobs/4124648", root=f"{fixture_site.base_url}/applicantpro"
    )
    assert api == f"{fixture_site.base_url}/applicantpro/kirkhill/jobs/"
    listing = "/applicantpro/kirkhill/core/jobs/19218"
    fixture_site.answer(
        "/applicantpro/kirkhill/jobs/",
        (FIXTURES / "careers_page.html").read_text(),
        content_type="text/html; charset=utf-8",
    )
    fixture_site.answer(f"{listing}?getParams={{}}", _load("jobs.json"))
    # 4124655 closed since it was listed: its details answer 404, and it is left out.
    _answer_details(fixture_site, listing)
    with collect_notes() as notes:
        postings = fixture_site.fetch(redis, applicantpro, COMPANY, "/applicantpro/kirkhill/jobs/")

    asked = [
        target for target in fixture_site.asked if target != "/robots.txt"
    ]  # robots.txt, for the page
    assert asked[:2] == ["/applicantpro/kirkhill/jobs/", f"{listing}?getParams=%7B%7D"]
    assert len(asked) == 6  # the page, the list, four details
    assert f"{listing}/4124655/job-details" in asked
    assert [p.external_id for p in postings] == ["4124648", "4124650"]
    assert postings[0].description.startswith("Summary\nLead aircraft")
    assert notes.skipped == []


def test_a_list_shorter_than_its_count_is_a_short_read(redis, fixture_site):
    api = applicantpro.api_url(
        f"{BOARD}/core/jobs/19218?getParams=%7B%7D", root=f"{fixture_site.base_url}/applicantpro"
    )
    listing = "/applicantpro/kirkhill/core/jobs/19218"
    assert api == fixture_site.url(listing)
    payload = _load("jobs.json")
    payload["data"]["jobCount"] = 9
    fixture_site.answer(f"{listing}?getParams={{}}", payload)
    _answer_details(fixture_site, listing)
    with collect_notes() as notes:
        fixture_site.fetch(redis, applicantpro, COMPANY, listing)
    assert notes.skipped == ["applicantpro: the board counts 9 jobs and lists 4"]
    assert "/applicantpro/kirkhill/jobs/" not in fixture_site.asked  # the URL names the id


def test_a_careers_page_without_a_domain_id_is_a_clear_error(redis, fixture_site):
    fixture_site.answer(
        "/applicantpro/kirkhill/jobs/",
        "<html><title>ApplicantPro</title></html>",
        content_type="text/html; charset=utf-8",
    )
    with pytest.raises(ValueError, match=r"applicantpro: no domain id on the careers page"):
        fixture_site.fetch(redis, applicantpro, COMPANY, "/applicantpro/kirkhill/jobs/")


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("const app = { componentData: { domainId : 19218 } };", "19218"),
        ('window.courierCurrentRouteData={"domain_id":"12345"}', "12345"),
        ('<script src="https://acme.applicantpro.com/core/widget/2306"></script>', "2306"),
        ("<html>nothing</html>", None),
    ],
)
def test_domain_id(markup, expected):
    assert applicantpro.domain_id(markup) == expected


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "api"),
    [
        ("https://kirkhill.applicantpro.com/jobs/", f"{BOARD}/jobs/"),
        ("https://Kirkhill.ApplicantPro.com/jobs/4124648", f"{BOARD}/jobs/"),
        ("https://kirkhill.applicantpro.com/", f"{BOARD}/jobs/"),
        ("https://www.applicantpro.com/openings/kirkhill/jobs", f"{BOARD}/jobs/"),
        (
            "https://kirkhill.applicantpro.com/core/jobs/19218?getParams=%7B%7D",
            f"{BOARD}/core/jobs/19218",
        ),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, api):
    assert applicantpro.board_url(careers_url) == f"{BOARD}/jobs/"
    assert applicantpro.api_url(careers_url) == api


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.applicantpro.com/",
        "https://applicantpro.com/jobs/",
        "https://www.applicantpro.com/openings/",
        "https://static.applicantpro.com/jobs/",
        "https://careers.example.com/jobs/",
    ],
)
def test_a_url_without_a_tenant_names_no_board(careers_url):
    assert applicantpro.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"applicantpro: no tenant subdomain in careers URL"):
        applicantpro.api_url(careers_url)
