"""UKG Pro Recruiting postings carry what the board search and each opportunity's page state:
every location, the workplace (JobLocationType), full- or part-time, the category, the board's
posting date, the whole text and the pay the posting shows.

The fixtures copy the real shapes of POST .../JobBoard/{board}/JobBoardView/LoadSearchResults and
of the opportunity pages' embedded `US.Opportunity.CandidateOpportunityDetail({...})` model
(field names, nesting, value spellings, the \\u003c-escaped HTML) documented in the adapter's
module docstring; their company and texts are made up. The tests run the adapter's own `parse`,
`opportunity` and `fetch` on them.
"""

import copy
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.fetch.sources.ats import ukg
from tasks.fetch.sources.common import collect_notes
from tasks.models import Company, EmploymentType, Location, RemotePolicy, Salary, Source

FIXTURES = Path(__file__).parent / "fixtures" / "ukg"
GUID = "2c6f5b8e-4a1d-4f3e-9b7a-0d5e8c9f1a23"
BOARD = f"https://recruiting2.ultipro.com/NOR1002NORTH/JobBoard/{GUID}"
COMPANY = Company(name="Northwind", careers_url=BOARD, ats=Source.ukg)
PAGES = {
    "33b666d6-4043-42e6-922f-717c17ea2fee": "opportunity-maintenance.html",
    "7d2e9c41-5b8a-4f0e-a1c3-96b4d7e2f850": "opportunity-planner.html",
    "c19385b5-7296-4f1d-88d8-3cbf7507693f": "opportunity-care.html",
    "e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a7b": "opportunity-sales.html",
    "f0e1d2c3-b4a5-4968-8776-655443322110": "opportunity-closed.html",
}


def _search() -> dict:
    return json.loads((FIXTURES / "search.json").read_text(encoding="utf-8"))


def _page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _merged() -> dict:
    """The search rows with each open opportunity's model merged in, as `fetch` merges them."""
    rows = []
    for row in _search()["opportunities"]:
        model = ukg.opportunity(_page(PAGES[row["Id"]]))
        if model is not None:
            rows.append({**row, **ukg._detail(model)})
    return {"opportunities": rows}


def _by_title(payload: dict) -> dict:
    return {p.title: p for p in ukg.parse(payload, COMPANY)}


def _one(changes: dict) -> dict:
    row = copy.deepcopy(_merged()["opportunities"][0])
    row.update(changes)
    return {"opportunities": [row]}


# --- parse ------------------------------------------------------------------------------------


