"""The main menu: each entry asks the policy entry that guards its page, so nobody sees a dead link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gibon.access.policy import POLICY, Action
from gibon.accounts.models import Role

STAFF_AND_RESIDENTS = frozenset(Role)
OFFICERS = frozenset({Role.admin, Role.district_team, Role.dong_officer})


@dataclass(frozen=True)
class NavItem:
    """A menu entry guarded by the same policy entry as its page, or by a role set for open pages."""

    path: str
    label: str
    guard: tuple[Action, str] | frozenset[Role]

    @property
    def roles(self) -> frozenset[Role]:
        if isinstance(self.guard, frozenset):
            return self.guard
        action, resource = self.guard
        return frozenset(POLICY[(resource, action)])


NAV: list[NavItem] = [
    NavItem("/", "관악구 한눈에", STAFF_AND_RESIDENTS),
    NavItem("/my", "내 복지", (Action.view, "my_household")),
    NavItem("/my/consents", "내 동의", (Action.view, "my_household")),
    NavItem("/my/records", "열람 기록", (Action.view, "my_records")),
    NavItem("/care", "통합돌봄 업무함", (Action.list, "care_case")),
    NavItem("/requests", "주민 요청함", (Action.list, "resident_request")),
    NavItem("/guardians", "대리인 등록", (Action.list, "guardianship")),
    NavItem("/care/discharge-notices", "퇴원·퇴소 통보", (Action.list, "care_case")),
    NavItem("/care/dashboard", "통합돌봄 현황", (Action.view, "care_statistics")),
    NavItem("/care/referrals", "서비스 의뢰함", (Action.list, "care_referral")),
    NavItem("/care/followups", "모니터링 일정", (Action.list, "care_followup")),
    NavItem("/visits/plans", "의료드림 방문 일정", (Action.list, "visit_plan")),
    NavItem("/visits/today", "오늘 방문", (Action.view, "visit_day")),
    NavItem("/visits/day-plan", "의료드림 하루 계획", (Action.create, "visit_plan")),
    NavItem("/pharm", "스마트 방문약료", (Action.change, "pharm_visit")),
    # the calculator is open to anyone; the menu offers it to the officers who use it at work
    NavItem("/benefits", "급여 계산", OFFICERS),
    NavItem("/simulator/outreach", "사각지대 발굴", (Action.list, "outreach")),
    NavItem("/crisis", "위기가구 발굴", (Action.list, "crisis_item")),
    NavItem("/crisis/quality", "발굴 신호 품질", (Action.view, "crisis_quality")),
    NavItem("/simulator", "정책 시뮬레이터", (Action.view, "simulation")),
    NavItem("/admin/audit", "감사 기록", (Action.view, "audit_log")),
    NavItem("/admin/accounts", "계정 관리", (Action.change, "account")),
    NavItem("/admin/access", "접근 권한표", (Action.view, "access_policy")),
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
