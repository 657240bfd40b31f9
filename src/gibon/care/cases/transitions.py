"""The case lifecycle as data: statuses, the allowed transitions and the reason a step is refused.

Each step of the 돌봄통합지원법 workflow moves a case from one status to the next; the table below
is the only place that says which moves exist; ``gibon.care.rules.STEP_BASIS`` names the article
each move rests on (docs/care.md quotes it).
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
    CaseStatus.decided: "종합판정 완료",
    CaseStatus.planned: "지원계획 수립",
    # The value predates care_0003, when a 회의 approved plans; the law has the plan notified.
    CaseStatus.approved: "지원계획 안내",
    CaseStatus.in_service: "서비스 제공·점검",
    CaseStatus.closed: "종료",
}

OPEN = [s for s in CaseStatus if s is not CaseStatus.closed]
AFTER_DECISION = [
    CaseStatus.decided,
    CaseStatus.planned,
    CaseStatus.approved,
    CaseStatus.in_service,
]

# (action, from) -> to.  Each action's legal basis is ``rules.STEP_BASIS[action]``.
# ``close`` is allowed from every open status; ``reopen`` returns to the status before closing.
TRANSITIONS: dict[tuple[str, CaseStatus], CaseStatus] = {
    ("screen", CaseStatus.applied): CaseStatus.screened,
    ("assess", CaseStatus.screened): CaseStatus.assessed,
    ("decide", CaseStatus.assessed): CaseStatus.decided,
    ("decide_out", CaseStatus.assessed): CaseStatus.closed,
    **{("notify_decision", s): s for s in AFTER_DECISION},
    ("plan", CaseStatus.decided): CaseStatus.planned,
    ("plan", CaseStatus.planned): CaseStatus.planned,
    ("plan", CaseStatus.approved): CaseStatus.planned,  # a changed plan is notified again
    ("plan", CaseStatus.in_service): CaseStatus.in_service,
    ("approve", CaseStatus.planned): CaseStatus.planned,  # a 회의's view: no status of its own
    ("approve", CaseStatus.in_service): CaseStatus.in_service,
    ("notify", CaseStatus.planned): CaseStatus.approved,
    ("notify", CaseStatus.in_service): CaseStatus.in_service,
    ("link", CaseStatus.approved): CaseStatus.in_service,
    ("link", CaseStatus.in_service): CaseStatus.in_service,
    ("refer", CaseStatus.approved): CaseStatus.approved,
    ("refer", CaseStatus.in_service): CaseStatus.in_service,
    ("follow_up", CaseStatus.approved): CaseStatus.approved,
    ("follow_up", CaseStatus.in_service): CaseStatus.in_service,
    **{("intake", s): s for s in OPEN},
    **{("close", s): CaseStatus.closed for s in OPEN},
    ("reopen", CaseStatus.closed): CaseStatus.closed,  # target: the status before closing
}

ACTION_LABELS: dict[str, str] = {
    "screen": "사전 확인",
    "screen_out": "사전 확인(비대상, 이전 기록)",
    "assess": "통합판정조사",
    "decide": "종합판정",
    "decide_out": "종합판정(지원 불필요)",
    "notify_decision": "판정 결과 안내",
    "plan": "개인별지원계획",
    "approve": "통합지원회의",
    "notify": "지원계획 안내",
    "link": "서비스 제공 결정 통보",
    "refer": "서비스 의뢰",
    "follow_up": "점검",
    "intake": "대상자 구분·직권 사유 기록",
    "close": "종료",
    "reopen": "종료 취소(재개)",
}

# What must happen first, shown when a step is refused.
_NEEDS: dict[str, str] = {
    "screen": "신청 접수 상태에서만 사전 확인을 할 수 있습니다",
    "assess": "사전 확인 후에 통합판정조사를 할 수 있습니다",
    "decide": "통합판정조사 후에 종합판정할 수 있습니다",
    "decide_out": "통합판정조사 후에 종합판정할 수 있습니다",
    "notify_decision": "종합판정 후에 판정 결과를 안내할 수 있습니다",
    "plan": "종합판정 후에 지원계획을 세울 수 있습니다",
    "approve": "지원계획이 있어야 통합지원회의에 올릴 수 있습니다",
    "notify": "지원계획을 세운 뒤에 안내할 수 있습니다",
    "link": "지원계획을 안내한 뒤에 서비스를 연계할 수 있습니다",
    "refer": "지원계획을 안내한 뒤에 서비스를 의뢰할 수 있습니다 (법 제14조제1항)",
    "follow_up": "지원계획을 안내한 사례만 점검을 기록할 수 있습니다",
    "intake": "종료된 사례입니다. 먼저 종료를 취소하세요",
    "close": "이미 종료된 사례입니다",
    "reopen": "종료된 사례만 다시 열 수 있습니다",
}


def next_status(action: str, current: CaseStatus) -> CaseStatus:
    """The status after ``action``; refuses with the reason when the move is not in the table."""
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise InvalidTransition(
            f"{_NEEDS.get(action, '허용되지 않는 단계입니다')} "
            f"(현재 상태: {STATUS_LABELS[current]})",
            where="status",
            example=STATUS_LABELS[_first_source(action)],
        )
    return target


def allowed_actions(current: CaseStatus) -> list[str]:
    return [action for (action, source) in TRANSITIONS if source is current]


def _first_source(action: str) -> CaseStatus:
    return next(source for (a, source) in TRANSITIONS if a == action)
