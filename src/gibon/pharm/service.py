"""Visit workflow rules: plan a visit (review snapshot), decide on findings, follow up. Only flush."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.db import utcnow
from gibon.errors import InvalidInput, InvalidTransition, NotFound
from gibon.pharm import inputs, labels, repository, synth
from gibon.pharm.models import FindingRecord, FollowUp, Visit
from gibon.pharm.review import review
from gibon.pharm.schemas import (
    DecisionUpdate,
    FollowUpCreate,
    FollowUpDone,
    VisitCreate,
    VisitUpdate,
)
from gibon.residents.models import Person

PHARM_ROLES = (Role.pharmacist, Role.district_team, Role.admin)
# Allowed status changes, the next logical step first (the form's default): a visit is planned,
# visited, then followed up or closed.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("visited", "closed"),
    "visited": ("follow_up", "closed"),
    "follow_up": ("closed",),
    "closed": (),
}
DECISION_KO = labels.DECISION_KO


def _audit(db: Session, user: User, action: str, visit_id: int | None, detail: str = "") -> None:
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action=action,
        resource="pharm_visit",
        resource_id=str(visit_id) if visit_id else None,
        purpose="스마트 방문약료",
        detail=detail,
    )


def audit_list(db: Session, user: User, shown: int) -> None:
    """The visit list shows residents' names and addresses: a read of personal data."""
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="read",
        resource="pharm_visit_list",
        purpose="방문약료 목록",
        detail=f"visits={shown}",
    )


def audit_search(db: Session, user: User, kind: str, found: int) -> None:
    """A resident search, by what kind of key (never the key itself: it may be a resident number)."""
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="search",
        resource="person",
        purpose="방문약료 대상자 찾기",
        detail=f"by={kind} found={found}",
    )


def person_history(person: Person, when: date) -> dict[str, Any]:
    """A synthetic twelve-month history consistent with the person's conditions (demo data)."""
    data = {
        "person_id": person.id,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "conditions": list(person.conditions or []),
    }
    return synth.history(data, seed=1, review_date=when)


def create_visit(db: Session, user: User, body: VisitCreate, today: date) -> Visit:
    area = policy.check(user, Action.create, "pharm_visit")
    person = repository.get_person(db, body.person_id)
    if person is None:
        raise NotFound("대상자를 찾을 수 없습니다", where="대상자 번호", example="P00000003")
    visit = Visit(
        person_id=person.id,
        dong=person.dong,
        pharmacist_id=user.id if area is Scope.assigned else None,
        planned_on=body.planned_on or today,
        review_date=today,
        history={},
        review={},
    )
    db.add(visit)
    db.flush()
    if not body.empty:
        store_review(db, visit, body.history or person_history(person, today))
    _audit(db, user, "create", visit.id, f"findings={len(visit.review.get('findings', []))}")
    db.flush()
    return visit


def store_review(db: Session, visit: Visit, history: dict[str, Any]) -> None:
    """Review ``history`` and keep it on the visit; decisions already taken on a finding with the
    same category and title are carried over, so re-running the review loses no decision."""
    rv = review(inputs.from_data(history))
    data = rv.to_dict()
    assert rv.ctx.review_date is not None
    old = {(r.category, r.title): r for r in repository.records(db, visit.id)}
    repository.delete_records(db, visit.id)
    db.flush()
    visit.review_date, visit.priority_score = rv.ctx.review_date, float(rv.priority["score"])
    visit.history, visit.review = jsonable(history), data
    for i, f in enumerate(data["findings"]):
        title = str(f["title"])[:200]
        rec = FindingRecord(
            visit_id=visit.id,
            position=i,
            category=f["category"],
            severity=f["severity"],
            title=title,
        )
        before = old.get((rec.category, title))
        if before is not None:
            rec.decision, rec.reason = before.decision, before.reason
            rec.decided_by, rec.decided_at = before.decided_by, before.decided_at
        db.add(rec)
    db.flush()


def jsonable(history: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(history, default=str)))


def list_visits(
    db: Session, user: User, dong: str | None, status: str | None, limit: int, offset: int
) -> Sequence[Visit]:
    """The visits the user may see (a pharmacist: those assigned to them), audited as a read."""
    area = policy.check(user, Action.list, "pharm_visit")
    own = user.id if area is Scope.assigned else None
    visits = repository.list_visits(db, dong, status, limit, offset, pharmacist_id=own)
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="list",
        resource="pharm_visit",
        purpose="방문약료 목록",
        detail=f"{len(visits)} visits",
    )
    return visits


