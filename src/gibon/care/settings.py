"""The district's care settings where the law leaves a choice, each bounded by the law (YAML)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gibon.care import rules
from gibon.care.rules import Basis, ExpertAgency
from gibon.errors import InvalidInput

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "care" / "settings.yaml"


@dataclass(frozen=True)
class CareSettings:
    conference_first_plan: bool = False
    conference_plan_change: bool = False
    review_first_months: int = 3
    review_every_months: int = 6
    default_agency: ExpertAgency = ExpertAgency.nhis


@dataclass(frozen=True)
class Setting:
    """One line of ``gibon care settings``: what, its value, where the rule comes from."""

    name: str
    value: str
    basis: Basis
    note: str


def _int(raw: dict[str, Any], key: str, low: int, high: int, where: str) -> int:
    value = raw.get(key, high)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(
            f"{where}.{key}는 {low}–{high} 사이의 정수여야 합니다 (규칙 제10조제1항)",
            where=f"{where}.{key}",
            example=f"{key}: {high}",
        )
    return value


def _bool(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise InvalidInput(
            f"conference.{key}는 true 또는 false여야 합니다",
            where=f"conference.{key}",
            example=f"{key}: false",
        )
    return value


@lru_cache(maxsize=4)
def load(path: Path = DEFAULT_FILE) -> CareSettings:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    conf, review, judge = (raw.get(k) or {} for k in ("conference", "review", "judgement"))
    agency = judge.get("default_agency", ExpertAgency.nhis.value)
    if agency not in {a.value for a in ExpertAgency}:
        raise InvalidInput(
            "judgement.default_agency는 규칙 제14조의 전문기관이어야 합니다",
            where="judgement.default_agency",
            example="default_agency: nhis",
        )
    return CareSettings(
        conference_first_plan=_bool(conf, "first_plan"),
        conference_plan_change=_bool(conf, "plan_change"),
        review_first_months=_int(review, "first_within_months", 1, 3, "review"),
        review_every_months=_int(review, "every_months", 1, 6, "review"),
        default_agency=ExpertAgency(agency),
    )


def current() -> CareSettings:
    override = os.environ.get("GIBON_CARE_SETTINGS_FILE")
    return load(Path(override)) if override else load()


def describe(s: CareSettings) -> list[Setting]:
    on = {True: "예", False: "아니오"}
    conference = rules.STEP_BASIS["approve"]
    return [
        Setting(
            "첫 지원계획 안내 전 통합지원회의",
            on[s.conference_first_plan],
            conference,
            "법령상 선택(운영할 수 있다), 회의에 승인 권한 없음 — 구가 정함",
        ),
        Setting(
            "바뀐 지원계획 안내 전 통합지원회의",
            on[s.conference_plan_change],
            rules.law("규칙 제10조제2항", "통합지원회의의 의견을 들을 수 있다."),
            "법령상 선택 — 구가 정함",
        ),
        Setting(
            "첫 점검 (첫 계획 수립 후)",
            f"{s.review_first_months}개월 이내",
            rules.STEP_BASIS["follow_up"],
            "법령: 3개월 이내",
        ),
        Setting(
            "이후 정기 점검 주기",
            f"{s.review_every_months}개월마다",
            rules.REVIEW_RULE,
            "법령: 6개월 이내의 범위에서 구청장이 정함",
        ),
        Setting(
            "종합판정 조사 일부 위탁 전문기관",
            rules.AGENCIES[s.default_agency][0],
            rules.AGENCY_RULE,
            "위탁은 법령상 의무, 기관은 규칙 제14조 중 구가 정함",
        ),
    ]
