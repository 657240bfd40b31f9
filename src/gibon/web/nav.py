"""The main menu: each entry names the roles that may open it, so nobody sees a dead link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gibon.accounts.models import Role

ALL = frozenset(Role)
DISTRICT = frozenset({Role.admin, Role.district_team})
OFFICERS = DISTRICT | {Role.dong_officer}


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: frozenset[Role]


NAV: list[NavItem] = [
    NavItem("/", "관악구 한눈에", ALL),
    NavItem("/my", "내 복지", frozenset({Role.resident})),
    NavItem("/my/consents", "내 동의", frozenset({Role.resident})),
    NavItem("/my/records", "열람 기록", frozenset({Role.resident})),
    NavItem("/care", "통합돌봄 업무함", OFFICERS),
    NavItem("/requests", "주민 요청함", OFFICERS),
    NavItem("/guardians", "대리인 등록", OFFICERS),
    NavItem("/care/dashboard", "통합돌봄 현황", OFFICERS | {Role.policy_analyst}),
    NavItem("/care/referrals", "서비스 의뢰함", frozenset({Role.provider})),
    NavItem(
        "/care/followups", "모니터링 일정", OFFICERS | {Role.visiting_professional, Role.pharmacist}
    ),
    NavItem("/visits/plans", "의료드림 방문 일정", DISTRICT | {Role.visiting_professional}),
    NavItem("/visits/today", "오늘 방문", frozenset({Role.visiting_professional, Role.pharmacist})),
    NavItem("/visits/day-plan", "의료드림 하루 계획", DISTRICT),
    NavItem("/pharm", "스마트 방문약료", DISTRICT | {Role.pharmacist}),
    NavItem("/benefits", "급여 계산", OFFICERS),
    NavItem("/simulator/outreach", "사각지대 발굴", OFFICERS),
    NavItem("/crisis", "위기가구 발굴", OFFICERS),
    NavItem("/crisis/quality", "발굴 신호 품질", OFFICERS | {Role.policy_analyst}),
    NavItem("/simulator", "정책 시뮬레이터", DISTRICT | {Role.policy_analyst}),
    NavItem("/admin/audit", "감사 기록", frozenset({Role.admin})),
    NavItem("/admin/accounts", "계정 관리", frozenset({Role.admin})),
    NavItem("/admin/access", "접근 권한표", DISTRICT),
]


class _HasRole(Protocol):
    @property
    def role_enum(self) -> Role: ...


def nav_items(user: _HasRole | None) -> list[NavItem]:
    """The entries the user may open; the public calculator is open to residents too."""
    if user is None:
        return [item for item in NAV if item.path in ("/", "/benefits")]
    return [item for item in NAV if user.role_enum in item.roles]


def current_path(items: list[NavItem], path: str) -> str | None:
    """The menu entry a page belongs to: the longest entry path that is the page's path or its parent."""
    matches = [
        i.path for i in items if path == i.path or (i.path != "/" and path.startswith(i.path + "/"))
    ]
    return max(matches, key=len) if matches else None
