"""Ending support (규칙 제11조) and undoing an ending (reopen), with every open item settled."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope
from gibon.accounts.models import User
from gibon.care import deadlines, repository, rules
from gibon.care.cases import service
from gibon.care.cases.schemas import CLOSE_LABELS, CaseClose, CaseReopen, Settle
from gibon.care.models import Case, FollowUp, Referral
from gibon.care.rules import EndReason
from gibon.errors import InvalidInput

# Reasons whose record must say how it was established.
NOTE_NEEDED = {
    EndReason.refused_explicitly: "거부 의사를 언제, 어떻게 표시했는지 메모에 적어 주세요",
    EndReason.minister: "보건복지부장관이 인정한 근거(공문 등)를 메모에 적어 주세요",
}


def close_case(session: Session, user: User, case_id: int, body: CaseClose) -> Case:
    """종료: only for a 규칙 제11조 reason, after every open referral and 점검 is settled."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    _check_reason(body)
    settled = _settle(session, case, body.settle)
    label = CLOSE_LABELS[body.reason]
    service.transition(session, user, case, "close", f"사유: {label}{settled}")
    case.close_reason = body.reason
    case.close_note = body.note
    session.flush()
    return case


def _check_reason(body: CaseClose) -> None:
    reason = body.end_reason
    if reason is EndReason.refused_explicitly and not body.explicit_refusal:
        raise InvalidInput(
            "규칙 제11조제4호는 명시적인 거부만 종료 사유로 인정합니다. "
            "본인이 거부 의사를 명시적으로 표시했음을 확인하세요",
            where="explicit_refusal",
            example="명시적 거부 확인: 예",
        )
    if reason in NOTE_NEEDED and len(body.note) < 5:
        raise InvalidInput(NOTE_NEEDED[reason], where="note", example="12월 3일 방문 시 서면 거부")


def open_items(session: Session, case_id: int) -> tuple[list[Referral], list[FollowUp]]:
    return repository.open_referrals(session, case_id), repository.open_followups(session, case_id)


def _settle(session: Session, case: Case, settle: list[Settle]) -> str:
    referrals, followups = open_items(session, case.id)
    wanted = {(s.kind, s.id): s.how for s in settle}
    missing = [
        f"의뢰 {r.id}번({r.provider.name})" for r in referrals if ("referral", r.id) not in wanted
    ]
    missing += [
        f"점검 {f.id}번({f.due_on} 예정)" for f in followups if ("followup", f.id) not in wanted
    ]
    if missing:
        raise InvalidInput(
            f"아직 끝나지 않은 일이 있습니다: {', '.join(missing)}. "
            "각각 '종료' 또는 '이관(계속)'을 골라야 사례를 종료할 수 있습니다",
            where="settle",
            example="의뢰 12번: 종료",
        )
    known = {("referral", r.id) for r in referrals} | {("followup", f.id) for f in followups}
    stray = [key for key in wanted if key not in known]
    if stray:
        raise InvalidInput(f"이 사례의 열린 의뢰·점검이 아닙니다: {stray[0][1]}번", where="settle")
    ended = carried = 0
    for ref in referrals:
        ended, carried = _apply_referral(ref, wanted[("referral", ref.id)], ended, carried)
    for fu in followups:
        ended, carried = _apply_followup(fu, wanted[("followup", fu.id)], ended, carried)
    session.flush()
    return f"; 열린 일 {ended}건 종료, {carried}건 이관" if referrals or followups else ""


def _apply_referral(ref: Referral, how: str, ended: int, carried: int) -> tuple[int, int]:
    if how == "carry":
        ref.note = (ref.note + " " if ref.note else "") + "[사례 종료 후 이관: 제공 계속]"
        return ended, carried + 1
    ref.status, ref.ended_on, ref.outcome = "ended", deadlines.today(), "사례 종료에 따라 종료"
    return ended + 1, carried


def _apply_followup(fu: FollowUp, how: str, ended: int, carried: int) -> tuple[int, int]:
    if how == "carry":
        fu.notes = (fu.notes + " " if fu.notes else "") + "[사례 종료 후 이관]"
        return ended, carried + 1
    fu.status, fu.notes = "cancelled", "사례 종료로 취소"
    return ended + 1, carried


def reopen_case(session: Session, user: User, case_id: int, body: CaseReopen) -> Case:
    """Undo an ending: the district team or the case's own officer, with a reason (audited)."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    if not may_reopen(user, case.officer_id):
        policy.refuse(
            user,
            Action.change,
            "care_case",
            case.id,
            "종료를 되돌릴 수 있는 사람은 구 통합돌봄과 또는 이 사례의 담당자입니다",
        )
    service.transition(session, user, case, "reopen", f"다시 연 사유: {body.reason}")
    case.close_reason = None
    session.flush()
    return case


def may_reopen(user: User, officer_id: int | None) -> bool:
    """Undoing an ending: the case's own officer, or anyone who works every case in the district."""
    own = officer_id is None or officer_id == user.id
    return own or policy.scope_of(user, Action.change, "care_case") is Scope.district


REOPEN_BASIS = rules.STEP_BASIS["reopen"]
