"""One demo case's history, replayed day by day through the service functions a user calls.

Each step runs under ``clock.at(day)``, so the services stamp the backdated day, check the
transitions table, write the case's events and audit rows, and refuse what they would refuse a
user; the demo can only take the paths a real case can.
"""

from __future__ import annotations

import random
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from gibon.access import assignees
from gibon.accounts.models import Role, User
from gibon.care import deadlines, repository
from gibon.care import models as m
from gibon.care.assessments import eligibility
from gibon.care.assessments import scoring as assessment
from gibon.care.assessments import service as steps
from gibon.care.assessments.schemas import (
    AssessmentCreate,
    DecisionCreate,
    NoticeMethod,
    ScreeningCreate,
)
from gibon.care.assessments.scoring import NeedLevel, PreScreenItems
from gibon.care.cases import closing, service
from gibon.care.cases.schemas import (
    CaseClose,
    CaseCreate,
    Channel,
    ConsentChange,
    ConsentPurpose,
    Settle,
)
from gibon.care.cases.transitions import CaseStatus
from gibon.care.plans import service as plans
from gibon.care.plans.schemas import (
    ConferenceCreate,
    Participant,
    PlanCreate,
    PlanNotice,
    PlanService,
    ServiceType,
)
from gibon.care.referrals import service as referrals
from gibon.care.referrals.schemas import (
    FollowUpCreate,
    FollowUpDone,
    FollowUpKind,
    ReferralAction,
    ReferralCreate,
    ReferralUpdate,
)
from gibon.care.rules import EndReason, ExOfficioGround, ExpertAgency, TargetGroup
from gibon.kit import clock
from gibon.residents.models import Person

ACTOR = "demo-loader"
ORDER = [
    CaseStatus.applied,
    CaseStatus.screened,
    CaseStatus.assessed,
    CaseStatus.decided,
    CaseStatus.planned,
    CaseStatus.approved,
    CaseStatus.in_service,
]


@dataclass(frozen=True)
class Plan:
    """What one demo case will go through: the step it stops at, and the days between steps."""

    person: Person
    officer_id: int | None
    target: CaseStatus
    opened: date
    gaps: list[int]
    channel: Channel


@dataclass
class Loader:
    """The demo's actors and catalogue: an officer of the district team, and each provider."""

    session: Session
    rng: random.Random
    providers: list[m.Provider]
    today: date
    officer: User
    load: dict[int, int]  # provider id -> open referrals (for capacity)
    visitors: list[str]

    def provider_user(self, provider: m.Provider) -> User:
        return User(
            username=ACTOR, role=Role.provider.value, organization_id=provider.organization_id
        )


def loader(session: Session, rng: random.Random, providers: list[m.Provider]) -> Loader:
    officer = User(username=ACTOR, role=Role.district_team.value, display_name="데모 적재")
    known = [org for org in assignees.followup_assignees(session) if org]
    return Loader(session, rng, providers, deadlines.today(), officer, {}, sorted(known))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def replay(ld: Loader, plan: Plan) -> m.Case:
    """Open the case and take it, step by step, to ``plan.target``."""
    with clock.at(_at(plan.opened)):
        case = _open(ld, plan)
    if plan.channel is Channel.ex_officio:  # 법 제10조②: prior consent, after the explanation
        with clock.at(_at(plan.opened + timedelta(days=1))):
            for purpose in ConsentPurpose:
                body = ConsentChange(version=case.version_id, purpose=purpose, given_by="본인")
                service.give_consent(ld.session, ld.officer, case.id, body)
    day = plan.opened
    closing_too = plan.target is CaseStatus.closed
    step_gaps = plan.gaps[:-1] if closing_too else plan.gaps
    for status, gap in zip(ORDER[1:], step_gaps, strict=False):
        day = min(day + timedelta(days=gap), ld.today)
        with clock.at(_at(day)):
            STEPS[status](ld, case, day)
    if closing_too:
        day = min(day + timedelta(days=plan.gaps[-1]), ld.today)
        with clock.at(_at(day)):
            _close(ld, case)
    return case


