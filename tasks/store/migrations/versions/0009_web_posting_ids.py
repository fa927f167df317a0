"""Web postings keep their ids when a site moves: a posting without an ATS id is identified by
its URL's path and query, no longer by its scheme and host too (tasks.models.url_key). This
re-keys the rows stored under the old id, so an upgraded database does not close and reopen every
web posting on its next run.

Only rows without external_id whose posting_id is the one their URL gave are re-keyed; any other
row keeps its id. Rows of one company that now share an id (one posting on two hosts: the site
moved, and the old host's row was closed when the new one opened) become one: the row seen last,
with the earliest first_seen_at among them; the others are deleted. posting_events follows: the
events of a deleted row move to the row kept.

Downgrade keys those rows by their URL with its host again; rows merged stay merged.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPANIES = 200  # companies read per batch: memory stays bounded on databases of any size
IDS = 250  # ids per statement, well under SQLite's bound-parameter limit

postings = sa.table(
    "postings",
    sa.column("posting_id", sa.String()),
    sa.column("company_id", sa.String()),
    sa.column("source", sa.String()),
    sa.column("external_id", sa.String()),
    sa.column("url", sa.String()),
    sa.column("first_seen_at", sa.DateTime(timezone=True)),
    sa.column("last_seen_at", sa.DateTime(timezone=True)),
    sa.column("closed_at", sa.DateTime(timezone=True)),
)
posting_events = sa.table("posting_events", sa.column("posting_id", sa.String()))
# Each id that changed, and the id that stands for its posting now: what posting_events follow.
moves = sa.Table(
    "posting_id_moves",
    sa.MetaData(),
    sa.Column("old", sa.String(), primary_key=True),
    sa.Column("new", sa.String(), nullable=False),
    prefixes=["TEMPORARY"],
)

# The ids as tasks.models computed them at this revision, copied rather than imported: this
# migration must give the same ids whatever the application's id function becomes later.
_TRACKING = re.compile(
    r"utm_\w+|gclid|fbclid|msclkid|mc_[ce]id|_hs\w+|ref|referrer|source|src|trk|campaign"
    r"|lever-(?:source|origin)|gh_src|ashby_src|sourcetype",
    re.IGNORECASE,
)


def _canonical(url: str, *, host: bool) -> str:
    parts = urlsplit(url)
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.fullmatch(key)
    )
    scheme, netloc = (parts.scheme.lower(), parts.netloc.lower()) if host else ("", "")
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), urlencode(query), ""))


def url_id(company_id: str, source: str, url: str) -> str:
    """Revision 0009's id: the URL's path and query."""
    return _posting_id(company_id, source, _canonical(url, host=False))


def host_url_id(company_id: str, source: str, url: str) -> str:
    """The id before revision 0009: the whole canonical URL, scheme and host included."""
    return _posting_id(company_id, source, _canonical(url, host=True))


def _posting_id(company_id: str, source: str, key: str) -> str:
    return hashlib.sha256(f"{company_id}|{source}|{key}".encode()).hexdigest()[:24]


IdOf = Callable[[str, str, str], str]


def upgrade() -> None:
    _rekey(host_url_id, url_id)


def downgrade() -> None:
    _rekey(url_id, host_url_id)


def _rekey(old: IdOf, new: IdOf) -> None:
    if op.get_context().as_sql:
        raise RuntimeError(
            "revision 0009 computes posting ids from the rows: run it on the database, not --sql"
        )
    connection = op.get_bind()
    moves.create(connection)
    after = ""
    while True:
        companies = (
            connection.execute(
                sa.select(postings.c.company_id)
                .distinct()
                .where(postings.c.external_id.is_(None), postings.c.company_id > after)
                .order_by(postings.c.company_id)
                .limit(COMPANIES)
            )
            .scalars()
            .all()
        )
        if not companies:
            break
        after = companies[-1]
        rows = connection.execute(
            sa.select(postings).where(
                postings.c.external_id.is_(None), postings.c.company_id.in_(companies)
            )
        ).all()
        moved = _rekey_rows(connection, rows, old, new)
        if moved:
            connection.execute(moves.insert(), [{"old": o, "new": n} for o, n in moved.items()])
    # One pass over the events: not one statement per posting.
    connection.execute(
        sa.update(posting_events)
        .where(posting_events.c.posting_id.in_(sa.select(moves.c.old)))
        .values(
            posting_id=sa.select(moves.c.new)
            .where(moves.c.old == posting_events.c.posting_id)
            .scalar_subquery()
        )
    )
    moves.drop(connection)


def _rekey_rows(connection, rows: Sequence[sa.Row], old: IdOf, new: IdOf) -> dict[str, str]:
    """Give each row its new id, one row per id: the one seen last, first seen when the
    earliest was. Rows of one company only share an id with rows of that company. Returns the
    id each row that was renamed or deleted had, and the id of the row that stands for it now."""
    by_id: dict[str, list[sa.Row]] = defaultdict(list)
    for row in rows:
        key = (row.company_id, row.source, row.url)
        by_id[new(*key) if row.posting_id == old(*key) else row.posting_id].append(row)
    deleted: list[str] = []
    first_seen: list[dict] = []
    renamed: list[dict] = []
    moved: dict[str, str] = {}
    for posting_id, group in by_id.items():
        kept = max(
            group,
            key=lambda row: (
                row.last_seen_at,
                row.closed_at is None,
                row.posting_id == posting_id,
                row.posting_id,
            ),
        )
        deleted += [row.posting_id for row in group if row is not kept]
        first = min(row.first_seen_at for row in group)
        if first != kept.first_seen_at:
            first_seen.append({"b_id": kept.posting_id, "first_seen_at": first})
        if kept.posting_id != posting_id:
            renamed.append({"b_id": kept.posting_id, "b_new": posting_id})
        moved |= {row.posting_id: posting_id for row in group if row.posting_id != posting_id}
    # Deleted first: a renamed row may take the id a deleted one had.
    for start in range(0, len(deleted), IDS):
        chunk = deleted[start : start + IDS]
        connection.execute(sa.delete(postings).where(postings.c.posting_id.in_(chunk)))
    by_key = postings.c.posting_id == sa.bindparam("b_id")
    if first_seen:
        connection.execute(sa.update(postings).where(by_key), first_seen)
    if renamed:
        update = sa.update(postings).where(by_key).values(posting_id=sa.bindparam("b_new"))
        connection.execute(update, renamed)
    return moved
