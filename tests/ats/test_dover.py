"""Dover postings carry what the careers-page API states: each place (structured where the
location option says city, state and country), the workplace, the employment type and pay of the
detail's compensation, the job group as department, the posting date and the text.

The fixtures copy the real shapes of GET https://app.dover.com/api/v1/careers-page-slug/{slug},
.../careers-page/{client id}/jobs, .../job-groups/{client id}/job-groups and
.../inbound/application-portal-job/{job id} (field names, nesting, value spellings) documented in
the adapter's module docstring; their company and texts are made up. The tests run the adapter's
own `parse` and `fetch` on them.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import dover
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, Source

FIXTURES = Path(__file__).parent / "fixtures" / "dover"
BOARD = "https://app.dover.com/jobs/codeclub"
CLIENT = "9d19c96c-5e33-4332-8c9a-623e55540671"
COMPANY = Company(name="CodeClub", careers_url=BOARD, ats=Source.dover)
BD = "23891f33-004d-42ab-a720-0647b834dee0"


def _load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _merged() -> dict:
    """The jobs with each one's detail merged in, as `fetch` merges them."""
    details = _load("details.json")
    rows = [
        {**row, **dover._detail(details[row["id"]])} if row["id"] in details else row
        for row in _load("jobs.json")["results"]
    ]
    return {"results": rows}


def _postings(payload: dict, groups: list | None = None) -> dict:
    fields = dover._fields_of("codeclub", dover._departments(groups or _load("groups.json")))
    postings = dover.to_postings(payload["results"], COMPANY, Source.dover, fields)
    return {p.title: p for p in postings}


def _one(changes: dict, detail: dict | None = None) -> dict:
    row = copy.deepcopy(_merged()["results"][0])
    row.update(changes)
    row["detail"].update(detail or {})
    return {"results": [row]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped():
    jobs = _postings(_merged())
    # The sample job, the unpublished one and the inactive one are no postings.
    assert sorted(jobs) == [
        "Business Development Associate",
        "Senior Backend Engineer",
        "Teaching Intern",
    ]

    sales = jobs["Business Development Associate"]
    assert sales.source is Source.dover
    assert sales.external_id == BD
    assert sales.url == f"https://app.dover.com/apply/codeclub/{BD}"
    assert sales.location == "Bengaluru, India"
    assert sales.locations == [Location(city="Bengaluru", region="Karnataka", country="IN")]
    assert sales.remote is RemotePolicy.onsite
    assert sales.employment_type is EmploymentType.full_time
    assert sales.department == "Sales"  # its job group
    assert sales.posted_at == datetime(2026, 9, 12, 6, 41, 10, 512341, tzinfo=UTC)
    assert sales.salary == Salary(min=600_000, max=900_000, currency="INR", period="year")
    assert sales.description == (
        "About the role\nGrow our school partnerships.\n\nVisa sponsorship\nNot available"
    )

    engineer = jobs["Senior Backend Engineer"]
    # The detail states no locations: the list's, each by its name.
    assert engineer.location == "Remote (US); New York, NY"
    assert engineer.locations == [
        Location(country="US"),
        Location(city="New York", region="NY", country="US"),
    ]
    assert engineer.remote is RemotePolicy.remote  # workplace_type, over the places' types
    assert engineer.salary == Salary(min=160_000, currency="USD", period="year")
    assert engineer.posted_at == datetime(2026, 10, 3, 22, 0, tzinfo=UTC)
    # The published text wins over the employer's draft.
    assert engineer.description == (
        "About the role\n- Own our scheduling service\n\nVisa sponsorship\nAvailable"
    )

    intern = jobs["Teaching Intern"]
    assert intern.location == "Pune, India"
    assert intern.locations == [Location(city="Pune", country="IN")]
    assert intern.remote is RemotePolicy.hybrid  # no workplace_type: the place's location_type
    assert intern.employment_type is EmploymentType.internship  # "INTERN"
    assert intern.salary is None  # null bounds
    assert intern.department is None  # a group without a name
    assert intern.posted_at == datetime(2026, 10, 1, tzinfo=UTC)  # date_posted over created
    assert intern.description == (
        "About the company\nCodeClub teaches kids to code.\n\nAbout the role\n"
        "Run weekend coding classes.\n\nQualifications\nComfortable with Scratch and Python."
    )


def test_the_list_alone_states_no_text_date_or_pay():
    sales, engineer, intern, curriculum = dover.parse(_load("jobs.json"), COMPANY)
    assert (engineer.title, intern.title) == ("Senior Backend Engineer", "Teaching Intern")
    assert sales.url == f"https://app.dover.com/apply/codeclub/{BD}"
    assert sales.description == "" and sales.posted_at is None and sales.salary is None
    assert sales.remote is RemotePolicy.onsite and sales.department is None
    assert curriculum.title == "Curriculum Designer"  # its detail, not read, would close it


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("PART_TIME", EmploymentType.part_time),
        ("CONTRACT", EmploymentType.contract),
        ("TEMPORARY", EmploymentType.temporary),
        ("INTERNSHIP", EmploymentType.internship),
        (None, None),
    ],
)
def test_employment_type_is_stated_in_the_compensation(kind, expected):
    (posting,) = _postings(_one({}, {"compensation": {"employment_type": kind}})).values()
    assert posting.employment_type == expected
    assert posting.salary is None  # no bounds


