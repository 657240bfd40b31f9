"""The assessment steps of a case: 사전 확인, 통합판정조사, 종합판정 (one small function each)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.care import deadlines, repository, rules
from gibon.care.assessments import scoring as assessment
from gibon.care.assessments.schemas import (
    NOTICE_LABELS,
    AssessmentCreate,
    DecisionCreate,
    DecisionNotice,
    ScreeningCreate,
)
from gibon.care.assessments.scoring import NeedLevel, ScreenOutcome
from gibon.care.cases import service
from gibon.care.cases.schemas import ConsentPurpose
from gibon.care.models import Assessment, Case, Decision, Screening
from gibon.errors import InvalidInput

NOT_ELIGIBLE = "not_eligible"


def screen(session: Session, user: User, case_id: int, body: ScreeningCreate) -> Screening:
    """사전 확인: chooses the form of the survey; it never ends a case (법 제12조①: 판정 first)."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    service.require_consent(session, case, ConsentPurpose.assessment, "consent")
    score, outcome = assessment.screen(body.items)
    label = assessment.SCREEN_LABELS[outcome]
    service.transition(session, user, case, "screen", f"{label}로 조사 (점수 {score})")
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
    """통합판정조사 with the 전문기관's part (영 제5조②) and the person's 욕구 (법 제10조③4)."""
    case = service.case_for_change(session, user, case_id, body.version, {"data": "…"})
    service.require_consent(session, case, ConsentPurpose.assessment, "consent")
    screenings = repository.screenings(session, case.id)
    kind = screenings[-1].outcome if screenings else ScreenOutcome.full.value
    scores = assessment.scores(body.data)
    agency = rules.AGENCIES[body.agency][0]
    service.transition(
        session, user, case, "assess", f"K-ADL {scores['adl_total']}점, 전문기관 {agency}"
    )
    row = Assessment(
        case_id=case.id,
        kind=kind,
        data=body.data.model_dump(mode="json"),
        scores=scores,
        agency=body.agency.value,
        agency_part=body.agency_part,
        by=user.username,
    )
    session.add(row)
    session.flush()
    return row


def decide(session: Session, user: User, case_id: int, body: DecisionCreate) -> Decision:
    """종합판정 on the two needs of 법 제12조①; both 'none' ends the case, once confirmed."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    found = repository.assessments(session, case.id)
    if not found:
        raise InvalidInput("판정 전에 통합판정조사 결과가 필요합니다", where="assessment")
    _check_decision(case, body)
    level = assessment.higher(body.medical_need.value, body.care_need.value)
    out = level == NeedLevel.none.value
    detail = _decision_sentence(body)
    service.transition(session, user, case, "decide_out" if out else "decide", detail)
    case.need_level = level
    if out:
        case.close_reason = NOT_ELIGIBLE
    today = deadlines.today()
    row = Decision(
        case_id=case.id,
        level=level,
        medical_need=body.medical_need.value,
        care_need=body.care_need.value,
        suggested_level=str(found[-1].scores.get("suggested", NeedLevel.none.value)),
        reasons=body.reasons,
        by=user.username,
        reassess_on=deadlines.add_months(today, body.reassess_in_months),
        notified_on=body.notified_on,
        notice_method=body.notice_method.value if body.notice_method else "",
    )
    session.add(row)
    session.flush()
    service.refresh_due(session, case)
    return row


def _check_decision(case: Case, body: DecisionCreate) -> None:
    if not case.target_group:
        raise InvalidInput(
            "대상자 구분(영 제2조제1항)이 기록되지 않아 판정할 수 없습니다",
            where="target_group",
            example=rules.TARGET_GROUPS[rules.TargetGroup.age_65][0],
        )
    _check_notice_date(body.notified_on, body.notice_method is not None)
    both_none = body.medical_need is NeedLevel.none and body.care_need is NeedLevel.none
    if both_none and not body.confirm_close:
        raise InvalidInput(
            "두 필요도가 모두 '지원 불필요'이면 이 판정으로 사례가 종료됩니다 "
            "(기록될 사유: 비대상 — 복합적인 지원 불필요). 종료를 확인하는 칸에 표시하세요",
            where="confirm_close",
            example="종료 확인: 예",
        )


def _check_notice_date(notified_on: object, has_method: bool) -> None:
    if notified_on is None:
        return
    if not has_method:
        raise InvalidInput(
            "안내한 방법을 고르세요",
            where="notice_method",
            example=NOTICE_LABELS[next(iter(NOTICE_LABELS))],
        )
    today = deadlines.today()
    if notified_on > today:  # type: ignore[operator]
        raise InvalidInput(
            f"안내일이 오늘({today})보다 뒤입니다: 이미 안내한 날을 적으세요",
            where="notified_on",
            example=today.isoformat(),
        )


def _decision_sentence(body: DecisionCreate) -> str:
    level = assessment.LEVEL_LABELS
    text = (
        f"의료적 지원 필요도 {level[body.medical_need]}, "
        f"일상생활 요양·돌봄 필요도 {level[body.care_need]}"
    )
    if body.notified_on:
        text += f"; {body.notified_on} 판정 결과 안내"
    return text


def notify_decision(session: Session, user: User, case_id: int, body: DecisionNotice) -> Decision:
    """법 제12조①: the 판정 result is made known to the person; the day and the way are kept."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    decision = repository.latest_decision(session, case.id)
    if decision is None:
        raise InvalidInput("안내할 판정이 없습니다", where="decision")
    _check_notice_date(body.notified_on, True)
    method = NOTICE_LABELS[body.notice_method]
    service.transition(
        session, user, case, "notify_decision", f"{body.notified_on} {method}으로 판정 결과 안내"
    )
    decision.notified_on, decision.notice_method = body.notified_on, body.notice_method.value
    session.flush()
    return decision
