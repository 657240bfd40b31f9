"""서비스 연계 and 모니터링: the provider catalogue, closed-loop referrals and follow-ups."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from gibon.access import assignees, policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import User
from gibon.care import deadlines, repository
from gibon.care.cases import service
from gibon.care.cases.schemas import ConsentPurpose
from gibon.care.cases.transitions import CaseStatus
from gibon.care.models import OPEN_FOLLOWUP, Case, FollowUp, Provider, Referral
from gibon.care.plans.schemas import SERVICE_LABELS
from gibon.care.referrals.schemas import (
    FollowUpCreate,
    FollowUpDone,
    FollowUpKind,
    FollowUpMissed,
    ProviderCreate,
    ReferralAction,
    ReferralCreate,
    ReferralUpdate,
)
from gibon.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from gibon.kit import gwanak
from gibon.residents import contact
from gibon.residents.models import Person

# referral status -> {action: new status}
# 법 제14조③: the provider decides and notifies, and notifies a change of its decision too
# (accepted -> declined).
REFERRAL_FLOW: dict[str, dict[ReferralAction, str]] = {
    "offered": {ReferralAction.accept: "accepted", ReferralAction.decline: "declined"},
    "accepted": {
        ReferralAction.start: "started",
        ReferralAction.end: "ended",
        ReferralAction.decline: "declined",
    },
    "started": {ReferralAction.end: "ended"},
}
# The provider's own decisions; the district's officers only end a referral (e.g. at closing).
PROVIDER_ONLY = frozenset({ReferralAction.accept, ReferralAction.decline, ReferralAction.start})
ACTION_LABELS = {
    ReferralAction.accept: "수락",
    ReferralAction.decline: "거절",
    ReferralAction.start: "제공 시작",
    ReferralAction.end: "종료",
}


def actions_for(
    user: User, status: str, organization_id: str | None, case_closed: bool
) -> list[ReferralAction]:
    """What this viewer may do now with a referral in ``status`` sent to ``organization_id``."""
    mine = policy.scope_of(user, Action.change, "care_referral") is Scope.own_org and (
        policy.within(user, Scope.own_org, Target(org=organization_id))
    )
    if not mine and case_closed:
        return []
    return [a for a in REFERRAL_FLOW.get(status, {}) if mine or a not in PROVIDER_ONLY]


FOLLOWUP_LABELS = {
    FollowUpKind.phone: "전화 점검",
    FollowUpKind.visit: "방문 점검",
    FollowUpKind.reassessment: "재평가",
}
REFERRAL_LABELS = {
    "offered": "의뢰됨",
    "accepted": "수락",
    "declined": "거절",
    "started": "제공 중",
    "ended": "종료",
}


def add_provider(session: Session, user: User, body: ProviderCreate) -> Provider:
    policy.check(user, Action.create, "care_provider")
    if repository.provider_by_org(session, body.organization_id):
        raise InvalidInput("이미 등록된 기관 ID입니다", where="organization_id", example="prov-101")
    unknown = [d for d in body.dongs if d not in gwanak.dong_names()]
    if unknown:
        raise InvalidInput(f"관악구의 동이 아닙니다: {unknown[0]}", where="dongs", example="신림동")
    provider = Provider(**body.model_dump(mode="json"))
    session.add(provider)
    session.flush()
    service.record(session, user, "create", "care_provider", provider.id, "제공기관 등록")
    return provider


def offer(session: Session, user: User, body: ReferralCreate) -> Referral:
    """Offer a service to a provider: needs an approved plan, consent, coverage and free capacity."""
    case = service.case_for_change(
        session, user, body.case_id, body.version, body.model_dump(mode="json")
    )
    provider = session.get(Provider, body.provider_id)
    if provider is None or not provider.active:
        raise NotFound("제공기관이 없거나 운영하지 않습니다", where="provider_id", example="1")
    if body.service_type.value not in provider.service_types:
        raise InvalidInput(
            f"{provider.name}은(는) 이 서비스를 제공하지 않습니다",
            where="service_type",
            example=provider.service_types[0],
        )
    if provider.dongs and case.dong not in provider.dongs:
        raise InvalidInput(
            f"{provider.name}의 제공 지역이 아닙니다 ({case.dong})", where="provider_id"
        )
    if repository.provider_load(session, provider.id) >= provider.capacity:
        raise InvalidInput(
            f"{provider.name}의 정원({provider.capacity})이 찼습니다", where="provider_id"
        )
    service.require_consent(session, case, ConsentPurpose.referral, "consent")
    service.transition(
        session,
        user,
        case,
        "refer",
        f"{provider.name}에 {SERVICE_LABELS[body.service_type]} 의뢰",
    )
    row = Referral(
        case_id=case.id,
        provider_id=provider.id,
        service_type=body.service_type.value,
        note=body.note,
        offered_on=deadlines.today(),
    )
    session.add(row)
    session.flush()
    return row


def get_referral(
    session: Session, user: User, referral_id: int, action: Action = Action.view
) -> Referral:
    """A referral, for its provider (while consent stands) or for the case's officers."""
    ref = repository.referral(session, referral_id)
    if ref is None:
        raise NotFound(f"의뢰 {referral_id}번이 없습니다", where="referral_id")
    case = repository.get_case(session, ref.case_id)
    assert case is not None
    target = Target(dong=case.dong, org=ref.provider.organization_id)
    area = policy.check(user, action, "care_referral", target, ref.id)
    withdrawn = repository.active_consent(session, case.id, ConsentPurpose.referral.value) is None
    if area is Scope.own_org and withdrawn:  # a provider sees nothing once consent is withdrawn
        policy.refuse(user, action, "care_referral", ref.id)
    service.record(session, user, "read", "care_referral", ref.id, "서비스 연계 조회")
    return ref


