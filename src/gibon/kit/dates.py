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
    if _is_plain_iso(text):  # the common case (files, forms), read without the regexes
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2026-02-30: the general path below names the impossible day
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


def _is_plain_iso(text: object) -> bool:
    """Exactly YYYY-MM-DD in ASCII digits (what ``date.fromisoformat`` and the regex agree on)."""
    return (
        isinstance(text, str)
        and len(text) == 10
        and text[4] == "-"
        and text[7] == "-"
        and (text[:4] + text[5:7] + text[8:]).isascii()
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    )


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
