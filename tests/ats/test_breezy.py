"""Breezy HR postings carry what the portal's JSON list and each job page state: the places
(every entry of `locations`, repeats dropped), the workplace (`remote_details`, not `is_remote`,
which hybrid positions set too), the employment type, the department, the published date, the
page's text and structured pay, and the list's pay text.

The fixtures copy the real shapes of GET https://{company}.breezy.hr/json and a job page
https://{company}.breezy.hr/p/{id}-{slug} (field names, nesting, value spellings) documented in
the adapter's module docstring; their companies and texts are made up. The tests run the
adapter's own `parse`, `page_fields` and `fetch` on them.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import breezy
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "breezy"
BOARD = "https://northwind.breezy.hr"
COMPANY = Company(name="Northwind", careers_url=f"{BOARD}/", ats=Source.breezy)
PAGES = {  # friendly_id: the fixture of its job page
    "7a5244bd419501-recruitment-manager": "recruitment-manager.html",
    "18df3ec23bf901-integration-developer": "integration-developer.html",
    "2d861561c6f201-appointment-setter": "appointment-setter.html",
    "c0ffee5a1e4201-office-manager": "office-manager.html",
}


def _positions() -> list:
    return json.loads((FIXTURES / "positions.json").read_text(encoding="utf-8"))


def _page(friendly_id: str) -> str:
    return (FIXTURES / PAGES[friendly_id]).read_text(encoding="utf-8")


def _merged() -> list:
    """The list with each row's job page merged in, as `fetch` merges them."""
    rows = []
    for row in _positions():
        if isinstance(row, dict) and row.get("friendly_id") in PAGES:
            friendly = row["friendly_id"]
            row = {**row, "_page": breezy.page_fields(_page(friendly), f"{BOARD}/p/{friendly}")}
        rows.append(row)
    return rows


def _by_title(payload: list) -> dict:
    return {p.title: p for p in breezy.parse(payload, COMPANY)}


def _one(changes: dict) -> list:
    row = copy.deepcopy(_merged()[0])
    row.update(changes)
    return [row]


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped():
    jobs = _by_title(_merged())
    # The row that is no object and the row without a title are skipped, not the board.
    assert sorted(jobs) == [
        "Appointment Setter",
        "Integration Developer",
        "Office Manager",
        "Recruitment Manager",
    ]

    hybrid = jobs["Recruitment Manager"]
    assert hybrid.source is Source.breezy
    assert hybrid.external_id == "7a5244bd4195"
    assert hybrid.url == f"{BOARD}/p/7a5244bd419501-recruitment-manager"
    assert hybrid.location == "Bournemouth, GB"
    assert hybrid.locations == [Location(city="Bournemouth", country="GB")]
    # is_remote is true, remote_details says hybrid: hybrid it is.
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.employment_type is EmploymentType.full_time
    assert hybrid.department == "Sales / Network Growth"
    assert hybrid.posted_at == datetime(2026, 7, 28, 10, 58, 38, 513000, tzinfo=UTC)
    assert hybrid.salary == Salary(min=35000, max=40000, currency="GBP", period=SalaryPeriod.year)
    assert hybrid.description == (
        "About us:\nWe help people buy homes with less stress & fewer forms.\n"
        "- Grow our network of partners\n- Report to the Head of Sales\n\n"
        "Salary\n£35,000 \N{EN DASH} £40,000 / year"
    )

    remote = jobs["Integration Developer"]
    assert remote.url == f"{BOARD}/p/18df3ec23bf901-integration-developer"
    # Every place of `locations`, the repeated Tampa once.
    assert remote.location == "Tampa, FL; Salt Lake City, UT"
    assert remote.locations == [
        Location(city="Tampa", region="Florida", country="US"),
        Location(city="Salt Lake City", region="Utah", country="US"),
    ]
    assert remote.remote is RemotePolicy.remote  # "remote-location"
    assert remote.employment_type is EmploymentType.contract
    assert remote.department is None
    assert remote.salary == Salary(min=75, max=95, currency="USD", period=SalaryPeriod.hour)
    assert remote.description == (
        "Connect our case system to our partners' APIs.\n\nSalary\n$75 \N{EN DASH} $95 / hr"
    )

    anywhere = jobs["Appointment Setter"]
    assert anywhere.location == "Worldwide" and anywhere.locations == []
    assert anywhere.remote is RemotePolicy.remote
    assert anywhere.employment_type is EmploymentType.part_time
    assert anywhere.department == "Sales & Support"
    assert anywhere.salary is None  # pay hidden: salary ""
    # A page without a JobPosting: its div.description.
    assert anywhere.description == "Book calls for our sales team.\n- Four hours a day"

    onsite = jobs["Office Manager"]
    # No `url` in the row: the job page from its friendly_id on the board's host.
    assert onsite.url == f"{BOARD}/p/c0ffee5a1e4201-office-manager"
    assert onsite.location == "Austin, TX"
    assert onsite.locations == [Location(city="Austin", region="Texas", country="US")]
    assert onsite.remote is RemotePolicy.onsite  # is_remote false
    assert onsite.employment_type is None  # "Other", and the page's "OTHER"
    assert onsite.posted_at == datetime(2026, 10, 1, 12, tzinfo=UTC)
    assert onsite.description == "Keep our Austin office running."
    assert onsite.salary is None