def test_every_stated_field_is_mapped():
    jobs = _by_title(_merged())
    assert sorted(jobs) == [
        "Customer Care Representative",
        "Field Sales Representative",
        "Maintenance Technician II",
        "Senior Demand Planner",
    ]

    onsite = jobs["Maintenance Technician II"]
    opportunity = "33b666d6-4043-42e6-922f-717c17ea2fee"
    assert onsite.source is Source.ukg
    assert onsite.external_id == opportunity
    assert onsite.url == f"{BOARD}/OpportunityDetail?opportunityId={opportunity}"
    assert onsite.location == (
        "Vallejo, California, United States; Fairfield, California, United States"
    )
    assert onsite.locations == [
        Location(city="Vallejo", region="California", country="US"),
        Location(city="Fairfield", region="California", country="US"),
    ]
    assert onsite.remote is RemotePolicy.onsite  # JobLocationType 1
    assert onsite.employment_type is EmploymentType.full_time
    assert onsite.department == "Operations"
    # This board's ExternalPostedDate, not the page's PostedDate (the requisition's, 2026-08-20).
    assert onsite.posted_at == datetime(2026, 9, 4, 17, 5, 51, 214000, tzinfo=UTC)
    assert onsite.description == (
        "Position Summary\nKeep our production lines running safely and on schedule.\n"
        "Responsibilities\n- Troubleshoot PLC-controlled equipment\n"
        "- Perform preventive maintenance & log it in our CMMS\n\n"
        "Pay Transparency\nThe pay range for this position at hire is $31.50 - $44.00 per hour."
    )
    # PayRange shown, of an opportunity that is not Salaried: an hourly range.
    assert onsite.salary == Salary(min=31.5, max=44.0, currency="USD", period="hour")

    remote = jobs["Senior Demand Planner"]
    # "Remote - USA": an address with the country alone.
    assert remote.location == "United States"
    assert remote.locations == [Location(country="US")]
    assert remote.remote is RemotePolicy.remote  # JobLocationType 2
    assert remote.department == "Supply Chain"
    # The membership's JobBoardId in upper case is still this board's.
    assert remote.posted_at == datetime(2026, 8, 28, 14, 22, 3, 570000, tzinfo=UTC)
    assert remote.description == (
        "Own the demand plan for our cookware lines.\nWhat you bring\n"
        "- Five years of demand planning\n- SAP IBP"
    )
    # A Salaried opportunity's PayRange, its amounts as strings: a yearly range.
    assert remote.salary == Salary(min=115000, max=138000, currency="USD", period="year")

    hybrid = jobs["Customer Care Representative"]
    assert hybrid.location == "Toronto, Ontario, Canada"
    assert hybrid.locations == [Location(city="Toronto", region="Ontario", country="CA")]
    assert hybrid.remote is RemotePolicy.hybrid  # JobLocationType 0
    assert hybrid.employment_type is EmploymentType.part_time  # FullTime false
    assert hybrid.department is None  # "All": one tenant's placeholder
    # No board membership stated: the search's PostedDate.
    assert hybrid.posted_at == datetime(2026, 9, 11, 21, 50, 9, 576000, tzinfo=UTC)
    assert hybrid.description == (
        "Help our customers & retailers by phone and chat.\nEvenings and weekends."
    )
    assert hybrid.salary is None  # PayRange filled, but PayRangeVisible false: hidden

    sales = jobs["Field Sales Representative"]
    # No address at all: the location's name is the place, and says remote (no JobLocationType).
    assert sales.location == "Remote - UK"
    assert sales.locations == [Location(country="GB")]
    assert sales.remote is RemotePolicy.remote
    assert sales.employment_type is None  # FullTime null
    assert sales.department is None
    # The membership states no date: the search's PostedDate.
    assert sales.posted_at == datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
    assert sales.salary == Salary(min=42000, max=48000, currency="GBP", period="year")
    assert sales.description == "Sell our cookware to independent retailers across the UK."


def test_the_search_alone_has_the_teaser_and_no_pay():
    jobs = _by_title(_search())
    care = jobs["Customer Care Representative"]
    assert care.description == "Help our customers & retailers by phone and chat."
    assert care.url == f"{BOARD}/OpportunityDetail?opportunityId={care.external_id}"
    assert all(p.salary is None for p in jobs.values())
    assert jobs["Field Sales Representative"].description == ""  # BriefDescription null
    assert jobs["Maintenance Technician II"].posted_at == datetime(
        2026, 9, 4, 17, 5, 51, 214000, tzinfo=UTC
    )


def test_an_odd_job_is_skipped_without_sinking_the_board(caplog):
    payload = _search()
    payload["opportunities"] += ["odd", {"Title": "No id", "Locations": []}]
    with caplog.at_level(logging.WARNING):
        postings = ukg.parse(payload, COMPANY)
    # The blank title, the string and the row without an Id (so without a page) are skipped.
    assert [p.title for p in postings] == [
        "Maintenance Technician II",
        "Senior Demand Planner",
        "Customer Care Representative",
        "Field Sales Representative",
    ]
    assert "skipping" in caplog.text


@pytest.mark.parametrize(
    ("location_type", "expected"),
    [
        (0, RemotePolicy.hybrid),
        (1, RemotePolicy.onsite),
        (2, RemotePolicy.remote),
        (None, None),  # and the Vallejo location's name says nothing
        (7, None),
        (True, None),
    ],
)
def test_job_location_type_is_the_workplace(location_type, expected):
    (posting,) = ukg.parse(_one({"JobLocationType": location_type}), COMPANY)
    assert posting.remote == expected


