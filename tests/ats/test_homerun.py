"""Homerun postings carry what the company's Atom feed states: title, job page (on Homerun or the
company's own host), id, every location label and the places it names, the workplace its words
state, the employment type, the department, the ad, and the salary indication as text.

The fixture copies the real shape of GET https://feed.homerun.co/{company} (Atom namespace,
<name> children, value spellings) documented in the adapter's module docstring; its company and
texts are made up. The tests run the adapter's own `parse` and `fetch` on it.
"""

from pathlib import Path

import pytest

from tasks.fetch.sources.ats import homerun
from tasks.fetch.sources.common import XML_TYPES
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Source

FEED = (Path(__file__).parent / "fixtures" / "homerun" / "feed.xml").read_bytes()
COMPANY = Company(name="Dopple", careers_url="https://dopple-games.homerun.co/", ats=Source.homerun)
ATOM = '<feed xmlns="http://www.w3.org/2005/Atom"><title>Dopple</title>{}</feed>'


def _by_id(payload) -> dict:
    return {p.external_id: p for p in homerun.parse(payload, COMPANY)}


def test_every_stated_field_is_mapped():
    jobs = _by_id(FEED)
    # The entry without a title is skipped, not the board.
    assert list(jobs) == [
        "job_Kn8xX76scpWFSwBrWpGA",
        "job_Q1w2E3r4T5y6U7i8O9pA",
        "job_Zx9Cv8Bn7Mm6Ll5Kk4Jj",
        "job_Pp0Oo9Ii8Uu7Yy6Tt5Rr",
    ]

    artist = jobs["job_Kn8xX76scpWFSwBrWpGA"]
    assert artist.source is Source.homerun
    assert artist.title == "Senior Environment Artist"
    assert artist.url == "https://dopple-games.homerun.co/senior-environment-artist"
    # Both <location>s, as labels and as places.
    assert artist.location == "London, United Kingdom (Hybrid); Amsterdam, Netherlands"
    assert artist.locations == [
        Location(city="London", country="GB"),
        Location(city="Amsterdam", country="NL"),
    ]
    assert artist.remote is RemotePolicy.hybrid
    assert artist.employment_type is EmploymentType.temporary
    assert artist.department == "Art"
    assert artist.posted_at is None  # <updated> is the last edit, not the publication
    assert artist.salary is None  # display text: it joins the description
    assert artist.description == (
        "Build the worlds of our next game.\nWhat you'll do\n- Model in Blender & texture\n"
        "- Dress scenes in Unity\n\nSalary\n£55,000 - £65,000 per year"
    )

    remote = jobs["job_Q1w2E3r4T5y6U7i8O9pA"]
    assert remote.location == "Remote" and remote.locations == []
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.part_time
    # A salary indication without an amount is kept as the employer wrote it.
    assert remote.description == "Look after our players.\n\nSalary\n€ per year"

    intern = jobs["job_Zx9Cv8Bn7Mm6Ll5Kk4Jj"]
    assert intern.url == "https://jobs.dopple.example/qa-intern"  # the company's own host
    assert intern.location == "Utrecht"
    assert intern.locations == [Location(city="Utrecht")]
    assert intern.remote is None
    assert intern.employment_type is EmploymentType.internship
    assert intern.department is None
    assert intern.description == "Break our builds before players do."  # the summary

    producer = jobs["job_Pp0Oo9Ii8Uu7Yy6Tt5Rr"]
    assert producer.location == "Berlin, Germany"  # a <location> with text, no <name>
    assert producer.locations == [Location(city="Berlin", country="DE")]
    assert producer.employment_type is None  # "Contracted" names no kind
    assert producer.description == "Ship on time."


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Hybrid", RemotePolicy.hybrid),
        ("Remote (EU)", RemotePolicy.remote),
        ("On-site, Rotterdam", RemotePolicy.onsite),
        ("Rotterdam", None),
    ],
)
def test_the_location_label_states_the_workplace(label, expected):
    entry = (
        "<entry><title>Producer</title><link href='https://d.homerun.co/p'/><id>job_1</id>"
        f"<location><name>{label}</name></location></entry>"
    )
    (posting,) = homerun.parse(ATOM.format(entry), COMPANY)
    assert posting.remote == expected


def test_an_empty_feed_is_an_empty_board():
    assert homerun.parse(ATOM.format(""), COMPANY) == []


def test_an_entry_without_a_link_is_skipped():
    entry = "<entry><title>Producer</title><id>job_1</id></entry>"
    assert homerun.parse(ATOM.format(entry), COMPANY) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            b"Company not found",
            r"homerun: expected an XML <feed> document, got 'Company not found'",
        ),
        (b"<rss><channel/></rss>", r"homerun: expected an XML <feed> document, got <rss>"),
        ({"data": []}, r"homerun: expected an XML <feed> document, got dict"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        homerun.parse(payload, COMPANY)


def test_fetch_reads_the_feed_on_a_mirror(redis, fixture_site):
    root = f"{fixture_site.base_url}/h"
    api = homerun.api_url("https://dopple-games.homerun.co/producer", root=root)
    assert api == f"{root}/dopple-games"
    fixture_site.answer("/h/dopple-games", FEED, content_type="application/atom+xml")

    postings = fixture_site.fetch(redis, homerun, COMPANY, "/h/dopple-games")
    # One GET of the feed, as an API read (no robots.txt), asking for XML.
    [request] = fixture_site.requests
    assert (request.method, request.target) == ("GET", "/h/dopple-games")
    assert request.headers["accept"] == XML_TYPES
    assert len(postings) == 4


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://dopple-games.homerun.co",
        "https://Dopple-Games.Homerun.co/",
        "https://dopple-games.homerun.co/senior-environment-artist",
        "https://dopple-games.homerun.co/senior-environment-artist/en_GB/apply",
        "https://feed.homerun.co/dopple-games",
    ],
)
def test_board_and_api_from_careers_job_and_feed_urls(careers_url):
    assert homerun.board_url(careers_url) == "https://dopple-games.homerun.co/"
    assert homerun.api_url(careers_url) == "https://feed.homerun.co/dopple-games"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://homerun.co/",
        "https://www.homerun.co/pricing",
        "https://app.homerun.co/login",
        "https://cdn.homerun.co/logo.png",
        "https://feed.homerun.co/",
        "https://jobs.dopple.example/qa-intern",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert homerun.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"homerun: no company subdomain in careers URL") as error:
        homerun.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
