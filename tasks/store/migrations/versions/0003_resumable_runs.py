"""Resumable runs: attempts per company, a `cancelled` company status, and the run's outcome.

company_runs.attempts counts how often a run tried the company (a retried run tries failed ones
again). runs gains its status (running, completed, failed, cancelled), the cancelled count, the
message of its final state, and the ids of the companies it covers, so a run whose flow process
died can be finished and `--retry-failed` knows which companies a run had.

Existing rows: attempts 1; a finished run is `completed`, an unfinished one `running`.
Downgrade drops the columns; PostgreSQL cannot drop a value from an ENUM type, so `cancelled`
stays in `companystatus` (unused by the older code).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def runs_columns() -> list[sa.Column]:
    return [
        sa.Column("status", sa.String(), nullable=False, server_default="running"),
        sa.Column("cancelled", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("message", sa.String(), nullable=True),
        sa.Column("company_ids", sa.JSON(), nullable=False, server_default="[]"),
    ]


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        # Committed with the migration's transaction; nothing here uses the new value.
        op.execute("ALTER TYPE companystatus ADD VALUE IF NOT EXISTS 'cancelled'")
    with op.batch_alter_table("company_runs") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("runs") as batch:
        for column in runs_columns():
            batch.add_column(column)
    op.execute("UPDATE runs SET status = 'completed' WHERE finished_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        for column in reversed(runs_columns()):
            batch.drop_column(column.name)
    with op.batch_alter_table("company_runs") as batch:
        batch.drop_column("attempts")
