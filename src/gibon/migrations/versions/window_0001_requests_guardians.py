"""resident window: requests to officers, guardians, and the officer's office phone

Revision ID: window_0001
Revises: crisis_0002
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "window_0001"
down_revision: str | None = "crisis_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
    op.create_table(
        "resident_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.String(length=16), nullable=False),
        sa.Column("dong", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("audit_event_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=24), nullable=False),
        sa.Column("proposed", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_resident_requests_officer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_requests")),
    )
    op.create_index("ix_resident_requests_person_id", "resident_requests", ["person_id"])
    op.create_index(
        "ix_resident_requests_kind_status", "resident_requests", ["kind", "status", "dong"]
    )
    op.create_table(
        "guardianships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=16), nullable=False),
        sa.Column("guardian_user_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=24), nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("basis", sa.String(length=24), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["guardian_user_id"], ["users.id"], name=op.f("fk_guardianships_guardian_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardianships")),
    )
    op.create_index("ix_guardianships_person_id", "guardianships", ["person_id"])
    op.create_index("ix_guardianships_guardian_user_id", "guardianships", ["guardian_user_id"])


def downgrade() -> None:
    op.drop_table("guardianships")
    op.drop_table("resident_requests")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("phone")
