"""Comeet postings carry what the Careers API states: the location (its name, and city, state and
country), the workplace, the employment type, the department and every text section, with the
experience level and the company's own categories as sections of the text.

The fixtures copy the real shapes (field names, nesting, value spellings) documented in the
adapter's module docstring: a hosted careers page with its COMPANY_DATA, and the positions of
GET https://www.comeet.co/careers-api/2.0/company/{uid}/positions?details=true; their companies
and texts are made up. The tests run the adapter's own functions on them.
"""

import copy
import json
import logging
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import comeet
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Source

FIXTURES = Path(__file__).parent / "fixtures" / "comeet"
BOARD = "https://www.comeet.com/jobs/blockwise/69.00B"
COMPANY = Company(name="Blockwise", careers_url=BOARD, ats=Source.comeet)


def _positions() -> list:
    return json.loads((FIXTURES / "positions.json").read_text(encoding="utf-8"))


def _by_title(payload: list) -> dict:
    return {p.title: p for p in comeet.parse(payload, COMPANY)}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_positions())
    # The internal position is left out silently; the one with no page at all is skipped, said.
    assert sorted(jobs) == [
        "Backend Engineer",
        "Data Analyst Student",
        "General Application",
        "Solutions Engineer, EMEA",
    ]
    assert "skipping job D7.D00: url" in caplog.text
    assert "D7.C99" not in caplog.text

    hybrid = jobs["Backend Engineer"]
    assert hybrid.source is Source.comeet
    assert hybrid.external_id == "D7.A31"
    # Comeet's hosted page, not the company's own page with its query.
    assert hybrid.url == f"{BOARD}/backend-engineer/D7.A31"
    assert hybrid.location == "Tel Aviv"  # the location's name
    assert hybrid.locations == [
        Location(city="Tel Aviv-Yafo", region="Tel Aviv District", country="IL")
    ]
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.employment_type is EmploymentType.full_time
    assert hybrid.department == "R&D"
    assert hybrid.posted_at is None  # time_updated is when it last changed
    assert hybrid.salary is None

    remote = jobs["Solutions Engineer, EMEA"]
    assert remote.location == "London, UK"
    assert remote.locations == [Location(city="London", country="GB")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.contract
    assert remote.department == "Sales"

    # No workplace_type: the older is_remote flag says it. No hosted page: the active one.
    student = jobs["Data Analyst Student"]
    assert student.url == "https://blockwise.example/careers/?comeet_pos=D7.B3C"
    assert student.remote is RemotePolicy.remote
    assert student.employment_type is EmploymentType.internship
    assert student.locations == [Location(city="New York", region="NY", country="US")]

    # Odd row: no location, department or employment type.
    general = jobs["General Application"]
    assert general.location is None and general.locations == []
    assert general.remote is RemotePolicy.onsite
    assert general.employment_type is None and general.department is None
    assert general.description == ""


def test_description_joins_every_section_in_order():
    jobs = _by_title(_positions())
    assert jobs["Backend Engineer"].description == (
        "Description\nBuild the engine behind our on\u2011chain risk scoring.\n\n"
        "Requirements\n- 5+ years with Go or Rust\n- Kubernetes\n\n"
        "Experience Level\nSenior\n\n"
        "Categories\nOffice: HQ\nTeam: Core Platform"
    )
    assert jobs["Solutions Engineer, EMEA"].description == (
        "About the role\nHelp banks adopt Blockwise."
    )


def test_a_location_named_only_is_read_from_its_name():
    row = copy.deepcopy(_positions()[0])
    row["location"] = {"name": "Haifa, Israel"}
    (job,) = comeet.parse([row], COMPANY)
    assert job.location == "Haifa, Israel"
    assert job.locations == [Location(city="Haifa", country="IL")]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"status": 400, "message": "Account uid or token are not valid"},
            r"comeet: expected a JSON array of positions, got dict with keys \['message', 'st",
        ),
        (None, r"comeet: expected a JSON array of positions, got NoneType"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        comeet.parse(payload, COMPANY)


# --- the careers page and its token -----------------------------------------------------------


def test_the_careers_page_gives_the_token_and_the_api_call():
    markup = (FIXTURES / "careers.html").read_text(encoding="utf-8")
    token = comeet.token_of(markup)
    assert token == "96B41ED041ED12D654C3388241ED12D654C3"
    assert comeet.positions_url(BOARD, token) == (
        "https://www.comeet.co/careers-api/2.0/company/69.00B/positions"
        "?token=96B41ED041ED12D654C3388241ED12D654C3&details=true"
    )
    mirror = "http://127.0.0.1:9/comeet/jobs/blockwise/69.00B"
    assert comeet.positions_url(mirror, token).startswith(
        "http://127.0.0.1:9/comeet/careers-api/2.0/company/69.00B/positions?token="
    )


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<html><body>Careers</body></html>", r"comeet: expected the careers page's COMPANY_DATA"),
        ('COMPANY_DATA = {"token": "96B4"};', r"comeet: expected .* with a token"),
        (
            "<h1>This account has been deactivated</h1>",
            r"comeet: the careers page says the account is deactivated",
        ),
    ],
)
def test_a_page_without_a_token_is_a_clear_error(markup, message):
    with pytest.raises(ValueError, match=message):
        comeet.token_of(markup)


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        BOARD,
        f"{BOARD}/",
        "https://www.comeet.com/jobs/blockwise/69.00b",
        f"{BOARD}/backend-engineer/D7.A31",
        "https://comeet.co/jobs/blockwise/69.00B/backend-engineer/D7.A31?coref=1.10.r7D_1",
    ],
)
def test_board_and_api_from_careers_and_position_urls(careers_url):
    assert comeet.board_url(careers_url) == BOARD
    assert comeet.api_url(careers_url) == BOARD


def test_api_url_on_a_mirror():
    assert comeet.api_url(BOARD, root="http://127.0.0.1:9/comeet/") == (
        "http://127.0.0.1:9/comeet/jobs/blockwise/69.00B"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.comeet.com/",
        "https://www.comeet.com/jobs/blockwise",
        "https://www.comeet.com/jobs/blockwise/careers",
        "https://developers.comeet.com/reference/careers-position-model",
        "https://blockwise.example/jobs/blockwise/69.00B",
    ],
)
def test_a_url_without_a_board_names_none(careers_url):
    assert comeet.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"comeet: no company slug and uid in careers URL"):
        comeet.api_url(careers_url)
