"""The run's markdown summary: the numbers an operator reads after a run."""

from datetime import UTC, datetime

import polars as pl

from flows.summary import run_summary
from tasks.settings import Settings
from tasks.store.export import POSTINGS_SCHEMA
from tasks.store.persist import CompanyResult
from tasks.store.salaries import YEARLY_COLUMNS, with_yearly_salaries

NOW = datetime(2026, 11, 2, 6, tzinfo=UTC)


def result(company: str, status: str, **fields) -> CompanyResult:
    return CompanyResult(
        run_id="r1",
        company_id=company.lower(),
        company=company,
        status=status,
        finished_at=NOW,
        **fields,
    )


def latest(*rows: tuple) -> pl.DataFrame:
    columns = ("seniority", "salary_min", "salary_max", "salary_currency", "salary_period")
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    frame = pl.DataFrame(data, schema={name: POSTINGS_SCHEMA[name] for name in columns})
    stored = frame.select(
        pl.lit(None, dtype).alias(name) if name not in columns else pl.col(name)
        for name, dtype in POSTINGS_SCHEMA.items()
        if name not in YEARLY_COLUMNS
    )
    return with_yearly_salaries(stored, Settings()).select(POSTINGS_SCHEMA.names())


def test_the_summary_shows_totals_salaries_by_seniority_and_problems():
    results = [
        result("Acme", "succeeded", found=3, new=2, updated=1, closed=1, fields_dropped=1),
        result(
            "Globex",
            "partial",
            found=1,
            new=1,
            error="2 pages skipped",
            rejected=2,
            rejected_reasons="2 x missing title",
        ),
        result("Initech", "failed", error="http: HTTP 404", error_category="http"),
    ]
    postings = latest(
        ("senior", 100_000.0, 140_000.0, "USD", "year"),
        ("senior", 120_000.0, 160_000.0, "USD", "year"),
        ("junior", 40_000.0, 50_000.0, "EUR", "year"),
        ("senior", 50.0, 60.0, "USD", "hour"),  # 104,000 - 124,800 a year
        ("senior", 9_000.0, None, "USD", None),  # no period: no yearly figure
        (None, None, None, None, None),
    )

    text = run_summary("r1", results, postings)

    assert "**3 companies**: 1 succeeded, 1 partial, 1 failed. **6 open postings**" in text
    assert "this run: 4 found, 3 new, 1 updated, 1 closed, 2 rejected." in text
    assert "| Acme | succeeded | 3 | 2 | 1 | 1 | 0 |" in text
    salaries = text.split("## Yearly salaries by seniority (open postings)")[1]
    assert "hourly x 2,080, daily x 260, weekly x 52, monthly x 12" in salaries
    assert "| seniority | currency | postings | lowest minimum | median midpoint |" in salaries
    assert "| junior | EUR | 1 | 40,000 | 45,000 | 50,000 |" in salaries
    # Midpoints 120,000, 140,000 and 114,400 (the hourly range, yearly).
    assert "| senior | USD | 3 | 100,000 | 120,000 | 160,000 |" in salaries
    assert "Converted with the rates file" not in salaries
    problems = text.split("## Failures and rejections")[1]
    assert "| Initech | failed | http | http: HTTP 404 |" in problems
    assert "| Globex | partial |  | 2 pages skipped |" in problems
    assert "| Globex | rejected | data | 2 postings: 2 x missing title |" in problems
    assert (
        "| Acme | fields dropped | data | 1 kept without a bad field (see dropped_fields) |"
        in problems
    )


def test_salaries_a_rates_file_converts_are_summarised_in_its_currency(tmp_path, monkeypatch):
    rates = tmp_path / "rates.yaml"
    rates.write_text("currency: EUR\nrates:\n  USD: 0.5\n")
    monkeypatch.setenv("OPENINGS_SALARY_RATES_FILE", str(rates))
    postings = latest(
        ("senior", 100_000.0, 140_000.0, "USD", "year"),
        ("senior", 60_000.0, 80_000.0, "EUR", "year"),
        ("senior", 9_000.0, 10_000.0, "JPY", "month"),  # not in the file: not converted
    )

    text = run_summary("r1", [result("Acme", "succeeded", found=3)], postings)

    converted = text.split("Converted with the rates file:")[1].split("## Failures")[0]
    assert "| senior | EUR | 2 | 50,000 | 65,000 | 80,000 |" in converted
    assert "JPY" not in converted
