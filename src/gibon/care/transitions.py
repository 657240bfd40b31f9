"""The case lifecycle as data: statuses, the allowed transitions and the reason a step is refused.

Each step of the 돌봄통합지원법 workflow moves a case from one status to the next; the table below
is the only place that says which moves exist (see docs/care.md for the legal reference of each).
"""

from __future__ import annotations

from enum import StrEnum

from gibon.errors import InvalidTransition


class CaseStatus(StrEnum):
    applied = "applied"  # 신청·발굴 접수
    screened = "screened"  # 사전 확인 완료, 조사 대기
    assessed = "assessed"  # 통합판정조사 완료, 판정 대기
    decided = "decided"  # 판정 완료, 계획 수립 대기
    planned = "planned"  # 지원계획 수립, 통합지원회의 대기
    approved = "approved"  # 회의 승인, 서비스 연계 대기
    in_service = "in_service"  # 서비스 제공·모니터링
    closed = "closed"  # 종결


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.applied: "신청 접수",
    CaseStatus.screened: "사전 확인 완료",
    CaseStatus.assessed: "통합판정조사 완료",
    CaseStatus.decided: "판정 완료",
    CaseStatus.planned: "지원계획 수립",
    CaseStatus.approved: "통합지원회의 승인",
    CaseStatus.in_service: "서비스 제공·모니터링",
    CaseStatus.closed: "종결",
}

OPEN = [s for s in CaseStatus if s is not CaseStatus.closed]

# (action, from) -> to.  ``close`` is allowed from every open status.
TRANSITIONS: dict[tuple[str, CaseStatus], CaseStatus] = {
    ("screen", CaseStatus.applied): CaseStatus.screened,
    ("screen_out", CaseStatus.applied): CaseStatus.closed,
    ("assess", CaseStatus.screened): CaseStatus.assessed,
    ("decide", CaseStatus.assessed): CaseStatus.decided,
    ("decide_out", CaseStatus.assessed): CaseStatus.closed,
    ("plan", CaseStatus.decided): CaseStatus.planned,
    ("plan", CaseStatus.planned): CaseStatus.planned,
    ("plan", CaseStatus.approved): CaseStatus.planned,  # a changed plan needs a new approval
    ("plan", CaseStatus.in_service): CaseStatus.in_service,
    ("approve", CaseStatus.planned): CaseStatus.approved,
    ("link", CaseStatus.approved): CaseStatus.in_service,
    ("link", CaseStatus.in_service): CaseStatus.in_service,
    ("refer", CaseStatus.approved): CaseStatus.approved,
    ("refer", CaseStatus.in_service): CaseStatus.in_service,
    ("follow_up", CaseStatus.in_service): CaseStatus.in_service,
    **{("close", s): CaseStatus.closed for s in OPEN},
}

ACTION_LABELS: dict[str, str] = {
    "screen": "사전 확인",
    "screen_out": "사전 확인(비대상)",
    "assess": "통합판정조사",
    "decide": "판정",
    "decide_out": "판정(지원 불필요)",
    "plan": "개인별 지원계획",
    "approve": "통합지원회의 승인",
    "link": "서비스 연계 수락",
    "refer": "서비스 연계 의뢰",
    "follow_up": "모니터링",
    "close": "종결",
}

# What must happen first, shown when a step is refused.
_NEEDS: dict[str, str] = {
    "screen": "신청 접수 상태에서만 사전 확인을 할 수 있습니다",
    "screen_out": "신청 접수 상태에서만 사전 확인을 할 수 있습니다",
    "assess": "사전 확인(조사 대상 분류) 후에 통합판정조사를 할 수 있습니다",
    "decide": "통합판정조사 후에 판정할 수 있습니다",
    "decide_out": "통합판정조사 후에 판정할 수 있습니다",
    "plan": "판정 후에 지원계획을 세울 수 있습니다",
    "approve": "지원계획이 있고 아직 승인되지 않은 사례만 회의에서 승인할 수 있습니다",
    "link": "통합지원회의에서 계획이 승인된 뒤에 서비스를 연계할 수 있습니다",
    "refer": "통합지원회의에서 계획이 승인된 뒤에 서비스를 의뢰할 수 있습니다",
    "follow_up": "서비스 제공 중인 사례만 모니터링을 기록할 수 있습니다",
    "close": "이미 종결된 사례입니다",
}


def next_status(action: str, current: CaseStatus) -> CaseStatus:
    """The status after ``action``; refuses with the reason when the move is not in the table."""
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise InvalidTransition(
            f"{_NEEDS.get(action, '허용되지 않는 단계입니다')} "
            f"(현재 상태: {STATUS_LABELS[current]}; cannot {action} from {current.value})",
            where="status",
            example=STATUS_LABELS[_first_source(action)],
        )
    return target


def allowed_actions(current: CaseStatus) -> list[str]:
    return [action for (action, source) in TRANSITIONS if source is current]


def _first_source(action: str) -> CaseStatus:
    return next(source for (a, source) in TRANSITIONS if a == action)
