"""Hireology postings carry what the careers API states: every place a job is listed in, the
remote flag, the employment status, the job family as department, the creation time, the text
with the hiring location's name, and the pay (a range or a single amount, with its period).

The fixtures copy the real shapes of GET https://api.hireology.com/v2/public/careers/{slug} and
of the career page whose `startingData` carries the API token (field names, nesting, value
spellings) documented in the adapter's module docstring; their companies and texts are made up.
The tests run the adapter's own `parse` and `fetch` on them.
"""

import asyncio
import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from tasks.errors import FetchError
from tasks.fetch.sources import hireology
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "hireology"
BOARD = "https://careers.hireology.com/andersonautogroup"
COMPANY = Company(name="Anderson Auto Group", careers_url=BOARD, ats=Source.hireology)
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJjYXJlZXJzUGF0aCI6ImFuZGVyc29uYXV0b2dyb3VwIn0.c2lnbmF0dXJl"


def _payload() -> dict:
    return json.loads((FIXTURES / "careers.json").read_text(encoding="utf-8"))


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in hireology.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_payload()["data"][0])
    row.update(changes)
    return {"data": [row], "count": 1, "page": 1, "page_size": 100}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped(caplog):
    with caplog.at_level(logging.WARNING):
        jobs = _by_title(_payload())
    # The closed row is left out silently; the one without a name is skipped, and said so.
    assert sorted(jobs) == [
        "Automotive Technician",
        "Guest Experience Representative",
        "Remote Warranty Administrator",
    ]
    assert "skipping job 2827999" in caplog.text and "2700001" not in caplog.text

    tech = jobs["Automotive Technician"]
    assert tech.source is Source.hireology
    assert tech.external_id == "2827500"
    assert tech.url == f"{BOARD}/2827500/description"
    assert tech.location == "Lincoln, NE"
    assert tech.locations == [Location(city="Lincoln", region="NE", country="US")]
    assert tech.remote is None  # remote false: not remote, no more
    assert tech.employment_type is EmploymentType.full_time  # "Full Time - hourly"
    assert tech.department == "Service"
    assert tech.posted_at == datetime(2026, 7, 27, 19, 10, 31, 370_000, tzinfo=UTC)
    assert tech.salary == Salary(min=25, max=35.5, currency=None, period=SalaryPeriod.hour)
    assert tech.description == (
        "Role\nDiagnose and repair customer vehicles.\n- ASE certification\n- Own tools\n\n"
        "Employer\nAnderson Ford of Lincoln"
    )

    remote = jobs["Remote Warranty Administrator"]
    # A child location's job page, as the API names it.
    assert remote.url == ("https://careers.hireology.com/andersontoyotatoronto/2827501/description")
    assert remote.locations == [Location(city="Toronto", region="ON", country="CA")]
    assert remote.remote is RemotePolicy.remote
    assert remote.employment_type is EmploymentType.contract
    assert remote.department is None  # no job family
    # A single amount where is_comp_range is false.
    assert remote.salary == Salary(min=95, max=95, period=SalaryPeriod.hour)

    guest = jobs["Guest Experience Representative"]
    # No career_site_url: the job page from the board's slug.
    assert guest.url == f"{BOARD}/2813570/description"
    assert guest.location == "San Diego, CA; Peoria, AZ"
    assert guest.locations == [
        Location(city="San Diego", region="CA", country="US"),
        Location(city="Peoria", region="AZ", country="US"),
    ]
    assert guest.employment_type is EmploymentType.part_time
    assert guest.posted_at == datetime(2026, 8, 1, 17, 0, tzinfo=UTC)  # -05:00 as UTC
    assert guest.salary is None  # "0.0": no pay published
    assert guest.description == "Welcome fans at the gate."  # an empty organization adds nothing