def test_without_a_location_type_a_remote_location_name_says_remote():
    (posting,) = ukg.parse(_one({"JobLocationType": None}), COMPANY)
    assert posting.remote is None  # "Vallejo Plant", "Fairfield Distribution Center"
    planner = copy.deepcopy(_merged()["opportunities"][1])
    planner["JobLocationType"] = None  # "Remote - USA", with the country in its address
    (posting,) = ukg.parse({"opportunities": [planner]}, COMPANY)
    assert (posting.remote, posting.location) == (RemotePolicy.remote, "United States")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"Salaried": True}, Salary(min=31.5, max=44.0, currency="USD", period="year")),
        ({"Salaried": None}, Salary(min=31.5, max=44.0, currency="USD", period=None)),
        ({"PayRangeVisible": None}, None),
        ({"PayRange": {"PayRangeMinimum": 0, "PayRangeMaximum": 0}}, None),
        (
            {
                "PayRangeVisible": False,
                "CompensationHourlyMinimum": 20,
                "CompensationCurrencyCode": "usd",
            },
            Salary(min=20, currency="USD", period="hour"),
        ),
    ],
)
def test_pay_is_carried_only_as_shown_amounts(changes, expected):
    (posting,) = ukg.parse(_one(changes), COMPANY)
    assert posting.salary == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], r"ukg: expected a JSON object with a 'opportunities' list, got list"),
        ({"opportunities": None}, r"ukg: .*'opportunities' list, got dict with keys"),
        ({"Message": "An error has occurred."}, r"ukg: .*got dict with keys \['Message'\]"),
        ("<html>", r"ukg: expected .* 'opportunities' list, got str"),
    ],
)
def test_malformed_payload_is_a_clear_error(payload, message):
    with pytest.raises(ValueError, match=message):
        ukg.parse(payload, COMPANY)


def test_a_page_without_a_model_or_closed_is_no_opportunity():
    assert ukg.opportunity(_page("opportunity-gone.html")) is None
    assert ukg.opportunity(_page("opportunity-closed.html")) is None  # OpportunityIsClosed
    assert ukg.opportunity(None) is None
    model = ukg.opportunity(_page("opportunity-planner.html"))
    assert model["Description"].startswith("<p>Own the demand plan")  # \u003c decoded


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<script>new US.Opportunity.CandidateOpportunityDetail({broken);</script>", "not JSON"),
        ("<script>new US.Opportunity.CandidateOpportunityDetail([1, 2]);</script>", "got list"),
    ],
)
def test_a_malformed_model_is_a_clear_error(markup, message):
    with pytest.raises(ValueError, match=f"ukg: .*{message}"):
        ukg.opportunity(markup)


# --- fetch ------------------------------------------------------------------------------------


JOB_BOARD = f"/ukg/NOR1002NORTH/JobBoard/{GUID}"
SEARCH = f"{JOB_BOARD}/JobBoardView/LoadSearchResults"
HTML = "text/html; charset=utf-8"


def _detail_target(opportunity_id: str) -> str:
    return f"{JOB_BOARD}/OpportunityDetail?opportunityId={opportunity_id}"


def _searches(site) -> list[dict]:
    """The searches POSTed, in order."""
    return [
        json.loads(request.body)["opportunitySearch"]
        for request in site.requests
        if (request.method, request.target) == ("POST", SEARCH)
    ]


def test_fetch_reads_the_search_and_each_page_on_a_mirror(redis, fixture_site):
    api = ukg.api_url(BOARD, root=f"{fixture_site.base_url}/ukg")
    assert api == fixture_site.url(SEARCH)
    rows = _search()["opportunities"]
    gone = dict(rows[0], Id="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", Title="Closed since")
    fixture_site.answer(SEARCH, {"opportunities": [*rows, gone], "totalCount": 6, "locations": []})
    details = {_detail_target(oid): _page(name) for oid, name in PAGES.items()}
    details[_detail_target(gone["Id"])] = _page("opportunity-gone.html")
    for target, markup in details.items():
        fixture_site.answer(target, markup, content_type=HTML)

    postings = fixture_site.fetch(redis, ukg, COMPANY, SEARCH)

    [search] = _searches(fixture_site)
    assert (search["Top"], search["Skip"]) == (50, 0)
    assert (search["ProximitySearchType"], search["Filters"]) == (0, [])
    pages = [r for r in fixture_site.requests if r.target != SEARCH]
    assert sorted(r.target for r in pages) == sorted(details)
    assert {(r.method, r.headers["accept"]) for r in pages} == {("GET", ukg._HTML)}
    # The blank-titled row's page says closed, the last row's page is the shell: both left out.
    assert len(postings) == 4
    assert [p.external_id for p in postings] == [row["Id"] for row in rows if row["Title"]]
    assert postings[0].url == f"{BOARD}/OpportunityDetail?opportunityId={rows[0]['Id']}"
    assert postings[0].salary == Salary(min=31.5, max=44.0, currency="USD", period="hour")
    assert "Responsibilities" in postings[0].description