def update_referral(
    session: Session, user: User, referral_id: int, body: ReferralUpdate
) -> Referral:
    ref = get_referral(session, user, referral_id, Action.change)
    if ref.version_id != body.version:
        raise Conflict(
            f"다른 사람이 이 의뢰를 먼저 처리했습니다 (보신 버전 {body.version}, 현재 버전 {ref.version_id})",
            where="version",
            example=str(ref.version_id),
            details={
                "your_version": body.version,
                "current_version": ref.version_id,
                "current": {"status": ref.status},
                "submitted": body.model_dump(mode="json"),
            },
        )
    target = REFERRAL_FLOW.get(ref.status, {}).get(body.action)
    if target is None:
        raise InvalidTransition(
            f"'{REFERRAL_LABELS[ref.status]}' 상태의 의뢰는 {ACTION_LABELS[body.action]}할 수 없습니다",
            where="action",
        )
    case = repository.get_case(session, ref.case_id)
    assert case is not None
    closed = case.status == CaseStatus.closed.value
    if body.action not in actions_for(user, ref.status, ref.provider.organization_id, closed):
        policy.refuse(
            user,
            Action.change,
            "care_referral",
            ref.id,
            f"이 의뢰를 {ACTION_LABELS[body.action]}할 수 있는 사람이 아닙니다",
        )
    if body.on is not None and body.on > deadlines.today():
        raise InvalidInput(
            "아직 오지 않은 날짜입니다: 실제로 처리한 날을 적으세요",
            where="on",
            example=str(deadlines.today()),
        )
    if body.action in (ReferralAction.decline, ReferralAction.end) and not body.reason:
        raise InvalidInput(
            "거절 사유 또는 종료 결과를 적어 주세요", where="reason", example="정원 초과"
        )
    _apply(session, user, ref, body, target)
    return ref


