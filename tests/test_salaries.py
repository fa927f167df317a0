"""Salaries on one scale: every stated period as a year, in its currency and by a rates file."""

import polars as pl
import pytest

from tasks.settings import Settings
from tasks.store.salaries import read_rates, with_yearly_salaries

STATED = pl.DataFrame(
    {
        "salary_min": [50.0, 400.0, 2_000.0, 5_000.0, 90_000.0, None, 30.0, 100.0],
        "salary_max": [60.0, None, 2_500.0, 6_000.0, 120_000.0, 80_000.0, None, 200.0],
        "salary_currency": ["USD", "EUR", "gbp", "EUR", "USD", "USD", "USD", "JPY"],
        "salary_period": ["hour", "day", "week", "month", "year", "year", None, "day"],
    }
)


def yearly(settings: Settings) -> list[tuple]:
    frame = with_yearly_salaries(STATED, settings)
    columns = [
        "salary_yearly_min",
        "salary_yearly_max",
        "salary_converted_currency",
        "salary_yearly_min_converted",
        "salary_yearly_max_converted",
    ]
    return frame.select(columns).rows()


def test_every_period_is_scaled_to_a_year_in_its_own_currency():
    rows = yearly(Settings())
    assert [row[:2] for row in rows] == [
        (104_000.0, 124_800.0),  # hourly x 2,080
        (104_000.0, None),  # daily x 260; "from 400 a day" stays open-ended
        (104_000.0, 130_000.0),  # weekly x 52
        (60_000.0, 72_000.0),  # monthly x 12
        (90_000.0, 120_000.0),
        (None, 80_000.0),  # "up to"
        (None, None),  # no period: no year to scale to
        (26_000.0, 52_000.0),
    ]
    assert all(row[2:] == (None, None, None) for row in rows)  # no rates file: nothing converted


def test_the_periods_in_a_year_are_settings(monkeypatch):
    monkeypatch.setenv("OPENINGS_SALARY_HOURS_PER_YEAR", "1720")  # a 40-hour week, 43 weeks
    monkeypatch.setenv("OPENINGS_SALARY_DAYS_PER_YEAR", "220")
    rows = yearly(Settings())
    assert rows[0][:2] == (86_000.0, 103_200.0)
    assert rows[1][:2] == (88_000.0, None)


def test_a_rates_file_converts_each_yearly_salary_into_its_currency(tmp_path):
    rates = tmp_path / "rates.yaml"
    rates.write_text("currency: eur\nrates:\n  USD: 0.5\n  GBP: 1.25\n")
    rows = yearly(Settings(salary_rates_file=rates))
    assert [row[2:] for row in rows] == [
        ("EUR", 52_000.0, 62_400.0),
        ("EUR", 104_000.0, None),  # already in euros
        ("EUR", 130_000.0, 162_500.0),  # the currency's case does not matter
        ("EUR", 60_000.0, 72_000.0),
        ("EUR", 45_000.0, 60_000.0),
        ("EUR", None, 40_000.0),
        (None, None, None),  # no period: nothing to convert
        (None, None, None),  # JPY: not in the file, never guessed
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("rates: {USD: 0.9}\n", "currency: None is not an ISO 4217 currency code"),
        ("currency: EUR\n", "expected `currency: XYZ` and a `rates:` mapping"),
        ("currency: EUR\nrates: {USD: -1}\n", "rates: USD: -1 is not a positive number"),
        ("currency: EUR\nrates: {USD: 'a lot'}\n", "rates: USD: 'a lot' is not a positive"),
        ("currency: EUR\nrates: {dollars: 0.9}\n", "rates: 'dollars': 'dollars' is not an ISO"),
        ("currency: EUR\nrates: [USD\n", "while parsing a flow"),
    ],
)
def test_a_bad_rates_file_is_a_clear_error_naming_the_file(tmp_path, content, problem):
    rates = tmp_path / "rates.yaml"
    rates.write_text(content)
    with pytest.raises(ValueError) as error:
        read_rates(rates)
    assert str(error.value).startswith(f"salary rates file {str(rates)!r}: ")
    assert problem in str(error.value)


def test_a_missing_rates_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"salary rates file '.*nowhere.yaml': .*No such file"):
        read_rates(tmp_path / "nowhere.yaml")
