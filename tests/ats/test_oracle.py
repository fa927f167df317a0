"""Oracle Recruiting Cloud postings carry what the site's search and each requisition's detail
state: the places (primary and secondary), the workplace, the employment labels, the department
(or category), the posting date, every text section and the tenant's own fields (pay in words).
A board larger than the search serves (OFFSET_CAP) is read whole by splitting it by its facets.

The fixtures copy the real shapes of GET .../recruitingCEJobRequisitions and
.../recruitingCEJobRequisitionDetails (field names, nesting, value spellings) documented in the
adapter's module docstring; their texts are trimmed from public postings or made up. The
large-board tests read the sample site, which refuses results past its own cap and filters by
the facets it lists, as the real search does.
"""

import asyncio
import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deployments.sample.ats import oracle as sample
from deployments.sample.ats.boards import board
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.ats import oracle
from tasks.fetch.sources.common import collect_notes
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Source
from tasks.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "oracle"
SITE = "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_45001"
COMPANY = Company(name="Oracle", careers_url=SITE, ats=Source.oracle)
SETTINGS = Settings(allow_private_hosts=True, retry_wait_max_s=0.2, host_interval_s=0)


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _merged() -> dict:
    """The search page with each row's detail merged in, as `fetch` merges them."""
    search, details = _load("search.json"), _load("details.json")
    rows = []
    for row in search["items"][0]["requisitionList"]:
        items = details.get(row["Id"], {}).get("items")
        rows.append({**row, **oracle._detail(items[0])} if items else row)
    return {"items": [{"TotalJobsCount": len(rows), "requisitionList": rows}]}


