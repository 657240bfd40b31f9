"""API bodies for stored visit plans (the day's REQUESTS.json itself is read by ``parse``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class PlanCreate(BaseModel):
    """Plan a day and keep it."""

    model_config = ConfigDict(extra="forbid")

    requests: dict[str, Any] = Field(
        description="REQUESTS.json: date, professionals, visits (see docs/visits.md)"
    )
    title: str | None = Field(None, max_length=120, examples=["6월 1일 의료드림 방문"])
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