@pytest.mark.parametrize(
    ("compensation", "expected"),
    [
        (
            {
                "is_comp_range": True,
                "comp_range_min": "55000.0",
                "comp_range_max": "70000.0",
                "comp_period": "year",
            },
            Salary(min=55000, max=70000, period=SalaryPeriod.year),
        ),
        (
            {
                "is_comp_range": True,
                "comp_range_min": "0.0",
                "comp_range_max": "80000.0",
                "comp_period": "year",
            },
            None,  # a minimum of 0 is a placeholder
        ),
        ({"is_comp_range": False, "comp_single_amount": "18.5"}, Salary(min=18.5, max=18.5)),
        (None, None),
    ],
)
def test_compensation(compensation, expected):
    (posting,) = hireology.parse(_one({"compensation": compensation}), COMPANY)
    assert posting.salary == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"hireology: expected a JSON object with a 'data' list, got list"),
        ({"count": 0}, r"hireology: expected .* 'data' list, got dict with keys \['count'\]"),
        ({"errors": ["Unauthorized"]}, r"hireology: .*got dict with keys \['errors'\]"),
        ("<html>", r"hireology: expected .* 'data' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        hireology.parse(payload, COMPANY)


# --- fetch ------------------------------------------------------------------------------------


class _Fetcher:
    """The fetch stage's client as far as `fetch` uses it: the career page and the API pages."""

    def __init__(self, pages: dict, pages_html: dict):
        self.pages, self.html, self.asked, self.auth = pages, pages_html, [], []

    async def page(self, url: str):
        self.asked.append(url)
        if url not in self.html:
            raise FetchError.for_status(404, url, None)
        return SimpleNamespace(text=self.html[url])

    async def request(self, method, url, *, accept="*/*", api=False, auth=None):
        self.asked.append(url)
        self.auth.append(auth and auth.token)
        return SimpleNamespace(json=lambda: self.pages[url])


def _pages(rows: list, size: int) -> dict:
    api = "http://127.0.0.1:9/hireology/v2/public/careers/andersonautogroup"
    return {
        f"{api}?page={n + 1}&page_size={size}": {
            "data": rows[n * size : (n + 1) * size],
            "count": len(rows),
            "page": n + 1,
            "page_size": size,
        }
        for n in range(-(-len(rows) // size))
    }


def test_fetch_reads_the_token_then_every_page(monkeypatch):
    monkeypatch.setattr(hireology, "PAGE_SIZE", 2)
    api = hireology.api_url(BOARD, root="http://127.0.0.1:9/hireology/")
    assert api == "http://127.0.0.1:9/hireology/v2/public/careers/andersonautogroup"
    rows = _payload()["data"]
    html = (FIXTURES / "careers_page.html").read_text(encoding="utf-8")
    fetcher = _Fetcher(_pages(rows, 2), {"http://127.0.0.1:9/hireology/andersonautogroup": html})

    postings = asyncio.run(hireology.fetch(fetcher, api, COMPANY))

    assert fetcher.asked == [
        "http://127.0.0.1:9/hireology/andersonautogroup",
        f"{api}?page=1&page_size=2",
        f"{api}?page=2&page_size=2",
        f"{api}?page=3&page_size=2",
    ]
    assert fetcher.auth == [TOKEN] * 3  # the career page's token on every API call
    assert [p.external_id for p in postings] == ["2827500", "2827501", "2813570"]


def test_without_the_career_page_the_api_is_read_without_a_token():
    api = hireology.api_url(BOARD)
    fetcher = _Fetcher({f"{api}?page=1&page_size=100": _payload()}, {})
    postings = asyncio.run(hireology.fetch(fetcher, api, COMPANY))
    assert fetcher.asked[0] == BOARD  # careers.hireology.com/{slug}, which answered 404
    assert fetcher.auth == [None] and len(postings) == 3


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "slug"),
    [
        ("https://careers.hireology.com/andersonautogroup", "andersonautogroup"),
        ("https://careers.hireology.com/andersonautogroup/", "andersonautogroup"),
        (
            "https://careers.hireology.com/andersonautogroup/2827500/description",
            "andersonautogroup",
        ),
        ("https://andersonautogroup.hireology.careers/jobs", "andersonautogroup"),
        (
            "https://api.hireology.com/v2/public/careers/andersonautogroup?page=2",
            "andersonautogroup",
        ),
        ("https://api.hireology.com/v1/careers/millsautogroup", "millsautogroup"),
        (
            "https://careers.hireology.com/thelodgenursing%26rehabcenter",
            "thelodgenursing%26rehabcenter",
        ),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, slug):
    assert hireology.board_url(careers_url) == f"https://careers.hireology.com/{slug}"
    assert hireology.api_url(careers_url) == f"https://api.hireology.com/v2/public/careers/{slug}"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://careers.hireology.com/",
        "https://www.hireology.com/careers",
        "https://www.hireology.careers/",
        "https://api.hireology.com/v2/public/careers",
        "https://hireology.example.com/acme",
    ],
)
def test_a_url_without_a_slug_names_no_board(careers_url):
    assert hireology.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"hireology: no careers slug in careers URL") as error:
        hireology.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