def _by_id(payload: dict) -> dict:
    return {p.external_id: p for p in oracle.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_merged()["items"][0]["requisitionList"][0])
    row.update(changes)
    return {"items": [{"TotalJobsCount": 1, "requisitionList": [row]}]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_id(_merged())
    # Requisition 7002 has no title: skipped with a warning, the board goes on.
    assert sorted(jobs) == ["2506217", "30036316", "342776", "346955", "7001"]
    assert "skipping job 7002" in caplog.text

    platform = jobs["342776"]
    assert platform.source is Source.oracle
    assert platform.title == "Senior Platform Software Engineer (OCI - Developer Platform)"
    assert platform.url == f"{SITE}/job/342776"
    # The primary place and every secondary location, each as a place.
    assert platform.location == "Nashville, TN, United States; United States"
    assert platform.locations == [
        Location(city="Nashville", region="TN", country="US"),
        Location(country="US"),
    ]
    assert platform.remote is None  # WorkplaceTypeCode null, WorkplaceType ""
    assert platform.employment_type is EmploymentType.full_time  # JobSchedule "Full time"
    assert platform.department == "Product and Research"  # the detail's Category
    assert platform.posted_at == datetime(2026, 10, 7, 22, 54, 26, tzinfo=UTC)
    assert platform.description == (
        "Required to relocate/be onsite in Nashville, TN.\n"
        "OCI is transforming the developer platform experience.\n\n"
        "Responsibilities\nDesign, build, test, and operate core services and APIs for a modern "
        "application deployment platform on OCI.\n\n"
        "Qualifications\nDisclaimer:\nUS: Hiring Range in USD from: $92,500 to $209,500 per "
        "annum. May be eligible for bonus and equity.\nCareer Level - IC3\n\n"
        "About the Company\nOnly Oracle brings together the data, infrastructure, applications, "
        "and expertise.\n\n"
        "Years\n3 to 5+ years\n\nDoes this position require a security clearance?\nNo\n\n"
        "Skills\nKubernetes, Java"
    )
    assert platform.salary is None  # pay in words: the description carries it

    sre = jobs["346955"]
    assert sre.location == "United States" and sre.locations == [Location(country="US")]
    assert sre.remote is RemotePolicy.remote  # ORA_REMOTE
    assert sre.employment_type is EmploymentType.part_time  # Permanent, Part time
    assert sre.department == "Site Reliability"  # no Category: the list's JobFamily
    assert sre.posted_at == datetime(2026, 10, 6, 15, 15, tzinfo=UTC)  # -07:00 to UTC
    # A tenant's own pay field joins the description; an empty one adds nothing.
    assert sre.description == (
        "Keep our regions up.\n\nQualifications\nCareer Level - IC3\n\n"
        "About the Organization\nThe SRE organization runs every region.\n\n"
        "Base Pay/Salary\nNew York,NY $137,750.00-$185,000.00"
    )
    assert sre.salary is None

    testing = jobs["30036316"]
    assert testing.locations == [Location(city="Bangalore", region="Karnataka", country="IN")]
    assert testing.remote is RemotePolicy.hybrid  # no code: the label "Hybrid"
    assert testing.employment_type is EmploymentType.temporary  # Fixed Term, Full time
    assert testing.department == "Digital Nexus"  # Department wins over Category
    # No text sections at all: the short description stands in.
    assert testing.description == "Automation & performance testing for client platforms."

    technician = jobs["2506217"]
    # "Zug" names no country: PrimaryLocationCountry gives it.
    assert technician.location == "Zug"
    assert technician.locations == [Location(city="Zug", country="CH")]
    assert technician.remote is RemotePolicy.onsite
    assert technician.employment_type is None  # "Contingent Worker" names no type
    assert technician.posted_at == datetime(2026, 9, 30, tzinfo=UTC)  # no detail date: the list's
    assert technician.description == "Maintain probers.\n\nQualifications\n- AAS"


def test_the_search_alone_states_no_text_and_dates_by_day():
    jobs = _by_id(_load("search.json"))
    platform = jobs["342776"]
    assert platform.posted_at == datetime(2026, 10, 7, tzinfo=UTC)
    assert platform.description == "Build the platform developers deploy to."
    assert platform.department == "Software Engineering"  # JobFamily
    assert jobs["346955"].description == ""
    assert jobs["7001"].employment_type is EmploymentType.internship  # JobType "Trainee"


@pytest.mark.parametrize(
    ("code", "label", "expected"),
    [
        ("ORA_REMOTE", "", RemotePolicy.remote),
        ("ORA_HYBRID", "Remote", RemotePolicy.hybrid),  # the code wins over the label
        ("ORA_ON_SITE", None, RemotePolicy.onsite),
        (None, "On-site", RemotePolicy.onsite),
        (None, "", None),
        ("ORA_SOMETHING_ELSE", None, None),
    ],
)
def test_workplace_type(code, label, expected):
    (posting,) = oracle.parse(_one({"WorkplaceTypeCode": code, "WorkplaceType": label}), COMPANY)
    assert posting.remote == expected


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (
            {"WorkerType": "Employee", "ContractType": "Permanent", "JobSchedule": "Full time"},
            "full_time",
        ),
        ({"ContractType": "Fixed Term", "JobSchedule": "Part time"}, "temporary"),
        ({"WorkerType": "Contingent Worker", "ContractType": "Contract"}, "contract"),
        ({"JobType": "Intern", "JobSchedule": "Full time"}, "internship"),
        ({"JobSchedule": None}, None),
    ],
)
def test_employment_labels_are_read_together(labels, expected):
    cleared = dict.fromkeys(("WorkerType", "ContractType", "JobType", "JobSchedule"))
    (posting,) = oracle.parse(_one(cleared | labels), COMPANY)
    assert posting.employment_type == expected


