"""Work queues per dong and per officer: what is due, what is overdue, search by name or RRN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope
from gibon.accounts.models import User
from gibon.care import deadlines, repository
from gibon.care.cases import service
from gibon.care.cases.schemas import CaseRead
from gibon.care.cases.transitions import CaseStatus
from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault

RRN_LIKE = re.compile(r"^\d{6}-?\d{7}$")
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class QueueRequest:
    dong: str | None = None
    mine: bool = False
    status: str | None = None
    due: str | None = None  # overdue | due
    q: str | None = None
    limit: int = 50
    offset: int = 0
    officer_id: int | None = None  # one officer's queue (district team and admin)


def work_queue(
    session: Session, user: User, vault: Vault, req: QueueRequest
) -> tuple[int, list[CaseRead]]:
    """The cases a user may work, filtered; a resident number is matched only by its keyed hash."""
    area = policy.check(user, Action.list, "care_case")
    own_dong = user.dong if area is Scope.own_dong else None
    if own_dong and req.dong and req.dong != own_dong:
        policy.refuse(user, Action.list, "care_case", req.dong)
    name, rrn_hash = _search_terms(req.q, vault)
    today = deadlines.today()
    f = repository.QueueFilter(
        dong=own_dong or req.dong,
        officer_id=user.id if req.mine else _officer(session, user, req.officer_id),
        statuses=_statuses(req.status),
        due=req.due,
        today=today,
        due_until=today + timedelta(days=DUE_SOON_DAYS),
        name=name,
        rrn_hash=rrn_hash,
    )
    total, rows = repository.queue(session, f, req.limit, req.offset)
    detail = f"dong={f.dong} officer={f.officer_id} status={req.status} due={req.due} search={'rrn' if rrn_hash else 'name' if name else '-'} n={len(rows)}"
    service.record(session, user, "read", "care_queue", None, "업무 목록", detail)
    return total, service.lines_to_read(rows)


def _officer(session: Session, user: User, officer_id: int | None) -> int | None:
    """Another officer's queue is for the district-wide roles only."""
    del session
    district = policy.scope_of(user, Action.list, "care_case") is Scope.district
    if officer_id is not None and officer_id != user.id and not district:
        policy.refuse(user, Action.list, "care_case", f"officer {officer_id}")
    return officer_id


def _statuses(status: str | None) -> tuple[str, ...]:
    if not status:
        return ()
    if status == "open":
        return tuple(s.value for s in CaseStatus if s is not CaseStatus.closed)
    return (CaseStatus(status).value,)


def _search_terms(q: str | None, vault: Vault) -> tuple[str | None, str | None]:
    q = (q or "").strip()
    if not q:
        return None, None
    if RRN_LIKE.match(q):
        return None, vault.lookup_hash(q)
    if any(ch.isdigit() for ch in q):
        raise InvalidInput(
            "이름 또는 주민등록번호 13자리로 검색하세요", where="q", example="580302-2345678"
        )
    return q, None
