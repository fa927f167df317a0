"""ATS adapters against the sample careers site, plus the site's web pages themselves."""

import json
import logging
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
import pytest

from deployments.sample.site import SampleSite, demo_companies
from tasks.fetch.sources import detect_source
from tasks.fetch.sources.ats import ashby, greenhouse, lever
from tasks.models import Company, EmploymentType, RemotePolicy, SalaryPeriod, Source

POSTINGS = 4


@pytest.fixture(scope="module")
def sample_site():
    with SampleSite(postings_per_company=POSTINGS) as running:
        yield running


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as http:
        yield http


def _demo(sample_site: SampleSite, careers_host: str) -> Company:
    entry = next(
        e for e in demo_companies(sample_site.base_url) if careers_host in e["careers_url"]
    )
    return Company(**entry)


def _assert_utc(moment: datetime | None) -> None:
    assert moment is not None and moment.tzinfo is not None
    assert moment.utcoffset().total_seconds() == 0


# ---------------------------------------------------------------- Greenhouse


def test_greenhouse_board_becomes_postings(sample_site, client):
    company = _demo(sample_site, "boards.greenhouse.io")
    raw = client.get(str(company.api_url)).json()
    postings = greenhouse.parse(raw, company)

    assert len(postings) == POSTINGS == raw["meta"]["total"]
    for posting, job in zip(postings, raw["jobs"], strict=True):
        assert posting.source == Source.greenhouse
        assert posting.company == "Acme Robotics" and posting.company_id == "acme-robotics"
        assert posting.title == job["title"]
        assert posting.url == job["absolute_url"]
        assert posting.url.startswith("https://boards.greenhouse.io/acmerobotics/jobs/")
        assert posting.external_id == str(job["id"])
        assert posting.location == job["location"]["name"]
        assert posting.department == job["departments"][0]["name"]
        _assert_utc(posting.posted_at)
        stated = job.get("first_published") or job["updated_at"]
        assert posting.posted_at == datetime.fromisoformat(stated)
        # Escaped HTML comes out as plain text: no tags, no entities, apostrophes intact.
        assert "<" not in posting.description and "&" not in posting.description
        assert "What you'll do" in posting.description
        assert len(posting.description) > 300
        # Greenhouse states none of these in structured form.
        assert posting.remote is None and posting.employment_type is None
        assert posting.salary is None
    assert any("first_published" not in job for job in raw["jobs"])  # the fallback is exercised


def test_greenhouse_without_content_has_no_description(sample_site, client):
    raw = client.get(f"{sample_site.base_url}/greenhouse/v1/boards/acmerobotics/jobs").json()
    assert all("content" not in job for job in raw["jobs"])
    company = _demo(sample_site, "boards.greenhouse.io")
    postings = greenhouse.parse(raw, company)
    assert [p.title for p in postings] == [job["title"] for job in raw["jobs"]]
    assert all(p.description == "" and p.department is None for p in postings)


# ---------------------------------------------------------------- Lever

LEVER_REMOTE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite"}
LEVER_COMMITMENT = {
    "Full-time": "full_time",
    "Part-time": "part_time",
    "Contract": "contract",
    "Temporary": "temporary",
    "Internship": "internship",
}
LEVER_INTERVAL = {"per-year-salary": "year", "per-month-salary": "month", "per-hour-wage": "hour"}


def test_lever_postings_carry_structured_fields(sample_site, client):
    company = _demo(sample_site, "jobs.lever.co")
    raw = client.get(str(company.api_url)).json()
    postings = lever.parse(raw, company)

    assert len(postings) == POSTINGS
    for posting, job in zip(postings, raw, strict=True):
        assert posting.source == Source.lever
        assert posting.title == job["text"]
        assert posting.url == job["hostedUrl"] and posting.url.startswith("https://jobs.lever.co/")
        assert posting.external_id == job["id"]
        assert posting.location == job["categories"]["location"]
        assert posting.department == job["categories"]["department"]
        _assert_utc(posting.posted_at)
        assert posting.posted_at == datetime.fromtimestamp(job["createdAt"] / 1000, UTC)
        assert posting.remote == RemotePolicy(LEVER_REMOTE[job["workplaceType"]])
        commitment = job["categories"]["commitment"]
        assert posting.employment_type == EmploymentType(LEVER_COMMITMENT[commitment])
        # The description joins the opening, the lists and the closing text.
        assert posting.description.startswith(job["descriptionPlain"])
        for item in job["lists"]:
            assert item["text"] in posting.description
        assert job["additionalPlain"] in posting.description
        assert "<li>" not in posting.description
        if "salaryRange" in job:
            stated = job["salaryRange"]
            assert posting.salary is not None
            assert (posting.salary.min, posting.salary.max) == (stated["min"], stated["max"])
            assert posting.salary.currency == stated["currency"]
            assert posting.salary.period == SalaryPeriod(LEVER_INTERVAL[stated["interval"]])
        else:
            assert posting.salary is None
    assert any(p.salary for p in postings) and not all(p.salary for p in postings)


