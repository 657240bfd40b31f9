"""The resident's window tables: requests a resident sends to the officers, and guardians.

No foreign key to ``persons``: the demo loader replaces the registry (as for ``users.person_id``),
and ``window.demo.clear`` empties these tables first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, utcnow


class ResidentRequest(Base):
    """One request from a resident (or their guardian) that an officer answers.

    ``kind``: ``explanation`` of a 열람 기록 entry (the district team's queue), ``correction`` of
    the household's data (the dong's queue, never applied silently), ``consent_withdrawn`` (a
    notice to the officers of the case: the withdrawal itself already took effect).
    """

    __tablename__ = "resident_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    person_id: Mapped[str] = mapped_column(String(16), index=True)
    dong: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(Integer, default=None)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    audit_event_id: Mapped[int | None] = mapped_column(Integer, default=None)
    field: Mapped[str] = mapped_column(String(24), default="")
    proposed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    answer: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_by: Mapped[str | None] = mapped_column(String(64), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_resident_requests_kind_status", "kind", "status", "dong"),)


class Guardianship(Base):
    """An officer's record that ``guardian_user_id`` may act for ``person_id`` until ``ends_on``."""

    __tablename__ = "guardianships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(16), index=True)
    guardian_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    relation: Mapped[str] = mapped_column(String(24))
    scope: Mapped[str] = mapped_column(String(12))  # view | act
    basis: Mapped[str] = mapped_column(String(24))  # 위임장, 후견 심판, 가족관계 ...
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
