"""The resident's window: sign-in by identity verification, my household and entitlements, who
looked at my records, and applying for integrated care. Services flush, the edge commits.

Everything is keyed by the signed-in account's own ``person_id``: no route takes a person or
household id, so a resident cannot even name another household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Target
from gibon.accounts import identity, throttle
from gibon.accounts import service as accounts
from gibon.accounts.models import ROLE_LABELS_KO, Role, User
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.benefits import service as benefits
from gibon.benefits import view as benefits_view
from gibon.care import deadlines, rules
from gibon.care.assessments import eligibility
from gibon.care.cases import service as care
from gibon.care.cases.schemas import CaseCreate, Channel, ConsentPurpose
from gibon.care.cases.transitions import STATUS_LABELS, CaseStatus
from gibon.care.models import Case
from gibon.care.rules import TargetGroup
from gibon.errors import Conflict, InvalidInput, NotAuthenticated
from gibon.residents.models import Household, Person
from gibon.simulator import service as simulator_service
from gibon.window import plain
from gibon.window.acting import Me, require_act

CHANNEL = "주민 본인확인"
WRONG = "본인확인에 실패했어요. 아이디와 비밀번호를 다시 확인해 주세요"


# --- signing in ---------------------------------------------------------------------------------


def demo_verifier(session: Session) -> identity.DemoVerifier:
    """The demo verifier over the demo resident accounts (their argon2 demo password hashes)."""
    rows = session.scalars(
        select(User).where(User.role == Role.resident.value, User.person_id.is_not(None))
    )
    return identity.DemoVerifier({u.username: (str(u.person_id), u.password_hash) for u in rows})


def resident_account(session: Session, person_id: str) -> User | None:
    return session.scalar(
        select(User).where(User.role == Role.resident.value, User.person_id == person_id)
    )


def begin(session: Session, login: str, address: str, now: dt.datetime) -> throttle.Verdict:
    """Count the attempt with the staff sign-in throttle (the edge commits before verifying)."""
    return accounts.begin_sign_in(session, login, address, now, CHANNEL)


def finish(
    session: Session,
    verifier: identity.IdentityVerifier,
    credentials: identity.Credentials,
    address: str,
    now: dt.datetime,
) -> User:
    """The resident the verifier vouches for, audited; a refusal is counted and audited too."""
    proven = verifier.verify(credentials)
    user = resident_account(session, proven.person_id) if proven else None
    if user is None or not user.is_active:
        accounts.sign_in_failed(session, credentials.login, address, now, CHANNEL, user)
        raise NotAuthenticated(WRONG, where="login")
    throttle.succeeded(session, credentials.login, address)
    return user


# --- my household ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    person: Person
    household: Household
    members: list[Person]


def home(session: Session, me: Me, purpose: str) -> Home:
    """The person the window acts for (oneself, or whom a guardianship names) and their household,
    audited as the account's read."""
    policy.check(me.user, Action.view, "my_household", Target(person_id=me.person_id))
    person = session.get(Person, me.person_id)
    if person is None:
        raise InvalidInput(
            "주민 기록을 찾을 수 없어요. 동 주민센터에 문의해 주세요", where="person_id"
        )
    household = session.get(Household, person.household_id)
    assert household is not None
    members = list(
        session.scalars(
            select(Person).where(Person.household_id == household.id).order_by(Person.id)
        )
    )
    _audit(session, me.user, "read", "household", household.id, purpose + me.purpose_suffix)
    return Home(person, household, members)


EMPLOYED = frozenset({"regular", "temporary", "daily", "self_employed"})


def benefits_input(h: Home) -> dict[str, Any]:
    """The registry's household in the benefits engine's input form (assets on the head)."""
    hh = h.household
    members = []
    for p in h.members:
        member: dict[str, Any] = {
            "id": p.id,
            "relation": p.relation,
            "birth_date": p.birth_date.isoformat(),
            "sex": p.sex,
            "disability": p.disability,
            "student": bool(p.student),
            "employed": p.employment in EMPLOYED,
            "earned_income": p.earned_income,
            "business_income": p.business_income,
            "pension_income": p.pension_income,
            "property_income": p.property_income,
            "conditions": list(p.conditions or []),
            "ltc_grade": p.ltc_grade,
        }
        members.append(member)
    head = next((m for m in members if m["relation"] == "head"), members[0])
    head["assets"] = {
        "housing": hh.asset_housing,
        "deposits": hh.asset_deposits,
        "financial": hh.asset_financial,
        "car": hh.asset_car,
        "debt": hh.debt,
    }
    return {
        "id": hh.id,
        "dong": hh.dong,
        "housing": {
            "tenure": hh.tenure,
            "deposit": hh.deposit,
            "monthly_rent": hh.monthly_rent,
        },
        "members": members,
        "living_alone": hh.living_alone,
    }


