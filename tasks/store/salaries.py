"""Salaries on one scale, for analysts to compare: a year's pay in the stated currency, and, given
a rates file, in one currency.

A third of stated salaries are hourly or monthly. Each is scaled to a year by the periods a year
holds (OPENINGS_SALARY_HOURS_PER_YEAR 2,080, _DAYS_PER_YEAR 260, _WEEKS_PER_YEAR 52, 12 months):
full-time hours, working days and weeks, not what a part-time job pays in a year.

A rates file (OPENINGS_SALARY_RATES_FILE, YAML, read locally: nothing is fetched) names one
currency and what one unit of each other currency is worth in it:

    currency: EUR
    rates:
      USD: 0.92     # 1 USD = 0.92 EUR
      GBP: 1.17

A salary in a currency the file does not list is not converted (null), never guessed.
"""

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml

from tasks.models import SalaryPeriod
from tasks.settings import Settings

# The columns derived here, in the order the postings files hold them.
YEARLY_COLUMNS = {
    "salary_yearly_min": pl.Float64,
    "salary_yearly_max": pl.Float64,
    "salary_converted_currency": pl.String,
    "salary_yearly_min_converted": pl.Float64,
    "salary_yearly_max_converted": pl.Float64,
}


class RatesFileError(ValueError):
    """The salary rates file cannot be used: what is wrong, and where."""


@dataclass(frozen=True)
class Rates:
    currency: str  # what salaries are converted to
    rates: dict[str, float]  # units of `currency` one unit of each currency is worth


def periods_per_year(settings: Settings) -> dict[str, float]:
    return {
        SalaryPeriod.hour: settings.salary_hours_per_year,
        SalaryPeriod.day: settings.salary_days_per_year,
        SalaryPeriod.week: settings.salary_weeks_per_year,
        SalaryPeriod.month: 12,
        SalaryPeriod.year: 1,
    }


def read_rates(path: Path) -> Rates:
    """The rates file at `path`; RatesFileError saying what is wrong, and where, otherwise."""
    where = f"salary rates file {str(path)!r}"
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise RatesFileError(f"{where}: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("rates"), dict):
        raise RatesFileError(f"{where}: expected `currency: XYZ` and a `rates:` mapping")
    currency = _code(document.get("currency"), where, "currency")
    rates = {currency: 1.0}
    for name, rate in document["rates"].items():
        code = _code(name, where, f"rates: {name!r}")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
            raise RatesFileError(f"{where}: rates: {code}: {rate!r} is not a positive number")
        rates[code] = float(rate)
    return Rates(currency, rates)


def _code(value: object, where: str, what: str) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise RatesFileError(f"{where}: {what}: {value!r} is not an ISO 4217 currency code")
    return code


def with_yearly_salaries(frame: pl.LazyFrame | pl.DataFrame, settings: Settings):
    """`frame` (salary_min, salary_max, salary_currency, salary_period) with YEARLY_COLUMNS."""
    per_year = periods_per_year(settings)
    factor = (
        pl.col("salary_period")
        .cast(pl.String)
        .replace_strict(
            {str(period): n for period, n in per_year.items()},
            default=None,
            return_dtype=pl.Float64,
        )
    )
    yearly = frame.with_columns(
        salary_yearly_min=pl.col("salary_min") * factor,
        salary_yearly_max=pl.col("salary_max") * factor,
    )
    rates = read_rates(settings.salary_rates_file) if settings.salary_rates_file else None
    if rates is None:
        return yearly.with_columns(
            pl.lit(None, pl.String).alias("salary_converted_currency"),
            pl.lit(None, pl.Float64).alias("salary_yearly_min_converted"),
            pl.lit(None, pl.Float64).alias("salary_yearly_max_converted"),
        )
    rate = (
        pl.col("salary_currency")
        .str.to_uppercase()
        .replace_strict(rates.rates, default=None, return_dtype=pl.Float64)
    )
    converted = pl.when(rate.is_not_null() & pl.col("salary_period").is_not_null())
    return yearly.with_columns(
        converted.then(pl.lit(rates.currency)).otherwise(None).alias("salary_converted_currency"),
        (pl.col("salary_yearly_min") * rate).alias("salary_yearly_min_converted"),
        (pl.col("salary_yearly_max") * rate).alias("salary_yearly_max_converted"),
    )