def test_without_an_oracle_careers_url_the_job_pages_come_from_the_api_url():
    api = oracle.api_url(SITE)
    company = Company(name="Oracle", careers_url="https://www.oracle.example/careers", api_url=api)
    (posting,) = oracle.parse(_one({}), company)
    assert posting.url == f"{SITE}/job/342776"
    plain = Company(name="Oracle", careers_url="https://www.oracle.example/careers")
    assert oracle.parse(_one({}), plain) == []  # no job page to name: skipped


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"oracle: expected a JSON object with a 'items' list, got list"),
        ({"items": None}, r"oracle: expected .* 'items' list, got dict with keys \['items'\]"),
        ({"items": []}, r"oracle: expected a search result in 'items'"),
        ({"items": [{"TotalJobsCount": 3}]}, r"oracle: .*'requisitionList' list, got dict"),
        ({"title": "Bad Request"}, r"oracle: .*got dict with keys \['title'\]"),
        ("<html>", r"oracle: expected .* 'items' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        oracle.parse(payload, COMPANY)


def test_malformed_detail_is_a_clear_error():
    with pytest.raises(ValueError, match=r"oracle: expected a requisition in 'items', got list"):
        oracle._detail([])


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_reads_each_detail_on_a_mirror_and_leaves_out_a_closed_requisition(
    redis, fixture_site
):
    root = f"{fixture_site.base_url}/oracle"
    api = oracle.api_url(f"{SITE}/job/342776", root=root)
    resources = f"{root}/eeho.fa.us2.oraclecloud.com/hcmRestApi/resources/latest"
    assert api.startswith(f"{resources}/recruitingCEJobRequisitions?onlyData=true&expand=")
    first = oracle._search_url(resources, "CX_45001", limit=200, offset=0)
    details = _load("details.json")
    answers = {first: _load("search.json")} | {
        oracle.detail_url(resources, "CX_45001", job_id): detail
        for job_id, detail in details.items()
    }
    answers[oracle.detail_url(resources, "CX_45001", "7002")] = details["7001"]
    targets = [url.removeprefix(fixture_site.base_url) for url in answers]
    for target, answer in zip(targets, answers.values(), strict=True):
        fixture_site.answer(target, answer)

    postings = fixture_site.fetch(redis, oracle, COMPANY, api.removeprefix(fixture_site.base_url))

    assert sorted(fixture_site.asked) == sorted(targets)  # one search page, every detail
    # 7001 closed since it was listed (its detail has no items); 7002 has no title.
    assert [p.external_id for p in postings] == ["342776", "346955", "30036316", "2506217"]
    assert postings[0].url == f"{SITE}/job/342776"
    assert postings[0].posted_at == datetime(2026, 10, 7, 22, 54, 26, tzinfo=UTC)
    assert "finder=ById;Id=%2234277" in oracle.detail_url(resources, "CX_45001", "342776")


# --- large boards: split by facets --------------------------------------------------------------


def _read(redis, site, name: str) -> tuple[list, list[str]]:
    careers = f"https://{name}.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1"
    api = oracle.api_url(careers, root=f"{site.base_url}/oracle")
    company = Company(name="Acme", careers_url=careers, api_url=api)

    async def main():
        async with Fetcher(SETTINGS, redis) as fetcher:
            with collect_notes() as notes:
                return await oracle.fetch(fetcher, api, company), notes.skipped

    return asyncio.run(main())


def _searches(site, name: str) -> int:
    return site.hits(f"/oracle/{name}.fa.us2.oraclecloud.com{oracle._RESOURCES}/{oracle._SEARCH}")


def test_the_sample_search_refuses_results_past_its_cap(redis, site):
    # The adapter expects the real cap (10,000); this tenant's search stops at 30 of 300.
    postings, skipped = _read(redis, site, "huge-300")
    assert len(postings) == sample.SMALL_CAP
    assert skipped == ["oracle: the board announced 300 postings; paging ended at 30"]


def test_a_board_past_the_cap_is_read_whole_through_its_facets(redis, site, monkeypatch):
    monkeypatch.setattr(oracle, "OFFSET_CAP", sample.SMALL_CAP)
    name = "huge-301"
    postings, skipped = _read(redis, site, name)

    jobs = board(site, name)
    assert skipped == []
    assert sorted(p.external_id for p in postings) == sorted(str(j.number) for j in jobs)
    by_id = {p.external_id: p for p in postings}
    for job in jobs:
        assert by_id[str(job.number)].title == job.title
    # The places facet lists only the largest places (and a place inside its country is not
    # read twice), so the job categories split the rest: many searches, far fewer than
    # one per posting, and every detail once.
    assert 20 < _searches(site, name) < len(jobs)
    details = f"/oracle/{name}.fa.us2.oraclecloud.com{oracle._RESOURCES}/{oracle._DETAILS}"
    assert site.hits(details) == len(jobs)


def test_a_part_no_facet_splits_ends_partial_with_the_counts(redis, site, monkeypatch):
    monkeypatch.setattr(oracle, "OFFSET_CAP", sample.SMALL_CAP)
    monkeypatch.setattr(oracle, "FACETS", oracle.FACETS[:1])  # places only
    postings, skipped = _read(redis, site, "huge-302")

    assert 0 < len(postings) < 302
    assert skipped == [
        f"oracle: the board announced 302 postings; {len(postings)} read (its search serves "
        "none past offset 30 and its facets did not reach the rest)"
    ]


@pytest.mark.parametrize(
    ("values", "selected", "expected"),
    [
        # A city inside a country that is read anyway is not read again.
        (
            [
                ("1", "United States", 140),
                ("2", "Austin, TX, United States", 33),
                ("3", "Canada", 49),
            ],
            None,
            ["1", "3"],
        ),
        # Inside the country: its places, not the country itself nor places elsewhere.
        (
            [
                ("1", "United States", 140),
                ("2", "Austin, TX, United States", 33),
                ("4", "Lisbon, Lisbon, Portugal", 1),
            ],
            "United States",
            ["2"],
        ),
        # A value as large as the search splits nothing; an empty one holds nothing.
        ([("5", "Data", 200), ("6", "Design", 0), ("7", "Sales", 50)], None, ["7"]),
    ],
)
def test_facet_values_that_split_a_search(values, selected, expected):
    listed = [{"Id": i, "Name": name, "TotalCount": n} for i, name, n in values]
    chosen = oracle._parts(listed, selected, "1" if selected else None, 200)
    assert [v["Id"] for v in chosen] == expected


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "board"),
    [
        (f"{SITE}/job/342776", SITE),
        (f"{SITE}/requisitions/preview/342776?utm_medium=jobshare", SITE),
        (f"{SITE}/requisitions", SITE),
        (
            "https://jpmc.fa.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001/jobs",
            "https://jpmc.fa.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001",
        ),
        (
            "https://fa-ewur-saasfaprod1.fa.ocs.oraclecloud.com/hcmUI/CandidateExperience/fr/"
            "sites/CX_1/job/12",
            "https://fa-ewur-saasfaprod1.fa.ocs.oraclecloud.com/hcmUI/CandidateExperience/fr/"
            "sites/CX_1",
        ),
        (
            "https://HDPC.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/LateralHiring",
            "https://hdpc.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/LateralHiring",
        ),
        (oracle.api_url(SITE), SITE),
    ],
)
def test_board_and_api_from_careers_job_and_api_urls(url, board):
    assert oracle.board_url(url) == board
    assert oracle.api_url(url) == oracle.api_url(board)
    assert f"siteNumber={board.rsplit('/', 1)[1]}," in oracle.api_url(url)


