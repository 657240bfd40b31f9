"""Demo integrated-care data: a provider catalogue and ~2,000 cases spread over every step.

Each case is replayed day by day through the same service functions a user calls (intake,
screening, survey, 판정, plan and its notice, referrals the provider answers, 점검, closing), under a
backdated clock (``_demo_case``): the services check and stamp every step, write its events and
audit rows, and set its due day. Only synthetic residents are ever used.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.care import _demo_case, deadlines
from gibon.care import models as m
from gibon.care.cases.schemas import Channel
from gibon.care.cases.transitions import CaseStatus
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
# Cases in the demo district, and in the small one the browser tests serve (each case is replayed
# through the services, about 0.1 s of work, see docs/benchmarks.md "care_demo").
CASES = 2000
SMALL_CASES = 300
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


def load(session: Session, vault: Vault, rng_seed: int = 1, cases: int = CASES) -> int:
    """Replace care data with the demo catalogue and ``cases`` cases; returns cases created."""
    del vault  # resident numbers are already encrypted in the residents table
    rng = random.Random(rng_seed)
    clear(session)
    providers = _providers(session)
    people = _candidates(session, rng, cases)
    officers = {
        u.dong: u.id
        for u in session.scalars(
            select(User).where(User.role == Role.dong_officer.value, User.is_active.is_(True))
        )
    }
    ld = _demo_case.loader(session, rng, providers)
    for person in people:
        _demo_case.replay(ld, _plan(rng, person, officers.get(person.dong), ld.today))
    audit.record_on_commit(
        session,
        actor=_demo_case.ACTOR,
        role="system",
        action="create",
        resource="care_demo",
        purpose="데모 자료 적재",
        detail=f"cases={len(people)} seed={rng_seed}",
    )
    session.flush()
    return len(people)


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


def _plan(rng: random.Random, person: Person, officer: int | None, today: date) -> _demo_case.Plan:
    """Where the case will stop, and when each step happened (some left past their deadline)."""
    target = rng.choices([s for s, _ in SPREAD], [w for _, w in SPREAD])[0]
    steps = ORDER.index(target) if target in ORDER else rng.randint(1, len(ORDER) - 1)
    gaps = [rng.randint(2, 20) for _ in range(steps)] + (
        [rng.randint(1, 30)] if target not in ORDER else []
    )
    # Idle time in the current step: about one case in five past its deadline.
    limit = deadlines.configured().get(target, 90)
    opened = today - timedelta(days=sum(gaps) + rng.randint(0, int(limit * 1.25)))
    channel = rng.choices(list(Channel), [30, 25, 3, 12, 5, 4, 0, 15, 3, 3])[0]
    return _demo_case.Plan(person, officer, target, opened, gaps, channel)
