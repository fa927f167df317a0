"""JazzHR postings carry what the board's /apply/jobs table and each job page state: title,
department and location from the table; the employment label, experience, department and text
from the page's HTML in each of its themes; the date, pay, places and remote workplace from the
page's JobPosting JSON-LD where it has one.

The fixtures copy the real markup of https://{company}.applytojob.com/apply/jobs and of job pages
in the responsive, classic and custom themes (element ids, classes, value spellings) documented
in the adapter's module docstring; their companies and texts are made up. The tests run the
adapter's own `listing`, `page_fields`, `parse` and `fetch` on them.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import jazzhr
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "jazzhr"
BOARD = "https://fabrikamfreight.applytojob.com"
COMPANY = Company(name="Fabrikam", careers_url=f"{BOARD}/apply", ats=Source.jazzhr)
CODES = ["Rk4vT8qLm2", "Pz7wB3nXe5", "Hd2yK9cQa1"]


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _merged() -> list:
    """The table's rows with each job page merged in, as `fetch` merges them."""
    rows = jazzhr.listing(_read("listing.html"))
    for row in rows:
        if row["id"] in CODES:
            row["_page"] = jazzhr.page_fields(_read(f"{row['id']}.html"), f"{BOARD}/apply/x")
    return rows


def _postings(rows: list) -> dict:
    return {
        p.external_id: p
        for p in jazzhr.to_postings(rows, COMPANY, Source.jazzhr, jazzhr._fields_of(COMPANY))
    }


# --- the list and the pages -------------------------------------------------------------------


def test_the_table_rows_once_each_without_the_mobile_copies():
    rows = jazzhr.listing(_read("listing.html"))
    assert rows == [
        {
            "id": "Rk4vT8qLm2",
            "title": "Account Success Manager",
            "department": "Customer Success",
            "location": "Remote",
        },
        {
            "id": "Pz7wB3nXe5",
            "title": "Staff Accountant",
            "department": None,  # an empty span is no department
            "location": "Cedar Rapids, IA",
        },
        {
            "id": "Hd2yK9cQa1",
            "title": "Customer Care Associate (Spanish) & Support",
            "department": None,
            "location": "Malaga, Spain",
        },
        # A row without a posting link: kept as read, skipped when it becomes a posting.
        {"id": None, "title": None, "department": None, "location": "Anywhere"},
    ]


def test_every_stated_field_is_mapped():
    jobs = _postings(_merged())
    assert sorted(jobs) == sorted(CODES)  # the row without a link is skipped, not the board

    remote = jobs["Rk4vT8qLm2"]
    assert remote.source is Source.jazzhr
    assert remote.title == "Account Success Manager"
    assert remote.url == f"{BOARD}/apply/Rk4vT8qLm2"
    assert remote.location == "Remote"
    # The JSON-LD's address, with its country; TELECOMMUTE is remote.
    assert remote.locations == [Location(city="Raleigh", region="NC", country="US")]
    assert remote.remote is RemotePolicy.remote
    # The page's own label, "Contracted to Full Time": full-time.
    assert remote.employment_type is EmploymentType.full_time
    assert remote.department == "Customer Success"
    assert remote.posted_at == datetime(2026, 8, 3, tzinfo=UTC)
    assert remote.salary == Salary(min=70000, max=85000, currency="USD", period=SalaryPeriod.year)
    assert remote.description == (
        "Run quarterly reviews with our largest shippers.\n- Own renewals\n- Travel 10%\n\n"
        "Experience\nExperienced"
    )

    classic = jobs["Pz7wB3nXe5"]
    assert classic.url == f"{BOARD}/apply/Pz7wB3nXe5"
    assert classic.location == "Cedar Rapids, IA"
    assert classic.locations == [Location(city="Cedar Rapids", region="IA", country="US")]
    assert classic.remote is None
    assert classic.employment_type is EmploymentType.part_time  # "<strong>Type: </strong>"
    assert classic.department == "Finance"  # the row's span is empty: the page's
    # No JSON-LD: no date and no structured pay; pay in prose stays in the text.
    assert classic.posted_at is None and classic.salary is None
    assert classic.description == (
        "Owns the day-to-day accounting function.\nPay: $24\N{EN DASH}$28 per hour.\n\n"
        "Experience\nEntry Level"
    )

    custom = jobs["Hd2yK9cQa1"]
    assert custom.title == "Customer Care Associate (Spanish) & Support"
    # The JSON-LD names no country: the list's text, read as a place.
    assert custom.locations == [Location(city="Malaga", country="ES")]
    assert custom.employment_type is EmploymentType.temporary  # id="resumator-job-type"
    assert custom.department is None
    assert custom.posted_at == datetime(2026, 8, 12, tzinfo=UTC)
    assert (
        custom.description
        == "Atiende a nuestros clientes.\nTurnos de ma\N{LATIN SMALL LETTER N WITH TILDE}ana."
    )


