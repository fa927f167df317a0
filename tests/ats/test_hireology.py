"""Hireology postings carry what the careers API states: every place a job is listed in, the
remote flag, the employment status, the job family as department, the creation time, the text
with the hiring location's name, and the pay (a range or a single amount, with its period).

The fixtures copy the real shapes of GET https://api.hireology.com/v2/public/careers/{slug} and
of the career page whose `startingData` carries the API token (field names, nesting, value
spellings) documented in the adapter's module docstring; their companies and texts are made up.
The tests run the adapter's own `parse` and `fetch` on them.
"""

import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deployments.sample.ats.boards import board
from tasks.errors import FetchError
from tasks.fetch.sources.ats import hireology
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
FIXTURES = Path(__file__).parent / "fixtures" / "hireology"
BOARD = "https://careers.hireology.com/andersonautogroup"
COMPANY = Company(name="Anderson Auto Group", careers_url=BOARD, ats=Source.hireology)
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJjYXJlZXJzUGF0aCI6ImFuZGVyc29uYXV0b2dyb3VwIn0.c2lnbmF0dXJl"


def _payload() -> dict:
    return json.loads((FIXTURES / "careers.json").read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in hireology.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_payload()["data"][0])
    row.update(changes)
    return {"data": [row], "count": 1, "page": 1, "page_size": 100}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_payload())
    # The closed row is left out silently; the one without a name is skipped, and said so.
    assert sorted(jobs) == [
        "Automotive Technician",
        "Guest Experience Representative",
        "Remote Warranty Administrator",
    ]
    assert "skipping job 2827999" in caplog.text and "2700001" not in caplog.text

    tech = jobs["Automotive Technician"]
    assert tech.source is Source.hireology
    assert tech.external_id == "2827500"
    assert tech.url == f"{BOARD}/2827500/description"
    assert tech.location == "Lincoln, NE"
    assert tech.locations == [Location(city="Lincoln", region="NE", country="US")]
    assert tech.remote is None  # remote false: not remote, no more
    assert tech.employment_type is EmploymentType.full_time  # "Full Time - hourly"
    assert tech.department == "Service"
    assert tech.posted_at == datetime(2026, 7, 27, 19, 10, 31, 370_000, tzinfo=UTC)
    assert tech.salary == Salary(min=25, max=35.5, currency=None, period=SalaryPeriod.hour)
    assert tech.description == (
        "Role\nDiagnose and repair customer vehicles.\n- ASE certification\n- Own tools\n\n"
        "Employer\nAnderson Ford of Lincoln"
    )

    remote = jobs["Remote Warranty Administrator"]
    # A child location's job page, as the API names it.
    assert remote.url == ("https://careers.hireology.com/andersontoyotatoronto/2827501/description")
    assert remote.locations == [Location(city="Toronto", region="ON", country="CA")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.contract
    assert remote.department is None  # no job family
    # A single amount where is_comp_range is false.
    assert remote.salary == Salary(min=95, max=95, period=SalaryPeriod.hour)

    guest = jobs["Guest Experience Representative"]
    # No career_site_url: the job page from the board's slug.
    assert guest.url == f"{BOARD}/2813570/description"
    assert guest.location == "San Diego, CA; Peoria, AZ"
    assert guest.locations == [
        Location(city="San Diego", region="CA", country="US"),
        Location(city="Peoria", region="AZ", country="US"),
    ]
    assert guest.employment_type is EmploymentType.part_time
    assert guest.posted_at == datetime(2026, 8, 1, 17, 0, tzinfo=UTC)  # -05:00 as UTC
    assert guest.salary is None  # "0.0": no pay published
    assert guest.description == "Welcome fans at the gate."  # an empty organization adds nothing


@pytest.mark.parametrize(
    ("compensation", "expected"),
    [
        (
            {
                "is_comp_range": True,
                "comp_range_min": "55000.0",
                "comp_range_max": "70000.0",
                "comp_period": "year",
            },
            Salary(min=55000, max=70000, period=SalaryPeriod.year),
        ),
        (
            {
                "is_comp_range": True,
                "comp_range_min": "0.0",
                "comp_range_max": "80000.0",
                "comp_period": "year",
            },
            None,  # a minimum of 0 is a placeholder
        ),
        ({"is_comp_range": False, "comp_single_amount": "18.5"}, Salary(min=18.5, max=18.5)),
        (None, None),
    ],
)
def test_compensation(compensation, expected):
    (posting,) = hireology.parse(_one({"compensation": compensation}), COMPANY)
    assert posting.salary == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"hireology: expected a JSON object with a 'data' list, got list"),
        ({"count": 0}, r"hireology: expected .* 'data' list, got dict with keys \['count'\]"),
        ({"errors": ["Unauthorized"]}, r"hireology: .*got dict with keys \['errors'\]"),
        ("<html>", r"hireology: expected .* 'data' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        hireology.parse(payload, COMPANY)


# --- fetch ------------------------------------------------------------------------------------


def _read(redis, site, slug: str):
    api = hireology.api_url(
        f"https://careers.hireology.com/{slug}", root=f"{site.base_url}/hireology"
    )
    company = Company(
        name="Anderson", careers_url=f"https://careers.hireology.com/{slug}", api_url=api
    )
    return fetch_postings(company, SETTINGS, redis)


def test_fetch_reads_the_token_then_every_page(redis, site, monkeypatch):
    # The sample API, as the clients that send it expect, refuses a call without the page's token.
    monkeypatch.setattr(hireology, "PAGE_SIZE", 2)
    postings, report = _read(redis, site, "anderson-5")

    assert report.error is None
    assert [p.title for p in postings] == [job.title for job in board(site, "anderson-5")]
    assert site.hits("/hireology/anderson-5") == 1  # the career page, for its token
    assert site.hits("/hireology/v2/public/careers/anderson-5") == 3  # 5 open + 1 closed, 2 a page


def test_without_the_career_page_the_api_is_asked_without_a_token(redis, site):
    with pytest.raises(FetchError) as failed:  # this API wants one: the board fails, and says so
        _read(redis, site, "nopage-anderson")

    assert failed.value.http_status == 401
    assert site.hits("/hireology/nopage-anderson") == 1
    assert site.hits("/hireology/v2/public/careers/nopage-anderson") == 1


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "slug"),
    [
        ("https://careers.hireology.com/andersonautogroup", "andersonautogroup"),
        ("https://careers.hireology.com/andersonautogroup/", "andersonautogroup"),
        (
            "https://careers.hireology.com/andersonautogroup/2827500/description",
            "andersonautogroup",
        ),
        ("https://andersonautogroup.hireology.careers/jobs", "andersonautogroup"),
        (
            "https://api.hireology.com/v2/public/careers/andersonautogroup?page=2",
            "andersonautogroup",
        ),
        ("https://api.hireology.com/v1/careers/millsautogroup", "millsautogroup"),
        (
            "https://careers.hireology.com/thelodgenursing%26rehabcenter",
            "thelodgenursing%26rehabcenter",
        ),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, slug):
    assert hireology.board_url(careers_url) == f"https://careers.hireology.com/{slug}"
    assert hireology.api_url(careers_url) == f"https://api.hireology.com/v2/public/careers/{slug}"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://careers.hireology.com/",
        "https://www.hireology.com/careers",
        "https://www.hireology.careers/",
        "https://api.hireology.com/v2/public/careers",
        "https://hireology.example.com/acme",
    ],
)
def test_a_url_without_a_slug_names_no_board(careers_url):
    assert hireology.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"hireology: no careers slug in careers URL") as error:
        hireology.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
