"""HiBob postings carry what the careers site's job-ad API states: the site and its country, the
workplace, the employment type (from the label, else its id), the department, the publication
time, the text of every section under its heading, and the pay where it is published.

The fixture copies the real shape of GET https://{company}.careers.hibob.com/api/job-ad (field
names, nesting, value spellings) documented in the adapter's module docstring; its companies
and texts are made up. The tests run the adapter's own `parse` and `fetch` on it.
"""

import asyncio
import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.errors import FetchError
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.ats import hibob
from tasks.fetch.stage import fetch_postings
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)
from tasks.settings import Settings

SETTINGS = Settings(allow_private_hosts=True, retry_wait_max_s=0.2, host_interval_s=0)
FIXTURE = Path(__file__).parent / "fixtures" / "hibob" / "job-ad.json"
BOARD = "https://valr.careers.hibob.com"
COMPANY = Company(name="VALR", careers_url=f"{BOARD}/jobs", ats=Source.hibob)


def _payload() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in hibob.parse(payload, COMPANY)}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_payload())
    # The fifth ad has no title: skipped, and said so.
    assert sorted(jobs) == [
        "Contract Data Analyst",
        "Senior Infrastructure Engineer",
        "Support Engineer",
        "Werkstudent Finance (m/w/d)",
    ]
    assert "skipping job 5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170: title" in caplog.text

    remote = jobs["Senior Infrastructure Engineer"]
    assert remote.source is Source.hibob
    assert remote.external_id == "fc23ce11-483c-44cf-bd5f-5f66304116bb"
    assert remote.url == f"{BOARD}/jobs/fc23ce11-483c-44cf-bd5f-5f66304116bb"
    assert remote.location == "Cape-Town, South Africa"  # the site as the company names it
    assert remote.locations == [Location(city="Cape-Town", country="ZA")]
    assert remote.remote is RemotePolicy.remote
    # "Employee" names no kind; employmentTypeId "Permanent" does.
    assert remote.employment_type is EmploymentType.full_time
    assert remote.department == "Engineering"
    assert remote.posted_at == datetime(2026, 9, 11, 13, 59, 24, 724881, tzinfo=UTC)
    assert remote.salary == Salary(
        min=900000, max=1200000, currency="ZAR", period=SalaryPeriod.year
    )

    hybrid = jobs["Support Engineer"]
    # A site named after its country is one place.
    assert hybrid.location == "Israel"
    assert hybrid.locations == [Location(country="IL")]
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.employment_type is EmploymentType.part_time
    assert hybrid.department == "Support"
    assert hybrid.posted_at == datetime(2025, 11, 20, 8, 53, 8, 443293, tzinfo=UTC)
    assert hybrid.salary is None  # pay transparency off

    onsite = jobs["Werkstudent Finance (m/w/d)"]
    assert onsite.location == "Zürich, CH"  # a country code, on some boards
    assert onsite.locations == [Location(city="Zürich", country="CH")]
    assert onsite.remote is RemotePolicy.onsite  # on_site
    assert onsite.employment_type is EmploymentType.part_time  # a working student
    assert onsite.department is None
    assert onsite.posted_at == datetime(2026, 10, 7, tzinfo=UTC)
    assert onsite.salary is None  # a 0 minimum is a placeholder, not a range

    # No workplace stated; a day rate.
    contract = jobs["Contract Data Analyst"]
    assert contract.remote is None
    assert contract.employment_type is EmploymentType.contract
    assert contract.salary == Salary(min=450, max=550, currency="GBP", period=SalaryPeriod.day)


def test_description_joins_every_section_under_its_heading():
    jobs = _by_title(_payload())
    # The company's own section labels where it gave them, the careers site's defaults otherwise.
    assert jobs["Senior Infrastructure Engineer"].description == (
        "We run a crypto exchange for Africa.\n\n"
        "What you'll do\n- Own our Kubernetes clusters\n- Automate with Terraform\n\n"
        "What you bring\n- 5+ years running Linux in production\n\n"
        "Benefits\nMedical aid & a learning budget"
    )
    assert jobs["Support Engineer"].description == (
        "Work with customers.\n\nResponsibilities\n- Troubleshoot\n\nRequirements\n- Linux"
    )
    assert jobs["Werkstudent Finance (m/w/d)"].description == "Unterstütze unser Finance-Team."


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("Annual", SalaryPeriod.year),
        ("annually", SalaryPeriod.year),
        ("Monthly", SalaryPeriod.month),
        ("Hourly", SalaryPeriod.hour),
        (None, None),  # not stated: no period guessed
    ],
)
def test_the_pay_period_is_read_as_spelt(period, expected):
    row = copy.deepcopy(_payload()["jobAdDetails"][0])
    row["payTransparencySalaryPayPeriod"] = period
    (job,) = hibob.parse({"jobAdDetails": [row]}, COMPANY)
    assert job.salary == Salary(min=900000, max=1200000, currency="ZAR", period=expected)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"hibob: expected a JSON object with a 'jobAdDetails' list, got list"),
        ({"jobAdDetails": None}, r"hibob: .*'jobAdDetails' list, got dict with keys"),
        ({"error": "Unauthorized"}, r"hibob: .*got dict with keys \['error'\]"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        hibob.parse(payload, COMPANY)


# --- fetch: the company is named in a header --------------------------------------------------


def test_fetch_names_the_company_as_the_careers_site_wants(redis, site):
    # The sample API, as HiBob's, refuses a request that does not name the company in a header.
    api = hibob.api_url(f"{BOARD}/jobs", root=f"{site.base_url}/hibob")
    company = Company(name="VALR", careers_url=f"{BOARD}/jobs", api_url=api)
    postings, report = fetch_postings(company, SETTINGS, redis)
    assert report.error is None and len(postings) == site.postings_per_company

    async def unnamed():
        async with Fetcher(SETTINGS, redis) as fetcher:
            return await fetcher.get_json(api)

    with pytest.raises(FetchError) as refused:
        asyncio.run(unnamed())
    assert refused.value.http_status == 401


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        BOARD,
        f"{BOARD}/",
        f"{BOARD}/jobs",
        f"{BOARD}/jobs/fc23ce11-483c-44cf-bd5f-5f66304116bb",
        "https://VALR.Careers.HiBob.com/jobs?department=Engineering",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert hibob.board_url(careers_url) == f"{BOARD}/"
    assert hibob.api_url(careers_url) == f"{BOARD}/api/job-ad"


def test_api_url_on_a_mirror_keeps_the_company_in_the_path():
    assert hibob.api_url(f"{BOARD}/jobs", root="http://127.0.0.1:9/hibob/") == (
        "http://127.0.0.1:9/hibob/valr/api/job-ad"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.hibob.com/",
        "https://app.hibob.com/careers",
        "https://careers.hibob.com/",
        "https://valr.example/careers",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert hibob.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"hibob: no company subdomain in careers URL"):
        hibob.api_url(careers_url)
