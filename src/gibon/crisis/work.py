"""Working one item: reading it whole, logging contact attempts, and each move of its lifecycle.

지원 연계 opens an integrated-care case through the care service (prefilled from the household's
head) and the item then follows that case: when the case closes, the item closes with it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.orm import Session

from gibon import benefits
from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.care import deadlines
from gibon.care import repository as care_repository
from gibon.care import rules as care_rules
from gibon.care.assessments import eligibility as care_eligibility
from gibon.care.cases import schemas as case_schemas
from gibon.care.cases import service as care_service
from gibon.care.cases import transitions as care_transitions
from gibon.crisis import apply, indicators, labels, repository, service, young
from gibon.crisis import scope as crisis_scope
from gibon.crisis.lifecycle import Action, Status
from gibon.crisis.models import Contact, Item
from gibon.crisis.schemas import (
    ActionIn,
    ContactIn,
    ContactRead,
    ItemDetail,
    ProgramRead,
    SignalRead,
)
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from gibon.simulator import takeup

SEOUL = ZoneInfo("Asia/Seoul")


def kst(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def load(session: Session, user: User, item_id: int, for_update: bool = False) -> Item:
    item = repository.get_item(session, item_id, for_update)
    if item is None:
        raise NotFound(f"발굴 항목 {item_id}번이 없습니다", where="item_id", example="1")
    crisis_scope.dong_scope(session, user, item.dong)
    return item


def detail(session: Session, user: User, item_id: int) -> ItemDetail:
    """The whole item: reasons, every signal with its source, contacts, events, entitlements."""
    item = load(session, user, item_id)
    follow_case(session, item)
    case_status = _case_status(session, item)
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose="위기가구 발굴 항목 확인",
    )
    entitled = likely_entitled(session, item.household_id)
    app = repository.get_application(session, item.application_id) if item.application_id else None
    return ItemDetail(
        item=service.to_reads(session, [item])[0],
        signals=[_signal(s) for s in repository.item_signals(session, item.id)],
        contacts=[_contact(c) for c in repository.contacts(session, item.id)],
        events=[_event(e) for e in repository.events(session, item.id)],
        likely_entitled=entitled,
        care_case_status=case_status,
        close_reason_label=labels.NOT_NEEDED_REASONS.get(item.close_reason or ""),
        youth=young.household_youth(session, item.household_id),
        loneliness=young.loneliness_read(item),
        referrals=young.referrals(session, item.id),
        application=apply.read(app) if app else None,
        link_programs=_link_programs(entitled),
    )


def _link_programs(entitled: list[ProgramRead]) -> list[ProgramRead]:
    """The programs an application may be opened for: the likely entitled first."""
    seen = {p.id for p in entitled}
    rest = [ProgramRead(id=k, name=v, monthly_amount=0) for k, v in apply.program_names().items()]
    return [*entitled, *(p for p in rest if p.id not in seen)]


def _signal(s: Any) -> SignalRead:
    ind = indicators.catalogue()[s.indicator]
    return SignalRead(
        indicator=s.indicator,
        label=ind.label,
        source=s.source,
        source_label=labels.SOURCE[s.source],
        agency=ind.agency,
        legal=ind.legal,
        observed_on=s.observed_on,
        detail=s.detail,
    )


def _contact(c: Contact) -> ContactRead:
    return ContactRead(
        method=c.method,
        method_label=labels.METHOD[c.method],
        outcome=c.outcome,
        outcome_label=labels.OUTCOME[c.outcome],
        at=kst(c.at),
        note=c.note,
        recorded_by=c.recorded_by,
    )


def _event(e: Any) -> str:
    to = labels.STATUS.get(Status(e.to_status), e.to_status)
    extra = f" — {e.detail}" if e.detail else ""
    if e.action in labels.NOTE_EVENTS:  # a record on the item, not a move
        return f"{kst(e.at)} {labels.NOTE_EVENTS[e.action]} ({e.actor}){extra}"
    action = "발굴 목록에 올림" if e.action == "open" else labels.ACTION[Action(e.action)]
    return f"{kst(e.at)} {action} → {to} ({e.actor}){extra}"


def likely_entitled(
    session: Session, household_id: str, month: str | None = None
) -> list[ProgramRead]:
    """What the engine finds this household likely entitled to and not receiving.

    Receipt is not in gibon's database: as in the outreach list, the synthetic district's receipt
    is the simulator's take-up draw (seed 1)."""
    month = month or service.today().strftime("%Y-%m")
    hh, ps = repository.household_frames(session, [household_id])
    if hh.height == 0:
        return []
    ent = benefits.calculate_population(hh, ps, month)
    rules, keys = takeup.load(), takeup.household_keys(hh["household_id"], 1)
    out = []
    for prog in benefits.service.programs(benefits.default_system()):
        eligible = bool(ent[f"{prog.id}_eligible"][0])
        amount = int(ent[f"{prog.id}_amount"][0])
        receives = bool(np.asarray(takeup.draws(keys, prog.id) < rules.rule(prog.id).rate)[0])
        if eligible and not receives:
            out.append(ProgramRead(id=prog.id, name=prog.name_ko, monthly_amount=amount))
    return out


