"""What the SmartRecruiters, Workable, Ashby and Teamtailor adapters carry from real-shaped answers.

Fixtures under tests/ats/fixtures/ are small payloads in the exact shape the real APIs answer in
(see each adapter's docstring for where the shapes come from); the Ashby check runs over real
board responses in /work/shared/corpus/ashby.
"""

import json
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import ashby, smartrecruiters, teamtailor, workable
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, SalaryPeriod

FIXTURES = Path(__file__).parent / "fixtures"
ASHBY_CORPUS = Path("/work/shared/corpus/ashby")
COMPANY = Company(name="Acme", careers_url="https://example.com/careers")


def _load(path: str):
    return json.loads((FIXTURES / path).read_text())


def _by_id(postings):
    return {p.external_id: p for p in postings}


# ---------------------------------------------------------------- SmartRecruiters


def _smartrecruiters_read(with_details: bool):
    """The list page, each row merged with its detail as the fetch stage merges them."""
    listed = _load("smartrecruiters/postings.json")
    if with_details:
        details = _load("smartrecruiters/details.json")
        listed["content"] = [
            {**row, **smartrecruiters._detail(details[row["id"]])} for row in listed["content"]
        ]
    return _by_id(smartrecruiters.parse(listed, COMPANY))


def test_smartrecruiters_reads_type_place_and_pay_from_the_detail():
    postings = _smartrecruiters_read(with_details=True)

    operator = postings["744000154502129"]
    assert operator.employment_type == EmploymentType.full_time
    assert operator.remote == RemotePolicy.onsite  # remote false and hybrid false: a statement
    assert operator.location == "St. Joseph, MI, United States"
    assert operator.locations == [Location(city="St. Joseph", region="MI", country="US")]
    assert operator.salary == Salary(
        min=95000, max=130000, currency="USD", period=SalaryPeriod.year
    )

    # A German posting: the label is "Festanstellung", the id says what it is.
    engineer = postings["744000160012345"]
    assert engineer.employment_type == EmploymentType.full_time
    assert engineer.remote == RemotePolicy.hybrid
    assert engineer.locations == [Location(city="Stuttgart", region="BW", country="DE")]
    assert engineer.salary == Salary(min=5929, max=7400, currency="EUR", period=SalaryPeriod.month)

    # No compensation on the detail: no salary. "Remote" as city and region names no place.
    consultant = postings["744000165432123"]
    assert consultant.employment_type == EmploymentType.contract
    assert consultant.remote == RemotePolicy.remote
    assert consultant.location == "United Kingdom, Remote"
    assert consultant.locations == [Location(country="GB")]
    assert consultant.salary is None


def test_smartrecruiters_list_alone_states_no_salary_but_the_rest():
    postings = _smartrecruiters_read(with_details=False)
    assert all(p.salary is None for p in postings.values())
    assert postings["744000160012345"].employment_type == EmploymentType.full_time
    assert postings["744000160012345"].locations == [
        Location(city="Stuttgart", region="BW", country="DE")
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # Labels in languages the label vocabulary does not read: only the id says it.
        ({"id": "permanent", "label": "Vast dienstverband"}, EmploymentType.full_time),
        ({"id": "permanent", "label": "Umowa o pracę"}, EmploymentType.full_time),
        ({"id": "intern", "label": "Staż"}, EmploymentType.internship),
        ({"id": "part_time", "label": "Deeltijd"}, EmploymentType.part_time),
        ({"id": "temporary", "label": "Tempo determinato"}, EmploymentType.temporary),
        ({"id": "contract", "label": "Zlecenie"}, EmploymentType.contract),
        ({"label": "Part-time"}, EmploymentType.part_time),  # no id: the label is all there is
        ({"id": "5f2b0c", "label": "Vollzeit"}, EmploymentType.full_time),  # an odd id: the label
        ({"id": "other", "label": "Sonstiges"}, None),  # neither says anything readable
    ],
)
def test_smartrecruiters_employment_type_prefers_the_stable_id(kind, expected):
    row = {"id": "1", "name": "Welder", "postingUrl": "https://x/1", "typeOfEmployment": kind}
    (posting,) = smartrecruiters.parse({"content": [row]}, COMPANY)
    assert posting.employment_type == expected


