"""The README's analyst examples, run as written against a generated week of history."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.models import Posting, Source
from tasks.store.export import export_outputs
from tasks.store.persist import open_database, save_postings

README = Path(__file__).resolve().parent.parent / "README.md"
NOW = datetime.now(UTC).replace(microsecond=0)
DESCRIPTIONS = {
    "remote": "Fully remote. Salary: $120,000 - $150,000 per year.",
    "office": "On-site in our Austin office. Salary: $90,000 - $110,000 per year.",
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
            title=f"Engineer {n}",
            url=f"https://boards.greenhouse.io/{company.lower()}/jobs/{n}",
            external_id=str(n),
            description=DESCRIPTIONS[kind],
        )
        for n, kind in jobs.items()
    ]
    return enrich_postings(items, RulesEnricher())[0]


@pytest.fixture
def history(tmp_path, monkeypatch):
    """Ten days ago Acme listed 1-3 and Globex 1-2; three days ago Acme swapped 2 for 4;
    yesterday Globex dropped 2. Each day exported as the daily run does."""
    engine = open_database(f"sqlite:///{tmp_path / 'data' / 'openings.db'}")
    days = {
        10: {"Acme": {1: "remote", 2: "office", 3: "office"}, "Globex": {1: "remote", 2: "remote"}},
        3: {"Acme": {1: "remote", 3: "office", 4: "remote"}, "Globex": {1: "remote", 2: "remote"}},
        1: {"Acme": {1: "remote", 3: "office", 4: "remote"}, "Globex": {1: "remote"}},
    }
    for ago, companies in days.items():
        seen_at = NOW - timedelta(days=ago)
        for company, jobs in companies.items():
            save_postings(
                engine, company.lower(), postings(company, jobs), seen_at, run_id=f"run-{ago}"
            )
        export_outputs(engine, tmp_path / "data", seen_at.date())
    monkeypatch.chdir(tmp_path)


def test_the_readme_has_the_three_examples():
    assert len(analyst_examples()) == 3


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
        ("Globex", 1),
    ]
    assert open_per_day["scrape_date"].n_unique() == 3

    assert results["by_company"] == [
        ("Acme", 3, 0.67, 150_000.0),
        ("Globex", 1, 1.0, 150_000.0),
    ]

    assert results["this_week"].rows() == [("Acme", 1, 1), ("Globex", 0, 1)]