def get_visit(
    db: Session,
    user: User,
    visit_id: int,
    purpose: str = "방문약료 조회",
    action: Action = Action.view,
) -> Visit:
    """A visit the user may see or change (a pharmacist: only one assigned to them)."""
    visit = repository.get_visit(db, visit_id)
    if visit is None:
        raise NotFound("방문 기록을 찾을 수 없습니다", where="방문 번호")
    policy.check(user, action, "pharm_visit", Target(user_id=visit.pharmacist_id), visit_id)
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="read",
        resource="pharm_visit",
        resource_id=str(visit_id),
        purpose=purpose,
    )
    return visit


def decide(
    db: Session, user: User, visit_id: int, record_id: int, body: DecisionUpdate
) -> FindingRecord:
    visit = get_visit(db, user, visit_id, "약물 문제 결정", Action.change)
    if visit.status == "closed":
        raise InvalidTransition("종결된 방문입니다 (the visit is closed)", where="status")
    rec = repository.record(db, visit_id, record_id)
    if rec is None:
        raise NotFound(
            "이 방문에 없는 발견 사항입니다 (no such finding in this visit)", where="record_id"
        )
    if body.decision == "dismissed" and not body.reason.strip():
        raise InvalidInput(
            "기각하려면 사유를 적어 주세요 (dismissing needs a reason)",
            where="reason",
            example="환자가 이미 중단함",
        )
    rec.decision, rec.reason = body.decision, body.reason.strip()
    rec.decided_by, rec.decided_at = user.id, utcnow()
    _audit(db, user, "decide", visit_id, f"record={record_id} decision={body.decision}")
    db.flush()
    return rec


def update_visit(
    db: Session, user: User, visit_id: int, body: VisitUpdate, today: date | None = None
) -> Visit:
    visit = get_visit(db, user, visit_id, "방문 상태 변경", Action.change)
    today = today or date.today()
    allowed = TRANSITIONS[visit.status]
    if body.status != visit.status and body.status not in allowed:
        ko = labels.STATUS_KO
        raise InvalidTransition(
            f"{ko[visit.status]}에서 {ko[body.status]}(으)로 바꿀 수 없습니다",
            where="status",
            example=", ".join(ko[s] for s in allowed) or "바꿀 수 있는 상태가 없습니다 (종결됨)",
        )
    if body.status == "visited" and body.visited_on is None and visit.visited_on is None:
        raise InvalidInput(
            "방문 완료에는 방문일이 필요합니다", where="visited_on", example=today.isoformat()
        )
    if body.visited_on is not None and body.visited_on > today:
        raise InvalidInput(
            f"방문일 {body.visited_on.isoformat()}은(는) 오늘({today.isoformat()}) 이후입니다 — "
            "방문 완료는 방문한 날이나 그 뒤에 기록합니다",
            where="visited_on",
            example=today.isoformat(),
        )
    visit.status = body.status
    visit.visited_on = body.visited_on or visit.visited_on
    visit.outcome_note = body.outcome_note or visit.outcome_note
    _audit(db, user, "update", visit_id, f"status={body.status}")
    db.flush()
    return visit


def add_followup(db: Session, user: User, visit_id: int, body: FollowUpCreate) -> FollowUp:
    visit = get_visit(db, user, visit_id, "추적 방문 예약", Action.change)
    if visit.status == "closed":
        raise InvalidTransition("종결된 방문입니다 (the visit is closed)", where="status")
    if body.due_on < visit.planned_on:
        raise InvalidInput(
            "추적 방문은 방문 예정일 이후여야 합니다 (due after the visit)",
            where="due_on",
            example=str(visit.planned_on),
        )
    f = FollowUp(visit_id=visit_id, due_on=body.due_on)
    db.add(f)
    if visit.status == "visited":
        visit.status = "follow_up"
    _audit(db, user, "followup", visit_id, f"due={body.due_on}")
    db.flush()
    return f


def complete_followup(
    db: Session, user: User, visit_id: int, followup_id: int, body: FollowUpDone
) -> FollowUp:
    get_visit(db, user, visit_id, "추적 방문 결과", Action.change)
    f = repository.followup(db, visit_id, followup_id)
    if f is None:
        raise NotFound("추적 방문을 찾을 수 없습니다 (no such follow-up)", where="followup_id")
    f.done_on, f.outcome = body.done_on, body.outcome
    _audit(db, user, "followup_done", visit_id, f"followup={followup_id}")
    db.flush()
    return f
