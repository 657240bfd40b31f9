"""care: the statute's fields (대상자 구분, 직권 사유, 두 필요도, 전문기관, 계획 안내·의견)

Existing data is kept: ex officio cases without a 영 제4조 ground are flagged for their officer,
single-axis 판정 are kept and marked legacy, and cases of residents aged 65 or more get the
영 제2조제1항제1호 category (the others are flagged so the officer records theirs).

Revision ID: care_0003
Revises: visits_0001
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "care_0003"
down_revision: str | None = "visits_0001"
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
    for table, columns in reversed(COLUMNS.items()):
        with op.batch_alter_table(table) as batch:
            for column in reversed(columns):
                batch.drop_column(column.name)
