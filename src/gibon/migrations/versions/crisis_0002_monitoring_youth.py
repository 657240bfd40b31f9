"""crisis: monitoring method and per-household hours, loneliness screen, local referrals,
benefit applications as a 지원 연계 target

Revision ID: crisis_0002
Revises: residents_0002
Create Date: 2026-12-07 04:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "crisis_0002"
down_revision: str | None = "residents_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crisis_devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("method", sa.String(16), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("alert_hours", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("hours_basis", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("offer_note", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("crisis_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("loneliness", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("loneliness_score", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("loneliness_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
    # Devices enrolled before methods existed keep working: their method follows the indicator.
    for indicator, method in (
        ("smart_plug_no_activity", "smart_plug"),
        ("door_sensor_no_activity", "door_sensor"),
        ("ai_call_no_answer", "ai_call"),
    ):
        op.execute(
            sa.text("UPDATE crisis_devices SET method = :m WHERE indicator = :i").bindparams(
                m=method, i=indicator
            )
        )
    op.create_table(
        "crisis_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["crisis_items.id"], name=op.f("fk_crisis_referrals_item_id_crisis_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_referrals")),
    )
    with op.batch_alter_table("crisis_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crisis_referrals_item_id"), ["item_id"], unique=False)

    op.create_table(
        "crisis_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.String(length=16), nullable=False),
        sa.Column("program", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("prefill", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["crisis_items.id"],
            name=op.f("fk_crisis_applications_item_id_crisis_items"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_crisis_applications_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_crisis_applications_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_applications")),
    )
    with op.batch_alter_table("crisis_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crisis_applications_item_id"), ["item_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("crisis_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_applications_item_id"))
    op.drop_table("crisis_applications")
    with op.batch_alter_table("crisis_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_referrals_item_id"))
    op.drop_table("crisis_referrals")
    with op.batch_alter_table("crisis_items", schema=None) as batch_op:
        batch_op.drop_column("application_id")
        batch_op.drop_column("loneliness_at")
        batch_op.drop_column("loneliness_score")
        batch_op.drop_column("loneliness")
    with op.batch_alter_table("crisis_devices", schema=None) as batch_op:
        batch_op.drop_column("offer_note")
        batch_op.drop_column("hours_basis")
        batch_op.drop_column("alert_hours")
        batch_op.drop_column("method")
