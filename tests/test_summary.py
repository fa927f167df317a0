"""The run's markdown summary: the numbers an operator reads after a run."""

from datetime import UTC, datetime

import polars as pl

from flows.summary import run_summary
from tasks.store.export import POSTINGS_SCHEMA
from tasks.store.persist import CompanyResult

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
    return frame.select(
        pl.lit(None, dtype).alias(name) if name not in columns else pl.col(name)
        for name, dtype in POSTINGS_SCHEMA.items()
    )


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
        ("senior", 50.0, 60.0, "USD", "hour"),  # not yearly: left out
        (None, None, None, None, None),
    )

    text = run_summary("r1", results, postings)

    assert "**3 companies**: 1 succeeded, 1 partial, 1 failed. **5 open postings**" in text
    assert "this run: 4 found, 3 new, 1 updated, 1 closed, 2 rejected." in text
    assert "| Acme | succeeded | 3 | 2 | 1 | 1 | 0 |" in text
    assert "| junior | EUR | 1 | 40,000 | 50,000 | 50,000 |" in text
    assert "| senior | USD | 2 | 100,000 | 150,000 | 160,000 |" in text
    problems = text.split("## Failures and rejections")[1]
    assert "| Initech | failed | http | http: HTTP 404 |" in problems
    assert "| Globex | partial |  | 2 pages skipped |" in problems
    assert "| Globex | rejected | data | 2 postings: 2 x missing title |" in problems
    assert (
        "| Acme | fields dropped | data | 1 kept without a bad field (see dropped_fields) |"
        in problems
    )