def _apply(session: Session, user: User, ref: Referral, body: ReferralUpdate, target: str) -> None:
    day = body.on or deadlines.today()
    ref.status = target
    if body.action is ReferralAction.decline:
        ref.decline_reason = body.reason
    elif body.action is ReferralAction.start:
        ref.started_on = day
    elif body.action is ReferralAction.end:
        ref.ended_on, ref.outcome = day, body.reason
    case = repository.get_case(session, ref.case_id)
    assert case is not None
    if body.action is ReferralAction.accept and case.status != CaseStatus.closed.value:
        service.transition(
            session, user, case, "link", f"{ref.provider.name}이(가) 의뢰 {ref.id}번 수락"
        )
    service.record(
        session, user, "update", "care_referral", ref.id, body.action.value, body.reason[:200]
    )
    session.flush()


def referrals_for_provider(
    session: Session, user: User, status: str | None, limit: int = 200
) -> list[tuple[Referral, bool, str, str]]:
    """(referral, consent active, name, dong) for the provider's own organisation."""
    policy.check(user, Action.list, "care_referral")
    if not user.organization_id:
        policy.refuse(user, Action.list, "care_referral")
    rows = repository.referrals_for_org(session, user.organization_id, status, limit)
    out = []
    for ref, case, person in rows:
        ok = repository.active_consent(session, case.id, ConsentPurpose.referral.value) is not None
        out.append((ref, ok, person.name if ok else "(동의 철회로 비공개)", case.dong))
    service.record(
        session, user, "read", "care_referral_list", user.organization_id, "제공기관 의뢰 목록"
    )
    return out


def schedule(session: Session, user: User, body: FollowUpCreate) -> FollowUp:
    case = service.case_for_change(
        session, user, body.case_id, body.version, body.model_dump(mode="json")
    )
    if case.status not in (CaseStatus.in_service.value, CaseStatus.approved.value):
        service.transition(session, user, case, "follow_up")  # refuses with the reason
    _check_followup_day(session, case, body.due_on)
    assignees.check_followup_assignee(session, body.assignee_org)
    row = FollowUp(
        case_id=case.id, kind=body.kind.value, due_on=body.due_on, assignee_org=body.assignee_org
    )
    session.add(row)
    session.flush()
    kind = FOLLOWUP_LABELS[body.kind]
    service.transition(session, user, case, "follow_up", f"{body.due_on} {kind} 예정")
    return row


def _check_followup_day(session: Session, case: Case, due_on: date) -> None:
    """No 점검 in the past, and none that leaves the 규칙 제10조① deadline without one."""
    today = deadlines.today()
    if due_on < today:
        raise InvalidInput(
            f"지난 날짜입니다: 예정일은 오늘({today}) 이후여야 합니다",
            where="due_on",
            example=str(today),
        )
    first = repository.first_plan_at(session, case.id)
    if first is None:
        return
    limit = deadlines.review_due(
        first.astimezone(deadlines.SEOUL).date() if first.tzinfo else first.date(),
        repository.last_review_on(session, case.id),
    )
    upcoming = repository.next_followup_due(session, case.id)
    if due_on > limit and (upcoming is None or upcoming > limit):
        raise InvalidInput(
            f"다음 점검은 {limit}까지 해야 합니다 (규칙 제10조제1항). "
            f"그 뒤의 날짜를 잡으려면 먼저 {limit} 이전의 점검을 잡으세요",
            where="due_on",
            example=str(min(limit, max(today, limit))),
        )


def complete(session: Session, user: User, followup_id: int, body: FollowUpDone) -> FollowUp:
    row, case = _open_followup(
        session, user, followup_id, body.version, body.model_dump(mode="json")
    )
    done_on = _past_day(body.done_on, "done_on")
    missed = row.notes if row.status == "missed" else ""  # earlier attempts stay on the record
    row.status, row.notes, row.done_on = (
        "done",
        "\n".join(filter(None, [missed, body.notes])),
        done_on,
    )
    session.flush()
    _case_event(session, user, case, row, f"{row.done_on} {_kind(row)} 점검 완료")
    service.record(session, user, "update", "care_followup", row.id, "모니터링 완료")
    session.flush()
    return row


