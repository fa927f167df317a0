"""Fields dropped, postings kept: a value that cannot be right no longer costs its posting.

`postings.dropped_fields` names each field nulled before storage and why; `company_runs.
fields_dropped` counts the company's postings kept without one. Existing rows: none dropped.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(
            sa.Column("dropped_fields", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("company_runs") as batch:
        batch.add_column(
            sa.Column("fields_dropped", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("company_runs") as batch:
        batch.drop_column("fields_dropped")
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("dropped_fields")
