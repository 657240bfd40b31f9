"""Jinja filters for what people read: KST times, amounts in 원, yes/no, Korean-only messages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")

# "한국어 문장 (english gloss)": the gloss is for the JSON API and logs, not for pages.
_ENGLISH_GLOSS = re.compile(r"\s*\((?=[^()]*[A-Za-z]{3})[^()가-힣]*\)")


def kst(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (UTC; SQLite hands it back without a zone) as Seoul wall-clock time."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return str(aware.astimezone(SEOUL).strftime(fmt))
    if isinstance(value, date):
        return value.strftime(fmt.split(" ")[0])
    return str(value)


def won(value: Any, unit: str = "원") -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{round(float(value)):,}{unit}"
    except (TypeError, ValueError):
        return str(value)


def yesno(value: Any) -> str:
    if value is None:
        return "—"
    return "예" if value else "아니오"


def ko(message: Any) -> str:
    """A message without its English gloss in parentheses."""
    return _ENGLISH_GLOSS.sub("", str(message or "")).strip()


def has_korean(text: Any) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in str(text or ""))


def install(env: Any) -> None:
    env.filters.update({"kst": kst, "won": won, "yesno": yesno, "ko": ko})
    env.tests["korean"] = has_korean