# ---------------------------------------------------------------- Workable


def test_workable_merges_the_rows_of_one_shortcode_and_keeps_hidden_places_out():
    payload = _load("workable/widget.json")
    postings = workable.parse(payload, COMPANY)
    assert [p.external_id for p in postings] == ["81B46579FE", "3C1F9A2B7D", "A9E0D4C2F1"]
    by_code = _by_id(postings)

    remote = by_code["81B46579FE"]
    assert remote.remote == RemotePolicy.remote
    assert remote.employment_type == EmploymentType.full_time
    assert remote.location == "Paris, Île-de-France, France"
    assert remote.locations == [Location(city="Paris", region="Île-de-France", country="FR")]
    assert remote.salary is None

    # Three rows, one job: New York and London; Munich is hidden by the employer.
    seller = by_code["3C1F9A2B7D"]
    assert seller.remote is None  # telecommuting false is said of hybrid jobs too
    assert seller.employment_type == EmploymentType.full_time
    assert seller.location == "New York, United States; London, England, United Kingdom"
    assert seller.locations == [
        Location(city="New York", region="New York", country="US"),
        Location(city="London", region="England", country="GB"),
    ]
    assert "Munich" not in seller.location

    # A row with no locations list: its own city, state and country are its place.
    packer = by_code["A9E0D4C2F1"]
    assert packer.employment_type == EmploymentType.part_time
    assert packer.remote is None
    assert packer.location == "Rotterdam, South Holland, Netherlands"
    assert packer.locations == [Location(city="Rotterdam", region="South Holland", country="NL")]


def test_workable_hides_a_job_whose_every_place_is_hidden():
    row = _load("workable/widget.json")["jobs"][1]
    row = {**row, "locations": [{**place, "hidden": True} for place in row["locations"]]}
    (posting,) = workable.parse({"jobs": [row]}, COMPANY)
    assert posting.location is None and posting.locations == []


def test_workable_reads_a_workplace_enum_where_a_row_has_one():
    row = {**_load("workable/widget.json")["jobs"][1], "workplace": "hybrid"}
    (posting,) = workable.parse({"jobs": [row]}, COMPANY)
    assert posting.remote == RemotePolicy.hybrid


# ---------------------------------------------------------------- Ashby


def _ashby_boards():
    return sorted(ASHBY_CORPUS.glob("*.json"))


@pytest.mark.skipif(not ASHBY_CORPUS.is_dir(), reason="the shared Ashby corpus is not here")
def test_ashby_every_secondary_location_is_a_location():
    checked = 0
    for path in _ashby_boards():
        payload = json.loads(path.read_text())
        listed = {j["id"]: j for j in payload["jobs"] if j.get("isListed") is not False}
        for posting in ashby.parse(payload, COMPANY):
            job = listed[posting.external_id]
            secondary = job.get("secondaryLocations") or []
            if not secondary:
                assert len(posting.locations) <= 1, path.name
                continue
            # In this corpus no place repeats another and every one has a readable country
            # (lazer: Canada plus up to eight more countries, "UK" and "US" among them), so
            # nothing is subtracted for duplicates or unparseable entries.
            assert len(posting.locations) == 1 + len(secondary), (path.name, job["title"])
            assert posting.locations[0] == Location(country="CA")
            assert all(place.country for place in posting.locations)
            checked += 1
    assert checked >= 7  # lazer's seven multi-country postings


