"""What a resident asks of the officers, and how officers answer: an explanation of a 열람 기록
entry (the district team's queue), a correction of the household's data (the dong's queue; an
officer applies it or says why not, nothing changes silently), and the notice of a withdrawn
consent (the case's dong). Every step is audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import User
from gibon.care.cases import service as care
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound
from gibon.window import labels, repository, service
from gibon.window.acting import Me, require_act
from gibon.window.models import ResidentRequest

MAX_TEXT = 1000
NOT_FOUND = "찾는 요청이 없어요"


def _new(me: Me, h: service.Home, kind: str, **fields: object) -> ResidentRequest:
    return ResidentRequest(
        kind=kind,
        person_id=h.person.id,
        dong=h.household.dong,
        created_by=me.user.username,
        created_at=utcnow(),
        **fields,
    )


def ask_explanation(
    session: Session, me: Me, h: service.Home, audit_id: int, text: str
) -> ResidentRequest:
    """Only an entry of this person's own 열람 기록 can be asked about (else: not found)."""
    require_act(me, "my_request")
    shown = {row.id for row in service.record_rows(session, h)}
    if audit_id not in shown:
        raise NotFound(
            "설명을 요청할 기록을 찾을 수 없어요. 목록에서 다시 골라 주세요", where="기록"
        )
    request = _new(me, h, "explanation", audit_event_id=audit_id, text=_text(text, required=False))
    return _saved(session, me, request, "열람 기록 설명 요청")


def ask_correction(
    session: Session, me: Me, h: service.Home, field: str, value: str, text: str
) -> ResidentRequest:
    require_act(me, "my_request")
    if field not in labels.CORRECTION_FIELDS:
        raise InvalidInput(
            "고칠 항목을 골라 주세요", where="항목", example=labels.CORRECTION_FIELDS["income"]
        )
    value = value.strip()
    if not value or len(value) > 200:
        example = labels.CORRECTION_EXAMPLES[field]
        raise InvalidInput(
            f"‘{labels.CORRECTION_FIELDS[field]}’의 맞는 값을 200자 안으로 적어 주세요",
            where="맞는 값",
            example=example,
        )
    request = _new(
        me, h, "correction", field=field, proposed={"value": value}, text=_text(text, False)
    )
    return _saved(session, me, request, "가구 정보 정정 요청")


def ask_to_apply(
    session: Session, me: Me, h: service.Home, program: str, month: str
) -> ResidentRequest:
    """Ask the dong office to take an application for a program the engine finds the household
    could get; the officer receives the program and the household as the registry holds it."""
    require_act(me, "my_request")
    entitled = service.entitlements(h, month)
    could = {e.id: e for e in entitled if e.state == "yes" and e.amount > 0}  # payments
    if program not in could:
        raise InvalidInput(
            "받을 수 있는 급여 목록에서 신청할 급여를 골라 주세요", where="급여", example="기초연금"
        )
    chosen = could[program]
    household = {
        "members": len(h.members),
        "monthly_income": sum(
            p.earned_income + p.business_income + p.pension_income + p.property_income
            for p in h.members
        ),
        "monthly_rent": h.household.monthly_rent,
        "month": month,
    }
    request = _new(
        me,
        h,
        "application",
        field=program,
        proposed={"program": chosen.name, "amount": chosen.amount_text, "household": household},
    )
    return _saved(session, me, request, f"{chosen.name} 신청 요청")


def _text(text: str, required: bool) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT or (required and not text):
        raise InvalidInput(
            f"하고 싶은 말은 {MAX_TEXT}자 안으로 적어 주세요",
            where="하고 싶은 말",
            example="왜 보았는지 알고 싶어요",
        )
    return text


def _saved(session: Session, me: Me, request: ResidentRequest, purpose: str) -> ResidentRequest:
    policy.check(me.user, Action.create, "my_request", Target(person_id=request.person_id))
    session.add(request)
    session.flush()
    care.record(
        session, me.user, "create", "resident_request", request.id, purpose + me.purpose_suffix
    )
    return request


def mine(session: Session, me: Me) -> list[ResidentRequest]:
    policy.check(me.user, Action.view, "my_household", Target(person_id=me.person_id))
    return repository.requests_of(session, me.person_id)


# --- the officers' side ---------------------------------------------------------------------------


def kinds_for(user: User) -> tuple[str, ...]:
    """The district team answers every kind; a dong officer the dong's corrections, notices and
    applications."""
    if policy.scope_of(user, Action.list, "resident_request") is Scope.district:
        return tuple(labels.REQUEST_KINDS)
    return ("correction", "consent_withdrawn", "application")


def queue(session: Session, user: User, status: str | None) -> list[ResidentRequest]:
    area = policy.check(user, Action.list, "resident_request")
    dong = user.dong if area is Scope.own_dong else None
    rows = repository.queue(session, kinds_for(user), dong, status, 200)
    care.record(session, user, "read", "resident_request", None, "주민 요청함", f"n={len(rows)}")
    return rows


def answer(
    session: Session, user: User, request_id: int, text: str, version: int
) -> ResidentRequest:
    row = repository.get_request(session, request_id)
    target = Target(dong=row.dong) if row is not None else None
    policy.check_hidden(
        user, Action.change, "resident_request", target, request_id, NOT_FOUND, "요청"
    )
    assert row is not None
    if row.kind not in kinds_for(user):
        policy.refuse(user, Action.change, "resident_request", request_id)
    if row.version_id != version:
        raise Conflict("다른 담당자가 먼저 답했어요. 새로 고쳐 보고 다시 답해 주세요", where="답변")
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise InvalidInput(
            f"주민에게 보낼 답을 {MAX_TEXT}자 안으로 적어 주세요",
            where="답변",
            example="돌봄 신청 사전 확인을 위해 보았어요",
        )
    row.answer, row.status = text, "answered"
    row.answered_by, row.answered_at = user.username, utcnow()
    session.flush()
    care.record(session, user, "update", "resident_request", row.id, "주민 요청 답변")
    return row
