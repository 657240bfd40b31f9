"""Stored day plans: the requests, the checked schedule, and the chain of same-day re-plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, TimestampMixin


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
