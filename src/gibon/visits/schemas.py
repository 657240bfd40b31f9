"""API bodies for stored visit plans (the day's REQUESTS.json itself is read by ``parse``)."""

from __future__ import annotations

from datetime import date as date_type
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class PlanCreate(BaseModel):
    """Plan a day and keep it."""

    model_config = ConfigDict(extra="forbid")

    requests: dict[str, Any] = Field(
        description="REQUESTS.json: date, professionals, visits (see docs/visits.md)"
    )
    title: str | None = Field(None, max_length=120, examples=["6월 1일 의료드림 방문"])
    date: date_type | None = Field(
        None, description="the day planned; overrides requests.date (a plan belongs to its date)"
    )
    time_limit: float = Field(10.0, gt=0, le=30, description="solver seconds")
    seed: int = Field(1, ge=0, le=2_147_483_647)


class Replan(BaseModel):
    """Re-plan the current revision of a day at ``now`` after cancellations or urgent additions."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="the plan version you saw (optimistic lock)")
    now: str = Field(pattern=HHMM, examples=["11:30"])
    cancel: list[str] = Field(default_factory=list, max_length=400, examples=[["V0012"]])
    add: list[dict[str, Any]] = Field(
        default_factory=list, max_length=100, description="visits in the REQUESTS.json form"
    )
    time_limit: float = Field(10.0, gt=0, le=30)
    seed: int = Field(1, ge=0, le=2_147_483_647)


class OnDuty(BaseModel):
    """One professional on duty for the day, with the day's shift (a shift change)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, examples=["nurse-01"])
    shift_start: str = Field("09:00", pattern=HHMM)
    shift_end: str = Field("18:00", pattern=HHMM)


class DayPlanCreate(BaseModel):
    """Plan a date from the system's own requests with the staff on duty."""

    model_config = ConfigDict(extra="forbid")

    date: date_type = Field(examples=["2026-12-08"])
    on_duty: list[OnDuty] | None = Field(
        None, max_length=200, description="who works that day; absent = every active professional"
    )
    title: str | None = Field(None, max_length=120)
    time_limit: float = Field(10.0, gt=0, le=30)
    seed: int = Field(1, ge=0, le=2_147_483_647)


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profession: Literal["doctor", "nurse", "physio", "pharmacist", "social_worker"]
    minutes: int = Field(30, ge=5, le=240)


class RequestCreate(BaseModel):
    """A visit asked for on the page (an urgent same-day visit, or any day)."""

    model_config = ConfigDict(extra="forbid")

    date: date_type
    person_id: str = Field(min_length=1, max_length=16, examples=["P00000003"])
    needs: list[NeedIn] = Field(min_length=1, max_length=2)
    together: Literal["simultaneous", "sequential"] | None = None
    window_start: str = Field("09:00", pattern=HHMM)
    window_end: str = Field("17:00", pattern=HHMM)
    priority: int = Field(1, ge=1, le=3)
    purpose: str = Field("", max_length=300)


EVENT_KINDS = ("arrived", "completed", "missed", "note")


class EventCreate(BaseModel):
    """What happened at one stop, sent from the professional's phone (perhaps hours later)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    plan_id: int = Field(ge=1, le=2_147_483_647)
    visit: str = Field(min_length=1, max_length=64)
    kind: Literal["arrived", "completed", "missed", "note"]
    reason: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)
    happened_at: datetime | None = None