def _open(ld: Loader, plan: Plan) -> m.Case:
    person, channel = plan.person, plan.channel
    old = eligibility.age_on(person, plan.opened) >= 65
    body = CaseCreate(
        person_id=person.id,
        channel=channel,
        applicant_name=person.name if channel is Channel.self else _applicant(ld.rng, channel),
        applicant_relation=RELATIONS[channel],
        consents=[] if channel is Channel.ex_officio else list(ConsentPurpose),
        officer_id=plan.officer_id,
        target_group=TargetGroup.age_65 if old else TargetGroup.agreed,
        ex_officio_ground=ld.rng.choice(list(ExOfficioGround))
        if channel is Channel.ex_officio
        else None,
    )
    return service.open_case(ld.session, ld.officer, body)


def _screen(ld: Loader, case: m.Case, day: date) -> None:
    fields = PreScreenItems.model_fields
    items = PreScreenItems(**{k: ld.rng.random() < 0.45 for k in fields} | {"bathing": True})
    body = ScreeningCreate(version=case.version_id, items=items)
    steps.screen(ld.session, ld.officer, case.id, body)


def _assess(ld: Loader, case: m.Case, day: date) -> None:
    body = AssessmentCreate(
        version=case.version_id,
        data=_assessment(ld.rng),
        agency=ld.rng.choice([ExpertAgency.nhis, ExpertAgency.nhis, ExpertAgency.nps]),
        agency_part="장기요양 인정조사 결과(신체기능·일상생활 수행능력) 제공",
    )
    steps.assess(ld.session, ld.officer, case.id, body)


def _decide(ld: Loader, case: m.Case, day: date) -> None:
    body = DecisionCreate(
        version=case.version_id,
        medical_need=ld.rng.choice(list(NeedLevel)),
        care_need=ld.rng.choice([NeedLevel.low, NeedLevel.moderate, NeedLevel.high]),
        reasons="조사 결과 일상생활 도움 필요",
        reassess_in_months=6,
        notified_on=day,
        notice_method=NoticeMethod.in_person,
    )
    steps.decide(ld.session, ld.officer, case.id, body)


def _plan(ld: Loader, case: m.Case, day: date) -> None:
    services = [_service_line(ld, case, st, day) for st in _service_types(ld)]
    several = len({s.provider_id for s in services}) >= 2
    body = PlanCreate(
        version=case.version_id,
        goals=["재가 생활 유지", "낙상 예방"],
        services=services,
        linkage="동 담당자가 월 1회 제공기관과 통화해 일정 조정" if several else "",
        views="집에서 지내며 필요한 도움만 받고 싶다",
        views_by="본인",
        views_on=day,
    )
    plans.add_plan(ld.session, ld.officer, case.id, body)


def _service_types(ld: Loader) -> list[ServiceType]:
    return ld.rng.sample(list(ServiceType), ld.rng.randint(1, 3))


def _service_line(ld: Loader, case: m.Case, st: ServiceType, day: date) -> PlanService:
    fit = [p for p in _serving(ld, case) if st.value in p.service_types]
    return PlanService(
        service_type=st,
        provider_id=(fit[0] if fit else ld.providers[0]).id,
        frequency=ld.rng.choice(["주 1회", "주 2회", "월 2회"]),
        method="가정 방문",
        start=day + timedelta(days=7),
        end=day + timedelta(days=187),
    )


def _serving(ld: Loader, case: m.Case) -> list[m.Provider]:
    return [p for p in ld.providers if not p.dongs or case.dong in p.dongs]


def _notify(ld: Loader, case: m.Case, day: date) -> None:
    plan = repository.plan(ld.session, case.id, 1)
    assert plan is not None
    if plans.conference_needed(plan):  # the district chose a 회의 before the notice
        conference = ConferenceCreate(
            version=case.version_id,
            case_id=case.id,
            held_on=day,
            participants=[Participant(agency="dong", name="동 담당자")],
            agenda="지원계획 1판 협의",
            approve_plan=1,
        )
        plans.hold_conference(ld.session, ld.officer, conference)
    body = PlanNotice(version=case.version_id, notified_on=day, notice_to="본인")
    plans.notify(ld.session, ld.officer, case.id, body)


def _link(ld: Loader, case: m.Case, day: date) -> None:
    """Referrals to one or two providers; the first is accepted, so the case is in service."""
    chosen = ld.rng.sample(_serving(ld, case), 2 if ld.rng.random() < 0.5 else 1)
    accepted = False
    for provider in chosen:
        if ld.load.get(provider.id, 0) >= provider.capacity:
            continue  # the provider is full: refused as it would be for a user
        outcome = ld.rng.choices(["accepted", "started", "ended", "declined"], [25, 50, 15, 10])[0]
        _refer(
            ld,
            case,
            provider,
            "accepted" if not accepted and outcome == "declined" else outcome,
            day,
        )
        accepted = True
    _followups(ld, case, day)


