"""Request and response shapes of the crisis API (kept apart from the ORM classes)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gibon.crisis.lifecycle import Action

MAX_ID = 2_147_483_647


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Method(StrEnum):
    phone = "phone"
    visit = "visit"
    letter = "letter"


class Outcome(StrEnum):
    reached = "reached"
    no_answer = "no_answer"
    not_home = "not_home"
    wrong_number = "wrong_number"
    letter_sent = "letter_sent"
    returned = "returned"
    refused = "refused"


class NotNeededReason(StrEnum):
    no_need = "no_need"
    already_supported = "already_supported"
    moved_out = "moved_out"
    deceased = "deceased"
    declined = "declined"


class ReporterKind(StrEnum):
    neighbour_report = "neighbour_report"
    honorary_official_report = "honorary_official_report"
    duty_reporter_report = "duty_reporter_report"
    walk_in = "walk_in"


class ActionIn(In):
    action: Action
    version: int = Field(ge=1, le=MAX_ID, examples=[1])
    reason: NotNeededReason | None = None
    note: str = Field("", max_length=2000)
    recheck_on: date | None = None
    consent: bool = Field(
        False, description="본인이 조사·판정 동의를 했으면 true (아니면 직권 신청)"
    )


class ContactIn(In):
    method: Method
    outcome: Outcome
    at: datetime | None = Field(None, description="시각 (없으면 지금); 시간대가 없으면 한국 시각")
    note: str = Field("", max_length=2000)


class AlertIn(In):
    alert_id: str = Field(min_length=4, max_length=60, examples=["PLUG-H0000123-20261201T0300"])
    device_id: str = Field(min_length=1, max_length=40, examples=["PLUG-H0000123"])
    observed_at: datetime = Field(examples=["2026-12-01T03:00:00+09:00"])


class AlertBatch(In):
    alerts: list[AlertIn] = Field(min_length=1, max_length=1000)


class AlertResult(BaseModel):
    alert_id: str
    result: str  # accepted | duplicate | refused
    result_label: str
    reason: str | None = None
    item_id: int | None = None


class DeviceIn(In):
    device_id: str = Field(min_length=3, max_length=40, examples=["PLUG-H0000123"])
    household_id: str = Field(min_length=1, max_length=16, examples=["H0000123"])
    indicator: str = Field(examples=["smart_plug_no_activity"])
    consent_by: str = Field(min_length=1, max_length=40, examples=["본인 김영희"])


class DeviceRead(BaseModel):
    device_id: str
    household_id: str
    indicator: str
    active: bool
    status_label: str


class ReportIn(In):
    kind: ReporterKind
    reporter_name: str = Field(min_length=1, max_length=40, examples=["이웃 박철수"])
    reporter_contact: str = Field("", max_length=40, examples=["010-0000-0000"])
    name: str = Field(min_length=1, max_length=40, examples=["김영희"])
    birth_date: date = Field(examples=["1948-03-02"])
    concern: str = Field(
        min_length=2, max_length=2000, examples=["며칠째 인기척이 없고 우편물이 쌓여 있음"]
    )


class WeightsIn(In):
    weights: dict[str, Any]
    note: str = Field(
        min_length=2, max_length=200, examples=["단전 점수 상향 (구 통합돌봄과 회의)"]
    )


class SignalRead(BaseModel):
    indicator: str
    label: str
    source: str
    source_label: str
    agency: str
    legal: str
    observed_on: date
    detail: str


class ContactRead(BaseModel):
    method: str
    method_label: str
    outcome: str
    outcome_label: str
    at: str  # KST, for people
    note: str
    recorded_by: str


class ItemRead(BaseModel):
    id: int
    household_id: str
    dong: str
    head_name: str
    head_birth_year: int | None
    status: str
    status_label: str
    score: int
    urgent: bool
    reasons: list[str]
    sources: list[str]
    due_on: date
    overdue: bool
    recheck_on: date | None
    attempts: int
    care_case_id: int | None
    version: int


class ProgramRead(BaseModel):
    id: str
    name: str
    monthly_amount: int


class ItemDetail(BaseModel):
    item: ItemRead
    signals: list[SignalRead]
    contacts: list[ContactRead]
    events: list[str]
    likely_entitled: list[ProgramRead]
    care_case_status: str | None
    close_reason_label: str | None


class Worklist(BaseModel):
    dong: str | None
    total: int
    items: list[ItemRead]
