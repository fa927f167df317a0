"""The README's analyst examples, run as written against a generated week of history."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.models import Posting, Source
from tasks.store.export import export_outputs
from tasks.store.persist import open_database, save_postings

README = Path(__file__).resolve().parent.parent / "README.md"
NOW = datetime.now(UTC).replace(microsecond=0)
JOBS = {  # title, description
    "remote": ("Engineer", "Fully remote. Salary: $120,000 - $150,000 per year."),
    "office": ("Engineer", "On-site in our Austin office. Salary: $90,000 - $110,000 per year."),
    "berlin": ("Senior Engineer", "Hybrid in Berlin. Salary: \u20ac40 - \u20ac50 per hour."),
    "munich": ("Senior Engineer", "Hybrid in Munich. Salary: \u20ac80,000 - \u20ac95,000."),
}


def analyst_examples() -> list[str]:
    text = README.read_text()
    section = text.split("## Outputs, for analysts")[1].split("\n## ")[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def postings(company: str, jobs: dict[int, str]):
    items = [
        Posting(
            company_id=company.lower(),
            company=company,
            source=Source.greenhouse,
            title=f"{JOBS[kind][0]} {n}",
            url=f"https://boards.greenhouse.io/{company.lower()}/jobs/{n}",
            external_id=str(n),
            description=JOBS[kind][1],
        )
        for n, kind in jobs.items()
    ]
    return enrich_postings(items, RulesEnricher())[0]


@pytest.fixture
def history(tmp_path, monkeypatch):
    """Ten days ago Acme listed 1-3 and Globex 1-2; three days ago Acme swapped 2 for 4;
    yesterday Globex reposted 2 as 3, and Initech's two came. Each day exported as the daily
    run does, with a rates file to euros."""
    engine = open_database(f"sqlite:///{tmp_path / 'data' / 'openings.db'}")
    rates = tmp_path / "rates.yaml"
    rates.write_text("currency: EUR\nrates:\n  USD: 0.9\n")
    monkeypatch.setenv("OPENINGS_SALARY_RATES_FILE", str(rates))
    acme = {1: "remote", 3: "office", 4: "remote"}
    days = {
        10: {"Acme": {1: "remote", 2: "office", 3: "office"}, "Globex": {1: "remote", 2: "remote"}},
        3: {"Acme": acme, "Globex": {1: "remote", 2: "remote"}},
        1: {
            "Acme": acme,
            "Globex": {1: "remote", 3: "remote"},
            "Initech": {1: "berlin", 2: "munich"},
        },
    }
    for ago, companies in days.items():
        seen_at = NOW - timedelta(days=ago)
        for company, jobs in companies.items():
            save_postings(
                engine, company.lower(), postings(company, jobs), seen_at, run_id=f"run-{ago}"
            )
        export_outputs(engine, tmp_path / "data", seen_at.date())
    monkeypatch.chdir(tmp_path)


def test_the_readme_has_every_example():
    assert len(analyst_examples()) == 7


def test_the_analyst_examples_give_the_right_answers(history):
    results: dict = {}
    for example in analyst_examples():
        exec(compile(example, str(README), "exec"), results)

    open_per_day = results["open_per_day"]
    assert open_per_day.select("company", "open_postings").rows() == [
        ("Acme", 3),
        ("Globex", 2),
        ("Acme", 3),
        ("Globex", 2),
        ("Acme", 3),
        ("Globex", 2),
        ("Initech", 2),
    ]
    assert open_per_day["scrape_date"].n_unique() == 3

    assert results["by_company"] == [
        ("Acme", 3, 0.67, 150_000.0),
        ("Globex", 2, 1.0, 150_000.0),
        ("Initech", 2, 0.0, (50 * 2080 + 95_000) / 2),  # hourly pay, scaled to a year
    ]

    assert results["this_week"].rows() == [
        ("Acme", "opened", 1),
        ("Acme", "closed", 1),
        ("Globex", "closed", 1),
        ("Globex", "reposted", 1),
        ("Initech", "opened", 2),
    ]

    velocity = (
        results["velocity"]
        .group_by("company")
        .agg(pl.col("opened", "closed").sum(), pl.col("open").last())
    )
    assert velocity.sort("company").rows() == [
        ("Acme", 4, 1, 3),
        ("Globex", 3, 1, 2),
        ("Initech", 2, 0, 2),
    ]
    assert results["velocity"]["week"].dt.weekday().unique().to_list() == [1]  # Mondays

    # Acme's 4 is the remote role 1 has been open in for ten days; Globex's 3 reposts 2.
    assert results["longest_open"].rows() == [
        ("Acme", results["longest_open"]["role_fingerprint"][0], "Engineer 1", 10, 0, 2),
        ("Acme", results["longest_open"]["role_fingerprint"][1], "Engineer 3", 10, 0, 1),
        ("Globex", results["longest_open"]["role_fingerprint"][2], "Engineer 1", 10, 1, 2),
        ("Initech", results["longest_open"]["role_fingerprint"][3], "Senior Engineer 1", 1, 0, 1),
        ("Initech", results["longest_open"]["role_fingerprint"][4], "Senior Engineer 2", 1, 0, 1),
    ]

    reposts = results["reposts"]
    assert reposts.select("company", "title", "times_reposted").rows() == [
        ("Globex", "Engineer 3", 1)
    ]
    replaced = pl.read_parquet("data/postings_closed.parquet").filter(
        pl.col("posting_id") == reposts["repost_of"][0]
    )
    assert replaced["title"].to_list() == ["Engineer 2"]

    # In euros: the dollar postings at 0.9, Initech's hourly pay at 2,080 hours a year.
    assert results["salary_by_seniority"] == [
        (None, "EUR", 5, 108_000.0, 135_000.0),
        ("senior", "EUR", 2, (40 * 2080 + 80_000) / 2, (50 * 2080 + 95_000) / 2),
    ]
