"""Enrichment and history: everything since the last release before migrations.

Enrichment results and provenance on postings, enrich and rejection counts on company_runs, the
enrichment answer cache, and the companies and runs tables.

Columns added to existing tables carry a server default, so rows already there get [] or 0.
Development builds between that release and this revision made some of these with create_all:
what already exists is left as it is.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY_LIST = "[]"  # plain strings: SQLite adds such columns in place, no table copy
ZERO = "0"


def postings_columns() -> list[sa.Column]:
    return [
        sa.Column("title_normalized", sa.String(), nullable=True),
        sa.Column("locations", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
        sa.Column("summary", sa.String(), nullable=True),
        sa.Column("enrichment_model", sa.String(), nullable=True),
        sa.Column("enrichment_prompt_version", sa.String(), nullable=True),
        sa.Column("enrichment_fallbacks", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
    ]


def company_runs_columns() -> list[sa.Column]:
    return [
        sa.Column("enrich_cached", sa.Integer(), nullable=False, server_default=ZERO),
        sa.Column("enrich_fallbacks", sa.Integer(), nullable=False, server_default=ZERO),
        sa.Column("rejected", sa.Integer(), nullable=False, server_default=ZERO),
        sa.Column("rejected_reasons", sa.String(), nullable=True),
    ]


def _offline() -> bool:
    """--sql: no database to look at; the script is for the released schema."""
    return op.get_context().as_sql


def _existing_columns(table: str) -> set[str]:
    if _offline():
        return set()
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}


def _add_missing(table: str, columns: list[sa.Column]) -> None:
    existing = _existing_columns(table)
    missing = [column for column in columns if column.name not in existing]
    if missing:
        with op.batch_alter_table(table) as batch:
            for column in missing:
                batch.add_column(column)


def upgrade() -> None:
    _add_missing("postings", postings_columns())
    _add_missing("company_runs", company_runs_columns())
    if _offline() or not sa.inspect(op.get_bind()).has_table("enrichment_cache"):
        op.create_table(
            "enrichment_cache",
            sa.Column("key", sa.String(), nullable=False),
            sa.Column("enrichment", sa.String(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    op.create_table(
        "companies",
        sa.Column("company_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("careers_url", sa.String(), nullable=False),
        sa.Column("ats", sa.String(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_id", sa.String(), nullable=True),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("company_id"),
    )
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("companies_file", sa.String(), nullable=False),
        sa.Column("output_dir", sa.String(), nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
        sa.Column("partial", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_id"),
    )


def downgrade() -> None:
    op.drop_table("runs")
    op.drop_table("companies")
    op.drop_table("enrichment_cache")
    with op.batch_alter_table("company_runs") as batch:
        for column in reversed(company_runs_columns()):
            batch.drop_column(column.name)
    with op.batch_alter_table("postings") as batch:
        for column in reversed(postings_columns()):
            batch.drop_column(column.name)
