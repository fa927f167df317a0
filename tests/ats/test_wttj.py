"""Welcome to the Jungle postings carry what its search index and job API state: every office
(city, state, country), the workplace, the contract type, the publication time, the pay where
amounts are stated, and, from each job's detail, the text under its headings.

The fixtures copy the real shapes (field names, nesting, value spellings) documented in the
adapter's module docstring: an organization, a search answer (with a job listed twice, once per
website), and a job detail; their companies and texts are made up. The tests run the adapter's
own functions on them, and its `fetch` over real HTTP (tests/fixture_site.py) for a company the
search does not serve whole.
"""

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import wttj
from tasks.fetch.sources.common import collect_notes
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "wttj"
BOARD = "https://www.welcometothejungle.com/fr/companies/cnpp"
COMPANY = Company(name="Groupe CNPP", careers_url=BOARD, ats=Source.wttj)


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in wttj.parse(payload, COMPANY)}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        postings = wttj.parse(_load("search.json"), COMPANY)
    jobs = {p.title: p for p in postings}
    # The job listed on two websites is one posting; the hit with no slug has no page: skipped.
    assert [p.title for p in postings] == [
        "Développeur Junior",
        "Ingénieur Sécurité Incendie (H/F)",
        "Consultant Cybersécurité",
        "VIE - Auditeur Qualité",
    ]
    assert "skipping job CNPP_nopage1: url" in caplog.text

    hybrid = jobs["Développeur Junior"]
    assert hybrid.source is Source.wttj
    assert hybrid.external_id == "CNPP_9R4aXzq"
    assert hybrid.url == f"{BOARD}/jobs/developpeur-junior_saint-marcel"
    assert hybrid.location == "Saint-Marcel, France"
    assert hybrid.locations == [Location(city="Saint-Marcel", region="Normandie", country="FR")]
    assert hybrid.remote is RemotePolicy.hybrid  # "partial"
    assert hybrid.employment_type is EmploymentType.temporary
    assert hybrid.department is None
    assert hybrid.posted_at == datetime(2026, 8, 28, 16, 33, 1, tzinfo=UTC)
    assert hybrid.salary == Salary(min=30000, max=35000, currency="EUR", period=SalaryPeriod.year)
    assert (
        hybrid.description == "Rejoignez notre équipe R&D."
    )  # the hit's summary, until the detail

    onsite = jobs["Ingénieur Sécurité Incendie (H/F)"]
    assert onsite.location == "Paris, France; Lyon, France"
    assert onsite.locations == [
        Location(city="Paris", region="Île-de-France", country="FR"),
        Location(city="Lyon", region="Auvergne-Rhône-Alpes", country="FR"),
    ]
    assert onsite.remote is RemotePolicy.onsite  # "no"
    assert onsite.employment_type is EmploymentType.full_time
    assert onsite.salary is None

    # One `office` rather than `offices`, naming a country alone.
    remote = jobs["Consultant Cybersécurité"]
    assert remote.location == "United States"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote  # "fulltime"
    assert remote.employment_type is EmploymentType.contract  # "freelance"

    # A contract type in several languages; a workplace the company left "unknown".
    vie = jobs["VIE - Auditeur Qualité"]
    assert vie.employment_type is EmploymentType.temporary
    assert vie.remote is None
    assert vie.locations == [Location(city="Montréal", region="Québec", country="CA")]


def test_the_copy_on_the_company_website_wins():
    hits = _load("search.json")["results"][0]["hits"]
    [junior] = [hit for hit in wttj.distinct(hits, "cnpp") if hit.get("slug", "").startswith("dev")]
    assert junior["website"] == {"reference": "cnpp"}


def test_the_detail_brings_the_text_under_its_headings():
    search, detail = _load("search.json"), _load("job.json")["job"]
    hit = search["results"][0]["hits"][1]
    (job,) = wttj.parse({"results": [{"hits": [hit | detail]}]}, COMPANY)
    assert job.description == (
        "Job Description\nVotre challenge : concevoir nos applicatifs de gestion.\n\n"
        "Key Missions\n- Réaliser des applicatifs\n- Maintenir l'existant\n\n"
        "Preferred Experience\n"
        "Vous avez de premières expériences en développement (Python, PHP, JavaScript).\n\n"
        "Recruitment Process\n- Entretien RH\n- Entretien technique"
    )
    assert job.salary == Salary(min=30000, max=35000, currency="EUR", period=SalaryPeriod.year)


@pytest.mark.parametrize("status", ["archived", "expired"])
def test_a_closed_job_is_left_out(status):
    hit = _load("search.json")["results"][0]["hits"][2] | {"status": status}
    assert wttj.parse({"results": [{"hits": [hit]}]}, COMPANY) == []