def entitlements(h: Home, month: str) -> list[plain.Entitlement]:
    """Every program's result for the household, said in easy Korean."""
    result = benefits.calculate(benefits_input(h), month)
    return [plain.entitlement(p, benefits_view.program(p)) for p in result["programs"]]


@dataclass(frozen=True)
class Receiving:
    """What the household receives today against what it could (monthly won, cash and vouchers)."""

    programs: frozenset[str]  # ids of the programs it could get and receives now
    received: int
    could: int


def receiving(session: Session, h: Home, rows: list[plain.Entitlement], month: str) -> Receiving:
    """Of the payments the household could get (cash or vouchers), those it receives now.

    gibon holds no payment register: for synthetic residents, receipt is the simulator's take-up
    draw, the same one the outreach list and the officer's case page read (``household_missed``).
    """
    missed = {p["id"] for p in simulator_service.household_missed(session, h.household.id, month)}
    could = [r for r in rows if r.state == plain.YES and r.amount > 0]  # money or vouchers
    now = [r for r in could if r.id not in missed]
    return Receiving(
        frozenset(r.id for r in now), sum(r.amount for r in now), sum(r.amount for r in could)
    )


# --- my applications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    id: int
    status: str
    status_label: str
    step: int  # 1-based position of the status among the statute's steps
    steps: int
    opened_on: dt.date
    due_on: dt.date | None
    officer: str  # name and office, or who will be assigned
    phone: str  # the officer's office phone, or the way to reach the dong office
    overdue: bool
    path: list[Step]
    next_step: str  # "사전 확인 완료 (법 제10조제3항)", or "" when closed
    deadline_basis: str


STEPS = list(CaseStatus)
# The statute's step each status is the result of (its article: care.rules.STEP_BASIS).
STEP_ACTION = {
    CaseStatus.applied: "open",
    CaseStatus.screened: "screen",
    CaseStatus.assessed: "assess",
    CaseStatus.decided: "decide",
    CaseStatus.planned: "plan",
    CaseStatus.approved: "notify",
    CaseStatus.in_service: "follow_up",
    CaseStatus.closed: "close",
}


@dataclass(frozen=True)
class Step:
    label: str
    article: str  # "법 제10조제1항"
    state: str  # done / now / later


def path_of(status: CaseStatus) -> list[Step]:
    """The statute's steps with where the application is now."""
    at = STEPS.index(status)
    return [
        Step(
            STATUS_LABELS[s],
            rules.STEP_BASIS[STEP_ACTION[s]].label,
            "done" if i < at else "now" if i == at else "later",
        )
        for i, s in enumerate(STEPS)
    ]


def deadline_basis(status: CaseStatus) -> str:
    """Whose deadline the due date is: the law's 점검 in service, else the district's own."""
    if status is CaseStatus.in_service:
        return f"법정 점검 기한 ({rules.REVIEW_RULE.ref})"
    return "관악구가 정한 처리 기한 (법에는 단계별 기한이 없어요)"


def applications(session: Session, person_id: str) -> list[Application]:
    cases = session.scalars(
        select(Case).where(Case.person_id == person_id).order_by(Case.id.desc())
    ).all()
    officers = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_([c.officer_id for c in cases if c.officer_id]))
        )
    }
    out = []
    for c in cases:
        status = CaseStatus(c.status)
        officer = officers.get(c.officer_id) if c.officer_id else None
        out.append(
            Application(
                id=c.id,
                status=status.value,
                status_label=STATUS_LABELS[status],
                step=STEPS.index(status) + 1,
                steps=len(STEPS),
                opened_on=c.opened_on,
                due_on=c.due_on,
                officer=office_and_name(officer) if officer else f"{c.dong} 주민센터 (배정 전)",
                phone=officer.phone if officer and officer.phone else NO_PHONE,
                overdue=c.due_on is not None and c.due_on < deadlines.today(),
                path=path_of(status),
                next_step=_next(status),
                deadline_basis=deadline_basis(status),
            )
        )
    return out


NO_PHONE = "전화번호가 아직 없어요. 동 주민센터 대표 번호로 물어보세요"


def _next(status: CaseStatus) -> str:
    if status is CaseStatus.closed:
        return ""
    if status is CaseStatus.in_service:
        return f"정기 점검 ({rules.REVIEW_RULE.ref})"
    after = STEPS[STEPS.index(status) + 1]
    return f"{STATUS_LABELS[after]} ({rules.STEP_BASIS[STEP_ACTION[after]].label})"


