"""Schemas of screening, assessment and the 종합판정 decision."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from gibon.care._schema_base import Changed, Versioned
from gibon.care.assessments.scoring import AssessmentData, NeedLevel, PreScreenItems
from gibon.care.rules import ExpertAgency


class ScreeningCreate(Versioned):
    items: PreScreenItems
    note: str = Field("", max_length=2000)


class AssessmentKind(StrEnum):
    district_survey = "district_survey"
    full = "full"


class AssessmentCreate(Versioned):
    data: AssessmentData
    agency: ExpertAgency = Field(
        description="조사 일부를 맡은 전문기관 (영 제5조제2항, 규칙 제14조)"
    )
    agency_part: str = Field(
        min_length=2, max_length=2000, examples=["장기요양 인정조사 결과(ADL) 제공"]
    )


class NoticeMethod(StrEnum):
    in_person = "in_person"
    post = "post"
    phone = "phone"
    message = "message"


NOTICE_LABELS = {
    NoticeMethod.in_person: "대면 안내",
    NoticeMethod.post: "우편",
    NoticeMethod.phone: "전화",
    NoticeMethod.message: "문자·전자 안내",
}


MAX_REASSESS_MONTHS = 6


class DecisionCreate(Versioned):
    medical_need: NeedLevel = Field(description="의료적 지원 필요도 (법 제12조①, 영 제5조①)")
    care_need: NeedLevel = Field(description="일상생활 요양·돌봄 필요도 (법 제12조①, 영 제5조①)")
    reasons: str = Field(min_length=5, max_length=4000, examples=["K-ADL 12점, 독거, 낙상 2회"])
    reassess_in_months: int = Field(6, ge=1, le=MAX_REASSESS_MONTHS)
    notified_on: date | None = Field(None, description="판정 결과를 안내한 날 (법 제12조①)")
    notice_method: NoticeMethod | None = None
    confirm_close: bool = Field(
        False, description="두 필요도가 모두 '지원 불필요'면 사례가 종결됨을 확인"
    )


class DecisionNotice(Versioned):
    notified_on: date
    notice_method: NoticeMethod


class ScreeningRead(Changed):
    id: int
    case_id: int
    items: dict[str, Any]
    score: int
    outcome: str
    note: str
    by: str
    at: datetime


class AssessmentRead(Changed):
    id: int
    case_id: int
    kind: str
    data: dict[str, Any]
    scores: dict[str, Any]
    agency: str | None
    agency_part: str
    by: str
    at: datetime


class DecisionRead(Changed):
    id: int
    case_id: int
    level: str
    medical_need: str | None
    care_need: str | None
    legacy: bool
    notified_on: date | None
    notice_method: str
    suggested_level: str
    reasons: str
    reassess_on: date
    by: str
    at: datetime
