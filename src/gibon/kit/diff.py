"""Two versions of a record side by side: one row per field, the fields that differ marked.

Used by conflict screens (someone saved first): people compare what is stored now with what they
sent, in words, not as raw JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from gibon.kit import problems

SEOUL = ZoneInfo("Asia/Seoul")
_ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")

# Bookkeeping fields nobody needs to compare by eye.
_HIDDEN = frozenset({"id", "version", "your_version", "current_version", "status", "based_on"})


@dataclass(frozen=True)
class Row:
    label: str
    current: str
    submitted: str
    differs: bool


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{i}"))
        return out
    return {prefix: value}


def text(value: Any, codes: Mapping[str, str] | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, list):
        return ", ".join(text(v, codes) for v in value)
    if isinstance(value, str) and _ISO_TIME.match(value):
        stamp = datetime.fromisoformat(value)
        return (
            (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC))
            .astimezone(SEOUL)
            .strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return (codes or {}).get(str(value), str(value))


def rows(
    current: Mapping[str, Any] | None,
    submitted: Mapping[str, Any] | None,
    labels: Mapping[str, str] | None = None,
    codes: Mapping[str, Mapping[str, str]] | None = None,
    show: Callable[[str], str] | None = None,
) -> list[Row]:
    """Every field of either version that has a label, differing fields first."""
    now, mine = flatten(current or {}), flatten(submitted or {})
    out: list[Row] = []
    for key in dict.fromkeys([*now, *mine]):
        if key in _HIDDEN or key.rsplit(".", 1)[-1] in _HIDDEN:
            continue
        label = (labels or {}).get(key) or problems.label_for(key)
        if not label:
            continue
        field_codes = (codes or {}).get(key.rsplit(".", 1)[-1])
        a = (
            show(now[key])
            if show and key.endswith("_id") and key in now
            else text(now.get(key), field_codes)
        )
        b = text(mine.get(key), field_codes) if key in mine else "—"
        out.append(Row(label, a, b, key in now and key in mine and a != b))
    return sorted(out, key=lambda r: not r.differs)
