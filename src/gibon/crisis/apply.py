"""지원 연계 to a benefit application: a prefilled application record the item follows.

The record holds what the officer would otherwise retype — the head's name, birth date, masked
resident number, dong, household size, monthly income, and the engine's finding for the program
with its legal references. Its decision moves the item: 지급 결정 or 취하 close it
(연계 사례 종결); 기각 sends it back to 확인 중 with the reason. Services only ``flush()``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gibon import benefits
from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.crisis import labels, repository, service
from gibon.crisis.lifecycle import Action, Status
from gibon.crisis.models import Application, Item
from gibon.crisis.schemas import ActionIn, ApplicationRead, DecisionIn
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, InvalidTransition, NotFound

DECISIONS = {"granted": Action.case_closed, "withdrawn": Action.case_closed,
             "refused": Action.benefit_refused}  # fmt: skip


def program_names() -> dict[str, str]:
    return {p.id: p.name_ko for p in benefits.service.programs(benefits.default_system())}


def _kst(moment: Any) -> str:
    from gibon.crisis.work import kst

    return str(kst(moment))


def open_application(session: Session, user: User, item: Item, body: ActionIn) -> str:
    """Open the prefilled application for ``body.program``; returns the event's detail."""
    names = program_names()
    if not body.program or body.program not in names:
        raise InvalidInput(
            "신청할 급여를 고르세요", where="program", example="housing_benefit (주거급여)"
        )
    head = repository.head_person(session, item.household_id)
    if head is None:
        raise NotFound("가구주를 찾을 수 없어 신청서를 만들 수 없습니다", where="household")
    app = Application(
        item_id=item.id,
        household_id=item.household_id,
        person_id=head.id,
        program=body.program,
        prefill=_prefill(session, item, head, body.program),
        channel="self" if body.consent else "ex_officio",
        created_by=user.username,
    )
    session.add(app)
    session.flush()
    item.application_id = app.id
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="create",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose="지원 연계: 급여 신청서 작성",
        detail=f"{body.program} 신청 {app.id}번",
    )
    way = "본인 신청" if body.consent else "직권 신청"
    return f"급여 신청 {app.id}번 접수: {names[body.program]} ({way})"


def _prefill(session: Session, item: Item, head: Any, program: str) -> dict[str, Any]:
    meta = repository.households_meta(session, [item.household_id])
    hh, ps = repository.household_frames(session, [item.household_id])
    month = service.today().strftime("%Y-%m")
    (result,) = benefits.service.explain_households(hh, ps, month)
    found = next(p for p in result["programs"] if p["id"] == program)
    finding = (
        "판단 보류 (자료 부족)"
        if not found["determined"]
        else f"받을 수 있음 — 월 {int(found['amount']):,}원"
        if found["eligible"]
        else "엔진 계산으로는 조건에 맞지 않음 (담당자 확인)"
    )
    return {
        "신청인": head.name,
        "생년월일": head.birth_date.isoformat(),
        "주민등록번호": head.rrn_masked,
        "행정동": item.dong,
        "가구원 수": f"{ps.height}명",
        "가구 월 소득": f"{int(meta['income'][0] or 0):,}원",
        "급여": found["name_ko"],
        "엔진 판단": finding,
        "근거": "; ".join(found["references"][:2]),
        "기준 월": month,
    }


def read(app: Application) -> ApplicationRead:
    return ApplicationRead(
        id=app.id,
        item_id=app.item_id,
        program=app.program,
        program_name=str(app.prefill.get("급여", app.program)),
        status=app.status,
        status_label=labels.APPLICATION[app.status],
        channel_label="본인 신청" if app.channel == "self" else "직권 신청",
        prefill=[(str(k), str(v)) for k, v in app.prefill.items()],
        created_at=_kst(app.created_at),
        created_by=app.created_by,
        decided_at=_kst(app.decided_at) if app.decided_at else None,
        decision_note=app.decision_note,
        version=app.version_id,
    )


def load(session: Session, user: User, app_id: int) -> tuple[Application, Item]:
    from gibon.crisis import work

    app = repository.get_application(session, app_id)
    if app is None:
        raise NotFound(f"급여 신청 {app_id}번이 없습니다", where="application_id", example="1")
    return app, work.load(session, user, app.item_id, for_update=True)


def decide(session: Session, user: User, app_id: int, body: DecisionIn) -> Application:
    """Record the decision; the item follows it (closed, or back to 확인 중 when refused)."""
    app, item = load(session, user, app_id)
    if body.decision not in DECISIONS:
        raise InvalidInput("결정은 지급 결정·기각·취하 중 하나입니다", where="decision",
                           example="granted | refused | withdrawn")  # fmt: skip
    if app.version_id != body.version:
        raise Conflict("다른 사람이 먼저 이 신청을 바꿨습니다", where="version",
                       example=str(app.version_id))  # fmt: skip
    if app.status != "submitted":
        raise InvalidTransition("이미 결정된 신청입니다", where="decision")
    if body.decision == "refused" and len(body.note.strip()) < 2:
        raise InvalidInput("기각 사유를 적어 주세요", where="note", example="소득인정액 초과")
    app.status, app.decided_by, app.decided_at = body.decision, user.username, utcnow()
    app.decision_note = body.note.strip()
    detail = f"급여 신청 {app.id}번 {labels.APPLICATION[body.decision]}"
    if app.decision_note:
        detail += f": {app.decision_note}"
    if item.status == Status.linked.value and item.application_id == app.id:
        service.move(session, user.username, item, DECISIONS[body.decision], detail)
        if body.decision == "refused":
            item.due_on = service.today()
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="update",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose="급여 신청 결정",
        detail=detail[:500],
    )
    session.flush()
    return app


def view(session: Session, user: User, app_id: int) -> ApplicationRead:
    """Read one application (personal data: audited)."""
    app, item = load(session, user, app_id)
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose="지원 연계 급여 신청서 확인",
    )
    return read(app)
