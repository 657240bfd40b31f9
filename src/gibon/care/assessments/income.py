"""The income situation for the assessment, from gibon.benefits on the stored household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon import benefits
from gibon.errors import GibonError
from gibon.residents.models import Household, Person

_INCOME = ("earned_income", "business_income", "pension_income", "property_income")
_SECRET = {"rrn_enc", "rrn_hash", "rrn_masked"}


@dataclass(frozen=True)
class IncomeSituation:
    month: str
    person_income: int  # the person's own monthly income (won)
    benefits_total: int  # the household's monthly cash and vouchers per gibon.benefits
    eligible: list[tuple[str, int]]  # (program, amount)
    undetermined: list[str]
    problem: str | None = None


def situation(session: Session, person: Person, today: date) -> IncomeSituation:
    month = f"{today:%Y-%m}"
    own = sum(int(getattr(person, k) or 0) for k in _INCOME)
    household = session.get(Household, person.household_id)
    members = list(
        session.scalars(select(Person).where(Person.household_id == person.household_id))
    )
    if household is None:
        return IncomeSituation(month, own, 0, [], [], "가구 정보가 없습니다")
    try:
        result = benefits.explain_households(
            _household_frame(household), _person_frame(members), month
        )[0]
    except GibonError as exc:
        return IncomeSituation(month, own, 0, [], [], exc.message)
    programs: list[dict[str, Any]] = result["programs"]
    return IncomeSituation(
        month,
        own,
        int(result["total"]),
        [(p["name_ko"], int(p["amount"])) for p in programs if _yes(p["eligible"])],
        [p["name_ko"] for p in programs if not _yes(p["determined"])],
    )


def _yes(value: Any) -> bool:
    return value is True or value == "True"


def _household_frame(h: Household) -> pl.DataFrame:
    row = {
        ("household_id" if c.key == "id" else c.key): getattr(h, c.key)
        for c in Household.__table__.columns
    }
    return pl.DataFrame([row])


def _person_frame(members: list[Person]) -> pl.DataFrame:
    keys = [c.key for c in Person.__table__.columns if c.key not in _SECRET]
    rows = [{("person_id" if k == "id" else k): getattr(m, k) for k in keys} for m in members]
    return pl.DataFrame(
        rows, schema_overrides={"ltc_grade": pl.Utf8, "conditions": pl.List(pl.Utf8)}
    )
