"""BambooHR postings carry what the careers list and each opening's detail state: the place
(from `location`, or `atsLocation` for a remote opening), the workplace, the employment label,
the department, the posting date, the text, and the pay as the posting words it.

The fixtures copy the real shapes of GET https://{company}.bamboohr.com/careers/list and
.../careers/{id}/detail (field names, nesting, value spellings) documented in the adapter's
module docstring; their companies and texts are made up. The tests run the adapter's own
`parse` and `fetch` on them.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import bamboohr
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Source

FIXTURES = Path(__file__).parent / "fixtures" / "bamboohr"
BOARD = "https://northwind.bamboohr.com"
COMPANY = Company(name="Northwind", careers_url=f"{BOARD}/careers", ats=Source.bamboohr)


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _merged() -> dict:
    """The list with each row's detail merged in, as `fetch` merges them."""
    listed, details = _load("list.json"), _load("details.json")
    rows = [{**row, **bamboohr._detail(details[row["id"]])} for row in listed["result"]]
    return {"result": rows}


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in bamboohr.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_merged()["result"][0])
    row.update(changes)
    return {"result": [row]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped():
    jobs = _by_title(_merged())
    assert sorted(jobs) == ["Marketing intern", "Senior Backend Engineer", "Warehouse Associate"]

    remote = jobs["Senior Backend Engineer"]
    assert remote.source is Source.bamboohr
    assert remote.external_id == "319"
    assert remote.url == f"{BOARD}/careers/319"
    # atsLocation repeats the country in every field: the country alone, no city "Poland".
    assert remote.location == "Poland"
    assert remote.locations == [Location(country="PL")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.full_time
    assert remote.department == "Engineering"
    assert remote.posted_at == datetime(2026, 9, 14, tzinfo=UTC)
    assert remote.description == (
        "About the role\nYou will build the services behind our routing engine.\n"
        "- Go & PostgreSQL\n- Five years of backend work\n\nMinimum Experience\nSenior Level"
    )
    assert remote.salary is None

    hybrid = jobs["Marketing intern"]
    assert hybrid.url == f"{BOARD}/careers/322"
    # `location` wins over atsLocation part by part (its state over the province "NCR").
    assert hybrid.location == "Makati, Metro Manila, Philippines"
    assert hybrid.locations == [Location(city="Makati", region="Metro Manila", country="PH")]
    assert hybrid.remote is RemotePolicy.hybrid
    assert hybrid.employment_type is EmploymentType.internship
    assert hybrid.department == "Content and Marketing"
    assert hybrid.posted_at == datetime(2026, 10, 1, tzinfo=UTC)
    # Pay is prose: into the description, never a structured salary.
    assert hybrid.salary is None
    assert hybrid.description.endswith("\n\nCompensation\nPHP 18,000 - 22,000 per month")

    onsite = jobs["Warehouse Associate"]
    # No share URL in its detail: the job page from the company's careers URL.
    assert onsite.url == f"{BOARD}/careers/327"
    assert onsite.location == "chicago, Illinois"
    assert onsite.locations == [Location(city="chicago", region="Illinois")]
    assert onsite.remote is RemotePolicy.onsite
    assert onsite.employment_type is None  # "Probationary" names no employment type
    assert onsite.department is None  # an empty label
    assert onsite.posted_at is None  # an empty date
    assert onsite.description == "Pick, pack and ship."  # blank compensation adds nothing


def test_the_list_alone_states_no_text_and_no_date():
    jobs = _by_title(_load("list.json"))
    hybrid = jobs["Marketing intern"]
    assert hybrid.url == f"{BOARD}/careers/322"
    assert hybrid.description == "" and hybrid.posted_at is None
    assert hybrid.locations == [Location(city="Makati", region="Metro Manila", country="PH")]
    assert jobs["Senior Backend Engineer"].remote is RemotePolicy.remote


@pytest.mark.parametrize(
    ("location_type", "is_remote", "expected"),
    [
        ("0", None, RemotePolicy.onsite),
        ("1", None, RemotePolicy.remote),
        ("2", False, RemotePolicy.hybrid),
        (None, True, RemotePolicy.remote),
        (None, False, None),  # said of on-site and hybrid openings alike
        ("9", None, None),
    ],
)
def test_location_type_is_the_workplace(location_type, is_remote, expected):
    (posting,) = bamboohr.parse(
        _one({"locationType": location_type, "isRemote": is_remote}), COMPANY
    )
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Part-Time", EmploymentType.part_time),
        ("Contractor", EmploymentType.contract),
        ("Temporary", EmploymentType.temporary),
        ("US Employee", None),
    ],
)
def test_employment_status_label_is_the_employment_type(label, expected):
    (posting,) = bamboohr.parse(_one({"employmentStatusLabel": label}), COMPANY)
    assert posting.employment_type == expected