def test_the_list_alone_states_title_place_and_department():
    jobs = _postings(jazzhr.listing(_read("listing.html")))
    remote = jobs["Rk4vT8qLm2"]
    assert remote.remote is RemotePolicy.remote  # "Remote" as the location
    assert remote.locations == []
    assert remote.department == "Customer Success"
    assert remote.description == "" and remote.posted_at is None and remote.employment_type is None
    assert jobs["Pz7wB3nXe5"].locations == [
        Location(city="Cedar Rapids", region="IA", country="US")
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Full Time", EmploymentType.full_time),
        ("Part Time to Full Time", EmploymentType.part_time),
        ("Temporary to Full Time", EmploymentType.temporary),
        ("Contractor", EmploymentType.contract),
        ("Internship", EmploymentType.internship),
        ("Per Diem", EmploymentType.full_time),  # no kind: the JSON-LD's FULL_TIME
    ],
)
def test_the_pages_label_is_the_employment_type(label, expected):
    page = _read("Rk4vT8qLm2.html").replace("Contracted to Full Time", label)
    (row, *_) = jazzhr.listing(_read("listing.html"))
    row["_page"] = jazzhr.page_fields(page, f"{BOARD}/apply/Rk4vT8qLm2")
    assert _postings([row])["Rk4vT8qLm2"].employment_type == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            "<html><body><h1>JazzHR</h1></body></html>",
            r"jazzhr: expected the /apply/jobs .*jobs_table",
        ),
        (None, r"jazzhr: expected the /apply/jobs listing's jobs_table, got NoneType"),
        ({"jobs": []}, r"got dict with keys \['jobs'\]"),
        ("", r"got ''"),
    ],
)
def test_a_page_without_the_jobs_table_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        jazzhr.parse(payload, COMPANY)


def test_a_departed_tenant_is_an_error_not_an_empty_board():
    with pytest.raises(ValueError, match=r"jobs_table, got '<!DOCTYPE html>"):
        jazzhr.parse(_read("departed.html"), COMPANY)
    empty = '<table id="jobs_table" class="menu_table"><tbody></tbody></table>'
    assert jazzhr.parse(f"<html><body>{empty}</body></html>", COMPANY) == []


def test_a_page_without_any_of_it_adds_nothing():
    fields = jazzhr.page_fields("<html><body><h1>Gone</h1></body></html>", BOARD)
    assert not any(fields.values())
    assert jazzhr.page_fields("", BOARD) == {}


# --- fetch ------------------------------------------------------------------------------------


def _answer(site, target: str, markup: str) -> None:
    site.answer(target, markup, content_type="text/html; charset=utf-8")


def _asked(site) -> list[str]:
    """The targets `fetch` asked, less robots.txt (asked once a host, unless cached)."""
    return [target for target in site.asked if target != "/robots.txt"]


def test_fetch_reads_each_job_page_next_to_the_list_on_a_mirror(redis, fixture_site):
    root = f"{fixture_site.base_url}/jazzhr"
    api = jazzhr.api_url(f"{BOARD}/apply/Rk4vT8qLm2/Account-Success-Manager", root=root)
    assert api == f"{root}/fabrikamfreight/apply/jobs"
    listed = "/jazzhr/fabrikamfreight/apply/jobs"
    pages = [f"/jazzhr/fabrikamfreight/apply/{code}" for code in CODES]
    _answer(fixture_site, listed, _read("listing.html"))
    for code, target in zip(CODES[:-1], pages[:-1], strict=True):
        _answer(fixture_site, target, _read(f"{code}.html"))
    # Gone since it was listed.
    fixture_site.answer(pages[-1], "Gone", status=410, content_type="text/plain")

    postings = fixture_site.fetch(redis, jazzhr, COMPANY, listed)

    assert sorted(_asked(fixture_site)) == sorted([listed, *pages])
    assert [p.external_id for p in postings] == ["Rk4vT8qLm2", "Pz7wB3nXe5"]
    assert all(p.description and p.url.startswith(f"{BOARD}/apply/") for p in postings)


def test_fetch_fails_on_a_departed_tenant(redis, fixture_site):
    listed = "/jazzhr/fabrikamfreight/apply/jobs"
    _answer(fixture_site, listed, _read("departed.html"))
    with pytest.raises(ValueError, match="jobs_table"):
        fixture_site.fetch(redis, jazzhr, COMPANY, listed)


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://fabrikamfreight.applytojob.com",
        "https://fabrikamfreight.applytojob.com/apply",
        "https://FabrikamFreight.ApplyToJob.com/apply/jobs",
        "https://fabrikamfreight.applytojob.com/apply/Rk4vT8qLm2/Account-Success-Manager",
        "https://fabrikamfreight.applytojob.com/apply/jobs/details/Rk4vT8qLm2?&",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert jazzhr.board_url(careers_url) == "https://fabrikamfreight.applytojob.com/"
    assert jazzhr.api_url(careers_url) == "https://fabrikamfreight.applytojob.com/apply/jobs"


def test_detail_url_follows_the_list_url():
    assert jazzhr.detail_url(f"{BOARD}/apply/jobs", {"id": "Rk4vT8qLm2"}) == (
        f"{BOARD}/apply/Rk4vT8qLm2"
    )
    assert jazzhr.detail_url("http://127.0.0.1:9/m/x/apply/jobs/", {"id": "Ab1"}) == (
        "http://127.0.0.1:9/m/x/apply/Ab1"
    )
    assert jazzhr.detail_url(f"{BOARD}/apply/jobs", {"id": None}) is None


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://applytojob.com/",
        "https://www.applytojob.com/apply",
        "https://www.jazzhr.com/job-seekers",
        "https://app.jazz.co/feeds/export/jobs/fabrikamfreight",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert jazzhr.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"jazzhr: no company subdomain in careers URL") as error:
        jazzhr.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