def test_a_detail_of_another_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"wttj: expected a JSON object with a 'job' object"):
        wttj._job_of({"error": "not found"})


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"message": "Invalid Application-ID or API key"}, r"got dict with keys \['message'\]"),
        ({"results": []}, r"wttj: expected a search answer with results\[0\]\.hits"),
        ({"results": [{"hits": None}]}, r"wttj: expected a search answer"),
        ([], r"wttj: expected a search answer with results\[0\]\.hits, got list"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        wttj.parse(payload, COMPANY)


# --- fetch: a company the search does not serve whole ----------------------------------------


ORGANIZATION = "/wttj/api/v1/organizations/cnpp"
SEARCH = "/wttj/1/indexes/*/queries"


def test_a_company_past_the_search_limit_is_read_in_part_and_said_so(redis, fixture_site):
    """The organization, a search that announces 1,500 jobs but serves ten pages of 100 (then an
    empty page: Algolia's paginationLimitedTo is 1,000), and every detail."""
    assert wttj.api_url(BOARD, root=f"{fixture_site.base_url}/wttj") == fixture_site.url(
        ORGANIZATION
    )
    fixture_site.answer(ORGANIZATION, _load("organization.json"))
    for page in range(11):  # one search address: its pages in turn
        hits = [
            {"slug": f"job-{n}", "reference": f"R{n}", "name": f"Job {n}"}
            for n in range(page * 100, min(page * 100 + 100, 1000))
        ]
        result = {"hits": hits, "nbHits": 1500, "page": page, "hitsPerPage": 100}
        fixture_site.answer(SEARCH, {"results": [result]})
    for n in range(1000):
        job = {"job": {"slug": f"job-{n}", "reference": f"JOB-{n}", "name": f"Job job-{n}"}}
        fixture_site.answer(f"{ORGANIZATION}/jobs/job-{n}", job)

    with collect_notes() as notes:
        postings = fixture_site.fetch(redis, wttj, COMPANY, ORGANIZATION)

    assert len(postings) == 1000
    assert notes.skipped == ["wttj: the board announced 1500 postings; paging ended at 1000"]
    assert fixture_site.asked[:12] == [ORGANIZATION] + [SEARCH] * 11
    assert sorted(fixture_site.asked[12:]) == sorted(
        f"{ORGANIZATION}/jobs/job-{n}" for n in range(1000)
    )
    searches = [r for r in fixture_site.requests if r.target == SEARCH]
    assert {r.method for r in searches} == {"POST"}
    assert searches[0].headers["x-algolia-application-id"] == "CSEKHVMS53"
    assert searches[0].headers["origin"] == "https://www.welcometothejungle.com"
    # The index files the jobs under the organization's own slug.
    assert [json.loads(r.body)["requests"] for r in searches] == [
        [
            {
                "indexName": "wk_cms_jobs_production",
                "params": f"filters=organization.slug%3Acnpp_groupe&hitsPerPage=100&page={page}",
            }
        ]
        for page in range(11)
    ]
    assert postings[0].url == f"{BOARD}/jobs/job-0"


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "careers_url",
    [
        BOARD,
        f"{BOARD}/",
        f"{BOARD}/jobs",
        f"{BOARD}/jobs/developpeur-junior_saint-marcel?q=1",
        "https://welcometothejungle.com/fr/companies/cnpp/team",
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url):
    assert wttj.board_url(careers_url) == BOARD
    assert wttj.api_url(careers_url) == (
        "https://api.welcometothejungle.com/api/v1/organizations/cnpp"
    )


def test_the_locale_of_the_page_is_kept():
    assert wttj.board_url("https://www.welcometothejungle.com/en/companies/cnpp") == (
        "https://www.welcometothejungle.com/en/companies/cnpp"
    )


def test_api_url_on_a_mirror():
    assert wttj.api_url(BOARD, root="http://127.0.0.1:9/wttj/") == (
        "http://127.0.0.1:9/wttj/api/v1/organizations/cnpp"
    )


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://www.welcometothejungle.com/fr",
        "https://www.welcometothejungle.com/fr/jobs?query=python",
        "https://www.welcometothejungle.com/fr/companies",
        "https://uk.welcometothejungle.com/companies/cnpp",
        "https://cnpp.example/fr/companies/cnpp",
    ],
)
def test_a_url_without_a_company_names_no_board(careers_url):
    assert wttj.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"wttj: no company slug in careers URL"):
        wttj.api_url(careers_url)
