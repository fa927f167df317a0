"""What the postings files say about each posting beyond what its source stated: whether the
company's newest run still saw it, whether it is a repost of an earlier posting of the same role,
and evidence that it may be a ghost posting (never a verdict).

A **repost** is a posting whose role (tasks/store/roles.py) an earlier posting of the company
had, and that earlier posting had closed by the time this one was first seen: the role was taken
down and put up again under a new id. Two postings of one role open side by side (one per city)
are not reposts of each other.

**Ghost-posting signals**, each a boolean column and a name in `ghost_signals` (thresholds are
settings, OPENINGS_GHOST_*):
  open_long         open at least OPEN_DAYS and OPEN_FACTOR times the median days open of the
                    company's postings in its department
  reposted          its role reposted at least REPOSTS times
  published_early   published at least PUBLISHED_DAYS before we first saw it, though we had
                    already read the company's board before (on the first read of a board every
                    posting is new to us, whatever its age)
  unchanged_reposts its role reposted at least REPOSTS times, every copy word for word the same
"""

import polars as pl

from tasks.settings import Settings

UTC_TIME = pl.Datetime("us", "UTC")

# A posting opened at the earlier of its published date and its first sighting.
OPENED = pl.min_horizontal("posted_at", "first_seen_at")


def days_open(since: pl.Expr, open_until: pl.Expr) -> pl.Expr:
    """Whole days from `since` to the posting's close, or, while it is open, to `open_until`."""
    return (pl.coalesce("closed_at", open_until) - since).dt.total_days().clip(lower_bound=0)


# The columns worked out here, in the order the postings files hold them.
HISTORY_COLUMNS = {
    "is_stale": pl.Boolean,
    "role_fingerprint": pl.String,
    "repost_of": pl.String,
    "times_reposted": pl.Int64,
    "role_first_seen_at": UTC_TIME,
    "role_days_open": pl.Int64,
}
GHOST_SIGNALS = ("open_long", "reposted", "published_early", "unchanged_reposts")
GHOST_COLUMNS = {
    **{f"ghost_{name}": pl.Boolean for name in GHOST_SIGNALS},
    "ghost_signals": pl.List(pl.String),
}


def with_signals(
    postings: pl.DataFrame, last_runs: pl.DataFrame, settings: Settings, open_until: pl.Expr
) -> pl.DataFrame:
    """`postings` (every posting of the database, open and closed, with `days_open` counted to
    `open_until` while open) with the history and ghost columns. `last_runs`: company_id and the
    last_run_id of its newest run."""
    return _ghost_signals(_reposts(_staleness(postings, last_runs), open_until), settings)


def _staleness(postings: pl.DataFrame, last_runs: pl.DataFrame) -> pl.DataFrame:
    """Stale: open, and not seen by its company's newest run (which failed, was partial or was
    cancelled before reaching it: only a complete read closes what it does not list). Null where
    no run of the company is recorded."""
    missed = pl.col("last_seen_run_id").ne_missing(pl.col("last_run_id"))
    stale = pl.when(pl.col("last_run_id").is_null()).then(None).otherwise(missed)
    return (
        postings.join(last_runs, on="company_id", how="left")
        .with_columns(is_stale=pl.col("closed_at").is_null() & stale)
        .drop("last_run_id")
    )


def _reposts(postings: pl.DataFrame, open_until: pl.Expr) -> pl.DataFrame:
    """repost_of (the posting of the role that closed last before this one was first seen),
    times_reposted and the role's first sighting, per role."""
    role = ["company_id", "role_fingerprint"]
    # The posting of the role closed last at or before this one's first sighting: as of join,
    # not a self-join, as one role may have thousands of postings. Each posting closes after
    # its first sighting, so what it finds was first seen earlier, and is never itself.
    closed = (
        postings.filter(pl.col("closed_at").is_not_null())
        .select(*role, pl.col("posting_id").alias("repost_of"), "closed_at")
        .sort("closed_at", "repost_of")
    )
    replaced = (
        postings.select(*role, "posting_id", "first_seen_at")
        .sort("first_seen_at")
        .join_asof(
            closed, left_on="first_seen_at", right_on="closed_at", by=role, check_sortedness=False
        )
        .select("posting_id", "repost_of")
    )
    return (
        postings.join(replaced, on="posting_id", how="left")
        .with_columns(
            times_reposted=pl.col("repost_of").count().over(role).cast(pl.Int64),
            role_first_seen_at=OPENED.min().over(role),
        )
        .with_columns(role_days_open=days_open(pl.col("role_first_seen_at"), open_until))
    )


def _ghost_signals(postings: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    role = ["company_id", "role_fingerprint"]
    peers = pl.col("days_open").median().over("company_id", "department")
    reposted = pl.col("times_reposted") >= settings.ghost_reposts
    published_before_seen = (pl.col("first_seen_at") - pl.col("posted_at")).dt.total_days()
    signals = {
        "open_long": (pl.col("days_open") >= settings.ghost_open_days)
        & (pl.col("days_open") >= settings.ghost_open_factor * peers),
        "reposted": reposted,
        "published_early": (published_before_seen >= settings.ghost_published_days)
        & (pl.col("first_seen_at") > pl.col("first_seen_at").min().over("company_id")),
        "unchanged_reposts": reposted & (pl.col("description").n_unique().over(role) == 1),
    }
    flags = postings.with_columns(
        expression.fill_null(False).alias(f"ghost_{name}") for name, expression in signals.items()
    )
    named = [pl.when(pl.col(f"ghost_{name}")).then(pl.lit(name)) for name in GHOST_SIGNALS]
    return flags.with_columns(ghost_signals=pl.concat_list(named).list.drop_nulls())