# ---------------------------------------------------------------- Ashby

ASHBY_TYPES = {"FullTime": "full_time", "PartTime": "part_time", "Contract": "contract"}
ASHBY_TYPES |= {"Temporary": "temporary", "Intern": "internship"}


def test_ashby_postings_skip_unlisted_and_carry_compensation(sample_site, client):
    company = _demo(sample_site, "jobs.ashbyhq.com")
    raw = client.get(str(company.api_url)).json()
    postings = ashby.parse(raw, company)

    unlisted = [job for job in raw["jobs"] if not job["isListed"]]
    assert len(unlisted) == 1 and len(raw["jobs"]) == POSTINGS + 1
    assert len(postings) == POSTINGS
    assert unlisted[0]["id"] not in {p.external_id for p in postings}
    listed = [job for job in raw["jobs"] if job["isListed"]]
    for posting, job in zip(postings, listed, strict=True):
        assert posting.source == Source.ashby
        assert posting.title == job["title"]
        assert posting.url == job["jobUrl"] and posting.url.startswith("https://jobs.ashbyhq.com/")
        assert posting.external_id == job["id"]
        assert posting.location == job["location"]
        assert posting.department == job["department"]
        assert posting.description == job["descriptionPlain"]
        _assert_utc(posting.posted_at)
        assert posting.posted_at == datetime.fromisoformat(job["publishedAt"])
        assert (
            posting.remote
            == {"Remote": "remote", "Hybrid": "hybrid", "OnSite": "onsite"}[job["workplaceType"]]
        )
        assert posting.employment_type == ASHBY_TYPES[job["employmentType"]]
        salaries = [
            c for c in job["compensation"]["summaryComponents"] if c["compensationType"] == "Salary"
        ]
        if salaries:
            assert posting.salary is not None
            assert posting.salary.min == salaries[0]["minValue"]
            assert posting.salary.max == salaries[0]["maxValue"]
            assert posting.salary.currency == salaries[0]["currencyCode"]
        else:
            assert posting.salary is None
    assert any(p.salary for p in postings) and not all(p.salary for p in postings)

    # Without includeCompensation the API sends no compensation, so no salary is claimed.
    bare = client.get(f"{sample_site.base_url}/ashby/posting-api/job-board/initech").json()
    assert all("compensation" not in job for job in bare["jobs"])
    assert all(p.salary is None for p in ashby.parse(bare, company))


# ---------------------------------------------------------------- edge cases

COMPANY = Company(name="Edge Case Inc", careers_url="https://example.com/careers")


def test_lever_edge_cases(caplog):
    base = {"id": "a1", "text": "Analyst", "hostedUrl": "https://jobs.lever.co/x/a1"}
    payload = [
        {**base, "workplaceType": "unspecified", "categories": {"commitment": "Full Time"}},
        {**base, "id": "a2", "workplaceType": "onsite", "createdAt": "yesterday"},
        {**base, "id": "a3", "salaryRange": {"min": 0, "max": 500000, "currency": "usd"}},
        {**base, "id": "a4", "salaryRange": {"min": 30, "max": 40, "currency": "usd"}},
        {"id": "a5", "text": "No URL"},
        {**base, "id": "a6", "categories": {"location": {"city": "Oslo"}}},  # not text: no place
        "not a posting",
    ]
    with caplog.at_level(logging.WARNING):
        postings = lever.parse(payload, COMPANY)
    assert [p.external_id for p in postings] == ["a1", "a2", "a3", "a4", "a6"]
    assert postings[4].location is None and postings[4].locations == []
    assert postings[0].remote is None and postings[0].employment_type == EmploymentType.full_time
    assert postings[1].remote == RemotePolicy.onsite and postings[1].posted_at is None
    assert postings[2].salary is None  # a zero lower bound is a placeholder, not a salary
    assert postings[3].salary.currency == "USD" and postings[3].salary.period is None
    assert "skipping job a5: url: String should have at least 1 character" in caplog.text


