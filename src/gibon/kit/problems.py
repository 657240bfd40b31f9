"""Input problems as Korean sentences naming the field by its on-screen label.

Pydantic's ``ValidationError`` and gibon's own ``GibonError`` both become ``Problem`` rows
(field path, label, message): pages show them next to their field and in a summary, the JSON API
sends the same Korean sentence and keeps the field path. Domains register the labels of their
fields once (``register({"members.*.earned_income": "구성원 {n}의 근로소득"})``); ``*`` stands for
a list index and ``{n}`` is that index counted from one, as people count rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Where a request's value came from; not part of the field as people see it.
_LOCATIONS = frozenset({"body", "query", "path", "form", "header", "cookie"})

_LABELS: dict[str, str] = {}

_MESSAGES: dict[str, str] = {
    "missing": "꼭 적어야 하는 항목입니다",
    "string_too_short": "{min_length}자 이상 적어 주세요",
    "string_too_long": "{max_length}자 이하로 적어 주세요",
    "string_type": "글자로 적어 주세요",
    "string_pattern_mismatch": "형식이 맞지 않습니다",
    "int_parsing": "숫자로 적어 주세요 (예: {example})",
    "int_type": "숫자로 적어 주세요 (예: {example})",
    "int_from_float": "소수점 없는 숫자로 적어 주세요 (예: {example})",
    "float_parsing": "숫자로 적어 주세요 (예: 1.5)",
    "float_type": "숫자로 적어 주세요 (예: 1.5)",
    "greater_than_equal": "{ge} 이상이어야 합니다",
    "greater_than": "{gt}보다 커야 합니다",
    "less_than_equal": "{le} 이하이어야 합니다",
    "less_than": "{lt}보다 작아야 합니다",
    "enum": "목록에 있는 값 중에서 골라 주세요",
    "literal_error": "목록에 있는 값 중에서 골라 주세요",
    "date_parsing": "날짜를 YYYY-MM-DD 형식으로 적어 주세요 (예: 2026-12-01)",
    "date_from_datetime_parsing": "날짜를 YYYY-MM-DD 형식으로 적어 주세요 (예: 2026-12-01)",
    "date_type": "날짜를 YYYY-MM-DD 형식으로 적어 주세요 (예: 2026-12-01)",
    "datetime_parsing": "일시를 YYYY-MM-DD HH:MM 형식으로 적어 주세요 (예: 2026-12-01 14:30)",
    "datetime_from_date_parsing": "일시를 YYYY-MM-DD HH:MM 형식으로 적어 주세요 (예: 2026-12-01 14:30)",
    "time_parsing": "시각을 HH:MM 형식으로 적어 주세요 (예: 09:30)",
    "too_short": "최소 {min_length}개가 필요합니다",
    "too_long": "최대 {max_length}개까지 적을 수 있습니다",
    "bool_parsing": "예 또는 아니오를 골라 주세요",
    "bool_type": "예 또는 아니오를 골라 주세요",
    "extra_forbidden": "이 양식에 없는 항목입니다",
    "dict_type": "항목 묶음이어야 합니다",
    "list_type": "목록이어야 합니다",
    "model_type": "항목 묶음이어야 합니다",
    "json_invalid": "JSON 형식이 맞지 않습니다",
    "date_past": "지난 날짜여야 합니다",
    "date_future": "앞으로의 날짜여야 합니다",
}
_UNKNOWN = "값을 확인해 주세요"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: the field path, its on-screen label and a Korean message."""

    where: str
    label: str
    message: str

    @property
    def anchor(self) -> str:
        """The id of the field's element on a page (see the ``field`` macros)."""
        return field_id(self.where)

    def sentence(self) -> str:
        return f"{self.label}: {self.message}" if self.label else self.message


def field_id(where: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", where)


def register(labels: Mapping[str, str]) -> None:
    """Add a domain's field labels (path patterns with ``*`` for list indexes)."""
    _LABELS.update(labels)


def label_for(where: str, labels: Mapping[str, str] | None = None) -> str:
    """The on-screen label of a field path; the most specific registered pattern wins."""
    parts = [p for p in where.split(".") if p]
    table = {**_LABELS, **(labels or {})}
    for cut in range(len(parts)):
        tail = parts[cut:]
        indexes = [int(p) for p in tail if p.isdigit()]
        pattern = ".".join("*" if p.isdigit() else p for p in tail)
        if pattern in table:
            return _fill(table[pattern], indexes)
    return ""


def _fill(label: str, indexes: list[int]) -> str:
    for i in indexes:
        label = label.replace("{n}", str(i + 1), 1)
    return label


def path(loc: Iterable[Any]) -> str:
    items = list(loc)
    if items and items[0] in _LOCATIONS:
        items = items[1:]
    return ".".join(str(p) for p in items)


def message(error: Mapping[str, Any]) -> str:
    """Pydantic's error as a Korean message (a domain's own ``ValueError`` text kept as written)."""
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        text = (
            str(error.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
        return text if _has_korean(text) else _UNKNOWN
    template = _MESSAGES.get(kind)
    if template is None:
        return _UNKNOWN
    ctx = {"example": _example(error), **{k: _fmt(v) for k, v in (error.get("ctx") or {}).items()}}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(" (")[0]


def _fmt(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _example(error: Mapping[str, Any]) -> str:
    name = str(list(error.get("loc") or [""])[-1])
    money = any(w in name for w in ("income", "won", "amount", "deposit", "rent", "asset", "debt"))
    return "1500000" if money else "3"


def _has_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def from_validation(
    errors: Iterable[Mapping[str, Any]], labels: Mapping[str, str] | None = None
) -> list[Problem]:
    """Pydantic's (or FastAPI's) error list as problems, one per field, in order."""
    out: dict[str, Problem] = {}
    for error in errors:
        where = path(error.get("loc") or ())
        if where not in out:
            out[where] = Problem(where, label_for(where, labels), message(error))
    return list(out.values())


def from_error(exc: Any, labels: Mapping[str, str] | None = None) -> Problem:
    """A ``GibonError`` as a problem: its message (Korean already) with the example it carries."""
    where = exc.where or ""
    text = exc.message
    if exc.example and exc.where != "version" and "예:" not in text:
        text = f"{text} (예: {exc.example})"
    return Problem(where, label_for(where, labels), text)


def as_dict(problems: Iterable[Problem]) -> dict[str, str]:
    """``{field path: message}`` for forms that show each message next to its field."""
    return {p.where or "_form": p.message for p in problems}
