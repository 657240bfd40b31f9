"""One step of a demo case's history: the rows each workflow step leaves behind.

Every move is checked against the transitions table (``next_status``), so a demo case can only
take the paths a real case can; the rows carry what the statute asks of each step.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.care import assessment
from gibon.care import models as m
from gibon.care.rules import ExpertAgency
from gibon.care.schemas import SERVICE_DOMAIN, ServiceType
from gibon.care.transitions import CaseStatus, next_status

ACTOR = "demo-loader"

ACTIONS = {
    CaseStatus.screened: "screen",
    CaseStatus.assessed: "assess",
    CaseStatus.decided: "decide",
    CaseStatus.planned: "plan",
    CaseStatus.approved: "notify",
    CaseStatus.in_service: "link",
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def _move(
    session: Session, case: m.Case, action: str, new: CaseStatus, day: date, detail: str = ""
) -> None:
    if next_status(action, CaseStatus(case.status)) is not new:
        raise AssertionError(f"demo move {action} from {case.status} is not in the table")
    spent = (_at(day) - case.status_since).total_seconds() / 86400
    session.add(
        m.CaseEvent(
            case_id=case.id,
            at=_at(day),
            actor=ACTOR,
            action=action,
            from_status=case.status,
            to_status=new.value,
            step_days=round(spent, 3),
            detail=detail,
        )
    )
    case.status, case.status_since = new.value, _at(day)


def _step(
    session: Session,
    rng: random.Random,
    case: m.Case,
    status: CaseStatus,
    day: date,
    providers: list[m.Provider],
    today: date,
) -> None:
    at = _at(day)
    if status is CaseStatus.screened:
        items = assessment.PreScreenItems(
            **{k: rng.random() < 0.45 for k in assessment.PreScreenItems.model_fields}
        )
        items.bathing = True
        score, outcome = assessment.screen(items)
        session.add(
            m.Screening(
                case_id=case.id,
                items=items.model_dump(),
                score=score,
                outcome=outcome.value,
                by=ACTOR,
                at=at,
            )
        )
    elif status is CaseStatus.assessed:
        data = _assessment(rng)
        session.add(
            m.Assessment(
                case_id=case.id,
                kind="full",
                data=data.model_dump(mode="json"),
                scores=assessment.scores(data),
                agency=rng.choice([ExpertAgency.nhis, ExpertAgency.nhis, ExpertAgency.nps]).value,
                agency_part="장기요양 인정조사 결과(신체기능·일상생활 수행능력) 제공",
                by=ACTOR,
                at=at,
            )
        )
    elif status is CaseStatus.decided:
        session.add(_decision(rng, case, day))
    elif status is CaseStatus.planned:
        session.add(_plan(rng, case, day, providers))
    elif status is CaseStatus.approved:
        _notice(session, case, day)
    elif status is CaseStatus.in_service:
        _service(session, rng, case, day, providers, today)
    _move(session, case, ACTIONS[status], status, day)


def _decision(rng: random.Random, case: m.Case, day: date) -> m.Decision:
    medical = rng.choice(["low", "moderate", "high", "none"])
    care = rng.choice(["low", "moderate", "moderate", "high"])
    case.need_level = assessment.higher(medical, care)
    return m.Decision(
        case_id=case.id,
        level=case.need_level,
        medical_need=medical,
        care_need=care,
        suggested_level=case.need_level,
        by=ACTOR,
        at=_at(day),
        reasons="조사 결과 일상생활 도움 필요",
        reassess_on=day + timedelta(days=182),
        notified_on=day,
        notice_method="in_person",
    )


def _notice(session: Session, case: m.Case, day: date) -> None:
    """규칙 제9조①: the plan made known to the applicant (직권: the person)."""
    plan = session.scalars(select(m.PlanVersion).where(m.PlanVersion.case_id == case.id)).one()
    plan.notified_on, plan.notice_to = day, "본인"


def _assessment(rng: random.Random) -> assessment.AssessmentData:
    def pick() -> int:
        return rng.choices([1, 2, 3], [55, 30, 15])[0]

    return assessment.AssessmentData(
        needs=assessment.Needs(
            wishes=rng.choice(
                ["집에서 계속 살고 싶다", "식사와 병원 동행이 필요하다", "혼자 씻기가 어렵다"]
            )
        ),
        adl=assessment.KADL(**{k: pick() for k in assessment.KADL.model_fields}),
        iadl=assessment.KIADL(**{k: pick() for k in assessment.KIADL.model_fields}),
        cognition=assessment.Cognition(mmse_k=rng.randint(12, 30)),
        nutrition=assessment.Nutrition(mna_sf=rng.randint(6, 14)),
        falls=assessment.Falls(falls_past_year=rng.choice([0, 0, 1, 2])),
        medical=assessment.Medical(medications=rng.randint(0, 9)),
        housing=assessment.Housing(semi_basement=rng.random() < 0.1, stairs=rng.random() < 0.5),
        social=assessment.Social(
            lives_alone=rng.random() < 0.5, contacts_per_week=rng.randint(0, 7)
        ),
        income=assessment.Income(monthly_income_won=rng.randrange(0, 2_000_000, 10_000)),
    )


def _plan(
    rng: random.Random, case: m.Case, day: date, providers: list[m.Provider]
) -> m.PlanVersion:
    chosen = rng.sample(list(ServiceType), rng.randint(1, 3))
    services: list[dict[str, Any]] = []
    for st in chosen:
        fit = [
            p
            for p in providers
            if st.value in p.service_types and (not p.dongs or case.dong in p.dongs)
        ]
        services.append(
            {
                "service_type": st.value,
                "domain": SERVICE_DOMAIN[st].value,
                "provider_id": fit[0].id if fit else providers[0].id,
                "frequency": rng.choice(["주 1회", "주 2회", "월 2회"]),
                "method": "가정 방문",
                "content": "",
                "start": (day + timedelta(days=7)).isoformat(),
                "end": (day + timedelta(days=187)).isoformat(),
            }
        )
    several = len({s["provider_id"] for s in services}) >= 2
    return m.PlanVersion(
        case_id=case.id,
        number=1,
        goals=["재가 생활 유지", "낙상 예방"],
        services=services,
        linkage="동 담당자가 월 1회 제공기관과 통화해 일정 조정" if several else "",
        views="집에서 지내며 필요한 도움만 받고 싶다",
        views_by="본인",
        views_on=day,
        by=ACTOR,
        at=_at(day),
    )


def _service(
    session: Session,
    rng: random.Random,
    case: m.Case,
    day: date,
    providers: list[m.Provider],
    today: date,
) -> None:
    options = [p for p in providers if not p.dongs or case.dong in p.dongs]
    for provider in rng.sample(options, rng.randint(1, 2)):
        status = rng.choices(["accepted", "started", "ended", "declined"], [25, 50, 15, 10])[0]
        session.add(
            m.Referral(
                case_id=case.id,
                provider_id=provider.id,
                service_type=provider.service_types[0],
                status=status,
                offered_on=day,
                decline_reason="정원 초과" if status == "declined" else None,
                started_on=day + timedelta(days=3) if status in ("started", "ended") else None,
                ended_on=today if status == "ended" else None,
                outcome="목표 달성" if status == "ended" else None,
            )
        )
    done = day + timedelta(days=rng.randint(7, 30))
    if done <= today:
        session.add(
            m.FollowUp(
                case_id=case.id,
                kind="phone",
                due_on=done,
                status="done",
                done_on=done,
                notes="상태 안정",
            )
        )
    session.add(
        m.FollowUp(
            case_id=case.id,
            kind=rng.choice(["visit", "phone", "reassessment"]),
            due_on=today + timedelta(days=rng.randint(-10, 40)),
            assignee_org=rng.choice(["doctor-01", "pha-01", None, None]),
        )
    )