def add_contact(
    session: Session, user: User, item_id: int, body: ContactIn, now: datetime | None = None
) -> Contact:
    item = load(session, user, item_id, for_update=True)
    if Status(item.status) not in (Status.checking, Status.recheck, Status.linked):
        raise InvalidTransition("닫힌 항목에는 연락 기록을 더할 수 없습니다", where="item_id")
    now = now or utcnow()
    at = (_aware(body.at) if body.at else now).astimezone(UTC)  # SQLite keeps no offset
    if at > now + timedelta(minutes=5):
        raise InvalidInput("미래 시각은 기록할 수 없습니다", where="at", example=kst(now))
    opened = item.opened_at if item.opened_at.tzinfo else item.opened_at.replace(tzinfo=UTC)
    if at < opened - timedelta(minutes=1):
        raise InvalidInput(
            f"발굴 항목이 열리기 전({kst(opened)}) 시각은 기록할 수 없습니다",
            where="at",
            example=kst(now),
        )
    contact = Contact(
        item_id=item.id,
        method=body.method.value,
        outcome=body.outcome.value,
        at=at,
        note=body.note,
        recorded_by=user.username,
    )
    session.add(contact)
    _first_times(item, at, body.outcome.value in labels.REACHED)
    item.modified_at = now
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="create",
        resource="crisis_contact",
        resource_id=str(item.id),
        purpose="위기가구 연락 시도 기록",
        detail=f"{body.method.value} {body.outcome.value}",
    )
    session.flush()
    return contact


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=SEOUL) if moment.tzinfo is None else moment


def _first_times(item: Item, at: datetime, reached: bool) -> None:
    def earlier(current: datetime | None) -> datetime:
        if current is None:
            return at
        cur = current if current.tzinfo else current.replace(tzinfo=UTC)
        return min(cur, at)

    item.first_contact_at = earlier(item.first_contact_at)
    if reached:
        item.first_reached_at = earlier(item.first_reached_at)


def act(session: Session, user: User, item_id: int, body: ActionIn) -> Item:
    """One move of the item, on the version the officer saw (optimistic lock)."""
    item = load(session, user, item_id, for_update=True)
    if item.version_id != body.version:
        raise Conflict(
            f"다른 사람이 먼저 이 항목을 바꿨습니다 (보신 버전 {body.version}, 현재 {item.version_id})",
            where="version",
            example=str(item.version_id),
        )
    handler = _HANDLERS.get(body.action)
    if handler is None:
        raise InvalidInput("이 동작은 직접 할 수 없습니다", where="action", example="link")
    detail = handler(session, user, item, body)
    service.move(session, user.username, item, body.action, detail)
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="update",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose=labels.ACTION[body.action],
        detail=detail[:500],
    )
    session.flush()
    return item


