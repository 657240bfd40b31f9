"""Guardians and 대리인: an officer records that someone may act for a resident (who, how far,
on what basis, until when); the guardian then signs in as themselves through the identity
verifier and sees that resident in their window, until the end date or a revocation."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts import service as accounts
from gibon.accounts.models import Role, User
from gibon.care.cases import service as care
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound
from gibon.kit.crypto import Vault
from gibon.residents import repository as residents
from gibon.residents.models import Person
from gibon.window import labels, repository, service
from gibon.window.models import Guardianship

MAX_YEARS = 5  # an authorisation is renewed at least this often


@dataclass(frozen=True)
class GuardianForm:
    resident_rrn: str
    guardian_rrn: str
    relation: str
    scope: str
    basis: str
    ends_on: dt.date | None


def _person(session: Session, vault: Vault, rrn: str, where: str) -> Person:
    try:
        found = residents.find_by_rrn_hash(session, vault.lookup_hash(rrn))
    except ValueError:
        found = []
    if len(found) != 1:
        raise InvalidInput(
            "주민등록번호 13자리로 등록부의 주민을 찾을 수 없습니다",
            where=where,
            example="450302-2960001",
        )
    return found[0]


def record(
    session: Session, user: User, vault: Vault, form: GuardianForm, today: dt.date
) -> Guardianship:
    """Record an authorisation; the guardian gets a resident account if they have none."""
    resident = _person(session, vault, form.resident_rrn, "주민 주민등록번호")
    policy.check(user, Action.create, "guardianship", Target(dong=resident.dong), resident.id)
    guardian = _person(session, vault, form.guardian_rrn, "대리인 주민등록번호")
    _valid(form, resident, guardian, today)
    assert form.ends_on is not None
    account = service.resident_account(session, guardian.id) or _account(session, guardian)
    row = Guardianship(
        person_id=resident.id,
        guardian_user_id=account.id,
        relation=form.relation.strip(),
        scope=form.scope,
        basis=form.basis,
        starts_on=today,
        ends_on=form.ends_on,
        recorded_by=user.username,
        recorded_at=utcnow(),
    )
    session.add(row)
    session.flush()
    care.record(session, user, "create", "guardianship", row.id, "대리인 등록")
    care.record(
        session, user, "update", "person", resident.id, "대리인 등록", f"guardianship {row.id}"
    )
    return row


def _valid(form: GuardianForm, resident: Person, guardian: Person, today: dt.date) -> None:
    if resident.id == guardian.id:
        raise InvalidInput(
            "본인을 본인의 대리인으로 등록할 수 없습니다", where="대리인 주민등록번호"
        )
    if not form.relation.strip() or len(form.relation) > 24:
        raise InvalidInput("관계를 24자 안으로 적으세요", where="관계", example="아들")
    if form.scope not in labels.GUARDIAN_SCOPES:
        raise InvalidInput("대리 범위를 고르세요", where="범위", example="보기와 신청·동의·정정")
    if form.basis not in labels.GUARDIAN_BASES:
        raise InvalidInput("근거 서류를 고르세요", where="근거", example="위임장")
    latest = today.replace(year=today.year + MAX_YEARS, day=min(today.day, 28))
    if form.ends_on is None or not today <= form.ends_on <= latest:
        raise InvalidInput(
            f"끝나는 날은 오늘부터 {MAX_YEARS}년 안이어야 합니다",
            where="끝나는 날",
            example=today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat(),
        )


def _account(session: Session, guardian: Person) -> User:
    """A resident account for a guardian who has none; they sign in through the verifier (the
    password is random and never shown: production verifiers do not use it)."""
    user = accounts.create_user(
        session,
        username=f"guardian-{secrets.token_hex(4)}",
        password=secrets.token_urlsafe(24),
        role=Role.resident,
        display_name=guardian.name,
    )
    user.person_id = guardian.id
    session.flush()
    return user


@dataclass(frozen=True)
class Listed:
    row: Guardianship
    resident: str  # name and dong
    guardian: str
    in_force: bool


def listing(session: Session, user: User, today: dt.date) -> list[Listed]:
    area = policy.check(user, Action.list, "guardianship")
    rows = repository.guardianships(session, None)
    people = {p.id: p for p in residents.get_persons(session, {r.person_id for r in rows})}
    guardians = {
        u.id: u for u in repository.users_by_ids(session, {r.guardian_user_id for r in rows})
    }
    out = []
    for r in rows:
        person = people.get(r.person_id)
        if person is None or (area is Scope.own_dong and person.dong != user.dong):
            continue
        g = guardians.get(r.guardian_user_id)
        live = r.revoked_at is None and r.starts_on <= today <= r.ends_on
        out.append(Listed(r, f"{person.name} ({person.dong})", g.display_name if g else "", live))
    care.record(session, user, "read", "guardianship", None, "대리인 목록", f"n={len(out)}")
    return out


def revoke(session: Session, user: User, guardianship_id: int) -> Guardianship:
    row = session.get(Guardianship, guardianship_id, with_for_update=True)
    person = session.get(Person, row.person_id) if row is not None else None
    target = Target(dong=person.dong) if person is not None else None
    policy.check_hidden(
        user,
        Action.change,
        "guardianship",
        target,
        guardianship_id,
        "대리인 기록이 없습니다",
        "대리인",
    )
    if row is None:
        raise NotFound("대리인 기록이 없습니다", where="대리인")
    if row.revoked_at is not None:
        raise Conflict("이미 끝낸 대리인입니다", where="대리인")
    row.revoked_at = utcnow()
    session.flush()
    care.record(session, user, "update", "guardianship", row.id, "대리인 종료")
    return row