@pytest.mark.parametrize(
    ("period", "expected"),
    [("HOURLY", "hour"), ("MONTHLY", "month"), ("YEARLY", "year"), (None, None)],
)
def test_pay_periods(period, expected):
    pay = {"lower_bound": 30, "upper_bound": 45, "currency_code": "usd"}
    (posting,) = _postings(_one({}, {"compensation": pay | {"salary_range_type": period}})).values()
    assert posting.salary == Salary(min=30, max=45, currency="USD", period=expected)


def test_a_private_job_and_an_odd_row_are_skipped_not_the_board(caplog):
    payload = _merged()
    payload["results"][1]["detail"]["is_private"] = True
    payload["results"][2]["title"] = ""
    payload["results"][2]["detail"]["title"] = None
    payload["results"].append("odd")
    assert list(_postings(payload)) == ["Business Development Associate"]
    assert "skipping" in caplog.text


def test_without_a_slug_a_job_has_no_page_and_is_skipped():
    company = Company(name="CodeClub", careers_url=f"https://app.dover.com/careers/{CLIENT}")
    assert dover.parse(_load("jobs.json"), company) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"dover: expected a JSON object with a 'results' list, got list"),
        ({"detail": "Not found."}, r"dover: .*'results' list, got dict with keys \['detail'\]"),
        ("<html>", r"dover: expected .* 'results' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        dover.parse(payload, COMPANY)


@pytest.mark.parametrize("payload", [[], None, "<html>"])
def test_malformed_detail_is_a_clear_error(payload):
    with pytest.raises(ValueError, match=r"dover: expected an application portal job object"):
        dover._detail(payload)


@pytest.mark.parametrize("payload", [{}, {"detail": "Not found."}, [], "<html>"])
def test_a_careers_page_without_an_id_is_a_clear_error(payload):
    with pytest.raises(ValueError, match=r"dover: expected a careers page object with an 'id'"):
        dover._page(payload)


# --- fetch ------------------------------------------------------------------------------------


ROOT = "/dover/api/v1"


def _answer(fixture_site, groups=None, page=f"{ROOT}/careers-page-slug/codeclub") -> list[str]:
    """Answer the careers page, the jobs, the job groups (a 404 without them) and each detail;
    the targets answered."""
    answers = {
        page: _load("page.json"),
        f"{ROOT}/careers-page/{CLIENT}/jobs?limit=100&offset=0": _load("jobs.json"),
        f"{ROOT}/job-groups/{CLIENT}/job-groups": groups,
    } | {
        f"{ROOT}/inbound/application-portal-job/{job_id}": detail
        for job_id, detail in _load("details.json").items()
    }
    for target, body in answers.items():
        if body is not None:
            fixture_site.answer(target, body)
    return list(answers)


def test_fetch_resolves_the_board_then_reads_jobs_groups_and_details_on_a_mirror(
    redis, fixture_site
):
    root = f"{fixture_site.base_url}/dover"
    api = dover.api_url(BOARD, root=root)
    assert api == f"{root}/api/v1/careers-page-slug/codeclub"
    answered = _answer(fixture_site, _load("groups.json"))
    postings = fixture_site.fetch(redis, dover, COMPANY, f"{ROOT}/careers-page-slug/codeclub")

    assert [p.title for p in postings] == [
        "Business Development Associate",
        "Senior Backend Engineer",
        "Teaching Intern",
    ]
    assert postings[0].department == "Sales"
    # Every answer was asked for once, and no detail of the sample or the unpublished job.
    assert sorted(fixture_site.asked) == sorted(answered)
    assert not any("00000000-1111" in url or "7f6e5d4c" in url for url in fixture_site.asked)


def test_a_board_whose_groups_cannot_be_read_keeps_its_postings(redis, fixture_site):
    _answer(fixture_site, groups=None)  # job-groups answers 404
    api = dover.api_url(BOARD, root=f"{fixture_site.base_url}/dover")
    assert api == fixture_site.url(f"{ROOT}/careers-page-slug/codeclub")
    postings = fixture_site.fetch(redis, dover, COMPANY, f"{ROOT}/careers-page-slug/codeclub")
    assert len(postings) == 3 and all(p.department is None for p in postings)
    assert f"{ROOT}/job-groups/{CLIENT}/job-groups" in fixture_site.asked


def test_a_board_named_by_client_id_takes_its_slug_from_its_page(redis, fixture_site):
    careers = f"https://app.dover.com/CodeClub/careers/{CLIENT}"
    assert dover.api_url(careers) == f"https://app.dover.com/api/v1/careers-page/{CLIENT}"
    api = dover.api_url(careers, root=f"{fixture_site.base_url}/dover")
    assert api == fixture_site.url(f"{ROOT}/careers-page/{CLIENT}")
    _answer(fixture_site, _load("groups.json"), page=f"{ROOT}/careers-page/{CLIENT}")
    company = Company(name="CodeClub", careers_url=careers, ats=Source.dover)
    postings = fixture_site.fetch(redis, dover, company, f"{ROOT}/careers-page/{CLIENT}")
    assert fixture_site.asked[0] == f"{ROOT}/careers-page/{CLIENT}"
    assert postings[0].url == f"https://app.dover.com/apply/codeclub/{BD}"


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "board", "api"),
    [
        (BOARD, BOARD, "https://app.dover.com/api/v1/careers-page-slug/codeclub"),
        (
            f"https://app.dover.com/apply/codeclub/{BD}",
            BOARD,
            "https://app.dover.com/api/v1/careers-page-slug/codeclub",
        ),
        (
            "https://app.dover.com/jobs/CodeClub?utm_source=site",
            "https://app.dover.com/jobs/CodeClub",  # slugs are case-sensitive: kept
            "https://app.dover.com/api/v1/careers-page-slug/CodeClub",
        ),
        (
            f"https://app.dover.com/CodeClub/careers/{CLIENT}",
            f"https://app.dover.com/careers/{CLIENT}",
            f"https://app.dover.com/api/v1/careers-page/{CLIENT}",
        ),
        (
            f"https://app.dover.com/api/v1/careers-page/{CLIENT}/jobs?limit=300",
            f"https://app.dover.com/careers/{CLIENT}",
            f"https://app.dover.com/api/v1/careers-page/{CLIENT}",
        ),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, board, api):
    assert dover.board_url(careers_url) == board
    assert dover.api_url(careers_url) == api


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://app.dover.com/",
        "https://app.dover.com/login",
        "https://app.dover.com/CodeClub/careers/not-a-uuid",
        "https://www.dover.com/jobs/codeclub",
        "https://codeclub.example/jobs/codeclub",
    ],
)
def test_a_url_without_a_board_names_no_board(careers_url):
    assert dover.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"dover: no careers page slug or client id") as error:
        dover.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
