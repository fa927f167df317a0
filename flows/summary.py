"""The run's markdown summary, published as a Prefect artifact: what changed, what pays, what
failed. Built from the run's results and the open postings file analysts read."""

import polars as pl

from tasks.models import CompanyStatus, tally
from tasks.store.persist import CompanyResult

CHANGES = ("found", "new", "updated", "closed", "rejected")


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
        "## Yearly salary ranges by seniority (open postings)",
        "",
        _salaries(latest),
        "",
        "## Failures and rejections",
        "",
        _problems(results),
    ]
    return "\n".join(lines) + "\n"


def _salaries(latest: pl.DataFrame) -> str:
    ranges = (
        latest.filter(pl.col("salary_period") == "year", pl.col("salary_currency").is_not_null())
        .with_columns(pay=pl.coalesce("salary_max", "salary_min"), floor=pl.col("salary_min"))
        .group_by("seniority", "salary_currency")
        .agg(
            pl.len().alias("postings"),
            pl.col("floor").min().alias("lowest"),
            pl.col("pay").median().alias("median"),
            pl.col("pay").max().alias("highest"),
        )
        .sort("seniority", "salary_currency", nulls_last=True)
    )
    if ranges.is_empty():
        return "No open posting states a yearly salary."
    rows = [
        [
            row["seniority"] or "not stated",
            row["salary_currency"],
            row["postings"],
            *(_money(row[k]) for k in ("lowest", "median", "highest")),
        ]
        for row in ranges.iter_rows(named=True)
    ]
    return _table(["seniority", "currency", "postings", "lowest", "median", "highest"], rows)


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
