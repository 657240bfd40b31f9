"""Stored day plans: the requests, the checked schedule, and the chain of same-day re-plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, TimestampMixin, utcnow


class VisitPlan(TimestampMixin, Base):
    """One planned day. A re-plan is a new row pointing at its parent; the parent is kept.

    Only the newest revision of a day is ``current``; re-planning a superseded revision is refused,
    so two coordinators re-planning the same day cannot silently overwrite each other.
    """

    __tablename__ = "visit_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="current")  # current | superseded
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit_plans.id", ondelete="SET NULL"), default=None
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(Text, default="")  # what this revision changed, in Korean
    seed: Mapped[int] = mapped_column(Integer, default=1)
    time_limit: Mapped[float] = mapped_column(Float, default=10.0)
    requested: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    feasible: Mapped[bool] = mapped_column(Boolean, default=True)
    staff: Mapped[list[str]] = mapped_column(JSON)  # professional ids: who may open the plan
    requests: Mapped[dict[str, Any]] = mapped_column(JSON)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)  # routes, unscheduled, kpis, checker
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_visit_plans_date_status", "plan_date", "status"),)


class Staff(Base):
    """A visiting professional on the roster; ``id`` is their account's organisation id."""

    __tablename__ = "visit_staff"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    profession: Mapped[str] = mapped_column(String(16))
    skills: Mapped[list[str]] = mapped_column(JSON)
    shift_start: Mapped[str] = mapped_column(String(5), default="09:00")
    shift_end: Mapped[str] = mapped_column(String(5), default="18:00")
    break_window: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    break_minutes: Mapped[int] = mapped_column(Integer, default=60)
    base_lat: Mapped[float] = mapped_column(Float)
    base_lon: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(8), default="walk")
    max_visits: Mapped[int] = mapped_column(Integer, default=10)
    phone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VisitRequest(TimestampMixin, Base):
    """A visit asked for on the page (urgent same-day, or any day); other demand is gathered."""

    __tablename__ = "visit_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_date: Mapped[date] = mapped_column(Date, index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    needs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    together: Mapped[str | None] = mapped_column(String(12), default=None)
    gap_minutes: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    window_start: Mapped[str] = mapped_column(String(5))
    window_end: Mapped[str] = mapped_column(String(5))
    priority: Mapped[int] = mapped_column(Integer, default=1)
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | cancelled
    created_by: Mapped[str] = mapped_column(String(64))


class VisitEvent(Base):
    """What happened at one stop (arrived, completed, missed with a reason, a note), as sent by
    the professional's phone; ``idempotency_key`` makes a re-sent action count once."""

    __tablename__ = "visit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("visit_plans.id"), index=True)
    visit_key: Mapped[str] = mapped_column(String(64))
    professional: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # arrived | completed | missed | note
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    happened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[str | None] = mapped_column(String(16), default=None, index=True)
    source_kind: Mapped[str] = mapped_column(String(16), default="")
    source_id: Mapped[str] = mapped_column(String(32), default="")
    outcome: Mapped[str] = mapped_column(String(12), default="applied")  # applied | conflict

    __table_args__ = (Index("ix_visit_events_plan_visit", "plan_id", "visit_key"),)
