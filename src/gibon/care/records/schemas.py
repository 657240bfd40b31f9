"""Schemas of discharge notices, information requests and document checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from gibon.care import rules
from gibon.care._schema_base import In, Out


class DischargeNoticeCreate(In):
    """법 제11조, 규칙 제8조②: who is leaving which institution, when, and with whose consent."""

    person_id: str = Field(min_length=1, max_length=16, examples=["P0000001"])
    institution_kind: rules.InstitutionKind
    institution_name: str = Field(min_length=1, max_length=100, examples=["서울대학교병원"])
    leaving_on: date
    consent_by: str = Field(
        min_length=1, max_length=40, examples=["본인"], description="the institution obtained it"
    )
    contact: str = Field("", max_length=40, examples=["02-870-0000 퇴원지원팀"])


class InfoRequestCreate(In):
    """법 제23조③, 규칙 제13조①: information asked of (to) or by (from) another body."""

    direction: Literal["to", "from"]
    counterpart: str = Field(min_length=1, max_length=100, examples=["국민건강보험공단 관악지사"])
    items: list[rules.InfoItem] = Field(min_length=1, max_length=6)
    purpose: str = Field(min_length=2, max_length=2000, examples=["지원계획 변경을 위한 상태 확인"])
    requested_on: date
    answered_on: date | None = None


class DocumentCheckCreate(In):
    """규칙 제7조⑤: a document checked via 행정정보 공동이용, or submitted when not agreed."""

    document: rules.Document
    via: Literal["shared", "submitted"]
    checked_on: date


class DischargeNoticeRead(Out):
    id: int
    person_id: str
    dong: str
    institution_kind: str
    institution_name: str
    leaving_on: date
    consent_by: str
    contact: str
    case_id: int | None
    by: str
    at: datetime


class InfoRequestRead(Out):
    id: int
    case_id: int
    direction: str
    counterpart: str
    items: list[str]
    purpose: str
    requested_on: date
    answered_on: date | None
    by: str
    at: datetime


class DocumentCheckRead(Out):
    id: int
    case_id: int
    document: str
    via: str
    checked_on: date
    by: str
    at: datetime
