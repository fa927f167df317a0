"""Lever, Recruitee and Personio postings carry what the real responses state: every place,
the workplace, the employment type (in the employer's language) and the pay.

The fixtures copy the real shapes (field names, nesting, value spellings) documented in each
adapter's module docstring; each test runs the adapter's own `parse` on one.
"""

import json
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import lever, personio, recruitee
from tasks.fetch.sources.common import employment_type
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _json(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _by_title(postings):
    return {p.title: p for p in postings}


# --- employment labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        # French
        ("CDI", EmploymentType.full_time),
        ("CDD", EmploymentType.temporary),
        ("Stage", EmploymentType.internship),
        ("Stagiaire", EmploymentType.internship),
        ("Alternance", EmploymentType.internship),
        ("Apprentissage", EmploymentType.internship),
        ("Temps plein", EmploymentType.full_time),
        # German
        ("Ausbildung", EmploymentType.internship),
        ("Werkstudent", EmploymentType.part_time),
        ("Werkstudentin", EmploymentType.part_time),
        ("Praktikum", EmploymentType.internship),
        ("Praktikant", EmploymentType.internship),
        ("Befristet", EmploymentType.temporary),
        ("Unbefristet", EmploymentType.full_time),
        ("Vollzeit, unbefristet", EmploymentType.full_time),
        ("Vollzeit", EmploymentType.full_time),
        ("Teilzeit", EmploymentType.part_time),
        ("Freiberuflich", EmploymentType.contract),
        ("Minijob", EmploymentType.part_time),
        # Dutch
        ("Vast", EmploymentType.full_time),
        ("Vast contract, 32-40 uur", EmploymentType.full_time),
        ("Tijdelijk contract", EmploymentType.temporary),
        ("Contract voor bepaalde tijd", EmploymentType.temporary),
        ("Onbepaalde tijd", EmploymentType.full_time),
        ("Deeltijd", EmploymentType.part_time),
        ("Stagiair", EmploymentType.internship),
        ("Afstudeerstage", EmploymentType.internship),
        ("ZZP", EmploymentType.contract),
        # Spanish
        ("Jornada completa", EmploymentType.full_time),
        ("Media jornada", EmploymentType.part_time),
        ("Contrato indefinido", EmploymentType.full_time),
        ("Temporal", EmploymentType.temporary),
        ("Prácticas", EmploymentType.internship),
        ("Becario/a", EmploymentType.internship),
        ("Autónomo", EmploymentType.contract),
        # English
        ("Apprenticeship", EmploymentType.internship),
        ("Working Student", EmploymentType.part_time),
        ("Freelance", EmploymentType.contract),
        ("Freelancer", EmploymentType.contract),
        ("Fixed Term Contract", EmploymentType.temporary),
        ("Fixed-term", EmploymentType.temporary),
        ("Contractor", EmploymentType.contract),
        ("Contract-to-hire", EmploymentType.contract),
        ("Permanent", EmploymentType.full_time),
        ("Temporary", EmploymentType.temporary),
        ("Part-time internship", EmploymentType.internship),
        ("Permanent part-time", EmploymentType.part_time),
        ("Fixed-term full-time", EmploymentType.temporary),
        # labels every source already sent keep their meaning
        ("Full-time", EmploymentType.full_time),
        ("Part-time", EmploymentType.part_time),
        ("Contract", EmploymentType.contract),
        ("Internship", EmploymentType.internship),
        ("Intern", EmploymentType.internship),
        ("FullTime", EmploymentType.full_time),  # Ashby
        ("PartTime", EmploymentType.part_time),
        ("FULL_TIME", EmploymentType.full_time),  # schema.org JobPosting
        ("CONTRACTOR", EmploymentType.contract),
        ("fulltime_permanent", EmploymentType.full_time),  # Recruitee codes
        ("parttime_fixed_term", EmploymentType.temporary),
        ("traineeship", EmploymentType.internship),
        ("working_student", EmploymentType.part_time),  # Personio
        # words inside other words are not the word
        ("International", None),
        ("Internal transfer", None),
        ("Temps partiel", EmploymentType.part_time),
        ("", None),
        (None, None),
    ],
)
def test_employment_labels_in_the_employers_language(label, expected):
    assert employment_type(label) is expected


# --- Lever ------------------------------------------------------------------------------------