def test_the_api_url_asks_for_the_requisitions_and_pages_inside_the_finder():
    assert oracle.api_url(SITE) == (
        "https://eeho.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/"
        "recruitingCEJobRequisitions?onlyData=true&expand=requisitionList.workLocation,"
        "requisitionList.otherWorkLocations,requisitionList.secondaryLocations,"
        "flexFieldsFacet.values,requisitionList.requisitionFlexFields&finder=findReqs;"
        "siteNumber=CX_45001,facetsList=LOCATIONS%3BWORK_LOCATIONS%3BWORKPLACE_TYPES%3BTITLES"
        "%3BCATEGORIES%3BORGANIZATIONS%3BPOSTING_DATES%3BFLEX_FIELDS,limit=200,"
        "sortBy=POSTING_DATES_DESC"
    )
    narrowed = oracle._search_url(
        "https://x/r", "CX_1", limit=200, offset=400, filters={"CATEGORIES": 3, "LOCATIONS": 7}
    )
    assert narrowed.endswith(
        ",limit=200,offset=400,lastSelectedFacet=LOCATIONS,selectedLocationsFacet=7,"
        "selectedCategoriesFacet=3,sortBy=POSTING_DATES_DESC"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites",
        "https://eeho.fa.us2.oraclecloud.com/",
        "https://objectstorage.us-ashburn-1.oraclecloud.com/n/acme/b/jobs/o/sites/CX_1",
        "https://www.oracle.com/careers/",
        "https://careers.oracle.com/en/sites/jobsearch/jobs",
    ],
)
def test_a_url_without_a_site_names_no_board(careers_url):
    assert oracle.board_url(careers_url) is None
    with pytest.raises(
        ValueError, match=r"oracle: no Fusion host and site in careers URL"
    ) as error:
        oracle.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
