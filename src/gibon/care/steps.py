"""The assessment steps of a case: 사전 확인, 통합판정조사, 판정 (one small function each)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.care import assessment, deadlines, repository, service
from gibon.care.assessment import NeedLevel, ScreenOutcome
from gibon.care.models import Assessment, Decision, Screening
from gibon.care.schemas import (
    AssessmentCreate,
    CloseReason,
    ConsentPurpose,
    DecisionCreate,
    ScreeningCreate,
)
from gibon.errors import InvalidInput


def screen(session: Session, user: User, case_id: int, body: ScreeningCreate) -> Screening:
    """사전 확인: score the short ADL check; not eligible closes the case, otherwise sorted."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    score, outcome = assessment.screen(body.items)
    action = "screen_out" if outcome is ScreenOutcome.not_eligible else "screen"
    service.transition(session, user, case, action, f"outcome={outcome.value} score={score}")
    if outcome is ScreenOutcome.not_eligible:
        case.close_reason = CloseReason.not_eligible.value
    row = Screening(
        case_id=case.id,
        items=body.items.model_dump(),
        score=score,
        outcome=outcome.value,
        note=body.note,
        by=user.username,
    )
    session.add(row)
    session.flush()
    return row


def assess(session: Session, user: User, case_id: int, body: AssessmentCreate) -> Assessment:
    """통합판정조사 (or the district survey the pre-screen chose), validated and scored."""
    case = service.case_for_change(session, user, case_id, body.version, {"data": "…"})
    if case.channel != "ex_officio":
        service.require_consent(session, case, ConsentPurpose.assessment, "consent")
    screenings = repository.screenings(session, case.id)
    kind = screenings[-1].outcome if screenings else ScreenOutcome.full.value
    scores = assessment.scores(body.data)
    service.transition(session, user, case, "assess", f"kind={kind} adl={scores['adl_total']}")
    row = Assessment(
        case_id=case.id,
        kind=kind,
        data=body.data.model_dump(mode="json"),
        scores=scores,
        by=user.username,
    )
    session.add(row)
    session.flush()
    return row


def decide(session: Session, user: User, case_id: int, body: DecisionCreate) -> Decision:
    """판정: the officer's level with reasons; 'none' closes the case as not eligible."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    found = repository.assessments(session, case.id)
    if not found:
        raise InvalidInput("판정 전에 통합판정조사 결과가 필요합니다", where="assessment")
    suggested = str(found[-1].scores.get("suggested", NeedLevel.none.value))
    action = "decide_out" if body.level is NeedLevel.none else "decide"
    service.transition(
        session, user, case, action, f"level={body.level.value} suggested={suggested}"
    )
    case.need_level = body.level.value
    if body.level is NeedLevel.none:
        case.close_reason = CloseReason.not_eligible.value
    row = Decision(
        case_id=case.id,
        level=body.level.value,
        suggested_level=suggested,
        reasons=body.reasons,
        by=user.username,
        reassess_on=deadlines.today() + timedelta(days=30 * body.reassess_in_months),
    )
    session.add(row)
    session.flush()
    return row
