"""The run's markdown summary, published as a Prefect artifact: what changed, what pays, what
failed. Built from the run's results and the open postings file analysts read."""

import polars as pl

from tasks.models import CompanyStatus, tally
from tasks.settings import from_environment
from tasks.store.persist import CompanyResult
from tasks.store.salaries import periods_per_year

CHANGES = ("found", "new", "updated", "closed", "rejected")
# The periods a salary is scaled from, as the summary names them.
_SCALED = {"hour": "hourly", "day": "daily", "week": "weekly", "month": "monthly"}


def run_summary(run_id: str, results: list[CompanyResult], latest: pl.DataFrame) -> str:
    totals = {name: sum(getattr(r, name) for r in results) for name in CHANGES}
    lines = [
        f"# Run {run_id}",
        "",
        f"**{len(results)} companies**: {tally(r.status for r in results)}"
        + f". **{latest.height} open postings**; this run: "
        + ", ".join(f"{n} {name}" for name, n in totals.items())
        + ".",
        "",
        "## By company",
        "",
        _table(
            ["company", "status", *CHANGES],
            [[r.company, r.status.value, *(getattr(r, n) for n in CHANGES)] for r in results],
        ),
        "",
        "## Yearly salaries by seniority (open postings)",
        "",
        _salaries(latest),
        "",
        "## Failures and rejections",
        "",
        _problems(results),
    ]
    return "\n".join(lines) + "\n"


def _salaries(latest: pl.DataFrame) -> str:
    """Stated salaries scaled to a year, by seniority: in each posting's currency and, where a
    rates file converts them, in one currency."""
    per_year = periods_per_year(from_environment())
    scale = ", ".join(f"{label} x {per_year[period]:,g}" for period, label in _SCALED.items())
    text = [
        f"Each posting's stated range scaled to a year ({scale}): the lowest minimum, the "
        "median of the ranges' midpoints (a bound alone where only one is stated) and the "
        "highest maximum.",
        "",
        _ranges(latest, "salary_currency", "salary_yearly_min", "salary_yearly_max"),
    ]
    converted = latest.filter(pl.col("salary_converted_currency").is_not_null())
    if not converted.is_empty():
        text += [
            "",
            "Converted with the rates file:",
            "",
            _ranges(
                converted,
                "salary_converted_currency",
                "salary_yearly_min_converted",
                "salary_yearly_max_converted",
            ),
        ]
    return "\n".join(text)


def _ranges(latest: pl.DataFrame, currency: str, low: str, high: str) -> str:
    ranges = (
        latest.filter(pl.col(currency).is_not_null())
        .filter(pl.col(low).is_not_null() | pl.col(high).is_not_null())
        .group_by("seniority", currency)
        .agg(
            pl.len().alias("postings"),
            pl.col(low).min().alias("lowest"),
            pl.mean_horizontal(low, high).median().alias("median"),
            pl.col(high).max().alias("highest"),
        )
        .sort("seniority", currency, nulls_last=True)
    )
    if ranges.is_empty():
        return "No open posting states a salary with its currency and period."
    rows = [
        [
            row["seniority"] or "not stated",
            row[currency],
            row["postings"],
            *(_money(row[k]) for k in ("lowest", "median", "highest")),
        ]
        for row in ranges.iter_rows(named=True)
    ]
    header = ["seniority", "currency", "postings", "lowest minimum", "median midpoint"]
    return _table([*header, "highest maximum"], rows)


def _money(amount: float | None) -> str:
    return "" if amount is None else f"{amount:,.0f}"


def _problems(results: list[CompanyResult]) -> str:
    rows = [
        [r.company, r.status.value, r.error_category or "", r.error or ""]
        for r in results
        if r.status != CompanyStatus.succeeded
    ]
    rows += [
        [r.company, "rejected", "data", f"{r.rejected} postings: {r.rejected_reasons}"]
        for r in results
        if r.rejected
    ]
    rows += [
        [
            r.company,
            "fields dropped",
            "data",
            f"{r.fields_dropped} kept without a bad field (see dropped_fields)",
        ]
        for r in results
        if r.fields_dropped
    ]
    if not rows:
        return "None."
    return _table(["company", "status", "kind", "reason"], rows)


def _table(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
