"""Request and response bodies of the simulator API (kept apart from the ORM classes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gibon.simulator.models import Outcome


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    example: str | None = Field(None, max_length=80, examples=["gwanak_youth_basic_income"])
    reform_yaml: str | None = Field(None, max_length=100_000)
    month: str = Field("2026-06", pattern=r"^\d{4}-\d{2}$")
    seed: int = Field(1, ge=0, le=2**31 - 1)


class RunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reform_name: str
    month: str
    seed: int
    created_by: str
    created_at: datetime
    summary: dict[str, Any]


class RunListItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reform_name: str
    month: str
    created_by: str
    created_at: datetime


class ReformExample(BaseModel):
    id: str
    name: str
    description: str
    reform_yaml: str


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    programs: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=2000)


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: str
    dong: str
    programs: list[str]
    outcome: str
    note: str
    recorded_by: str
    recorded_at: datetime


class OutreachPage(BaseModel):
    dong: str
    total: int
    items: list[dict[str, Any]]