def miss(session: Session, user: User, followup_id: int, body: FollowUpMissed) -> FollowUp:
    """A visit attempted and not made: the 점검 is marked 미방문 with the reason and stays open
    (the next day's plan gathers it again as overdue)."""
    row, case = _open_followup(
        session, user, followup_id, body.version, body.model_dump(mode="json")
    )
    on = _past_day(body.on, "on")
    line = f"{on.month}월 {on.day}일 미방문 (사유: {body.reason.strip()})"
    row.status, row.notes = "missed", "\n".join(filter(None, [row.notes, line]))
    session.flush()
    _case_event(session, user, case, row, f"{on} {_kind(row)} 미방문: {body.reason.strip()}")
    service.record(session, user, "update", "care_followup", row.id, "모니터링 미방문")
    session.flush()
    return row


def _open_followup(
    session: Session, user: User, followup_id: int, version: int, submitted: dict[str, object]
) -> tuple[FollowUp, Case]:
    """The 점검 to record on, checked: it exists, this user may change it, nobody recorded on it
    since they read it, and it is still open."""
    row = repository.followup(session, followup_id)
    if row is None:
        raise NotFound(f"모니터링 {followup_id}번이 없습니다", where="followup_id")
    case = repository.get_case(session, row.case_id)
    assert case is not None
    target = Target(dong=case.dong, org=row.assignee_org)
    policy.check(user, Action.change, "care_followup", target, row.id)
    if row.version_id != version:
        raise Conflict(
            f"다른 사람이 먼저 기록했습니다 (보신 버전 {version}, 현재 버전 {row.version_id})",
            where="version",
            example=str(row.version_id),
            details={
                "your_version": version,
                "current_version": row.version_id,
                "current": {"status": row.status, "notes": row.notes},
                "submitted": submitted,
            },
        )
    if row.status not in OPEN_FOLLOWUP:
        raise InvalidTransition("이미 끝난 점검입니다", where="status")
    return row, case


def _past_day(day: date | None, where: str) -> date:
    if day is not None and day > deadlines.today():
        raise InvalidInput(
            "아직 오지 않은 날짜입니다: 점검한 날을 적으세요",
            where=where,
            example=str(deadlines.today()),
        )
    return day or deadlines.today()


def _kind(row: FollowUp) -> str:
    return FOLLOWUP_LABELS[FollowUpKind(row.kind)]


def _case_event(session: Session, user: User, case: Case, row: FollowUp, detail: str) -> None:
    if case.status in (CaseStatus.in_service.value, CaseStatus.approved.value):
        service.transition(session, user, case, "follow_up", detail)


def followups_for(
    session: Session, user: User, status: str | None, limit: int = 200
) -> list[tuple[FollowUp, Case, Person]]:
    area = policy.check(user, Action.list, "care_followup")
    if area is Scope.assigned:
        if not user.organization_id:
            policy.refuse(user, Action.list, "care_followup")
        rows = repository.followups_for(session, user.organization_id, None, status, limit)
    else:
        dong = user.dong if area is Scope.own_dong else None
        rows = repository.followups_for(session, None, dong, status, limit)
    service.record(
        session, user, "read", "care_followup_list", None, "모니터링 목록", f"{len(rows)} rows"
    )
    return rows


def case_contacts(
    session: Session, user: User, case_ids: list[int], resource: str, purpose: str
) -> dict[int, tuple[contact.Contact, str]]:
    """The resident's contact, household and responsible worker for each listed case.

    Called only for rows the viewer already may see (a provider's rows with referral consent);
    audited as one read of the contacts shown, with their number.
    """
    if not case_ids:
        return {}
    cases = repository.cases_by_ids(session, case_ids)
    people = contact.contacts_for(session, [c.person_id for c in cases], deadlines.today())
    workers = contact.workers_by_id(session, [c.officer_id for c in cases])
    out = {
        c.id: (
            people[c.person_id],
            workers.get(c.officer_id or 0) or contact.worker_label(None, c.dong),
        )
        for c in cases
        if c.person_id in people
    }
    service.record(session, user, "read", resource, None, purpose, f"연락처 {len(out)}명")
    return out