def test_without_a_share_url_or_a_board_host_the_posting_is_skipped():
    company = Company(name="Northwind", careers_url="https://northwind.example/careers")
    assert bamboohr.parse(_one({"jobOpeningShareUrl": None}), company) == []
    (posting,) = bamboohr.parse(_one({}), company)
    assert posting.url == f"{BOARD}/careers/319"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"bamboohr: expected a JSON object with a 'result' list, got list"),
        ({"result": None}, r"bamboohr: expected .* 'result' list, got dict with keys \['result'\]"),
        ({"error": "Not found"}, r"bamboohr: .*got dict with keys \['error'\]"),
        ("<html>", r"bamboohr: expected .* 'result' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        bamboohr.parse(payload, COMPANY)


@pytest.mark.parametrize(
    "payload", [[], {"result": []}, {"result": {"jobOpening": None}}, "<html>"]
)
def test_malformed_detail_is_a_clear_error(payload):
    with pytest.raises(ValueError, match=r"bamboohr: expected .*'result.jobOpening' object"):
        bamboohr._detail(payload)


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_reads_each_detail_next_to_the_list_on_a_mirror(redis, fixture_site):
    api = bamboohr.api_url(f"{BOARD}/careers", root=f"{fixture_site.base_url}/bamboohr")
    assert api == f"{fixture_site.base_url}/bamboohr/northwind/careers/list"
    fixture_site.answer("/bamboohr/northwind/careers/list", _load("list.json"))
    details = _load("details.json")
    for job_id, detail in details.items():
        fixture_site.answer(f"/bamboohr/northwind/careers/{job_id}/detail", detail)

    postings = fixture_site.fetch(redis, bamboohr, COMPANY, "/bamboohr/northwind/careers/list")

    assert sorted(fixture_site.asked) == sorted(
        ["/bamboohr/northwind/careers/list"]
        + [f"/bamboohr/northwind/careers/{job_id}/detail" for job_id in details]
    )
    assert [p.external_id for p in postings] == ["319", "322", "327"]
    assert all(p.description for p in postings)  # the text came from the details
    assert postings[1].posted_at == datetime(2026, 10, 1, tzinfo=UTC)


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://northwind.bamboohr.com",
        "https://northwind.bamboohr.com/careers",
        "https://Northwind.BambooHR.com/careers/319",
        "https://northwind.bamboohr.com/jobs/",
        "https://northwind.bamboohr.com/jobs/embed2.php",
        "https://northwind.bamboohr.com/careers/list",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert bamboohr.board_url(careers_url) == "https://northwind.bamboohr.com/"
    assert bamboohr.api_url(careers_url) == "https://northwind.bamboohr.com/careers/list"


def test_detail_url_follows_the_list_url():
    assert bamboohr.detail_url(f"{BOARD}/careers/list", "319") == f"{BOARD}/careers/319/detail"
    assert bamboohr.detail_url("http://127.0.0.1:9/m/northwind/careers/list?x=1", 7) == (
        "http://127.0.0.1:9/m/northwind/careers/7/detail"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.bamboohr.com/careers",
        "https://bamboohr.com/",
        "https://api.bamboohr.com/api/gateway.php/northwind/v1/applicant_tracking/jobs",
        "https://help.bamboohr.com/s/article/1234",
        "https://careers.northwind.example/jobs",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert bamboohr.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"bamboohr: no company subdomain in careers URL") as error:
        bamboohr.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
