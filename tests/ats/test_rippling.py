"""Rippling postings carry what the board's list and each posting's detail state: every place
with its workplace type, the department, the employment type, the creation date, the text, and
the pay bands.

The fixtures copy the real shapes of GET https://api.rippling.com/platform/api/ats/v2/board/
{slug}/jobs and .../jobs/{id} (field names, nesting, value spellings) documented in the adapter's
module docstring; their company and texts are made up. The tests run the adapter's own `parse`
and `fetch` on them.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import rippling
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, Source

FIXTURES = Path(__file__).parent / "fixtures" / "rippling"
BOARD = "https://ats.rippling.com/northwind-careers/jobs"
API = "https://api.rippling.com/platform/api/ats/v2/board/northwind-careers/jobs"
COMPANY = Company(name="Northwind", careers_url=BOARD, ats=Source.rippling)
SECURITY = "2f0674e6-f01f-4ecd-b459-e947241c211f"


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _merged() -> dict:
    """The list with each row's detail merged in, as `fetch` merges them."""
    listed, details = _load("list.json"), _load("details.json")
    return {"items": [{**row, **rippling._detail(details[row["id"]])} for row in listed["items"]]}


def _by_title(payload: dict, company: Company = COMPANY) -> dict:
    return {p.title: p for p in rippling.parse(payload, company)}


