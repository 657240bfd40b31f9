"""care: the statute's fields (대상자 구분, 직권 사유, 두 필요도, 전문기관, 계획 안내·의견)

Existing data is kept: ex officio cases without a 영 제4조 ground are flagged for their officer,
single-axis 판정 are kept and marked legacy, and cases of residents aged 65 or more get the
영 제2조제1항제1호 category (the others are flagged so the officer records theirs).

Revision ID: care_0003
Revises: accounts_0002
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "care_0003"
down_revision: str | None = "accounts_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, list[sa.Column]] = {  # type: ignore[type-arg]
    "care_cases": [
        sa.Column("target_group", sa.String(24), nullable=True),
        sa.Column("ex_officio_ground", sa.String(32), nullable=True),
        sa.Column("review_flag", sa.String(32), nullable=True),
    ],
    "care_assessments": [
        sa.Column("agency", sa.String(24), nullable=True),
        sa.Column("agency_part", sa.Text(), nullable=False, server_default=""),
    ],
    "care_decisions": [
        sa.Column("medical_need", sa.String(16), nullable=True),
        sa.Column("care_need", sa.String(16), nullable=True),
        sa.Column("legacy", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("notice_method", sa.String(24), nullable=False, server_default=""),
    ],
    "care_plan_versions": [
        sa.Column("linkage", sa.Text(), nullable=False, server_default=""),
        sa.Column("views", sa.Text(), nullable=False, server_default=""),
        sa.Column("views_by", sa.String(40), nullable=False, server_default=""),
        sa.Column("views_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("notice_to", sa.String(40), nullable=False, server_default=""),
    ],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.add_column(column)
    _move_data()
    _records()


def _records() -> None:
    """법 제11조 퇴원·퇴소 notices, 법 제23조 information requests, 규칙 제7조⑤ document checks."""
    op.create_table(
        "care_discharge_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "person_id",
            sa.String(16),
            sa.ForeignKey("persons.id", name="fk_care_discharge_notices_person_id_persons"),
            nullable=False,
        ),
        sa.Column("dong", sa.String(20), nullable=False),
        sa.Column("institution_kind", sa.String(24), nullable=False),
        sa.Column("institution_name", sa.String(100), nullable=False),
        sa.Column("leaving_on", sa.Date(), nullable=False),
        sa.Column("consent_by", sa.String(40), nullable=False),
        sa.Column("contact", sa.String(40), nullable=False),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("care_cases.id", name="fk_care_discharge_notices_case_id_care_cases"),
            nullable=True,
        ),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_discharge_notices")),
    )
    op.create_index("ix_care_discharge_notices_person_id", "care_discharge_notices", ["person_id"])
    op.create_index("ix_care_discharge_notices_dong", "care_discharge_notices", ["dong"])
    op.create_table(
        "care_info_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("care_cases.id", name="fk_care_info_requests_case_id_care_cases"),
            nullable=False,
        ),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("counterpart", sa.String(100), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_info_requests")),
    )
    op.create_index("ix_care_info_requests_case_id", "care_info_requests", ["case_id"])
    op.create_table(
        "care_document_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("care_cases.id", name="fk_care_document_checks_case_id_care_cases"),
            nullable=False,
        ),
        sa.Column("document", sa.String(24), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_document_checks")),
    )
    op.create_index("ix_care_document_checks_case_id", "care_document_checks", ["case_id"])


def _move_data() -> None:
    cases = sa.table(
        "care_cases",
        sa.column("person_id", sa.String),
        sa.column("channel", sa.String),
        sa.column("target_group", sa.String),
        sa.column("ex_officio_ground", sa.String),
        sa.column("review_flag", sa.String),
    )
    persons = sa.table("persons", sa.column("id", sa.String), sa.column("birth_date", sa.Date))
    today = date.today()
    born_by = date(today.year - 65, today.month, min(today.day, 28))
    older = sa.select(persons.c.id).where(persons.c.birth_date <= born_by)
    op.execute(cases.update().where(cases.c.person_id.in_(older)).values(target_group="age_65"))
    op.execute(
        cases.update()
        .where(cases.c.target_group.is_(None))
        .values(review_flag="target_group_missing")
    )
    op.execute(
        cases.update()
        .where(cases.c.channel == "ex_officio", cases.c.ex_officio_ground.is_(None))
        .values(review_flag="ex_officio_ground_missing")
    )
    decisions = sa.table("care_decisions", sa.column("legacy", sa.Boolean))
    op.execute(decisions.update().values(legacy=True))


def downgrade() -> None:
    for table in ("care_document_checks", "care_info_requests", "care_discharge_notices"):
        op.drop_table(table)
    for table, columns in reversed(COLUMNS.items()):
        with op.batch_alter_table(table) as batch:
            for column in reversed(columns):
                batch.drop_column(column.name)