@pytest.mark.skipif(not ASHBY_CORPUS.is_dir(), reason="the shared Ashby corpus is not here")
def test_ashby_reads_the_address_over_the_label_and_keeps_the_other_fields():
    boards = {path.stem: json.loads(path.read_text()) for path in _ashby_boards()}

    lazer = ashby.parse(boards["lazer"], COMPANY)
    widest = max(lazer, key=lambda p: len(p.locations))
    assert widest.location == (
        "Canada; USA; Argentina; Brazil; Costa Rica; Uruguay; UK; Ireland; Portugal"
    )
    assert widest.locations == [
        Location(country=code) for code in ("CA", "US", "AR", "BR", "CR", "UY", "GB", "IE", "PT")
    ]
    assert widest.remote == RemotePolicy.remote
    assert widest.employment_type == EmploymentType.full_time

    # "Munich Office" is a label; the postal address says where it is.
    (bliro, *_) = ashby.parse(boards["bliro"], COMPANY)
    assert bliro.location == "Munich Office"
    assert bliro.locations == [Location(city="Munich", region="Bavaria", country="DE")]


def test_ashby_secondary_location_without_an_address_is_read_from_its_label():
    job = {
        "id": "1",
        "title": "Engineer",
        "jobUrl": "https://jobs.ashbyhq.com/acme/1",
        "location": "Berlin",
        "address": {
            "postalAddress": {
                "addressLocality": "Berlin",
                "addressRegion": "Berlin",
                "addressCountry": "Germany",
            }
        },
        "secondaryLocations": [
            {"location": "Paris, France"},
            {
                "location": "Berlin",
                "address": {
                    "postalAddress": {
                        "addressLocality": "Berlin",
                        "addressRegion": "Berlin",
                        "addressCountry": "DE",
                    }
                },
            },
        ],
        "workplaceType": "Hybrid",
        "employmentType": "FullTime",
        "compensation": {
            "summaryComponents": [
                {
                    "compensationType": "Salary",
                    "interval": "1 YEAR",
                    "currencyCode": "EUR",
                    "minValue": 70000,
                    "maxValue": 90000,
                }
            ]
        },
    }
    (posting,) = ashby.parse({"jobs": [job]}, COMPANY)
    # The second Berlin is the same place as the primary one: counted once.
    assert posting.locations == [
        Location(city="Berlin", region="Berlin", country="DE"),
        Location(city="Paris", country="FR"),
    ]
    assert posting.remote == RemotePolicy.hybrid
    assert posting.employment_type == EmploymentType.full_time
    assert posting.salary == Salary(min=70000, max=90000, currency="EUR", period=SalaryPeriod.year)


# ---------------------------------------------------------------- Teamtailor


def test_teamtailor_reads_every_location_of_an_item():
    feed = (FIXTURES / "teamtailor/jobs.rss.xml").read_bytes()
    postings = {p.title: p for p in teamtailor.parse(feed, COMPANY)}

    controller = postings["Group Financial Controller"]
    assert controller.remote == RemotePolicy.hybrid
    assert controller.location == "Stockholm, Sweden; London, United Kingdom"
    assert controller.locations == [
        Location(city="Stockholm", country="SE"),
        Location(city="London", country="GB"),
    ]
    assert controller.employment_type is None and controller.salary is None

    # Named "Remote", no city: the country is the one place stated.
    engineer = postings["Backend Engineer"]
    assert engineer.remote == RemotePolicy.remote
    assert engineer.locations == [Location(country="SE")]

    phd = postings["Institutsdoktorand inom kvartär rening av avloppsvatten"]
    assert phd.remote == RemotePolicy.onsite
    assert phd.locations == [
        Location(city="Stockholm", country="SE"),
        Location(city="Göteborg", country="SE"),
    ]


def test_teamtailor_plain_text_location_is_read_as_a_place():
    item = (
        "<item><title>Nurse</title><link>https://a.teamtailor.com/jobs/1-nurse</link>"
        "<tt:location>Dublin, Ireland</tt:location></item>"
    )
    feed = f'<rss xmlns:tt="https://teamtailor.com/locations"><channel>{item}</channel></rss>'
    (posting,) = teamtailor.parse(feed, COMPANY)
    assert posting.locations == [Location(city="Dublin", country="IE")]