def test_fetch_pages_the_search_by_skip(redis, fixture_site):
    """A full first page of 50 out of 51 asks for the next with Skip 50, which holds the last."""
    rows = _search()["opportunities"]
    # 51 rows: the listed rows, and others like the second under ids of their own.
    filler = [dict(rows[1], Id=f"00000000-0000-4000-8000-{n:012d}") for n in range(46)]
    first, second = [*rows, *filler[:45]], filler[45:]
    for page in (first, second):  # one search address: its answers in turn
        fixture_site.answer(SEARCH, {"opportunities": page, "totalCount": 51, "locations": []})
    details = {_detail_target(oid): _page(name) for oid, name in PAGES.items()}
    details |= {_detail_target(row["Id"]): _page("opportunity-planner.html") for row in filler}
    for target, markup in details.items():
        fixture_site.answer(target, markup, content_type=HTML)

    with collect_notes() as notes:
        postings = fixture_site.fetch(redis, ukg, COMPANY, SEARCH)

    assert [search["Skip"] for search in _searches(fixture_site)] == [0, 50]
    assert sorted(t for t in fixture_site.asked if t != SEARCH) == sorted(details)
    assert len(postings) == 4 + 46  # the closed row and the shell page are left out
    assert len({p.external_id for p in postings}) == 50  # each row's own Id, not its page's
    assert postings[-1].external_id == filler[-1]["Id"]  # the second page's row
    assert notes.skipped == []


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("careers_url", "board"),
    [
        (BOARD, BOARD),
        (f"{BOARD}/", BOARD),
        (
            f"https://Recruiting2.UltiPro.com/NOR1002NORTH/jobboard/{GUID.upper()}/"
            "OpportunityDetail?opportunityId=c19385b5-7296-4f1d-88d8-3cbf7507693f",
            BOARD,
        ),
        (
            f"https://recruiting.ultipro.ca/NOR1002NORTH/JobBoard/{GUID}/?q=&o=postedDateDesc",
            f"https://recruiting.ultipro.ca/NOR1002NORTH/JobBoard/{GUID}",
        ),
        (
            f"https://northwind.rec.pro.ukg.net/NOR1002NORTH/JobBoard/{GUID}",
            f"https://northwind.rec.pro.ukg.net/NOR1002NORTH/JobBoard/{GUID}",
        ),
        (f"{BOARD}/JobBoardView/LoadSearchResults", BOARD),
    ],
)
def test_board_and_api_from_careers_and_job_urls(careers_url, board):
    assert ukg.board_url(careers_url) == board
    assert ukg.api_url(careers_url) == f"{board}/JobBoardView/LoadSearchResults"


@pytest.mark.parametrize(
    "careers_url",
    [
        "https://recruiting.ultipro.com/NOR1002NORTH",
        "https://recruiting.ultipro.com/NOR1002NORTH/JobBoard/not-a-guid",
        "https://n12.ultipro.com/Login.aspx",
        "https://www.ukg.com/careers",
        f"https://careers.northwind.example/NOR1002NORTH/JobBoard/{GUID}",
    ],
)
def test_a_url_without_a_board_names_no_board(careers_url):
    assert ukg.board_url(careers_url) is None
    with pytest.raises(ValueError, match=r"ukg: no tenant and job board in careers URL") as error:
        ukg.api_url(careers_url)
    assert repr(careers_url) in str(error.value)
