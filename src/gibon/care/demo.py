"""Demo integrated-care data: a provider catalogue and ~2,000 cases spread over every step.

Rows are written as one backdated system load (the services stamp today's date), but every move
goes through the transitions table (``_demo_steps._move``), each case gets its event rows, its due
day comes from the same ``service.refresh_due`` as a real case, and the load is one audit entry.
Only synthetic residents are ever used.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.care import deadlines, eligibility, service
from gibon.care import models as m
from gibon.care._demo_steps import ACTOR, _at, _move, _step
from gibon.care.rules import EndReason, ExOfficioGround, TargetGroup
from gibon.care.schemas import CHANNEL_LABELS, CLOSE_LABELS, Channel
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


def clear(session: Session) -> None:
    """Remove all care rows (needed before the residents they point to are replaced)."""
    for model in (
        m.DischargeNotice,
        m.InfoRequest,
        m.DocumentCheck,
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
    session.flush()
    _settle_closed(session, [case.id for case, *_ in made if case.status == "closed"], today)
    for case, _target, _opened, _gaps in made:
        service.refresh_due(session, case)
    audit.record_on_commit(
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


def _settle_closed(session: Session, closed: list[int], today: date) -> None:
    """A closed case leaves nothing open: its referrals end and its 점검 are cancelled."""
    for start in range(0, len(closed), 1000):
        ids = closed[start : start + 1000]
        session.execute(
            update(m.Referral)
            .where(
                m.Referral.case_id.in_(ids),
                m.Referral.status.in_(("offered", "accepted", "started")),
            )
            .values(status="ended", ended_on=today, outcome="사례 종료에 따라 종료")
        )
        session.execute(
            update(m.FollowUp)
            .where(m.FollowUp.case_id.in_(ids), m.FollowUp.status.in_(m.OPEN_FOLLOWUP))
            .values(status="cancelled", notes="사례 종료로 취소")
        )
    session.flush()


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
    limit = deadlines.configured().get(target, 90)
    opened = today - timedelta(days=sum(gaps) + rng.randint(0, int(limit * 1.25)))
    channel = rng.choices(list(Channel), [30, 25, 3, 12, 5, 4, 0, 15, 3, 3])[0]
    old = eligibility.age_on(person, today) >= 65
    case = m.Case(
        target_group=(TargetGroup.age_65 if old else TargetGroup.agreed).value,
        ex_officio_ground=rng.choice(list(ExOfficioGround)).value
        if channel is Channel.ex_officio
        else None,
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
        Channel.home_elderly_facility: "재가노인복지시설 사회복지사",
        Channel.disability_health_centre: "센터 사회복지사",
    }[channel]


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
            detail=f"{CHANNEL_LABELS[Channel(case.channel)]} 신청 접수",
        )
    )
    # 법 제10조②: an ex officio case too has the person's prior consent, given after the
    # explanation (a day after the case is opened), before any survey.
    ex_officio = case.channel == Channel.ex_officio.value
    personal = case.channel in {c.value for c in eligibility.PERSONAL_CHANNELS}
    for purpose in ("assessment", "sharing", "referral"):
        session.add(
            m.Consent(
                case_id=case.id,
                purpose=purpose,
                given_by=case.applicant_name if personal else "본인",
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
        reason = rng.choice([EndReason.death, EndReason.admitted, EndReason.no_complex_need])
        _move(session, case, "close", CaseStatus.closed, day, f"사유: {CLOSE_LABELS[reason.value]}")
        case.close_reason = reason.value
