"""When a case falls due: the 점검 of 규칙 제10조①, the 재평가 of 법 제12조②, and the district's own
per-step working days (deadlines.yaml; a district choice, never law)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from gibon.care import rules, settings
from gibon.care.cases.transitions import OPEN, CaseStatus
from gibon.errors import InvalidInput
from gibon.kit import clock

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "care" / "deadlines.yaml"
SEOUL = ZoneInfo("Asia/Seoul")


def today() -> date:
    return clock.now().astimezone(SEOUL).date()


@lru_cache(maxsize=4)
def load(path: Path = DEFAULT_FILE) -> dict[CaseStatus, int]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    days: dict[CaseStatus, int] = {}
    for status in STEPS:
        value = raw.get(status.value)
        if not isinstance(value, int) or value < 1:
            raise InvalidInput(
                f"deadline for step '{status.value}' must be a whole number of days >= 1",
                where=f"{path}:{status.value}",
                example=f"{status.value}: 14",
            )
        days[status] = value
    return days


# Steps with a working deadline of the district's own; in service, the law's 점검 (규칙 제10조①)
# is the deadline, so the district sets none of its own there.
STEPS = [s for s in OPEN if s is not CaseStatus.in_service]


def configured() -> dict[CaseStatus, int]:
    override = os.environ.get("GIBON_CARE_DEADLINES_FILE")
    return load(Path(override)) if override else load()


def due_on(status: CaseStatus, entered: date) -> date | None:
    days = configured().get(status)
    return None if days is None else entered + timedelta(days=days)


# The basis of each deadline, as data (checked against the statute excerpts by the tests).
STEP_DAYS_BASIS = rules.DISTRICT
REVIEW_FIRST_BASIS = rules.STEP_BASIS["follow_up"]
REVIEW_EVERY_BASIS = rules.REVIEW_RULE
REASSESS_BASIS = rules.REASSESS_RULE


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, on the last day of a shorter month (1월 31일 + 1 = 2월 28일)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_due(first_plan_on: date, last_review_on: date | None) -> date:
    """규칙 제10조①: within 3 months of the first plan, then within the district's ≤ 6 months."""
    s = settings.current()
    if last_review_on is None:
        return add_months(first_plan_on, s.review_first_months)
    return add_months(last_review_on, s.review_every_months)


def case_due(
    status: CaseStatus,
    entered: date,
    review: date | None = None,
    reassess: date | None = None,
) -> date | None:
    """The earliest of the step's working deadline, the next 점검 and the 재평가 date."""
    if status is CaseStatus.closed:
        return None
    days = [d for d in (due_on(status, entered), review, reassess) if d is not None]
    return min(days) if days else None
