"""company_runs.source as text: each ATS adapter added is a new source, and a native ENUM type
on PostgreSQL would need a migration for every one (SQLite stored the column as text already,
and postings.source and company_boards.source were always text). Rows keep their values.

Downgrade makes it the ENUM of revision 0001 again; a source that type does not know becomes
NULL, as the older code cannot read it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def source_enum() -> sa.Enum:
    """Revision 0001's ENUM type, from that revision's file (Alembic loads revisions by path)."""
    path = Path(__file__).with_name("0001_initial.py")
    spec = importlib.util.spec_from_file_location("_0001", path)
    initial = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(initial)
    return initial.source_enum()


def upgrade() -> None:
    with op.batch_alter_table("company_runs") as batch:
        batch.alter_column(
            "source",
            type_=sa.String(),
            existing_type=source_enum(),
            existing_nullable=True,
            postgresql_using="source::text",
        )
    if op.get_context().dialect.name == "postgresql":
        source_enum().drop(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    old = source_enum()
    if op.get_context().dialect.name == "postgresql":
        old.create(op.get_bind(), checkfirst=True)
    known = ", ".join(f"'{label}'" for label in old.enums)
    op.execute(f"UPDATE company_runs SET source = NULL WHERE source NOT IN ({known})")
    with op.batch_alter_table("company_runs") as batch:
        batch.alter_column(
            "source",
            type_=old,
            existing_type=sa.String(),
            existing_nullable=True,
            postgresql_using="source::source",
        )
