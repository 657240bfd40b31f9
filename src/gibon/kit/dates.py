"""Dates as people type them: 2026-12-07, 2026.12.07, 2026/12/07, 20261207, 2026. 12. 7."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from gibon.errors import InvalidInput

EXAMPLE = "2026-12-07 (2026.12.07, 2026/12/07, 20261207도 됩니다)"
_SEPARATED = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")


def parse(text: str, where: str = "날짜") -> date:
    """One date from what a person typed; a Korean error naming ``where`` with an example."""
    value = " ".join(str(text).split())
    timed = _ISO_TIME.match(value)
    if timed:
        value = timed.group(1)
    found = _SEPARATED.match(value) or _COMPACT.match(value)
    if found is None:
        raise InvalidInput(f"날짜 형식이 아닙니다 ({value!r})", where=where, example=EXAMPLE)
    year, month, day = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            f"없는 날짜입니다 ({year}년 {month}월 {day}일)", where=where, example=EXAMPLE
        ) from None


def coerce(value: Any) -> Any:
    """For a Pydantic ``mode="before"`` validator: text becomes a date, anything else passes."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value.strip():
        try:
            return parse(value)
        except InvalidInput:
            return value  # Pydantic then reports the field with its own location
    if isinstance(value, str):
        return None
    return value
