"""The worklist item's lifecycle as data: statuses, the allowed moves and why a move is refused.

확인 중 → 지원 연계 / 비대상(사유) / 소재 불명(정해진 시도 후) / 재확인 예정(날짜); a 재확인 예정
item comes back to 확인 중 on its date or with a new signal. 지원 연계 follows the care case it
opened: when that case closes, the item closes with it.
"""

from __future__ import annotations

from enum import StrEnum

from gibon.errors import InvalidTransition


class Status(StrEnum):
    checking = "checking"
    linked = "linked"
    not_needed = "not_needed"
    unreachable = "unreachable"
    recheck = "recheck"
    done = "done"  # the linked care case closed


class Action(StrEnum):
    link = "link"
    not_needed = "not_needed"
    unreachable = "unreachable"
    recheck = "recheck"
    reopen = "reopen"
    case_closed = "case_closed"
    benefit_refused = "benefit_refused"


TRANSITIONS: dict[tuple[Action, Status], Status] = {
    (Action.link, Status.checking): Status.linked,
    (Action.not_needed, Status.checking): Status.not_needed,
    (Action.unreachable, Status.checking): Status.unreachable,
    (Action.recheck, Status.checking): Status.recheck,
    (Action.reopen, Status.recheck): Status.checking,
    (Action.case_closed, Status.linked): Status.done,
    # a benefit application opened by 지원 연계 was refused: the household needs looking at again
    (Action.benefit_refused, Status.linked): Status.checking,
}

# While an item is in one of these, new signals of its household join it (one item per household).
OPEN = frozenset({Status.checking, Status.recheck, Status.linked})

_NEEDS = {
    Action.link: "확인 중인 항목만 지원 연계할 수 있습니다",
    Action.not_needed: "확인 중인 항목만 비대상으로 닫을 수 있습니다",
    Action.unreachable: "확인 중인 항목만 소재 불명으로 닫을 수 있습니다",
    Action.recheck: "확인 중인 항목만 재확인 예정으로 둘 수 있습니다",
    Action.reopen: "재확인 예정 항목만 다시 확인 중으로 돌릴 수 있습니다",
    Action.case_closed: "지원 연계된 항목만 사례 종결을 따릅니다",
    Action.benefit_refused: "지원 연계된 항목만 급여 결정을 따릅니다",
}


def next_status(action: Action, current: Status) -> Status:
    new = TRANSITIONS.get((action, current))
    if new is None:
        raise InvalidTransition(_NEEDS[action], where="action", example=_example(current))
    return new


def _example(current: Status) -> str:
    allowed = [
        a.value
        for (a, s) in TRANSITIONS
        if s is current and a not in (Action.case_closed, Action.benefit_refused)
    ]
    return " | ".join(allowed) or "(이 상태에서는 바꿀 수 없습니다)"