def _refer(ld: Loader, case: m.Case, provider: m.Provider, outcome: str, day: date) -> None:
    offer = ReferralCreate(
        version=case.version_id,
        case_id=case.id,
        provider_id=provider.id,
        service_type=ServiceType(provider.service_types[0]),
    )
    ref = referrals.offer(ld.session, ld.officer, offer)
    ld.load[provider.id] = ld.load.get(provider.id, 0) + 1
    by = ld.provider_user(provider)
    if outcome == "declined":
        _answer(ld, by, ref, ReferralAction.decline, "정원 초과")
        ld.load[provider.id] -= 1
        return
    _answer(ld, by, ref, ReferralAction.accept)
    if outcome in ("started", "ended"):
        _answer(ld, by, ref, ReferralAction.start, on=min(day + timedelta(days=3), ld.today))
    if outcome == "ended":
        _answer(ld, by, ref, ReferralAction.end, "목표 달성", on=ld.today)
        ld.load[provider.id] -= 1


def _answer(
    ld: Loader,
    by: User,
    ref: m.Referral,
    action: ReferralAction,
    reason: str = "",
    on: date | None = None,
) -> None:
    body = ReferralUpdate(version=ref.version_id, action=action, reason=reason, on=on)
    with clock.at(_at(on)) if on else nullcontext():
        referrals.update_referral(ld.session, by, ref.id, body)


def _followups(ld: Loader, case: m.Case, day: date) -> None:
    """A 점검 done by phone within the month (when that day has come), then the next one due."""
    done = day + timedelta(days=ld.rng.randint(7, 30))
    if done <= ld.today:
        row = _schedule(ld, case, FollowUpKind.phone, done, None)
        with clock.at(_at(done)):
            body = FollowUpDone(version=row.version_id, notes="상태 안정", done_on=done)
            referrals.complete(ld.session, ld.officer, row.id, body)
    wanted = ld.today + timedelta(days=ld.rng.randint(-10, 40))
    first = repository.first_plan_at(ld.session, case.id)
    assert first is not None
    limit = deadlines.review_due(
        first.astimezone(deadlines.SEOUL).date(), repository.last_review_on(ld.session, case.id)
    )
    due = max(min(wanted, limit), done if done <= ld.today else day)
    org = ld.rng.choice([*ld.visitors, None, None]) if ld.visitors else None
    kind = ld.rng.choice(list(FollowUpKind))
    with clock.at(_at(min(due, ld.today, max(day, due - timedelta(days=14))))):
        _schedule(ld, case, kind, due, org)


def _schedule(
    ld: Loader, case: m.Case, kind: FollowUpKind, due: date, org: str | None
) -> m.FollowUp:
    body = FollowUpCreate(
        version=case.version_id, case_id=case.id, kind=kind, due_on=due, assignee_org=org
    )
    return referrals.schedule(ld.session, ld.officer, body)


def _close(ld: Loader, case: m.Case) -> None:
    open_refs, open_fus = closing.open_items(ld.session, case.id)
    settle = [Settle(kind="referral", id=r.id, how="end") for r in open_refs] + [
        Settle(kind="followup", id=f.id, how="end") for f in open_fus
    ]
    for r in open_refs:
        ld.load[r.provider_id] = ld.load.get(r.provider_id, 0) - 1
    reason = ld.rng.choice([EndReason.death, EndReason.admitted, EndReason.no_complex_need])
    body = CaseClose(version=case.version_id, reason=reason.value, settle=settle)
    closing.close_case(ld.session, ld.officer, case.id, body)


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


def _applicant(rng: random.Random, channel: Channel) -> str:
    if channel is Channel.ex_officio:
        return "동 주민센터 담당자"
    return rng.choice(["김", "이", "박", "최", "정"]) + rng.choice(
        ["민지", "서준", "지훈", "수빈", "현우"]
    )


RELATIONS = {
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
}
STEPS = {
    CaseStatus.screened: _screen,
    CaseStatus.assessed: _assess,
    CaseStatus.decided: _decide,
    CaseStatus.planned: _plan,
    CaseStatus.approved: _notify,
    CaseStatus.in_service: _link,
}
