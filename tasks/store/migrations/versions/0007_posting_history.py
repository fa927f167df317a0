"""Posting history: every opening, closing, reopening and update as a row, the run that last saw
each posting, and each posting's role fingerprint.

`posting_events` is written in the transaction that makes the change, so it is exactly the
postings table's history from now on. Existing rows: an `opened` event at each posting's first
sighting and a `closed` one at its close (their run unknown); the run that last saw a posting is
its company's newest run when that run started before the posting's last sighting; the role
fingerprint is worked out from the stored title, places and description, by this release's
tasks/store/roles.py (a later change to the fingerprint comes with a migration of its own).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tasks.store.roles import role_fingerprint

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 1000

postings = sa.table(
    "postings",
    sa.column("posting_id", sa.String),
    sa.column("company_id", sa.String),
    sa.column("title", sa.String),
    sa.column("description", sa.String),
    sa.column("location", sa.String),
    sa.column("locations", sa.JSON),
    sa.column("role_fingerprint", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(
            sa.Column("role_fingerprint", sa.String(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("last_seen_run_id", sa.String(), nullable=True))
    op.create_table(
        "posting_events",
        sa.Column("event_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(), nullable=True),
        sa.Column("company_id", sa.String(), nullable=False, index=True),
        sa.Column("posting_id", sa.String(), nullable=False, index=True),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    _fingerprint_every_posting()
    op.execute(
        "UPDATE postings SET last_seen_run_id = ("
        " SELECT companies.last_run_id FROM companies JOIN runs"
        " ON runs.run_id = companies.last_run_id"
        " WHERE companies.company_id = postings.company_id"
        " AND runs.started_at <= postings.last_seen_at)"
    )
    for event, at in (("opened", "first_seen_at"), ("closed", "closed_at")):
        op.execute(
            "INSERT INTO posting_events (company_id, posting_id, event, at)"
            f" SELECT company_id, posting_id, '{event}', {at} FROM postings"
            f" WHERE {at} IS NOT NULL"
        )


def _fingerprint_every_posting() -> None:
    """CHUNK rows at a time, in posting_id order: a database of any size, in bounded memory."""
    connection = op.get_bind()
    after = ""
    while True:
        rows = connection.execute(
            sa.select(postings)
            .where(postings.c.posting_id > after)
            .order_by(postings.c.posting_id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        connection.execute(
            postings.update()
            .where(postings.c.posting_id == sa.bindparam("b_id"))
            .values(role_fingerprint=sa.bindparam("b_fingerprint")),
            [
                {"b_id": row.posting_id, "b_fingerprint": role_fingerprint(row._mapping)}
                for row in rows
            ],
        )
        after = rows[-1].posting_id


def downgrade() -> None:
    op.drop_table("posting_events")
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("last_seen_run_id")
        batch.drop_column("role_fingerprint")