def apply_for_care(session: Session, me: Me, h: Home, share: bool, today: dt.date) -> Case:
    """Open an integrated-care intake for the resident (by themselves or their guardian), through
    the officers' path."""
    require_act(me, "care_application")
    person = h.person
    if any(a.status != CaseStatus.closed.value for a in applications(session, person.id)):
        raise Conflict(
            "이미 신청하신 돌봄이 진행 중이에요. 아래에서 어디까지 왔는지 볼 수 있어요",
            where="apply",
        )
    group: TargetGroup | None = None
    if eligibility.age_on(person, today) < 65:
        if person.disability != "severe":
            raise InvalidInput(
                "통합돌봄은 65세 이상이거나 장애의 정도가 심한 분이 신청할 수 있어요. "
                "다른 도움이 필요하면 동 주민센터에 상담을 요청해 주세요",
                where="apply",
            )
        group = TargetGroup.severe_disability
    consents = [ConsentPurpose.assessment] + ([ConsentPurpose.sharing] if share else [])
    guardian = me.guardianship
    body = CaseCreate(
        person_id=person.id,
        channel=Channel.guardian if guardian else Channel.self,
        applicant_name=me.user.display_name if guardian else person.name,
        applicant_relation=guardian.relation if guardian else "본인",
        consents=consents,
        officer_id=_dong_officer(session, person.dong),
        target_group=group,
    )
    return care.open_case(session, me.user, body, resource="care_application")


def _dong_officer(session: Session, dong: str) -> int | None:
    return session.scalar(
        select(User.id)
        .where(User.role == Role.dong_officer.value, User.dong == dong, User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


# --- who looked at my records -------------------------------------------------------------------

PERSON_RESOURCES = ("person", "resident")
CASE_RESOURCES = ("care_case", "care_consent")


@dataclass(frozen=True)
class Look:
    at: dt.datetime
    who: str  # office and name, or role
    what: str  # plain sentence of the action on which record
    purpose: str
    refused: bool
    exported: bool
    id: int  # the audit row, for asking an explanation of it


def records(session: Session, me: Me, h: Home, limit: int = 500) -> list[Look]:
    """Every audit row about the resident, their household or their care cases, newest first;
    the resident's own visits to their window are left out (a guardian's are listed)."""
    user = me.user
    policy.check(user, Action.view, "my_records", Target(person_id=me.person_id))
    rows = record_rows(session, h, limit)
    staff = {
        u.username: u
        for u in session.scalars(select(User).where(User.username.in_({r.actor for r in rows})))
    }
    _audit(session, user, "read", "resident", h.person.id, "열람 기록 확인" + me.purpose_suffix)
    return [_look(r, staff.get(r.actor)) for r in rows]


def record_rows(session: Session, h: Home, limit: int = 500) -> list[AuditEvent]:
    """The audit rows about the person, their household or their care cases, newest first."""
    audit.seal(session)
    case_ids = [
        str(i) for i in session.scalars(select(Case.id).where(Case.person_id == h.person.id))
    ]
    about = or_(
        and_(AuditEvent.resource.in_(PERSON_RESOURCES), AuditEvent.resource_id == h.person.id),
        and_(AuditEvent.resource == "household", AuditEvent.resource_id == h.household.id),
        and_(AuditEvent.resource.in_(CASE_RESOURCES), AuditEvent.resource_id.in_(case_ids)),
    )
    rows = session.scalars(
        select(AuditEvent)
        .where(about, AuditEvent.actor.not_in(_own_accounts(session, h.person.id)))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return list(rows)


def _own_accounts(session: Session, person_id: str) -> list[str]:
    query = select(User.username).where(
        User.role == Role.resident.value, User.person_id == person_id
    )
    return list(session.scalars(query)) or [""]


def _look(row: AuditEvent, actor: User | None) -> Look:
    who = office_and_name(actor) if actor else plain.SYSTEM_ACTOR
    return Look(
        at=row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC),
        who=who,
        what=plain.action_sentence(row.action, row.resource),
        purpose=plain.purpose(row.purpose),
        refused=row.action == "denied",
        exported=row.action == "export",
        id=row.id,
    )


def office_and_name(user: User) -> str:
    """The office and role, with the official's name (public officials acting in their duty)."""
    role = user.role_enum
    if role is Role.dong_officer and user.dong:
        return _with_office(f"{user.dong} 주민센터", user.display_name)
    if role is Role.district_team:
        return _with_office("관악구청 통합돌봄과", user.display_name)
    if role is Role.admin:
        return "관악구청 · 시스템 관리자"
    if role is Role.resident:
        return f"대리인 · {user.display_name}"  # the resident's own rows are left out
    return f"{ROLE_LABELS_KO[role]} · {user.display_name}"


def _with_office(office: str, name: str) -> str:
    """ "보라매동 주민센터 · 박서연", also when the account's name already carries the office."""
    short = name.removeprefix(office).strip() or name
    return f"{office} · {short}"


def _audit(
    session: Session, user: User, action: str, resource: str, resource_id: str, purpose: str
) -> None:
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action=action,
        resource=resource,
        resource_id=resource_id,
        purpose=purpose,
    )
