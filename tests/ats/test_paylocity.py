"""Paylocity postings carry what the board page's `window.pageData` and each job's page state:
the place, the department, the published date, the workplace the labels and the page state,
every section of the page as the text, its Job Type, and pay where a JSON-LD baseSalary gives
amounts.

The fixtures copy the real shapes of https://recruiting.paylocity.com/Recruiting/Jobs/All/{board}
(the pageData object and its Jobs rows) and of /Recruiting/Jobs/Details/{JobId} (job-preview-
details with job-listing-header sections, preview-location, JSON-LD on some) documented in the
adapter's module docstring; their company and texts are made up. The tests run the adapter's own
`parse`, `job_page` and `fetch` on them.
"""

import copy
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import paylocity
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, Source

FIXTURES = Path(__file__).parent / "fixtures" / "paylocity"
GUID = "37f1fc46-3c9a-4802-995e-eebd78e096d7"
HOST = "https://recruiting.paylocity.com"
BOARD = f"{HOST}/Recruiting/Jobs/All/{GUID}/Northwind-Logistics"
COMPANY = Company(name="Northwind", careers_url=BOARD, ats=Source.paylocity)
TITLES = [
    "Diesel Technician",
    "Data Scientist (US)",
    "Technical Support Specialist",
    "Participant Services Representative",
]


def _text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _board() -> dict:
    return paylocity.page_data(_text("board.html"))


def _merged() -> dict:
    """The rows with each job page's findings merged in, as `fetch` merges them."""
    rows = []
    for row in _board()["Jobs"]:
        page = FIXTURES / f"job-{row['JobId']}.html"
        found = paylocity.job_page(page.read_text(), f"{HOST}/x") if page.exists() else {}
        rows.append({**row, **found})
    return {"Jobs": rows}


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in paylocity.parse(payload, COMPANY)}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped():
    jobs = _by_title(_merged())
    assert sorted(jobs) == sorted(TITLES)  # not the internal job, not the one without a title

    shop = jobs["Diesel Technician"]
    assert shop.source is Source.paylocity
    assert shop.external_id == "4363000"
    assert shop.url == f"{HOST}/Recruiting/Jobs/Details/4363000"
    assert shop.location == "Houston, TX, USA"
    assert shop.locations == [Location(city="Houston", region="TX", country="US")]
    assert shop.remote is None  # "Houston, TX" and IsRemote false say nothing
    assert shop.employment_type is EmploymentType.full_time  # Job Type "Full Time"
    assert shop.department == "Service"
    assert shop.posted_at == datetime(2026, 7, 24, 19, 16, 35, tzinfo=UTC)  # -05:00 as UTC
    assert shop.description == (
        "Description\nRepair heavy trucks & trailers in our Houston shop.\n"
        "- Diagnose engines\n- Perform PM services\n\n"
        "Requirements\n- Two years of diesel experience\n- Own tools\n\n"
        "Job Type\nFull Time\n\n"
        "Salary Description\n$28.00 - $34.00 per hour"
    )
    assert shop.salary is None  # pay as prose only: it stays in the text

    remote = jobs["Data Scientist (US)"]
    # "LI-Remote" with the country alone in JobLocation: the label, and no Liechtenstein.
    assert remote.location == "LI-Remote"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote  # from the label; IsRemote is false
    assert remote.department == "General & Administrative"
    assert remote.posted_at == datetime(2026, 8, 31, 19, 34, 33, tzinfo=UTC)
    assert remote.employment_type is EmploymentType.full_time  # the JSON-LD employmentType
    assert remote.salary == Salary(min=120000, max=145000, currency="USD", period="year")
    assert remote.description.startswith("Description\nAbout Northwind\nWe are looking")

    support = jobs["Technical Support Specialist"]
    assert support.location == "Brisbane, Queensland, AUS"
    assert support.locations == [Location(city="Brisbane", region="Queensland", country="AU")]
    assert support.remote is RemotePolicy.remote  # the page's "Fully Remote"
    assert support.department is None
    assert support.employment_type is None  # no Job Type and no JSON-LD
    assert support.description == (
        "Description\nHelp our customers across APAC get the most from our platform.\n\n"
        "Requirements\n- Three years in a support role"
    )

    hybrid = jobs["Participant Services Representative"]
    assert hybrid.location == "Mesa, AZ, USA"
    assert hybrid.remote is RemotePolicy.hybrid  # "Hybrid - Mesa, AZ"
    # No headed sections: the container's text, without its Apply button.
    assert hybrid.description == (
        "Answer participants' questions about their benefit accounts.\nOffice three days a week."
    )


def test_the_board_alone_has_no_text_but_its_teasers():
    jobs = _by_title(_board())
    assert jobs["Diesel Technician"].description == ""
    assert jobs["Data Scientist (US)"].description.startswith("About Northwind\nWe are looking")
    assert jobs["Technical Support Specialist"].remote is RemotePolicy.remote  # IsRemote true
    assert all(p.salary is None and p.employment_type is None for p in jobs.values())


def test_a_board_page_parses_like_its_page_data(caplog):
    with caplog.at_level(logging.WARNING):
        postings = paylocity.parse(_text("board.html"), COMPANY)
    assert [p.title for p in postings] == TITLES
    assert "skipping job 4363002" in caplog.text  # the row without a title