def test_ashby_edge_cases(caplog):
    base = {"id": "b1", "title": "Nurse", "jobUrl": "https://jobs.ashbyhq.com/x/b1"}
    equity = {"compensationType": "EquityPercentage", "interval": "NONE"}
    placeholder = {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD"}
    placeholder |= {"minValue": 0, "maxValue": 750000}
    payload = {
        "jobs": [
            {**base, "isRemote": True, "employmentType": "FullTime"},
            {
                **base,
                "id": "b2",
                "isRemote": False,
                "compensation": {"summaryComponents": [equity]},
            },
            {**base, "id": "b3", "publishedAt": "2025-01-02T03:04:05Z", "location": "Canada"}
            | {"secondaryLocations": [{"location": "USA"}, {"location": "UK"}, "odd"]},
            {**base, "id": "b4", "compensation": {"summaryComponents": [equity, placeholder]}},
            {**base, "id": "b5", "isListed": False},
            {"id": "b6", "jobUrl": "https://jobs.ashbyhq.com/x/b6"},
        ]
    }
    with caplog.at_level(logging.WARNING):
        postings = ashby.parse(payload, COMPANY)
    assert [p.external_id for p in postings] == ["b1", "b2", "b3", "b4"]
    assert postings[0].remote == RemotePolicy.remote
    assert postings[1].remote is None  # isRemote false alone could still be hybrid
    assert postings[1].salary is None and postings[3].salary is None
    assert postings[2].posted_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert postings[2].location == "Canada; USA; UK"  # every place it is open in
    assert "b6" in caplog.text


def test_greenhouse_skips_jobs_without_url(caplog):
    payload = {
        "jobs": [
            {"id": 1, "title": "Welder", "absolute_url": "https://boards.greenhouse.io/x/jobs/1"},
            {"id": 2, "title": "Painter"},
        ]
    }
    with caplog.at_level(logging.WARNING):
        postings = greenhouse.parse(payload, COMPANY)
    assert [p.title for p in postings] == ["Welder"]
    assert postings[0].posted_at is None and postings[0].description == ""
    assert "skipping job 2: url: String should have at least 1 character" in caplog.text


@pytest.mark.parametrize(
    ("adapter", "payload", "message"),
    [
        (greenhouse, [], r"greenhouse: expected a JSON object with a 'jobs' list, got list"),
        (greenhouse, {"status": 404, "error": "Not found"}, r"greenhouse: .*keys \['error'"),
        (lever, {"ok": False, "error": "Document not found"}, r"lever: expected a JSON list"),
        (lever, "<html>", r"lever: expected a JSON list of postings, got str"),
        (ashby, [], r"ashby: expected a JSON object with a 'jobs' list, got list"),
        (ashby, {"jobs": None}, r"ashby: .*got dict with keys \['jobs'\]"),
    ],
)
def test_malformed_payload_is_a_clear_error(adapter, payload, message):
    with pytest.raises(ValueError, match=message):
        adapter.parse(payload, COMPANY)


# ---------------------------------------------------------------- endpoints and detection


@pytest.mark.parametrize(
    ("adapter", "careers_url", "expected"),
    [
        (
            greenhouse,
            "https://boards.greenhouse.io/acme",
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
        ),
        (
            greenhouse,
            "https://job-boards.greenhouse.io/acme/jobs/4012345?gh_jid=4012345",
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
        ),
        (
            greenhouse,
            "https://boards.greenhouse.io/embed/job_board?for=acme",
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
        ),
        (
            lever,
            "https://jobs.lever.co/globex",
            "https://api.lever.co/v0/postings/globex?mode=json",
        ),
        (
            lever,
            "https://jobs.lever.co/globex/5ac21346-8e0c-4494-8e7a-3eb92ff77902/apply",
            "https://api.lever.co/v0/postings/globex?mode=json",
        ),
        (
            lever,
            "https://jobs.eu.lever.co/globex/",
            "https://api.eu.lever.co/v0/postings/globex?mode=json",
        ),
        (
            ashby,
            "https://jobs.ashbyhq.com/initech",
            "https://api.ashbyhq.com/posting-api/job-board/initech?includeCompensation=true",
        ),
        (
            ashby,
            "https://jobs.ashbyhq.com/initech/0ab0fa98-9e53-48a8-9ba9-5f6c43d60931",
            "https://api.ashbyhq.com/posting-api/job-board/initech?includeCompensation=true",
        ),
    ],
)
def test_api_url_from_careers_url(adapter, careers_url, expected):
    assert adapter.api_url(careers_url) == expected
    # On a mirror the API's origin changes and its path stays.
    api = urlsplit(expected)
    mirrored = adapter.api_url(careers_url, root="http://127.0.0.1:9/mirror")
    assert mirrored == f"http://127.0.0.1:9/mirror{api.path}?{api.query}"


@pytest.mark.parametrize("adapter", [greenhouse, lever, ashby])
def test_api_url_needs_a_board_name(adapter):
    with pytest.raises(ValueError, match="careers URL"):
        adapter.api_url(f"https://{sorted(adapter.HOSTS)[0]}/")


@pytest.mark.parametrize(
    ("careers_url", "source"),
    [
        ("https://boards.greenhouse.io/acme", Source.greenhouse),
        ("https://job-boards.greenhouse.io/acme", Source.greenhouse),
        ("https://jobs.lever.co/globex", Source.lever),
        ("https://JOBS.EU.LEVER.CO/globex", Source.lever),
        ("https://jobs.ashbyhq.com/initech", Source.ashby),
        ("https://www.example.com/careers", Source.jsonld),
    ],
)
def test_detect_source(careers_url, source):
    assert detect_source(careers_url) == source


def test_demo_companies_are_valid_entries(sample_site):
    entries = demo_companies(sample_site.base_url)
    companies = [Company(**entry) for entry in entries]
    detected = [detect_source(str(c.careers_url)) for c in companies]
    assert detected == [Source.greenhouse, Source.lever, Source.ashby, Source.jsonld, Source.jsonld]
    assert companies[-1].ats == Source.html
    assert len({c.company_id for c in companies}) == 5


# ---------------------------------------------------------------- the sample site itself


def test_sample_site_pages(sample_site, client):
    base = sample_site.base_url
    listing = client.get(f"{base}/jsonld/northwind-analytics/careers")
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("text/html")
    hrefs = re.findall(r'href="([^"]+)"', listing.text)
    assert "jobs/1" in hrefs and "/jsonld/northwind-analytics/jobs/2" in hrefs
    assert "/jsonld/northwind-analytics/about" in hrefs and "https://example.com/" in hrefs
    for page in ("about", "privacy"):
        assert client.get(f"{base}/jsonld/northwind-analytics/{page}").status_code == 200

    def ld_blocks(url):
        page = client.get(url)
        assert page.status_code == 200
        pattern = r'<script type="application/ld\+json">(.*?)</script>'
        return [json.loads(block) for block in re.findall(pattern, page.text, re.S)]

    (first,) = ld_blocks(f"{base}/jsonld/northwind-analytics/jobs/1")
    assert first["@type"] == "JobPosting" and first["title"]
    assert first["url"] == f"{base}/jsonld/northwind-analytics/jobs/1"
    assert first["jobLocation"]["address"]["@type"] == "PostalAddress"
    (graph,) = ld_blocks(f"{base}/jsonld/northwind-analytics/jobs/2")
    assert [n["@type"] for n in graph["@graph"]].count("JobPosting") == 1

    detail = client.get(f"{base}/html/bluebird-energy/jobs/1")
    assert detail.status_code == 200 and "application/ld+json" not in detail.text
    assert re.search(r"<h1>[^<]+</h1>", detail.text)
    assert re.search(r'<p class="location">[^<]+, [^<]+</p>', detail.text)
    assert '<div class="description">' in detail.text
    assert client.get(f"{base}/html/bluebird-energy/careers").status_code == 200

    for missing in ("/nope", f"/html/bluebird-energy/jobs/{POSTINGS + 1}", "/lever/v0/"):
        response = client.get(base + missing)
        assert response.status_code == 404 and "<h1>" in response.text


def test_sample_site_is_deterministic_and_counts(sample_site):
    first = sample_site.respond("/lever/v0/postings/some-company")
    assert first == sample_site.respond("/lever/v0/postings/some-company")
    assert first != sample_site.respond("/lever/v0/postings/other-company")
    jobs = [
        job
        for slug in "abcdefgh"
        for job in json.loads(sample_site.respond(f"/lever/v0/postings/{slug}").body)
    ]
    titles = " ".join(job["text"] for job in jobs)
    for word in ("Senior", "Staff", "Intern", "Junior", "Director", "Manager"):
        assert word in titles
    texts = " ".join(job["additionalPlain"] for job in jobs)
    for marker in (
        "per year",
        "€",
        "£",
        "per hour",
        "remote",
        "hybrid",
        "on-site",
        "competitive",
    ):
        assert marker in texts
    with SampleSite(latency_s=0.05, postings_per_company=7) as slow, httpx.Client() as http:
        response = http.get(f"{slow.base_url}/greenhouse/v1/boards/x/jobs")
        assert len(response.json()["jobs"]) == 7
        assert response.elapsed.total_seconds() >= 0.05
        http.get(f"{slow.base_url}/missing")
        assert slow.request_count == 2