def test_the_list_alone_states_no_text_and_no_structured_pay():
    jobs = _by_title(_positions())
    hybrid = jobs["Recruitment Manager"]
    assert hybrid.description == "Salary\n£35,000 \N{EN DASH} £40,000 / year"
    assert hybrid.salary is None
    assert hybrid.posted_at == datetime(2026, 7, 28, 10, 58, 38, 513000, tzinfo=UTC)
    assert jobs["Office Manager"].description == ""


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"is_remote": True, "remote_details": {"value": "hybrid"}}, RemotePolicy.hybrid),
        ({"is_remote": True, "remote_details": {"value": "remote"}}, RemotePolicy.remote),
        ({"is_remote": True, "remote_details": {"label": "Hybrid (Some remote)"}}, "hybrid"),
        ({"is_remote": True}, RemotePolicy.remote),
        ({"is_remote": False}, RemotePolicy.onsite),
        ({"name": "Bournemouth, GB"}, None),
    ],
)
def test_remote_details_is_the_workplace(location, expected):
    (posting,) = breezy.parse(_one({"location": location, "locations": []}), COMPANY)
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ({"id": "partTime", "name": "Part-Time"}, EmploymentType.part_time),
        ({"id": "temporary", "name": "Temporary"}, EmploymentType.temporary),
        ({"id": "internship", "name": "Internship"}, EmploymentType.internship),
        ({"id": "fullTime"}, EmploymentType.full_time),
        ({"id": "other", "name": "Other"}, EmploymentType.full_time),  # the page's FULL_TIME
        (None, EmploymentType.full_time),
    ],
)
def test_type_is_the_employment_type(kind, expected):
    (posting,) = breezy.parse(_one({"type": kind}), COMPANY)
    assert posting.employment_type == expected


def test_a_place_without_a_name_is_built_from_its_parts():
    place = {
        "country": {"name": "Germany", "id": "DE"},
        "state": {"id": "BE", "name": "Berlin"},
        "city": "Berlin",
    }
    (posting,) = breezy.parse(_one({"location": place, "locations": [place]}), COMPANY)
    assert posting.location == "Berlin, Germany"
    assert posting.locations == [Location(city="Berlin", region="Berlin", country="DE")]


def test_without_a_url_or_a_board_host_the_posting_is_skipped():
    company = Company(name="Northwind", careers_url="https://northwind.example/careers")
    assert breezy.parse(_one({"url": None}), company) == []
    (posting,) = breezy.parse(_one({"url": None}), COMPANY)
    assert posting.url == f"{BOARD}/p/7a5244bd419501-recruitment-manager"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"positions": []}, r"breezy: expected a JSON list of positions, got dict with keys"),
        ({"error": "not found"}, r"got dict with keys \['error'\]"),
        ("<html>", r"breezy: expected a JSON list of positions, got str"),
        (None, r"got NoneType"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        breezy.parse(payload, COMPANY)


def test_an_empty_board_is_no_posting():
    assert breezy.parse([], COMPANY) == []


def test_a_page_without_a_description_adds_nothing():
    assert breezy.page_fields("<html><body><h1>Gone</h1></body></html>", BOARD) == {}
    assert breezy.page_fields("", BOARD) == {}


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_reads_each_job_page_next_to_the_list_on_a_mirror(redis, fixture_site):
    root = f"{fixture_site.base_url}/breezy"
    api = breezy.api_url(f"{BOARD}/p/7a5244bd419501-recruitment-manager", root=root)
    assert api == f"{root}/northwind/json"
    fixture_site.answer("/breezy/northwind/json", _positions())
    pages = [f"/breezy/northwind/p/{friendly}" for friendly in PAGES]
    for friendly in PAGES:
        fixture_site.answer(
            f"/breezy/northwind/p/{friendly}",
            _page(friendly),
            content_type="text/html; charset=utf-8",
        )
    # Closed since it was listed: its page answers 404.
    gone = "/breezy/northwind/p/deadbeef000101-untitled"
    fixture_site.answer(gone, "Not Found", status=404, content_type="text/plain")
    postings = fixture_site.fetch(redis, breezy, COMPANY, "/breezy/northwind/json")

    asked = [target for target in fixture_site.asked if target != "/robots.txt"]
    assert sorted(asked) == sorted(["/breezy/northwind/json", *pages, gone])
    assert "/robots.txt" in fixture_site.asked  # job pages are web pages: robots.txt allows them
    assert [p.external_id for p in postings] == [
        "7a5244bd4195",
        "18df3ec23bf9",
        "2d861561c6f2",
        "c0ffee5a1e42",
    ]
    assert all(p.description and p.url.startswith(BOARD) for p in postings)
    assert postings[0].salary and postings[0].salary.currency == "GBP"


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://northwind.breezy.hr",
        "https://northwind.breezy.hr/",
        "https://Northwind.Breezy.HR/p/7a5244bd419501-recruitment-manager",
        "https://northwind.breezy.hr/p/7a5244bd419501-recruitment-manager/apply",
        "https://northwind.breezy.hr/json",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert breezy.board_url(careers_url) == "https://northwind.breezy.hr/"
    assert breezy.api_url(careers_url) == "https://northwind.breezy.hr/json"


def test_detail_url_follows_the_list_url():
    row = {"url": f"{BOARD}/p/7a5244bd4195-manager?source=GoogleJobs", "friendly_id": "x"}
    assert breezy.detail_url(f"{BOARD}/json", row) == f"{BOARD}/p/7a5244bd4195-manager"
    assert breezy.detail_url("http://127.0.0.1:9/m/northwind/json", {"friendly_id": "ab-c"}) == (
        "http://127.0.0.1:9/m/northwind/p/ab-c"
    )
    assert breezy.detail_url(f"{BOARD}/json", {"id": "ab"}) is None


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://breezy.hr/",
        "https://www.breezy.hr/pricing",
        "https://app.breezy.hr/signin",
        "https://developer.breezy.hr/reference/model-position",
        "https://assets-cdn.breezy.hr/breezy-portal/embed.js",
        "https://careers.northwind.example/jobs",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert breezy.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"breezy: no company subdomain in careers URL") as error:
        breezy.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