def test_an_odd_job_is_skipped_without_sinking_the_board(caplog):
    payload = _board()
    payload["Jobs"] += ["odd", {"JobTitle": "No id", "JobLocation": "Houston"}]
    with caplog.at_level(logging.WARNING):
        postings = paylocity.parse(payload, COMPANY)
    assert [p.title for p in postings] == TITLES
    assert "skipping" in caplog.text


@pytest.mark.parametrize(
    ("label", "is_remote", "expected"),
    [
        ("Remote - US", False, RemotePolicy.remote),
        ("Hybrid - Bengaluru India", None, RemotePolicy.hybrid),
        ("AZ - Office 5 Days", True, RemotePolicy.remote),  # the flag, where the label is silent
        ("AZ - Office 5 Days", False, None),
    ],
)
def test_workplace_from_the_label_else_the_flag(label, is_remote, expected):
    row = copy.deepcopy(_board()["Jobs"][0])
    row |= {"LocationName": label, "IsRemote": is_remote}
    (posting,) = paylocity.parse({"Jobs": [row]}, COMPANY)
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("<html><body>Just a moment...</body></html>", r"window\.pageData object, got a page"),
        ("<script>window.pageData = nope;</script>", r"window\.pageData object, got something"),
        ("<script>window.pageData = [1];</script>", r"window\.pageData object, got something"),
        ({"Jobs": None}, r"expected a JSON object with a 'Jobs' list, got dict"),
        ([], r"expected a JSON object with a 'Jobs' list, got list"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=f"paylocity: .*{message}"):
        paylocity.parse(payload, COMPANY)


def test_a_page_without_a_job_adds_nothing():
    assert (
        paylocity.job_page(_text("not-found.html"), f"{HOST}/Recruiting/Jobs/JobNotFound") is None
    )
    assert paylocity.job_page("", HOST) is None


# --- fetch ------------------------------------------------------------------------------------


LISTED = f"/paylocity/Recruiting/Jobs/All/{GUID}/Northwind-Logistics"
DETAIL = "/paylocity/Recruiting/Jobs/Details/"


def _answer(site, target: str, markup: str) -> None:
    site.answer(target, markup, content_type="text/html; charset=utf-8")


def _asked(site) -> list[str]:
    """The targets `fetch` asked, less robots.txt (asked once a host, unless cached)."""
    return [target for target in site.asked if target != "/robots.txt"]


def test_fetch_reads_the_board_then_each_job_page_on_a_mirror(redis, fixture_site):
    mirror = f"{fixture_site.base_url}/paylocity"
    api = paylocity.api_url(BOARD, root=mirror)
    assert api == fixture_site.url(LISTED)
    _answer(fixture_site, LISTED, _text("board.html"))
    for n in (4363000, 4466374, 4281459):
        _answer(fixture_site, f"{DETAIL}{n}", _text(f"job-{n}.html"))
    # 2645090 closed since the list: its page is JobNotFound's (Paylocity redirects there; the
    # fixture site answers it in place). The untitled 4363002 is gone (404, not answered).
    _answer(fixture_site, f"{DETAIL}2645090", _text("not-found.html"))

    postings = fixture_site.fetch(redis, paylocity, COMPANY, LISTED)

    asked = _asked(fixture_site)
    assert asked[0] == LISTED
    assert sorted(asked[1:]) == sorted(
        f"{DETAIL}{n}" for n in (4363000, 4466374, 4281459, 2645090, 4363002)
    )  # every job's page but the internal one's
    assert [p.title for p in postings] == TITLES[:3]
    assert postings[0].url == f"{HOST}/Recruiting/Jobs/Details/4363000"  # the public page
    assert "Requirements" in postings[0].description


def test_fetch_of_a_board_whose_every_job_page_is_gone_is_an_error(redis, fixture_site):
    _answer(fixture_site, LISTED, _text("board.html"))  # and no job page: each a 404
    with pytest.raises(ValueError, match=r"paylocity: all 5 posting details are gone"):
        fixture_site.fetch(redis, paylocity, COMPANY, LISTED)


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "board"),
    [
        (BOARD, BOARD),
        (f"{HOST}/recruiting/jobs/All/{GUID.upper()}/Northwind-Logistics/", BOARD),
        (f"{HOST}/Recruiting/Jobs/All/{GUID}", f"{HOST}/Recruiting/Jobs/All/{GUID}"),
        (
            f"https://2000recruiting.paylocity.com/Recruiting/Jobs/All/{GUID}?jobs=1",
            f"https://2000recruiting.paylocity.com/Recruiting/Jobs/All/{GUID}",
        ),
    ],
)
def test_board_and_api_from_careers_urls(careers_url, board):
    assert paylocity.board_url(careers_url) == board
    assert paylocity.api_url(careers_url) == board


@pytest.mark.parametrize(
    "careers_url",
    [
        f"{HOST}/Recruiting/Jobs/Details/4363000",
        f"{HOST}/Recruiting/PublicLeads/New/{GUID}",
        f"{HOST}/Recruiting/Jobs/All/not-a-guid",
        f"https://www.paylocity.com/Recruiting/Jobs/All/{GUID}",
        "https://www.paylocity.com/company/careers/",
        f"https://careers.northwind.example/Recruiting/Jobs/All/{GUID}",
    ],
)
def test_a_url_without_a_board_names_no_board(careers_url):
    assert paylocity.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"paylocity: no board GUID in careers URL") as error:
        paylocity.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
