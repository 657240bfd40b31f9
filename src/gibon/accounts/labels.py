"""Korean labels for the account pages and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from gibon.accounts.models import ROLE_LABELS_KO, Role

SEOUL = ZoneInfo("Asia/Seoul")

ROLE_CHOICES: list[tuple[str, str]] = [
    (role.value, ROLE_LABELS_KO[role]) for role in Role if role is not Role.resident
]
# Resident accounts are made by identity verification (the demo loader here), never by hand.

STATE_ACTIVE = "사용 중"
STATE_DISABLED = "사용 중지"
STATE_LOCKED = "잠김"
STATE_MUST_CHANGE = "첫 로그인 시 비밀번호 변경"

# What the admin sees after each action (pages and CLI alike).
DONE = {
    "disable": "계정을 사용 중지했습니다. 로그인 세션 {ended}개를 끝냈습니다.",
    "enable": "계정을 다시 사용하게 했습니다.",
    "unlock": "로그인 잠금을 풀었습니다.",
    "unlock_none": "잠겨 있지 않았습니다. 실패 기록만 지웠습니다.",
}


def kst(moment: datetime) -> str:
    """A stored UTC time as people in Seoul read it, e.g. 2026-12-07 10:30."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
