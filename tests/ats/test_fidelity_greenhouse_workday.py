"""What Greenhouse and Workday state in structured form reaches the posting: workplace, employment
type, every place, and pay. Fixtures follow the real response shapes (see each adapter's docstring
for where they come from)."""

import json
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import greenhouse, workday
from tasks.fetch.sources.common import to_postings
from tasks.models import Company, Location, Salary

FIXTURES = Path(__file__).parent / "fixtures"
COMPANY = Company(name="Acme Robotics", careers_url="https://boards.greenhouse.io/acmerobotics")
BOARD = "https://acme.wd5.myworkdayjobs.com/AcmeExternalCareerSite"


def _load(*path: str):
    return json.loads(FIXTURES.joinpath(*path).read_text())


def _us(city: str, state: str) -> Location:
    return Location(city=city, region=state, country="US")


# ------------------------------------------------------------------ Greenhouse

GREENHOUSE = {
    # title: (remote, employment_type, locations, salary)
    "Senior Robotics Engineer": (  # "Workplace Type", two places in one name, parent office
        "hybrid",
        "full_time",
        [_us("New York", "NY"), _us("San Francisco", "CA")],
        Salary(min=172_800, max=297_000, currency="USD", period="year"),
    ),
    "Support Engineer": (None, None, [Location(country="US")], None),  # metadata null
    "Summer Intern, Controls": (  # "In Office", a list-valued "Job Type"
        "onsite",
        "internship",
        [Location(city="London", region="England", country="GB")],
        None,
    ),
    "Firmware Contractor": (  # yes_no "Remote" flag, a currency_range that is null
        "remote",
        "contract",
        [Location(city="Berlin", country="DE")],
        None,
    ),
    "Lab Technician": (  # a null "Work Model", "Remote": "No", hourly pay
        None,
        "part_time",
        [Location(city="Toronto", region="ON", country="CA")],
        Salary(min=28, max=35.5, currency="CAD", period="hour"),
    ),
    "Solutions Architect": (
        "remote",
        "full_time",
        [Location(country="US"), Location(country="CA")],
        None,
    ),
    "Manufacturing Intern": ("onsite", "internship", [_us("Austin", "TX")], None),
}


@pytest.fixture(scope="module")
def greenhouse_postings():
    return {p.title: p for p in greenhouse.parse(_load("greenhouse", "board.json"), COMPANY)}


def test_greenhouse_keeps_every_job(greenhouse_postings):
    assert sorted(greenhouse_postings) == sorted(GREENHOUSE)


@pytest.mark.parametrize("title", list(GREENHOUSE))
def test_greenhouse_structured_fields(greenhouse_postings, title):
    remote, employment, locations, salary = GREENHOUSE[title]
    posting = greenhouse_postings[title]
    assert posting.remote == remote
    assert posting.employment_type == employment
    assert posting.locations == locations
    assert posting.salary == salary


def test_greenhouse_location_text_is_kept_as_stated(greenhouse_postings):
    assert greenhouse_postings["Senior Robotics Engineer"].location == (
        "New York, NY; San Francisco, CA"
    )
    assert greenhouse_postings["Support Engineer"].location == "Remote - US"


def test_greenhouse_pay_transparency_range_is_in_units_not_cents():
    """The single-job shape (`?pay_transparency=true`): cents become dollars, a year's pay."""
    job = _load("greenhouse", "job_pay_transparency.json")
    [posting] = greenhouse.parse({"jobs": [job]}, COMPANY)
    assert posting.salary == Salary(min=50_000, max=75_000, currency="USD", period="year")
    assert posting.remote == "onsite"
    assert posting.locations == [_us("New York", "NY")]


def test_greenhouse_list_url_asks_for_content_only():
    """Pay transparency is documented on the single-job endpoint only: no per-job calls."""
    assert greenhouse.api_url("https://boards.greenhouse.io/acme") == (
        "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    )


# ------------------------------------------------------------------ Workday

WORKDAY = {
    # title: (location text, remote, employment_type, locations)
    "Senior GPU Architect": (  # "3 Locations" in the list, country-first names, "Flex"
        "US, CA, Santa Clara; US, WA, Redmond; US, TX, Austin",
        "hybrid",
        "full_time",
        [_us("Santa Clara", "CA"), _us("Redmond", "WA"), _us("Austin", "TX")],
    ),
    "Software Engineer, Networking": (  # no remoteType
        "Israel, Tel Aviv",
        None,
        "full_time",
        [Location(city="Tel Aviv", country="IL")],
    ),
    "Application Engineer": (  # the country only in jobRequisitionLocation
        "Zug",
        "onsite",
        "part_time",
        [Location(city="Zug", country="CH")],
    ),
    "Account Executive": ("USA, Remote", "remote", "full_time", [Location(country="US")]),
    "Data Analyst": (
        "London; Dublin, Ireland",
        "hybrid",
        "full_time",
        [Location(city="London", country="GB"), Location(city="Dublin", country="IE")],
    ),
}


def _workday_jobs() -> list[dict]:
    """Each listed job merged with its detail's jobPostingInfo, as the fetch merges them."""
    details = _load("workday", "details.json")
    listed = _load("workday", "search.json")["jobPostings"]
    return [{**job, **details[job["externalPath"]]["jobPostingInfo"]} for job in listed]


@pytest.mark.parametrize("job", _workday_jobs(), ids=lambda job: job["title"])
def test_workday_structured_fields(job):
    text, remote, employment, locations = WORKDAY[job["title"]]
    fields = workday._fields(job, BOARD)
    assert fields["location"] == text
    assert fields["remote"] == remote
    assert fields["employment_type"] == employment
    assert fields["locations"] == locations


def test_workday_postings_validate_with_every_place():
    postings = to_postings(
        _workday_jobs(), COMPANY, workday.SOURCE, lambda job: workday._fields(job, BOARD)
    )
    assert [p.locations for p in postings] == [WORKDAY[p.title][3] for p in postings]


def test_workday_location_count_is_not_a_place():
    """A list item seen without its detail: "3 Locations" names no place."""
    [posting] = workday.parse(
        {"total": 1, "jobPostings": [_load("workday", "search.json")["jobPostings"][0]]},
        COMPANY,
        board=BOARD,
    )
    assert posting.location is None
    assert posting.locations == []
    assert posting.remote == "hybrid"
