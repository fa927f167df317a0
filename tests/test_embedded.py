"""Job lists careers pages ship as app state (Next.js, Nuxt, Redux, Apollo): what the crawler gets
from pages whose links say nothing about jobs."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tasks.fetch.sources.embedded import embedded_jobs
from tasks.models import EmploymentType, Location, RemotePolicy, Salary, SalaryPeriod

FIXTURES = Path(__file__).parent / "fixtures" / "embedded"


def jobs_in(markup: str, url: str = "https://acme.example/careers") -> list[dict]:
    return embedded_jobs(lxml_html.document_fromstring(markup), url)


def page(*scripts: str, body: str = "") -> str:
    return f"<html><head>{''.join(scripts)}</head><body>{body}</body></html>"


def json_script(data, **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    return f'<script type="application/json"{extra}>{json.dumps(data)}</script>'


def titles(jobs: list[dict]) -> list[str]:
    return [job["title"] for job in jobs]


def test_next_data_jobs_come_with_their_stated_fields_and_absolute_urls():
    jobs = jobs_in((FIXTURES / "next_careers.html").read_text())

    assert titles(jobs) == [
        "Senior Backend Engineer",
        "Product Designer",
        "Working Student Data (m/f/d)",
    ]
    backend, designer, student = jobs
    assert backend["url"] == "https://acme.example/careers/senior-backend-engineer"
    assert backend["external_id"] == "4711"
    assert backend["department"] == "Engineering"
    assert backend["location"] == "Berlin, Germany"
    assert backend["locations"] == [Location(city="Berlin", country="DE")]
    assert backend["remote"] == RemotePolicy.hybrid
    assert backend["employment_type"] == EmploymentType.full_time
    assert backend["salary"] == Salary(
        min=70000, max=90000, currency="EUR", period=SalaryPeriod.year
    )
    assert backend["posted_at"] == datetime(2026, 10, 1, 9, tzinfo=UTC)
    assert backend["description"] == "Build our APIs.\n- Go\n- PostgreSQL"

    assert designer["location"] == "London, UK; Remote"
    assert designer["locations"] == [Location(city="London", country="GB")]
    assert designer["remote"] == RemotePolicy.remote
    assert designer["employment_type"] == EmploymentType.part_time
    assert "salary" not in designer  # stated as null: nothing to report

    assert student["url"] == "https://jobs.acme-careers.example/4713"
    assert student["department"] == "Data"
    assert student["remote"] == RemotePolicy.onsite
    assert student["locations"] == [Location(city="Munich", country="DE")]


def test_nuxt3_payload_is_revived_through_its_reactive_wrappers():
    jobs = jobs_in((FIXTURES / "nuxt_careers.html").read_text(), "https://beta.example/en/team")

    assert titles(jobs) == ["Frontend Engineer (Vue)", "Site Reliability Engineer"]
    frontend, sre = jobs
    # No URL in the data: the page links to the posting by its slug.
    assert frontend["url"] == "https://beta.example/en/team/frontend-engineer-vue"
    assert frontend["location"] == "Amsterdam, NL"
    assert frontend["locations"] == [Location(city="Amsterdam", country="NL")]
    assert frontend["department"] == "Web"
    assert frontend["employment_type"] == EmploymentType.full_time
    assert frontend["posted_at"] == datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert "remote" not in frontend  # remote: false says nothing about hybrid or on-site
    # Nor a link: the page URL with the job's id keeps it apart from the others.
    assert sre["url"] == "https://beta.example/en/team#502"
    assert sre["external_id"] == "502"
    assert sre["remote"] == RemotePolicy.remote
    assert sre["employment_type"] == EmploymentType.contract


def test_a_cyclic_nuxt_payload_ends():
    payload = [["Reactive", 1], {"self": 0, "again": 2}, ["ShallowReactive", 2], {"jobs": 0}]
    assert jobs_in(page(json_script(payload, id="__NUXT_DATA__"))) == []


INITIAL_STATE = {
    "jobs": {
        "items": [
            {
                "jobId": "R-100",
                "jobTitle": "Account Executive",
                "office": {"city": "Austin", "state": "TX", "countryCode": "US"},
                "isRemote": True,
                "jobType": "Full Time",
                "applyUrl": "https://apply.example/R-100",
            },
            {
                "jobId": "R-101",
                "jobTitle": "Sales Intern",
                "office": {"city": "Austin", "state": "TX", "countryCode": "US"},
                "jobType": "Internship",
                "applyUrl": "https://apply.example/R-101",
            },
        ],
        "total": 2,
    },
    "ui": {"menuOpen": False},
}


@pytest.mark.parametrize(
    "script",
    [
        f"window.__INITIAL_STATE__ = {json.dumps(INITIAL_STATE)};window.dataLayer=[];",
        f"self.__PRELOADED_STATE__={json.dumps(INITIAL_STATE)}",
        f"window.__INITIAL_STATE__=JSON.parse({json.dumps(json.dumps(INITIAL_STATE))});",
        "window.__INITIAL_STATE__ = JSON.parse('"
        + json.dumps(INITIAL_STATE).replace("'", "\\'").replace("Austin", "\\x41ustin")
        + "')",
    ],
    ids=["assignment", "self", "json-parse", "json-parse-single-quoted"],
)
def test_state_assigned_in_a_script_is_read(script):
    jobs = jobs_in(page(f"<script>var x = 1; {script}</script>"))

    assert titles(jobs) == ["Account Executive", "Sales Intern"]
    executive, intern = jobs
    assert executive["url"] == "https://apply.example/R-100"
    assert executive["external_id"] == "R-100"
    assert executive["location"] == "Austin, TX, US"
    assert executive["locations"] == [Location(city="Austin", region="TX", country="US")]
    assert executive["remote"] == RemotePolicy.remote
    assert executive["employment_type"] == EmploymentType.full_time
    assert intern["employment_type"] == EmploymentType.internship


def test_apollo_cache_references_and_graphql_edges_are_followed():
    state = {
        "Job:1": {
            "__typename": "Job",
            "id": "1",
            "title": "Data Engineer",
            "team": {"__ref": "Team:7"},
            "locations": [{"__ref": "Location:3"}],
            "absolute_url": "/jobs/data-engineer",
        },
        "Team:7": {"__typename": "Team", "id": "7", "name": "Data Platform"},
        "Location:3": {"__typename": "Location", "name": "Toronto, Canada"},
        "ROOT_QUERY": {
            "__typename": "Query",
            'openRoles({"first":20})': {
                "__typename": "JobConnection",
                "edges": [{"__typename": "JobEdge", "node": {"__ref": "Job:1"}}],
            },
        },
    }
    script = f"<script>window.__APOLLO_STATE__={json.dumps(state)};</script>"

    [job] = jobs_in(page(script))

    assert job["title"] == "Data Engineer"
    assert job["url"] == "https://acme.example/jobs/data-engineer"
    assert job["department"] == "Data Platform"
    assert job["location"] == "Toronto, Canada"
    assert job["locations"] == [Location(city="Toronto", country="CA")]


def test_lever_shaped_postings_read_their_categories():
    postings = [
        {
            "id": "8c3e0a4b-1f2d-4e5a-9b6c-7d8e9f0a1b2c",
            "text": "Customer Success Manager",
            "categories": {"commitment": "Part-time", "team": "Support", "location": "Paris"},
            "hostedUrl": "https://jobs.lever.co/acme/8c3e0a4b-1f2d-4e5a-9b6c-7d8e9f0a1b2c",
            "createdAt": 1761984000000,
            "workplaceType": "onsite",
        }
    ]

    [job] = jobs_in(page(json_script({"postings": postings})))

    assert job["title"] == "Customer Success Manager"
    assert job["department"] == "Support"
    assert job["location"] == "Paris"
    assert job["employment_type"] == EmploymentType.part_time
    assert job["remote"] == RemotePolicy.onsite
    assert job["posted_at"] == datetime(2025, 11, 1, 8, tzinfo=UTC)


def test_offices_departments_menus_people_and_blog_posts_are_not_jobs():
    state = {
        "offices": [
            {"id": 1, "title": "Berlin", "location": "Berlin, Germany", "phone": "+49 30 1"},
            {"id": 2, "title": "Paris", "location": "Paris, France", "phone": "+33 1 2"},
        ],
        "departments": [
            {"id": 10, "name": "Engineering", "team": "Platform", "openings": 3},
            {"id": 11, "name": "Sales", "team": "EMEA", "openings": 1},
        ],
        "menu": [
            {"title": "Careers", "href": "/careers", "id": "nav-1"},
            {"title": "Open positions", "url": "/careers/jobs", "id": "nav-2"},
        ],
        "posts": [
            {
                "id": 7,
                "title": "Life at Acme",
                "slug": "life-at-acme",
                "publishedAt": "2026-05-01T10:00:00Z",
                "createdAt": "2026-04-30T10:00:00Z",
                "url": "/blog/life-at-acme",
            },
            {
                "id": 8,
                "title": "Meet the team",
                "slug": "meet-the-team",
                "published_at": "2026-06-01T10:00:00Z",
                "created_at": "2026-05-30T10:00:00Z",
                "url": "/blog/meet-the-team",
            },
        ],
        "jobs": [
            {"id": 1, "name": "Engineering", "count": 3},
            {"id": 2, "name": "Sales", "count": 1},
        ],
        "people": [
            {
                "id": 1,
                "name": "Ada",
                "title": "CTO",
                "department": "Engineering",
                "location": "Berlin",
            }
            | {"photo": "/img/ada.jpg"},
            {
                "id": 2,
                "name": "Bo",
                "title": "Head of Sales",
                "department": "Sales",
                "location": "Paris",
            }
            | {"photo": "/img/bo.jpg"},
        ],
    }
    markup = page(
        json_script({"props": {"pageProps": state}}, id="__NEXT_DATA__"),
        f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>",
    )

    assert jobs_in(markup) == []


def test_a_broken_block_does_not_hide_the_good_one():
    good = {"openings": [{"id": 5, "title": "Nurse", "location": "Leeds", "url": "/o/5"}]}
    markup = page(
        '<script type="application/json" id="broken">{"jobs": [{"title": "Lost",</script>',
        "<script>window.__NUXT__=(function(a,b){return {data:[{title:a}]}}('x',1))</script>",
        "<script>window.__STATE__ = {jobs: [{title: 'Not JSON'}]};</script>",
        json_script(good),
    )

    jobs = jobs_in(markup)

    assert titles(jobs) == ["Nurse"]
    assert jobs[0]["url"] == "https://acme.example/o/5"


def test_relative_urls_resolve_against_the_pages_base():
    data = {"vacancies": [{"id": 9, "title": "Welder", "department": "Plant", "path": "v/9"}]}
    markup = page('<base href="https://acme.example/en/">', json_script(data))

    [job] = jobs_in(markup)

    assert job["url"] == "https://acme.example/en/v/9"


def test_a_job_without_url_takes_the_pages_link_to_it():
    data = {
        "roles": [
            {"id": 4711, "title": "Backend Engineer", "team": "Core"},
            {"slug": "qa-lead", "title": "QA Lead", "team": "Core"},
            {"title": "Anonymous", "team": "Core"},
        ]
    }
    body = (
        '<a href="/team/join/backend-engineer-4711">Backend Engineer</a>'
        '<a href="https://acme.example/team/join/qa-lead/">QA Lead</a>'
    )

    jobs = jobs_in(page(json_script(data), body=body))

    assert [(job["title"], job["url"]) for job in jobs] == [
        ("Backend Engineer", "https://acme.example/team/join/backend-engineer-4711"),
        ("QA Lead", "https://acme.example/team/join/qa-lead/"),
    ]  # "Anonymous" has neither URL nor id: nothing to tell it by


def test_the_same_list_twice_gives_each_job_once():
    jobs = [
        {"id": "a1", "title": "Chef", "location": "Rome", "url": "/jobs/a1"},
        {"id": "a2", "title": "Waiter", "location": "Rome", "url": "/jobs/a2"},
    ]
    state = {"jobs": {"list": jobs}, "search": {"results": {"jobs": jobs}}}
    markup = page(
        json_script({"props": {"pageProps": state}}, id="__NEXT_DATA__"),
        f"<script>window.__PRELOADED_STATE__ = {json.dumps(state)}</script>",
    )

    assert titles(jobs_in(markup)) == ["Chef", "Waiter"]


def test_deeply_nested_json_is_skipped_without_error():
    deep = "[" * 100_000 + "]" * 100_000
    markup = page(f'<script type="application/json">{deep}</script>')

    assert jobs_in(markup) == []
