"""The schema of the last release before migrations (create_all at 57a9a7e).

postings, company_runs (CompanyResult with keys) and company_boards, exactly as SQLModel created
them: a database that release made is stamped with this revision and upgraded from here.

Revision ID: 0001
Revises:
Create Date: 2026-11-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def source_enum() -> sa.Enum:
    """A frozen copy of Source as it was. SQLModel made native ENUM types on PostgreSQL
    ("source", "companystatus") and VARCHAR(longest value) on SQLite."""
    return sa.Enum(
        "auto",
        "greenhouse",
        "lever",
        "ashby",
        "workable",
        "smartrecruiters",
        "recruitee",
        "personio",
        "teamtailor",
        "workday",
        "jsonld",
        "html",
        name="source",
    )


def company_status_enum() -> sa.Enum:
    return sa.Enum("succeeded", "partial", "failed", name="companystatus")


def upgrade() -> None:
    op.create_table(
        "postings",
        sa.Column("posting_id", sa.String(), nullable=False),
        sa.Column("company_id", sa.String(), nullable=False),
        sa.Column("company", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("remote", sa.String(), nullable=True),
        sa.Column("employment_type", sa.String(), nullable=True),
        sa.Column("seniority", sa.String(), nullable=True),
        sa.Column("salary_min", sa.Float(), nullable=True),
        sa.Column("salary_max", sa.Float(), nullable=True),
        sa.Column("salary_currency", sa.String(), nullable=True),
        sa.Column("salary_period", sa.String(), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("enrichment_backend", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("posting_id"),
    )
    op.create_index("ix_postings_company_id", "postings", ["company_id"], unique=False)
    op.create_table(
        "company_runs",
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("company_id", sa.String(), nullable=False),
        sa.Column("company", sa.String(), nullable=False),
        sa.Column("source", source_enum(), nullable=True),
        sa.Column("status", company_status_enum(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("error_category", sa.String(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("board_url", sa.String(), nullable=True),
        sa.Column("skipped_pages", sa.Integer(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "company_id"),
    )
    op.create_table(
        "company_boards",
        sa.Column("company_id", sa.String(), nullable=False),
        sa.Column("careers_url", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("board_url", sa.String(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("company_id"),
    )


def downgrade() -> None:
    op.drop_table("company_boards")
    op.drop_table("company_runs")
    op.drop_index("ix_postings_company_id", table_name="postings")
    op.drop_table("postings")
    # Tables drop their columns, not the PostgreSQL ENUM types those columns used.
    bind = op.get_bind()
    company_status_enum().drop(bind, checkfirst=True)
    source_enum().drop(bind, checkfirst=True)
