"""Changes as data: every change a run made to a posting (posting_events.parquet), and each
company's hiring week by week (company_stats.parquet), both from the database's posting_events.

An event is `opened`, `reopened`, `updated`, `closed` or `reposted` (the opening of a posting
that reposts its role, tasks/store/signals.py). A week starts on Monday (UTC); a company's
weeks run from its first event to the export's week, in rows per department and seniority (the
posting's current ones), so that any grouping is a sum away: `open` postings at the week's end,
postings `opened` (opened, reopened or reposted) and `closed` in it, and the `median_days_open`
of those closed (days from their opening to that close).
"""

from datetime import datetime, timedelta

import polars as pl

from tasks.models import Seniority
from tasks.store.persist import EventKind
from tasks.store.signals import OPENED, UTC_TIME

EVENT = pl.Enum([*(kind.value for kind in EventKind), "reposted"])

# What the database holds of an event.
EVENT_ROWS = pl.Schema(
    {
        "event_id": pl.Int64,
        "run_id": pl.String,
        "company_id": pl.String,
        "posting_id": pl.String,
        "event": pl.String,
        "at": UTC_TIME,
    }
)

POSTING_EVENTS_SCHEMA = pl.Schema(
    {
        "at": UTC_TIME,
        "event": EVENT,
        "run_id": pl.String,
        "company_id": pl.String,
        "company": pl.String,
        "posting_id": pl.String,
        "title": pl.String,
    }
)

COMPANY_STATS_SCHEMA = pl.Schema(
    {
        "company_id": pl.String,
        "company": pl.String,
        "week": pl.Date,
        "department": pl.String,
        "seniority": pl.Enum([member.value for member in Seniority]),
        "open": pl.Int64,
        "opened": pl.Int64,
        "closed": pl.Int64,
        "median_days_open": pl.Float64,
    }
)

_OPENING = ("opened", "reopened", "reposted")


def posting_events(events: pl.DataFrame, postings: pl.DataFrame) -> pl.DataFrame:
    """The events, oldest first, each with its posting's company and title; a repost's opening
    is `reposted`. `postings`: every posting, with repost_of."""
    named = events.join(
        postings.select("posting_id", "company", "title", "repost_of"), on="posting_id", how="left"
    )
    reposted = (pl.col("event") == "opened") & pl.col("repost_of").is_not_null()
    return (
        named.sort("at", "event_id")
        .with_columns(event=pl.when(reposted).then(pl.lit("reposted")).otherwise("event"))
        .select(pl.col(name).cast(dtype) for name, dtype in POSTING_EVENTS_SCHEMA.items())
    )


def company_stats(events: pl.DataFrame, postings: pl.DataFrame, now: datetime) -> pl.DataFrame:
    """Per company, week, department and seniority: open, opened, closed, median days open.
    `events`: posting_events' rows; `postings`: every posting, with days_open."""
    group = ["company_id", "company", "department", "seniority"]
    dated = events.join(
        postings.select("posting_id", *group, OPENED.alias("opened_at")), on="posting_id"
    ).with_columns(week=pl.col("at").dt.date().dt.truncate("1w"))
    closing = pl.col("event") == "closed"
    weekly = dated.group_by(*group, "week").agg(
        opened=pl.col("event").is_in(_OPENING).sum().cast(pl.Int64),
        closed=closing.sum().cast(pl.Int64),
        median_days_open=(pl.col("at") - pl.col("opened_at"))
        .dt.total_days()
        .filter(closing)
        .median(),
    )
    this_week = now.date() - timedelta(days=now.weekday())
    weeks = (
        weekly.group_by(group)
        .agg(week=pl.date_ranges(pl.col("week").min(), this_week, "1w"))
        .explode("week")
    )
    return (
        weeks.join(weekly, on=[*group, "week"], how="left", nulls_equal=True)
        .with_columns(pl.col("opened", "closed").fill_null(0))
        .sort(*group, "week", nulls_last=True)
        .with_columns(open=(pl.col("opened") - pl.col("closed")).cum_sum().over(group))
        .filter((pl.col("open") > 0) | (pl.col("opened") > 0) | (pl.col("closed") > 0))
        .select(pl.col(name).cast(dtype) for name, dtype in COMPANY_STATS_SCHEMA.items())
        .sort("company_id", "week", "department", "seniority", nulls_last=True)
    )