def _one(changes: dict, detail: dict | None = None) -> dict:
    row = copy.deepcopy(_merged()["items"][0])
    row.update(changes)
    row["detail"].update(detail or {})
    return {"items": [row]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped():
    jobs = _by_title(_merged())
    assert len(jobs) == 5

    security = jobs["Senior Software Engineer, Security"]
    assert security.source is Source.rippling
    assert security.external_id == SECURITY
    assert security.url == f"{BOARD}/{SECURITY}"
    assert security.location == "New York, NY; Remote (Connecticut, US)"
    assert security.locations == [
        Location(city="New York", region="New York", country="US"),
        Location(region="Connecticut", country="US"),  # a remote place names no city
    ]
    # On-site in New York or remote from Connecticut: the most flexible of the two.
    assert security.remote is RemotePolicy.remote
    assert security.employment_type is EmploymentType.full_time
    assert security.department == "Engineering"  # the list's, the top of the detail's tree
    assert security.posted_at == datetime(2026, 4, 1, 0, 37, 26, 93000, tzinfo=UTC)
    # One band per place: the salary spans them, the description lists each.
    assert security.salary == Salary(min=150_000, max=250_000, currency="USD", period="year")
    assert security.description == (
        "Northwind Health runs primary care clinics in twelve states.\n\n"
        "What you'll do\n- Own our threat model\n- Review designs & code\n\n"
        "Pay ranges\nUSD 170,000 - 250,000 per year (New York, NY)\n"
        "USD 150,000 - 220,000 per year (Remote (Connecticut, US))"
    )

    hourly = jobs["Patient Care Coordinator"]
    assert hourly.location == "Denver, CO"
    assert hourly.locations == [Location(city="Denver", region="Colorado", country="US")]
    assert hourly.remote is RemotePolicy.hybrid
    assert hourly.employment_type is EmploymentType.part_time
    assert hourly.salary == Salary(min=22, max=28.5, currency="USD", period="hour")
    assert hourly.posted_at == datetime(2026, 10, 2, 9, 15, tzinfo=UTC)
    # One band is the salary alone; an empty company section adds nothing.
    assert hourly.description == "Greet patients and keep the schedule running."

    intern = jobs["Summer Intern, Finance"]
    assert intern.remote is RemotePolicy.onsite
    # The company's words ("Intern") say more than the code HOURLY_FT.
    assert intern.employment_type is EmploymentType.internship
    assert intern.salary is None  # no band published
    assert intern.posted_at == datetime(2026, 9, 14, 7, 0, tzinfo=UTC)
    assert intern.description == "Twelve weeks with our FP&A team."  # entity-escaped HTML
    assert intern.locations == [Location(city="London", region="England", country="GB")]

    sales = jobs["Account Executive, Mid-Market"]
    # Bands in two currencies: the salary keeps the first band's, the text both.
    assert sales.salary == Salary(min=120_000, max=150_000, currency="CAD", period="year")
    assert "USD 130,000 - 160,000 per year (New York, NY)" in sales.description
    assert sales.employment_type is EmploymentType.full_time  # "US Employee": the code says it
    assert [place.country for place in sales.locations] == ["CA", "US"]

    support = jobs["Customer Support Specialist"]
    # No url, no department and no places in its row: the job page from the board's slug, the
    # department from the detail, the places from the detail's workLocations.
    assert support.url == f"{BOARD}/c3a1d5e2-7b4f-4f0e-9d2a-1b6e8f9a0c11"
    assert support.department == "Support"
    assert support.location == "Austin, TX"
    assert support.locations == [Location(city="Austin", region="TX", country="US")]
    assert support.remote is None
    assert support.employment_type is EmploymentType.contract  # the code alone
    assert support.posted_at is None and support.salary is None
    assert support.description == "Answer patients' questions by chat and phone."


def test_the_list_alone_states_no_text_date_or_pay():
    jobs = _by_title(_load("list.json"))
    security = jobs["Senior Software Engineer, Security"]
    assert security.description == "" and security.posted_at is None
    assert security.salary is None and security.employment_type is None
    assert security.remote is RemotePolicy.remote and security.department == "Engineering"
    assert len(security.locations) == 2


def test_rows_of_one_posting_per_place_merge_into_one_posting():
    """Without groupJobsByLocation a posting comes once per place, rows sharing its id."""
    (row,) = _one({})["items"]
    first = {**row, "locations": row["locations"][:1]}
    second = {**row, "locations": row["locations"][1:]}
    (posting,) = rippling.parse({"items": [first, second]}, COMPANY)
    assert posting.location == "New York, NY; Remote (Connecticut, US)"
    assert posting.remote is RemotePolicy.remote


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (["ON_SITE"], RemotePolicy.onsite),
        (["HYBRID", "ON_SITE"], RemotePolicy.hybrid),
        (["REMOTE", "HYBRID"], RemotePolicy.remote),
        ([None], None),
        (["SOMETHING_NEW"], None),
    ],
)
def test_the_most_flexible_workplace_wins(types, expected):
    places = [{"name": f"Place {i}", "workplaceType": kind} for i, kind in enumerate(types)]
    (posting,) = rippling.parse(_one({"locations": places}), COMPANY)
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ({"label": "SALARIED_PT", "id": "Salaried, part-time"}, EmploymentType.part_time),
        ({"label": "TEMP", "id": None}, EmploymentType.temporary),
        ({"label": "CONTRACTOR", "id": "Contractor"}, EmploymentType.contract),
        ({"label": "INTERN", "id": ""}, EmploymentType.internship),
        ({"label": "HOURLY_FT", "id": "Seasonal"}, EmploymentType.full_time),
        ({"label": None, "id": "Other"}, None),
        (None, None),
    ],
)
def test_employment_type_reads_the_company_words_then_the_code(kind, expected):
    (posting,) = rippling.parse(_one({}, {"employmentType": kind}), COMPANY)
    assert posting.employment_type == expected


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        ([], None),
        (None, None),
        ([{"currency": "USD", "frequency": "YEAR", "rangeStart": 0, "rangeEnd": 0}], None),
        (
            [{"currency": "EUR", "frequency": "MONTH", "rangeStart": "4200", "rangeEnd": None}],
            Salary(min=4200, currency="EUR", period="month"),
        ),
        (
            [
                {"currency": "USD", "frequency": "HOUR", "rangeStart": 20, "rangeEnd": 25},
                {"currency": "USD", "frequency": "YEAR", "rangeStart": 90_000, "rangeEnd": 99_000},
            ],
            Salary(min=20, max=25, currency="USD", period="hour"),
        ),
    ],
)
def test_pay_bands_are_the_salary(bands, expected):
    (posting,) = rippling.parse(_one({}, {"payRangeDetails": bands}), COMPANY)
    assert posting.salary == expected


def test_a_row_without_a_title_is_skipped_not_the_board(caplog):
    payload = _merged()
    payload["items"][1]["name"] = ""
    payload["items"][1]["detail"]["name"] = None
    payload["items"].append("not a job")
    assert len(rippling.parse(payload, COMPANY)) == 4
    assert "skipping" in caplog.text


