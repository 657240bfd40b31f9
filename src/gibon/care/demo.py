"""Demo integrated-care data: a provider catalogue and ~2,000 cases spread over every step.

Rows are written directly (not through the services) as one system load: each case still gets its
event rows, and the load itself is one audit entry. Only synthetic residents are ever used.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.care import assessment, deadlines
from gibon.care import models as m
from gibon.care.schemas import SERVICE_DOMAIN, Channel, CloseReason, ServiceType
from gibon.care.transitions import CaseStatus
from gibon.kit.crypto import Vault
from gibon.residents.models import Person

PROVIDERS: list[tuple[str, str, list[str], list[str], int]] = [
    ("prov-001", "관악재가복지센터", ["ltc_home", "housework", "meals", "accompany"], [], 400),
    ("prov-002", "관악구보건소 방문간호팀", ["visit_nursing"], [], 300),
    ("prov-003", "신림 재택의료센터", ["home_medical", "visit_doctor"], [], 200),
    ("prov-004", "관악 방문약료 약사 네트워크", ["visit_pharmacy"], [], 250),
    ("prov-005", "관악 나눔 도시락", ["meals"], [], 500),
    ("prov-006", "남부 가사돌봄 사회적협동조합", ["housework", "accompany"], [], 250),
    ("prov-007", "관악 주거개선 협동조합", ["home_repair"], [], 120),
    ("prov-008", "서울 주거이전 지원센터 관악지소", ["relocation"], [], 60),
    (
        "prov-009",
        "봉천 재가노인지원센터",
        ["ltc_home", "housework"],
        ["청룡동", "보라매동", "은천동", "성현동", "중앙동"],
        200,
    ),
    (
        "prov-010",
        "난곡 방문간호 의원",
        ["visit_nursing", "visit_doctor"],
        ["난곡동", "난향동", "신림동", "서원동", "신원동"],
        150,
    ),
]
# Share of demo cases left at each step (sums to 1).
SPREAD: list[tuple[CaseStatus, float]] = [
    (CaseStatus.applied, 0.10),
    (CaseStatus.screened, 0.09),
    (CaseStatus.assessed, 0.08),
    (CaseStatus.decided, 0.08),
    (CaseStatus.planned, 0.08),
    (CaseStatus.approved, 0.07),
    (CaseStatus.in_service, 0.32),
    (CaseStatus.closed, 0.18),
]
ORDER = [s for s, _ in SPREAD if s is not CaseStatus.closed]
ACTIONS = {
    CaseStatus.screened: "screen",
    CaseStatus.assessed: "assess",
    CaseStatus.decided: "decide",
    CaseStatus.planned: "plan",
    CaseStatus.approved: "approve",
    CaseStatus.in_service: "link",
}
ACTOR = "demo-loader"


def clear(session: Session) -> None:
    """Remove all care rows (needed before the residents they point to are replaced)."""
    for model in (
        m.FollowUp,
        m.Referral,
        m.Conference,
        m.PlanVersion,
        m.Decision,
        m.Assessment,
        m.Screening,
        m.Consent,
        m.CaseEvent,
        m.Case,
        m.Provider,
    ):
        session.execute(delete(model))
    session.flush()


def load(session: Session, vault: Vault, rng_seed: int = 1, cases: int = 2000) -> int:
    """Replace care data with the demo catalogue and ``cases`` cases; returns cases created."""
    del vault  # resident numbers are already encrypted in the residents table
    rng = random.Random(rng_seed)
    clear(session)
    providers = _providers(session)
    people = _candidates(session, rng, cases)
    officers = {
        u.dong: u.id
        for u in session.scalars(select(User).where(User.role == Role.dong_officer.value))
    }
    today = deadlines.today()
    made = [_case(session, rng, p, officers.get(p.dong), today) for p in people]
    session.flush()
    for case, target, opened, gaps in made:
        _history(session, rng, case, target, opened, gaps, providers, today)
    audit.record(
        session,
        actor=ACTOR,
        role="system",
        action="create",
        resource="care_demo",
        purpose="데모 자료 적재",
        detail=f"cases={len(made)} seed={rng_seed}",
    )
    session.flush()
    return len(made)


def _providers(session: Session) -> list[m.Provider]:
    rows = [
        m.Provider(
            organization_id=o, name=n, service_types=t, dongs=d, capacity=c, phone="02-880-0000"
        )
        for o, n, t, d, c in PROVIDERS
    ]
    session.add_all(rows)
    session.flush()
    return rows


def _candidates(session: Session, rng: random.Random, n: int) -> list[Person]:
    cutoff = date(deadlines.today().year - 65, 12, 31)
    ids = list(
        session.scalars(select(Person.id).where(Person.birth_date <= cutoff).order_by(Person.id))
    )
    if len(ids) < n:
        ids += list(
            session.scalars(select(Person.id).where(Person.birth_date > cutoff).order_by(Person.id))
        )
    chosen = sorted(rng.sample(ids, min(n, len(ids))))
    people: list[Person] = []
    for start in range(0, len(chosen), 1000):
        people += session.scalars(select(Person).where(Person.id.in_(chosen[start : start + 1000])))
    return people


def _case(
    session: Session, rng: random.Random, person: Person, officer: int | None, today: date
) -> tuple[m.Case, CaseStatus, date, list[int]]:
    target = rng.choices([s for s, _ in SPREAD], [w for _, w in SPREAD])[0]
    steps = ORDER.index(target) if target in ORDER else rng.randint(1, len(ORDER) - 1)
    gaps = [rng.randint(2, 20) for _ in range(steps)] + (
        [rng.randint(1, 30)] if target not in ORDER else []
    )
    # Idle time in the current step: about one case in five past its deadline.
    limit = deadlines.configured()[target] if target in ORDER else 90
    opened = today - timedelta(days=sum(gaps) + rng.randint(0, int(limit * 1.25)))
    channel = rng.choices(list(Channel), [30, 25, 3, 12, 5, 4, 6, 15])[0]
    case = m.Case(
        person_id=person.id,
        dong=person.dong,
        channel=channel.value,
        applicant_name=person.name if channel is Channel.self else _applicant(channel, rng),
        applicant_relation=_relation(channel),
        status=CaseStatus.applied.value,
        officer_id=officer,
        opened_on=opened,
        status_since=_at(opened),
    )
    session.add(case)
    return case, target, opened, gaps


def _applicant(channel: Channel, rng: random.Random) -> str:
    if channel is Channel.ex_officio:
        return "동 주민센터 담당자"
    return rng.choice(["김", "이", "박", "최", "정"]) + rng.choice(
        ["민지", "서준", "지훈", "수빈", "현우"]
    )


def _relation(channel: Channel) -> str:
    return {
        Channel.self: "본인",
        Channel.family: "자녀",
        Channel.guardian: "후견인",
        Channel.hospital: "퇴원지원 사회복지사",
        Channel.ltc_facility: "재가기관 사회복지사",
        Channel.disability_centre: "복지관 사회복지사",
        Channel.nhis: "공단 직원",
        Channel.ex_officio: "공무원",
    }[channel]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def _history(
    session: Session,
    rng: random.Random,
    case: m.Case,
    target: CaseStatus,
    opened: date,
    gaps: list[int],
    providers: list[m.Provider],
    today: date,
) -> None:
    session.add(
        m.CaseEvent(
            case_id=case.id,
            at=_at(opened),
            actor=ACTOR,
            action="open",
            to_status="applied",
            detail=f"channel={case.channel}",
        )
    )
    # Ex officio cases start without consent; the person agrees to sharing and referral later.
    ex_officio = case.channel == Channel.ex_officio.value
    purposes = ("sharing", "referral") if ex_officio else ("assessment", "sharing", "referral")
    for purpose in purposes:
        session.add(
            m.Consent(
                case_id=case.id,
                purpose=purpose,
                given_by="본인" if ex_officio else case.applicant_name,
                given_at=_at(opened + timedelta(days=1 if ex_officio else 0)),
                recorded_by=ACTOR,
            )
        )
    day = opened
    step_gaps = gaps[:-1] if target is CaseStatus.closed else gaps
    for status, gap in zip(ORDER[1:], step_gaps, strict=False):
        day = min(day + timedelta(days=gap), today)
        _step(session, rng, case, status, day, providers, today)
    if target is CaseStatus.closed:
        day = min(day + timedelta(days=gaps[-1]), today)
        reason = rng.choice(list(CloseReason))
        _move(session, case, "close", CaseStatus.closed, day, f"reason={reason.value}")
        case.close_reason = reason.value
    elif case.due_on is None:
        case.due_on = _due(session, case, day)


def _move(
    session: Session, case: m.Case, action: str, new: CaseStatus, day: date, detail: str = ""
) -> None:
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


def _due(session: Session, case: m.Case, day: date) -> date | None:
    return deadlines.due_on(CaseStatus(case.status), day)


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
                by=ACTOR,
                at=at,
            )
        )
    elif status is CaseStatus.decided:
        level = rng.choice(["low", "moderate", "moderate", "high"])
        case.need_level = level
        session.add(
            m.Decision(
                case_id=case.id,
                level=level,
                suggested_level=level,
                by=ACTOR,
                at=at,
                reasons="조사 결과 일상생활 도움 필요",
                reassess_on=day + timedelta(days=180),
            )
        )
    elif status is CaseStatus.planned:
        session.add(_plan(rng, case, day, providers))
    elif status is CaseStatus.approved:
        session.add(
            m.Conference(
                case_id=case.id,
                held_on=day,
                agenda="개인별 지원계획 심의",
                minutes="원안 승인",
                participants=[
                    {"agency": "district", "name": "통합돌봄과"},
                    {"agency": "health_centre", "name": "보건소"},
                    {"agency": "dong", "name": case.dong},
                ],
                decision="approved",
                by=ACTOR,
            )
        )
    elif status is CaseStatus.in_service:
        _service(session, rng, case, day, providers, today)
    _move(session, case, ACTIONS[status], status, day)


def _assessment(rng: random.Random) -> assessment.AssessmentData:
    def pick() -> int:
        return rng.choices([1, 2, 3], [55, 30, 15])[0]

    return assessment.AssessmentData(
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
                "provider_id": fit[0].id if fit else None,
                "frequency": rng.choice(["주 1회", "주 2회", "월 2회"]),
                "start": (day + timedelta(days=7)).isoformat(),
                "end": (day + timedelta(days=187)).isoformat(),
            }
        )
    return m.PlanVersion(
        case_id=case.id,
        number=1,
        goals=["재가 생활 유지", "낙상 예방"],
        services=services,
        approved=True,
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
            assignee_org=rng.choice(["doc-01", "pha-01", None, None]),
        )
    )
