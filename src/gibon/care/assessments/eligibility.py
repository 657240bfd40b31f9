"""Who the law covers and who applied: 대상자 구분 (영 제2조), 직권 사유 (영 제4조), consent giver."""

from __future__ import annotations

from datetime import date

from gibon.care import rules
from gibon.care._rows import CaseFields
from gibon.care.cases.schemas import CaseCreate, Channel
from gibon.care.rules import TargetGroup
from gibon.errors import InvalidInput
from gibon.residents.models import Person

# 규칙 제7조①4: staff of an institution apply only with the consent of the person (or family,
# guardian); the consent is the person's, never the staff member's.
PERSONAL_CHANNELS = frozenset({Channel.self, Channel.family, Channel.guardian})


def consent_giver(body: CaseCreate, person: Person) -> str:
    if body.channel in PERSONAL_CHANNELS:
        return body.applicant_name
    return person.name


def age_on(person: Person, day: date) -> int:
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_target_group(person: Person, group: TargetGroup | None, today: date) -> TargetGroup:
    """법 제2조제2호, 영 제2조제1항: the category is recorded, and checked against the register."""
    age = age_on(person, today)
    if group is None and age >= 65:
        return TargetGroup.age_65
    if group is None:
        raise InvalidInput(
            f"만 {age}세입니다: 대상자 구분(영 제2조제1항)을 고르세요",
            where="target_group",
            example=rules.TARGET_GROUPS[TargetGroup.severe_disability][0],
        )
    if group is TargetGroup.age_65 and age < 65:
        raise InvalidInput(
            f"만 {age}세라 65세 이상(영 제2조제1항제1호)에 해당하지 않습니다",
            where="target_group",
            example=rules.TARGET_GROUPS[TargetGroup.agreed][0],
        )
    if group is TargetGroup.severe_disability and person.disability != "severe":
        raise InvalidInput(
            "장애의 정도가 심한 장애인으로 등록되어 있지 않습니다 (영 제2조제1항제2호)",
            where="target_group",
            example=rules.TARGET_GROUPS[TargetGroup.agreed][0],
        )
    return group


def intake_flag(case: CaseFields) -> str | None:
    if case.channel == Channel.ex_officio.value and not case.ex_officio_ground:
        return "ex_officio_ground_missing"
    return None if case.target_group else "target_group_missing"
