"""Company attributes and untracked companies.

`companies.attributes` holds the companies file's extra keys for the company (industry, owner...);
`companies.untracked_at` says since when the file that listed a company no longer does. Existing
rows: no attributes, tracked.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("attributes", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("untracked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_column("untracked_at")
        batch.drop_column("attributes")
