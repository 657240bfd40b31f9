"""A typed or uploaded dispensing row checked on its own: every bad field named in Korean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from gibon.pharm import context, knowledge, labels
from gibon.pharm.inputs import CSV_COLUMNS
from gibon.pharm.schemas import Dispensing

FIELDS = CSV_COLUMNS  # the columns a row keeps, in the CSV order


@dataclass(frozen=True)
class RowError:
    field: str
    message: str

    @property
    def text(self) -> str:
        """ "투약일수: 정수가 아닙니다 (입력: 삼십) — 예: 30"."""
        ex = labels.example(self.field)
        return f"{labels.field_ko(self.field)}: {self.message}" + (f" — 예: {ex}" if ex else "")


def clean(values: dict[str, Any]) -> dict[str, str | None]:
    """The row's fields as text (what is stored), blank as None, unknown keys dropped."""
    out: dict[str, str | None] = {}
    for name in FIELDS:
        value = values.get(name)
        text = "" if value is None else " ".join(str(value).split())
        out[name] = text or None
    return out


def check(
    values: dict[str, str | None], review_date: date
) -> tuple[Dispensing | None, list[RowError]]:
    """The row as a ``Dispensing``, or every problem with it (field by field)."""
    try:
        row = Dispensing.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        return None, [_error(e) for e in exc.errors()]
    problems = _dates(row, review_date)
    return (None, problems) if problems else (row, [])


def _error(err: Any) -> RowError:
    loc = [str(p) for p in err["loc"]]
    name = loc[0] if loc else "drug"
    return RowError(name if name in FIELDS else "drug", labels.message_ko(err))


def _dates(row: Dispensing, review_date: date) -> list[RowError]:
    if row.date > review_date:
        return [RowError("date", f"검토 기준일({review_date.isoformat()}) 이후의 날짜입니다")]
    if row.date < date(review_date.year - 2, review_date.month, 1):
        return [RowError("date", "검토 기준일보다 2년 넘게 이전입니다 (최근 12개월을 넣어 주세요)")]
    return []


def ingredients_ko(drug: str | None, drug_ko: str | None, atc: str | None = None) -> str:
    """How the review will read a drug name: Korean ingredient names, or "" when it cannot."""
    kb = knowledge.kb()
    name = drug or drug_ko
    read = context.read_name(kb, name, drug_ko, atc) if name else []
    if not read or any(ing is None for _, ing in read):
        return ""
    return " + ".join(kb.ko(ing) for _, ing in read if ing)