def test_lever_postings_carry_every_location_workplace_and_commitment():
    company = Company(name="Acme", careers_url="https://jobs.lever.co/acme", ats=Source.lever)
    jobs = _by_title(lever.parse(_json("lever/postings.json"), company))
    assert len(jobs) == 4

    paris = jobs["Ingénieur Data (H/F)"]
    assert paris.location == "Paris, France; Lyon, France"
    assert paris.locations == [
        Location(city="Paris", country="FR"),
        Location(city="Lyon", country="FR"),
    ]
    assert paris.remote is RemotePolicy.hybrid
    assert paris.employment_type is EmploymentType.full_time
    assert paris.salary == Salary(min=55000, max=65000, currency="EUR", period=SalaryPeriod.year)

    berlin = jobs["Werkstudent Marketing (m/w/d)"]
    assert berlin.location == "Berlin, Germany"
    assert berlin.locations == [Location(city="Berlin", country="DE")]
    assert berlin.remote is RemotePolicy.onsite
    assert berlin.employment_type is EmploymentType.part_time
    assert berlin.salary is None

    remote = jobs["Programme Manager"]
    assert remote.location == "Remote - United Kingdom; London, United Kingdom"
    assert remote.locations == [Location(country="GB"), Location(city="London", country="GB")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.temporary
    assert remote.salary == Salary(min=5000, max=6000, currency="GBP", period=SalaryPeriod.month)

    # No allLocations (older postings): the one location; "unspecified" states no workplace.
    stage = jobs["Stagiaire Finance"]
    assert stage.location == "Barcelona, Spain"
    assert stage.locations == [Location(city="Barcelona", country="ES")]
    assert stage.remote is None
    assert stage.employment_type is EmploymentType.internship
    assert stage.salary is None


# --- Recruitee --------------------------------------------------------------------------------


def test_recruitee_offers_prefer_structured_places_over_the_free_text():
    company = Company(name="Acme", careers_url="https://acme.recruitee.com/", ats=Source.recruitee)
    jobs = _by_title(recruitee.parse(_json("recruitee/offers.json"), company))
    assert len(jobs) == 3

    # "Remote job" in `location`; the places are in `locations`.
    backend = jobs["Senior Backend Engineer"]
    assert backend.location == (
        "Amsterdam, North Holland, Netherlands; Rotterdam, South Holland, Netherlands"
    )
    assert backend.locations == [
        Location(city="Amsterdam", region="North Holland", country="NL"),
        Location(city="Rotterdam", region="South Holland", country="NL"),
    ]
    assert backend.remote is RemotePolicy.remote
    assert backend.employment_type is EmploymentType.full_time
    assert backend.salary == Salary(min=4000, max=5500, currency="EUR", period=SalaryPeriod.month)

    designer = jobs["Product Designer (12 months)"]
    assert designer.location == "Berlin, Germany"
    assert designer.locations == [Location(city="Berlin", region="Berlin", country="DE")]
    assert designer.remote is RemotePolicy.hybrid
    assert designer.employment_type is EmploymentType.temporary  # fulltime_fixed_term
    assert designer.salary is None  # every salary field null

    # An empty `locations` list: the offer's own city, state and country code.
    intern = jobs["Sales Intern"]
    assert intern.location == "Austin, Texas, United States"
    assert intern.locations == [Location(city="Austin", region="Texas", country="US")]
    assert intern.remote is RemotePolicy.onsite
    assert intern.employment_type is EmploymentType.internship
    assert intern.salary == Salary(min=18.5, max=22, currency="USD", period=SalaryPeriod.hour)


def test_recruitee_remote_job_text_alone_is_no_place():
    company = Company(name="Acme", careers_url="https://acme.recruitee.com/", ats=Source.recruitee)
    offer = {
        "id": 1,
        "title": "Support Agent",
        "careers_url": "https://acme.recruitee.com/o/support-agent",
        "location": "Remote job",
        "remote": True,
        "locations": [],
        "employment_type_code": "parttime",
    }
    [posting] = recruitee.parse({"offers": [offer]}, company)
    assert posting.location is None and posting.locations == []
    assert posting.remote is RemotePolicy.remote
    assert posting.employment_type is EmploymentType.part_time


# --- Personio ---------------------------------------------------------------------------------


def test_personio_positions_carry_offices_schedule_and_salary():
    company = Company(
        name="Acme", careers_url="https://acme.jobs.personio.de/", ats=Source.personio
    )
    feed = (FIXTURES / "personio/feed.xml").read_bytes()
    jobs = _by_title(personio.parse(feed, company))
    assert len(jobs) == 5

    engineer = jobs["Senior Software Engineer (m/w/d)"]
    assert engineer.url == "https://acme.jobs.personio.de/job/2800938"
    assert engineer.location == "Berlin; München; Berlin (Remote)"
    assert engineer.locations == [Location(city="Berlin"), Location(city="München")]
    assert engineer.remote is None  # the feed states no workplace
    assert engineer.employment_type is EmploymentType.full_time  # permanent + full-time
    assert engineer.salary == Salary(min=60000, max=75000, currency="EUR", period=SalaryPeriod.year)

    success = jobs["Customer Success Manager (Teilzeit)"]
    assert success.locations == [Location(city="Hamburg")]
    assert success.employment_type is EmploymentType.part_time  # permanent + part-time
    assert success.salary is None

    student = jobs["Werkstudent Controlling (m/w/d)"]
    assert student.locations == [Location(city="Köln")]
    assert student.employment_type is EmploymentType.part_time  # working_student

    # A bare text in <salaryInformation> is read as free text: amount and currency, no period
    # ("pro Monat" is not a period the free-text reader knows).
    intern = jobs["Praktikum Marketing"]
    assert intern.employment_type is EmploymentType.internship  # intern + full-time
    assert intern.salary == Salary(min=1800, max=1800, currency="EUR", period=None)

    # "full-or-part-time" adds nothing: a permanent position is full-time.
    generalist = jobs["HR Generalist (m/w/d)"]
    assert generalist.location == "Hamburg"
    assert generalist.locations == [Location(city="Hamburg")]
    assert generalist.employment_type is EmploymentType.full_time
    assert generalist.salary is None