def _link(session: Session, user: User, item: Item, body: ActionIn) -> str:
    if body.target not in labels.LINK_TARGET:
        raise InvalidInput("연계 대상은 통합돌봄 사례 또는 급여 신청입니다", where="target",
                           example="care | benefit")  # fmt: skip
    if body.target == "benefit":
        return apply.open_application(session, user, item, body)
    head = repository.head_person(session, item.household_id)
    if head is None:
        raise NotFound("가구주를 찾을 수 없어 사례를 열 수 없습니다", where="household")
    channel = case_schemas.Channel.self if body.consent else case_schemas.Channel.ex_officio
    group = _target_group(head)
    case = care_service.open_case(
        session,
        user,
        case_schemas.CaseCreate(
            person_id=head.id,
            channel=channel,
            applicant_name=head.name if body.consent else user.display_name[:40],
            applicant_relation="본인" if body.consent else "담당 공무원(직권)",
            consents=[case_schemas.ConsentPurpose.assessment] if body.consent else [],
            # 영 제4조: a household found through 위기정보 is a 직권 ground of its own
            ex_officio_ground=None if body.consent else care_rules.ExOfficioGround.crisis,
            target_group=group,
        ),
    )
    item.care_case_id = case.id
    note = " · 대상자 구분은 담당자 확인 필요 (영 제2조제1항제3호)" if group else ""
    return f"통합돌봄 사례 {case.id}번 접수 ({'본인 동의' if body.consent else '직권'}){note}"


def _target_group(head: Any) -> care_rules.TargetGroup | None:
    """65+ is recorded by the care service itself; a registered severe disability is its own
    category; anyone else found in crisis is proposed as 장관이 정하는 사람, for the officer to
    confirm (the case is flagged for review by the care intake)."""
    if head.disability == "severe":
        return care_rules.TargetGroup.severe_disability
    age = care_eligibility.age_on(head, deadlines.today())
    return None if age >= 65 else care_rules.TargetGroup.agreed


def _not_needed(session: Session, user: User, item: Item, body: ActionIn) -> str:
    if body.reason is None:
        raise InvalidInput("비대상 사유를 고르세요", where="reason", example="no_need")
    item.close_reason = body.reason.value
    item.close_note = body.note
    return labels.NOT_NEEDED_REASONS[body.reason.value]


def _unreachable(session: Session, user: User, item: Item, body: ActionIn) -> str:
    weights = service.weights_in_force(session)
    tries = repository.contacts(session, item.id)
    if any(c.outcome in labels.REACHED for c in tries):
        raise InvalidTransition(
            "연락이 닿은 적이 있어 소재 불명으로 닫을 수 없습니다", where="action"
        )
    visits = sum(c.method == "visit" for c in tries)
    span = (max(c.at for c in tries) - min(c.at for c in tries)).days if tries else 0
    if len(tries) < weights.min_attempts or visits < weights.min_visits or span < weights.min_days:
        raise InvalidTransition(
            f"소재 불명은 {weights.min_attempts}회 이상 시도(방문 {weights.min_visits}회 이상, "
            f"첫 시도부터 {weights.min_days}일 이상) 후에 닫을 수 있습니다. "
            f"지금까지 {len(tries)}회(방문 {visits}회, {span}일)",
            where="action",
            example="전화 → 방문 → 안내문",
        )
    item.close_note = body.note
    return f"{len(tries)}회 시도(방문 {visits}회)"


def _recheck(session: Session, user: User, item: Item, body: ActionIn) -> str:
    if body.recheck_on is None or body.recheck_on <= service.today():
        raise InvalidInput(
            "재확인 날짜는 오늘 이후여야 합니다",
            where="recheck_on",
            example=(service.today() + timedelta(days=30)).isoformat(),
        )
    item.recheck_on = body.recheck_on
    item.close_note = body.note
    return f"재확인 {body.recheck_on.isoformat()}"


def _reopen(session: Session, user: User, item: Item, body: ActionIn) -> str:
    item.recheck_on = None
    return "담당자가 다시 엶"


_HANDLERS = {
    Action.link: _link,
    Action.not_needed: _not_needed,
    Action.unreachable: _unreachable,
    Action.recheck: _recheck,
    Action.reopen: _reopen,
}


def _case_status(session: Session, item: Item) -> str | None:
    if item.care_case_id is None:
        return None
    case = care_repository.get_case(session, item.care_case_id)
    if case is None:
        return None
    return care_transitions.STATUS_LABELS[care_transitions.CaseStatus(case.status)]


def follow_case(session: Session, item: Item) -> None:
    """A linked item closes when its care case has closed."""
    if item.status != Status.linked.value or item.care_case_id is None:
        return
    case = care_repository.get_case(session, item.care_case_id)
    if case is not None and case.status == care_transitions.CaseStatus.closed.value:
        reason = case.close_reason or ""
        service.move(session, "system", item, Action.case_closed, f"사례 종결 {reason}".strip())


def due_date_label(day: date) -> str:
    return day.strftime("%Y-%m-%d")