def test_without_a_url_or_a_board_slug_the_posting_is_skipped():
    company = Company(name="Northwind", careers_url="https://northwind.example/careers")
    payload = _one({"url": None}, {"url": None})
    assert rippling.parse(payload, company) == []
    (posting,) = rippling.parse(payload, COMPANY)
    assert posting.url == f"{BOARD}/{SECURITY}"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"rippling: expected a JSON object with a 'items' list, got list"),
        ({"items": None}, r"rippling: expected .* 'items' list, got dict with keys \['items'\]"),
        (
            {"error_code": "RESOURCE_NOT_FOUND", "message": "Job Board not found"},
            r"rippling: .*got dict with keys \['error_code', 'message'\]",
        ),
        ("<html>", r"rippling: expected .* 'items' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        rippling.parse(payload, COMPANY)


@pytest.mark.parametrize("payload", [[], None, "<html>"])
def test_malformed_detail_is_a_clear_error(payload):
    with pytest.raises(ValueError, match=r"rippling: expected a job post object"):
        rippling._detail(payload)


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_pages_the_list_and_reads_each_detail(monkeypatch, redis, fixture_site):
    api = rippling.api_url(BOARD, root=f"{fixture_site.base_url}/rippling")
    jobs = "/rippling/platform/api/ats/v2/board/northwind-careers/jobs"
    assert api == fixture_site.url(jobs)
    # Pages of 3 (the real size is 100), so that the board spans two of them.
    monkeypatch.setattr(rippling, "PAGE_SIZE", 3)
    listed = _load("list.json")
    first = {**listed, "items": listed["items"][:3], "pageSize": 3, "totalPages": 2}
    second = {**listed, "items": listed["items"][3:], "page": 1, "pageSize": 3, "totalPages": 2}
    pages = {
        f"{jobs}?groupJobsByLocation=true&page=0&pageSize=3": first,
        f"{jobs}?groupJobsByLocation=true&page=1&pageSize=3": second,
    }
    details = {f"{jobs}/{job_id}": detail for job_id, detail in _load("details.json").items()}
    for target, payload in (pages | details).items():
        fixture_site.answer(target, payload)

    postings = fixture_site.fetch(redis, rippling, COMPANY, jobs)

    assert sorted(fixture_site.asked) == sorted(pages | details)
    assert [p.external_id for p in postings] == [row["id"] for row in listed["items"]]
    assert all(p.description for p in postings)  # the text came from the details
    # On a mirror, a row without a url still gets its job page on the real board.
    assert postings[-1].url == f"{BOARD}/c3a1d5e2-7b4f-4f0e-9d2a-1b6e8f9a0c11"


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://ats.rippling.com/northwind-careers",
        "https://ats.rippling.com/northwind-careers/jobs",
        "https://ats.rippling.com/northwind-careers/jobs/2f0674e6-f01f-4ecd-b459-e947241c211f",
        "https://ats.rippling.com/en-US/northwind-careers/jobs",
        "https://ats.rippling.com/en-GB/northwind-careers/jobs/2f0674e6",
        "https://ats.rippling.com/embed/northwind-careers/jobs",
        "https://ats.us1.rippling.com/northwind-careers/jobs?department=Sales",
        "https://api.rippling.com/platform/api/ats/v2/board/northwind-careers/jobs?page=1",
        "https://api.rippling.com/platform/api/ats/v1/board/northwind-careers/jobs",
        "https://ats.rippling.com/api/v2/board/northwind-careers/jobs",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert rippling.board_url(careers_url) == BOARD
    assert rippling.api_url(careers_url) == API


def test_the_slug_keeps_its_case():
    """Rippling's slugs are case-sensitive: "Rippling" is not the board "rippling"."""
    assert rippling.api_url("https://ats.rippling.com/Acme/jobs").endswith("/board/Acme/jobs")
    assert rippling.board_url("https://ats.rippling.com/hq/jobs") == (
        "https://ats.rippling.com/hq/jobs"  # a two-letter slug is no locale
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://ats.rippling.com/",
        "https://ats.rippling.com/en-US",
        "https://www.rippling.com/careers",
        "https://app.rippling.com/jobs",
        "https://api.rippling.com/platform/api/employees",
        "https://northwind.rippling-ats.com/job/461073/project-manager",
        "https://careers.northwind.example/platform/api/ats/v2/board/x/jobs",
    ],
)
def test_a_url_without_a_board_names_no_board(careers_url):
    assert rippling.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"rippling: no board slug in careers URL") as error:
        rippling.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
