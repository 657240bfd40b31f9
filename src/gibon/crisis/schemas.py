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
    target: str = Field(
        "care", description="지원 연계 대상: care (통합돌봄 사례) | benefit (급여 신청)"
    )
    program: str | None = Field(None, max_length=40, examples=["housing_benefit"])


class ContactIn(In):
    method: Method
    outcome: Outcome
    at: datetime | None = Field(None, description="시각 (없으면 지금); 시간대가 없으면 한국 시각")
    note: str = Field("", max_length=2000)


class AlertIn(In):
    alert_id: str = Field(min_length=4, max_length=60, examples=["PLUG-H0000123-20261201T0300"])
    device_id: str = Field(min_length=1, max_length=40, examples=["PLUG-H0000123"])
    observed_at: datetime = Field(examples=["2026-12-01T03:00:00+09:00"])
    hours_inactive: float | None = Field(
        None, ge=0, le=2000, description="센서가 잰 무활동 시간 (가구별 기준과 비교)"
    )


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
    method: str = ""
    alert_hours: int | None = None
    hours_basis: str = ""


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
    loneliness_score: int | None = None


class ProgramRead(BaseModel):
    id: str
    name: str
    monthly_amount: int


class YouthProgramRead(BaseModel):
    id: str
    name: str
    state: str
    state_label: str
    monthly_amount: int
    reference: str
    note: str


class CentreRead(BaseModel):
    name: str
    place: str
    address: str | None
    programs: list[str]
    programs_sourced: bool
    services: str
    source: str


class YouthRead(BaseModel):
    programs: list[YouthProgramRead]
    split_payment_note: str
    centre: CentreRead | None


class LonelinessIn(In):
    q1: int = Field(ge=1, le=3, examples=[2])
    q2: int = Field(ge=1, le=3, examples=[1])
    q3: int = Field(ge=1, le=3, examples=[2])


class LonelinessRead(BaseModel):
    answers: list[int]
    answer_labels: list[str]
    score: int
    band: str
    at: str
    citation: str


class ReferralIn(In):
    program: str = Field(examples=["single_centre"])
    target: str = Field("", max_length=200, examples=["관악형 작은 1인가구지원센터 (신림동)"])
    note: str = Field("", max_length=2000)


class ReferralRead(BaseModel):
    id: int
    program: str
    program_label: str
    target: str
    note: str
    at: str
    recorded_by: str


class ApplicationRead(BaseModel):
    id: int
    item_id: int
    program: str
    program_name: str
    status: str
    status_label: str
    channel_label: str
    prefill: list[tuple[str, str]]
    created_at: str
    created_by: str
    decided_at: str | None
    decision_note: str
    version: int


class ItemDetail(BaseModel):
    item: ItemRead
    signals: list[SignalRead]
    contacts: list[ContactRead]
    events: list[str]
    likely_entitled: list[ProgramRead]
    care_case_status: str | None
    close_reason_label: str | None
    youth: YouthRead | None = None
    loneliness: LonelinessRead | None = None
    referrals: list[ReferralRead] = []
    application: ApplicationRead | None = None
    link_programs: list[ProgramRead] = []


class Worklist(BaseModel):
    dong: str | None
    total: int
    items: list[ItemRead]


class EnrolIn(In):
    method: str = Field(examples=["text_check"], description="monitoring.yaml의 방법 id")
    consent: bool = Field(description="본인이 이 방법에 동의했으면 true")
    consent_by: str = Field(min_length=1, max_length=40, examples=["본인 김영희"])
    device_id: str | None = Field(None, min_length=3, max_length=40, examples=["PLUG-H0000123"])
    alert_hours: int | None = Field(None, ge=1, le=168, examples=[18])
    offer_note: str = Field("", max_length=500, examples=["안부 문자는 휴대전화가 없어 못 씀"])


class HoursIn(In):
    hours: int = Field(ge=1, le=168, examples=[20])
    reason: str = Field(min_length=2, max_length=500, examples=["야간 근무로 낮에 잠"])


class MethodRead(BaseModel):
    id: str
    rank: int
    label: str
    collects: str
    continuous: bool
    hours: bool
    device_id: str | None = None
    state: str  # none | active | withdrawn
    state_label: str
    consent_by: str = ""
    alert_hours: int | None = None
    hours_basis: str = ""
    offer_note: str = ""


class MonitoringRead(BaseModel):
    household_id: str
    dong: str
    head_name: str
    suggested_hours: int
    suggestion_basis: str
    history_alerts_at_suggested: int
    history_days: int
    methods: list[MethodRead]
    refused_alerts: int


class DecisionIn(In):
    decision: str = Field(examples=["granted"], description="granted | refused | withdrawn")
    note: str = Field("", max_length=2000)
    version: int = Field(ge=1, le=MAX_ID, examples=[1])
