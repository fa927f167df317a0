"""Pinpoint postings carry what the public postings JSON states: the place (city and province,
and the country a tenant typed as its province), the workplace, the employment type, the
department, the text of every section under its heading, and the pay where it is published.

The fixture copies the real shape of GET https://{tenant}.pinpointhq.com/postings.json (field
names, nesting, value spellings) documented in the adapter's module docstring; its companies
and texts are made up. The tests run the adapter's own `parse` on it.
"""

import copy
import json
import logging
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import pinpoint
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURE = Path(__file__).parent / "fixtures" / "pinpoint" / "postings.json"
BOARD = "https://northwind-robotics.pinpointhq.com"
COMPANY = Company(name="Northwind Robotics", careers_url=f"{BOARD}/", ats=Source.pinpoint)


def _payload() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in pinpoint.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    """A payload of the first fixture posting with `changes` applied."""
    row = copy.deepcopy(_payload()["data"][0])
    row.update(changes)
    return {"data": [row]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_payload())
    # The fifth row has no `url` (only its relative `path`): skipped, and said so.
    assert sorted(jobs) == [
        "Deck Cadet Internship",
        "Management Accountant (12 month FTC)",
        "Senior Platform Engineer",
        "Warehouse Operations Associate",
    ]
    assert "skipping job 512109: url" in caplog.text

    remote = jobs["Senior Platform Engineer"]
    assert remote.source is Source.pinpoint
    assert remote.external_id == "512044"
    assert remote.url == f"{BOARD}/en/postings/3f6c2a91-7d4e-4b1a-9c55-0e8d1f2a6b70"
    # The tenant typed the country into `province`: a country, not a region.
    assert remote.location == "Remote - UK, Manchester, United Kingdom"
    assert remote.locations == [Location(city="Manchester", country="GB")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.full_time  # permanent_full_time
    assert remote.department == "Engineering"
    assert remote.posted_at is None  # the listing states no posting date
    assert remote.salary == Salary(min=55000, max=70000, currency="GBP", period=SalaryPeriod.year)

    hybrid = jobs["Warehouse Operations Associate"]
    assert hybrid.external_id == "512087"
    assert hybrid.url == f"{BOARD}/en/postings/8b1e4c07-2f9a-4d63-a0b8-5c7e9d3f1a24"
    # The label "Denver, CO" already names the city; the province still follows.
    assert hybrid.location == "Denver, CO, Colorado"
    assert hybrid.locations == [Location(city="Denver", region="Colorado")]
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.employment_type is EmploymentType.part_time
    assert hybrid.department == "Operations"
    assert hybrid.posted_at is None
    assert hybrid.salary == Salary(min=24.5, max=31, currency="USD", period=SalaryPeriod.hour)

    onsite = jobs["Management Accountant (12 month FTC)"]
    assert onsite.external_id == "512093"
    assert onsite.url == f"{BOARD}/en/postings/c4d09e6a-51b7-4e2f-8a3c-97f0b2e6d815"
    # The office label leads; the structured place is its city and county.
    assert onsite.location == "Solent Office, Fareham, Hampshire"
    assert onsite.locations == [Location(city="Fareham", region="Hampshire")]
    assert onsite.remote is RemotePolicy.onsite
    assert onsite.employment_type is EmploymentType.temporary  # fixed_term_contract
    assert onsite.department == "Finance"
    # `deadline_at` is when applications close, not when the posting went up.
    assert onsite.posted_at is None

    # Odd row: no workplace or employment code (their display labels say it), no `job`, a
    # location that is only a label, and pay stated as prose alone.
    cadet = jobs["Deck Cadet Internship"]
    assert cadet.external_id == "512101"  # a numeric id
    assert cadet.url == f"{BOARD}/en/postings/e7a35b12-9c0d-4f84-b6e1-2d48a0c9f357"
    assert cadet.location == "Shipboard"
    assert cadet.locations == []  # "Shipboard" is no city
    assert cadet.remote is RemotePolicy.onsite
    assert cadet.employment_type is EmploymentType.internship
    assert cadet.department is None
    assert cadet.posted_at is None
    assert cadet.salary is None
    assert cadet.description.endswith("Compensation\n£400 per week plus board")


def test_hidden_compensation_gives_no_salary():
    """The row carries amounts and a pay text, but the tenant hides them: neither is published."""
    row = next(r for r in _payload()["data"] if r["id"] == "512093")
    assert row["compensation_visible"] is False and row["compensation_minimum"] == 48000.0
    onsite = _by_title(_payload())["Management Accountant (12 month FTC)"]
    assert onsite.salary is None
    assert "48,000" not in onsite.description
    assert "Compensation" not in onsite.description


def test_description_joins_every_section_under_its_heading():
    jobs = _by_title(_payload())
    assert jobs["Senior Platform Engineer"].description == (
        "Northwind Robotics builds fleet software for warehouse robots.\n\n"
        "What you'll do\n- Run our Kubernetes platform\n- Own the deploy pipeline\n\n"
        "What we look for\n- 5+ years with Go or Rust\n\n"
        "What we offer\n28 days holiday & a home office budget\n\n"
        "Compensation\n£55,000 - £70,000 / year"
    )
    # A section with no header gets Pinpoint's default; empty sections drop with their headers.
    assert jobs["Warehouse Operations Associate"].description == (
        "Keep our Denver test warehouse running.\n\n"
        "Key Responsibilities\n- Stage robot test runs\n\n"
        "Compensation\n$24.50 - $31.00 / hour"
    )
    accountant = jobs["Management Accountant (12 month FTC)"].description
    for section in (
        "Cover a parental leave",
        "The role\n- Month-end close",
        "About you\nACA or CIMA qualified",
        "Benefits\nPension matched to 6%",
    ):
        assert section in accountant


@pytest.mark.parametrize(
    ("frequency", "period"),
    [
        ("year", SalaryPeriod.year),
        ("yearly", SalaryPeriod.year),  # the spelling another client expects
        ("month", SalaryPeriod.month),
        ("week", SalaryPeriod.week),
        ("day", SalaryPeriod.day),
        ("hour", SalaryPeriod.hour),
    ],
)
def test_compensation_frequency_is_the_salary_period(frequency, period):
    (job,) = pinpoint.parse(_one({"compensation_frequency": frequency}), COMPANY)
    assert job.salary == Salary(min=55000, max=70000, currency="GBP", period=period)


def test_a_fortnightly_amount_is_no_structured_salary():
    (job,) = pinpoint.parse(_one({"compensation_frequency": "two_weeks"}), COMPANY)
    assert job.salary is None
    assert "Compensation\n£55,000 - £70,000 / year" in job.description


@pytest.mark.parametrize(
    ("province", "expected"),
    [
        ("UK", Location(city="Leeds", country="GB")),
        ("England", Location(city="Leeds", country="GB")),
        ("West Yorkshire", Location(city="Leeds", region="West Yorkshire")),
        # State codes that are also ISO countries, and the state named like a country, stay
        # regions.
        ("CA", Location(city="Leeds", region="CA")),
        ("Georgia", Location(city="Leeds", region="Georgia")),
        (None, Location(city="Leeds")),
    ],
)
def test_a_country_typed_as_the_province_is_the_country(province, expected):
    location = {"id": "1", "name": "Leeds", "city": "Leeds", "province": province}
    (job,) = pinpoint.parse(_one({"location": location}), COMPANY)
    assert job.locations == [expected]


def test_a_missing_location_is_no_place():
    (job,) = pinpoint.parse(_one({"location": None}), COMPANY)
    assert job.location is None and job.locations == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"pinpoint: expected a JSON object with a 'data' list, got list"),
        ({"data": None}, r"pinpoint: expected .* 'data' list, got dict with keys \['data'\]"),
        ({"errors": ["Not found"]}, r"pinpoint: .*got dict with keys \['errors'\]"),
        ("<html>", r"pinpoint: expected .* 'data' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        pinpoint.parse(payload, COMPANY)


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://northwind-robotics.pinpointhq.com",
        "https://northwind-robotics.pinpointhq.com/",
        "https://northwind-robotics.pinpointhq.com/en",
        "https://Northwind-Robotics.PinpointHQ.com/en/postings/3f6c2a91-7d4e-4b1a-9c55-0e8d1f2a6b70",
        "https://northwind-robotics.pinpointhq.com/postings.json",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert pinpoint.board_url(careers_url) == "https://northwind-robotics.pinpointhq.com/"
    assert pinpoint.api_url(careers_url) == (
        "https://northwind-robotics.pinpointhq.com/postings.json"
    )


def test_api_url_on_a_mirror_keeps_the_tenant_in_the_path():
    assert pinpoint.api_url(f"{BOARD}/en/postings/x", root="http://127.0.0.1:9/mirror/") == (
        "http://127.0.0.1:9/mirror/northwind-robotics/postings.json"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.pinpointhq.com/",
        "https://pinpointhq.com/",
        "https://app.pinpointhq.com/sitemap.xml",
        "https://developers.pinpointhq.com/docs/jobs-widget-overview",
        "https://careers.northwind.example/jobs",
    ],
)
def test_a_url_without_a_tenant_names_no_board(careers_url):
    assert pinpoint.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"pinpoint: no tenant subdomain in careers URL"):
        pinpoint.api_url(careers_url)
