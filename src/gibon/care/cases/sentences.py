"""The case log as Korean sentences: what each step recorded, with codes turned into words.

Steps store a short machine detail with their event (``outcome=not_eligible score=0``,
``plan v1 conference 920``); this module is the one place that reads those back for people.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gibon.care import labels

_KEYS: dict[str, tuple[str, dict[str, str]]] = {
    "channel": ("신청 경로", labels.CHANNEL),
    "outcome": ("결과", labels.SCREEN),
    "score": ("점수", {}),
    "kind": ("조사 종류", labels.SCREEN),
    "adl": ("K-ADL", {}),
    "level": ("판정", labels.LEVEL),
    "suggested": ("제안 판정", labels.LEVEL),
    "reason": ("사유", labels.CLOSE),
    "provider": ("제공기관", {}),
}
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^plan v(\d+) conference (\d+)$"), "계획 {0}판을 통합지원회의(회의 {1})에서 승인"),
    (re.compile(r"^plan v(\d+)$"), "계획 {0}판 작성"),
    (re.compile(r"^referral (\d+) accepted$"), "의뢰 {0}번을 제공기관이 수락"),
    (re.compile(r"^scheduled (\w+) (\S+)$"), "{0:followup} 예정 {1}"),
    (re.compile(r"^done (\w+) (\S+)$"), "{0:followup} 완료 {1}"),
]


def detail(text: str, person: Callable[[str | None], str] | None = None) -> str:
    """A stored event detail in words; unknown codes are left out rather than shown raw."""
    text = (text or "").strip()
    if not text:
        return ""
    for pattern, template in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _fill(template, match.groups())
    if "=" not in text:
        return text if _has_korean(text) else ""
    return " · ".join(_pairs(text, person))


def _fill(template: str, groups: tuple[str, ...]) -> str:
    out = template
    for i, value in enumerate(groups):
        out = out.replace(f"{{{i}:followup}}", labels.FOLLOWUP.get(value, "점검"))
        out = out.replace(f"{{{i}}}", value)
    return out


def _pairs(text: str, person: Callable[[str | None], str] | None) -> list[str]:
    parts: list[str] = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        if "=" not in token:
            continue
        key, value = token.split("=", 1)
        if key not in _KEYS or value in ("", "None", "-"):
            continue
        label, codes = _KEYS[key]
        shown = person(value) if key == "provider" and person else codes.get(value, value)
        if key == "provider" and i + 1 < len(tokens) and "=" not in tokens[i + 1]:
            shown += f", {labels.SERVICE.get(tokens[i + 1], '')}".rstrip(", ")
        if shown and (codes or key in ("score", "adl", "provider")):
            parts.append(f"{label} {shown}")
    return parts


def _has_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def sentence(
    who: str,
    case_id: int,
    action: str,
    text: str,
    person: Callable[[str | None], str] | None = None,
) -> str:
    """ "신림동 주민센터 이도윤님이 사례 2002의 계획 1판 작성" (what the log line says in full)."""
    what = detail(text, person) or labels.ACTION.get(action, "처리")
    step = labels.ACTION.get(action, "처리")
    if step not in what:
        what = f"{step}: {what}" if detail(text, person) else step
    return f"{who}님이 사례 {case_id}의 {what}"
