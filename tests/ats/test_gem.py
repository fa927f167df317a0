"""Gem postings carry what the Job Board API states: the post's place and its offices', the
workplace, the employment type, the most specific department, the publication date and the text
(pay, which Gem words as prose, stays in it).

The fixture copies the real shape of GET https://api.gem.com/job_board/v0/{board}/job_posts/
(field names, nesting, value spellings) documented in the adapter's module docstring; its
company and texts are made up. The tests run the adapter's own `parse` and `fetch` on it.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import gem
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, Source

FIXTURES = Path(__file__).parent / "fixtures" / "gem"
BOARD = "https://jobs.gem.com/bluebird"
API = "https://api.gem.com/job_board/v0/bluebird/job_posts/"
COMPANY = Company(name="Bluebird", careers_url=BOARD, ats=Source.gem)


def _load() -> list:
    return json.loads((FIXTURES / "job_posts.json").read_text(encoding="utf-8"))


def _by_title(payload: list, company: Company = COMPANY) -> dict:
    return {p.title: p for p in gem.parse(payload, company)}


def _one(changes: dict) -> list:
    post = copy.deepcopy(_load()[0])
    post.update(changes)
    return [post]


def test_every_stated_field_is_mapped():
    jobs = _by_title(_load())
    assert len(jobs) == 4

    engineer = jobs["Founding Engineer, Platform"]
    assert engineer.source is Source.gem
    assert engineer.external_id == "am9icG9zdDpmb3VuZGluZy1lbmdpbmVlcg"
    assert engineer.url == f"{BOARD}/am9icG9zdDpmb3VuZGluZy1lbmdpbmVlcg"
    assert engineer.location == "San Francisco, United States"
    assert engineer.locations == [Location(city="San Francisco", country="US")]
    assert engineer.remote is RemotePolicy.onsite  # "in_office"
    assert engineer.employment_type is EmploymentType.full_time
    assert engineer.department == "Platform"  # the leaf, not its parent Engineering
    assert engineer.posted_at == datetime(2026, 10, 7, 22, 50, 1, 732000, tzinfo=UTC)
    assert engineer.salary is None  # pay is prose: it stays in the description
    assert engineer.description == (
        "Bluebird builds scheduling for clinics.\nWhat you'll do\n- Design our data model\n"
        "- Ship weekly\nThe base salary range is $180,000 - $220,000 per year."
    )

    support = jobs["Support Lead"]
    assert support.location == "Remote — US"
    assert support.locations == [Location(country="US")]
    assert support.remote is RemotePolicy.remote
    assert support.employment_type is EmploymentType.contract
    assert support.department == "Customer Support"
    assert support.description == "Lead a team of four & answer the hard tickets."  # escaped

    intern = jobs["Design Intern"]
    # "Global" names no place; the offices do.
    assert intern.location == "Global"
    assert intern.locations == [
        Location(city="New York", country="US"),
        Location(city="London", country="GB"),
    ]
    assert intern.remote is RemotePolicy.hybrid
    assert intern.employment_type is EmploymentType.internship  # "intern"
    assert intern.department is None
    assert intern.posted_at == datetime(2026, 9, 1, 10, tzinfo=UTC)  # not published: created_at
    assert intern.salary == Salary(min=45, max=55, currency="USD", period="hour")

    volunteer = jobs["Community Volunteer"]
    # No absolute_url: the post's page on the board; no location: the office's name.
    assert volunteer.url == f"{BOARD}/am9icG9zdDp2b2x1bnRlZXI"
    assert volunteer.location == "Austin, TX"
    assert volunteer.locations == [Location(city="Austin", region="TX", country="US")]
    assert volunteer.remote is None and volunteer.employment_type is None  # "volunteer"
    assert volunteer.department is None
    assert volunteer.description == "Help run our monthly clinic open days."  # content_plain
    assert volunteer.posted_at == datetime(2026, 8, 15, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("location_type", "expected"),
    [
        ("in_office", RemotePolicy.onsite),
        ("onsite", RemotePolicy.onsite),
        ("hybrid", RemotePolicy.hybrid),
        ("remote", RemotePolicy.remote),
        ("", None),
    ],
)
def test_location_type_is_the_workplace(location_type, expected):
    (posting,) = gem.parse(_one({"location_type": location_type}), COMPANY)
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("part_time", EmploymentType.part_time),
        ("temporary", EmploymentType.temporary),
        ("internship", EmploymentType.internship),
        (None, None),
    ],
)
def test_employment_type_codes(kind, expected):
    (posting,) = gem.parse(_one({"employment_type": kind}), COMPANY)
    assert posting.employment_type == expected


def test_pay_ranges_are_a_year_unless_titled_otherwise():
    ranges = [{"min_cents": 0, "max_cents": 0, "currency_type": "USD", "title": "Base"}]
    ranges.append({"min_cents": 9_000_000, "max_cents": None, "currency_type": "eur"})
    (posting,) = gem.parse(_one({"pay_input_ranges": ranges}), COMPANY)
    assert posting.salary == Salary(min=90_000, currency="EUR", period="year")


def test_an_odd_post_is_skipped_not_the_board(caplog):
    payload = [*_load(), {"id": "x", "title": "", "absolute_url": f"{BOARD}/x"}, "odd"]
    assert len(gem.parse(payload, COMPANY)) == 4
    assert "skipping" in caplog.text


def test_without_a_url_or_a_board_the_post_is_skipped():
    company = Company(name="Bluebird", careers_url="https://bluebird.example/careers")
    assert gem.parse(_one({"absolute_url": None}), company) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"jobs": []}, r"gem: expected a JSON list of job posts, got dict with keys \['jobs'\]"),
        ({"error": "Not found"}, r"gem: .*got dict with keys \['error'\]"),
        ("<html>", r"gem: expected a JSON list of job posts, got str"),
        (None, r"gem: .*got NoneType"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        gem.parse(payload, COMPANY)


def test_fetch_reads_the_whole_board_in_one_request_on_a_mirror(redis, fixture_site):
    api = gem.api_url(BOARD, root=f"{fixture_site.base_url}/gem")
    assert api == fixture_site.url("/gem/job_board/v0/bluebird/job_posts/")
    company = Company(name="Bluebird", careers_url=BOARD, api_url=api)
    fixture_site.answer("/gem/job_board/v0/bluebird/job_posts/", _load())
    postings = fixture_site.fetch(redis, gem, company, "/gem/job_board/v0/bluebird/job_posts/")
    assert fixture_site.asked == ["/gem/job_board/v0/bluebird/job_posts/"]
    assert len(postings) == 4
    # The job page of a post without absolute_url is on the real board, not the mirror.
    assert postings[-1].url == f"{BOARD}/am9icG9zdDp2b2x1bnRlZXI"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://jobs.gem.com/bluebird",
        "https://jobs.gem.com/bluebird/",
        "https://jobs.gem.com/bluebird?team=engineering",
        "https://jobs.gem.com/bluebird/am9icG9zdDpmb3VuZGluZy1lbmdpbmVlcg",
        "https://api.gem.com/job_board/v0/bluebird/job_posts/",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert gem.board_url(careers_url) == BOARD
    assert gem.api_url(careers_url) == API


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://jobs.gem.com/",
        "https://www.gem.com/careers",
        "https://jobs.gem.com/api/public/graphql/batch",
        "https://api.gem.com/v0/candidates",
        "https://bluebird.example/job_board/v0/bluebird/job_posts/",
    ],
)
def test_a_url_without_a_board_names_no_board(careers_url):
    assert gem.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"gem: no board path in careers URL") as error:
        gem.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
