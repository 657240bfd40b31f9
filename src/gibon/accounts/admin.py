"""An administrator's actions on staff accounts (the /admin/accounts page and ``gibon accounts``).

Each action is audited with the administrator as actor and the account as resource. Passwords
an administrator hands out are random and temporary: the account must change it at first sign-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts import passwords, sessions, throttle
from gibon.accounts.models import ROLE_LABELS_KO, Role, User
from gibon.accounts.service import Actor, create_user, set_password, user_by_username
from gibon.audit import service as audit
from gibon.errors import Forbidden, InvalidInput, NotFound


@dataclass(frozen=True)
class AccountRow:
    """One line of the administrator's list."""

    user: User
    locked_until: datetime | None
    last_sign_in: datetime | None


def list_accounts(session: Session, now: datetime) -> list[AccountRow]:
    users = list(session.scalars(select(User).order_by(User.role, User.username)))
    last = sessions.last_sign_ins(session, [u.id for u in users])
    locks = throttle.locks(session, throttle.Scope.account, [u.username for u in users], now)
    return [AccountRow(user, locks.get(user.username), last.get(user.id)) for user in users]


def find(session: Session, username: str) -> User:
    user = user_by_username(session, username)
    if user is None:
        raise NotFound("그런 아이디의 계정이 없습니다", where="username", example="sillim")
    return user


def create_account(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: Role,
    dong: str | None = None,
    organization_id: str | None = None,
) -> tuple[User, str]:
    """A new staff account with a temporary password (returned once, never stored)."""
    if role is Role.resident:
        # a resident's account comes from identity verification, linked to their person
        raise InvalidInput(
            "주민 계정은 관리자가 만들지 않습니다 (본인확인으로 연결됩니다). 직원 역할을 고르세요",
            where="role",
            example="dong_officer",
        )
    temporary = passwords.temporary_password()
    user = create_user(
        session,
        username=username,
        password=temporary,
        role=role,
        display_name=display_name,
        dong=dong,
        organization_id=organization_id,
        must_change_password=True,
    )
    _audit(
        session,
        actor,
        "account_created",
        user,
        f"역할 {ROLE_LABELS_KO[role]} · 담당 {dong or organization_id or '구 전체'}",
    )
    return user, temporary


def disable(session: Session, actor: Actor, user: User, now: datetime) -> int:
    """Stop an account from signing in; its live sessions end at once."""
    if user.username == actor.name:
        raise Forbidden("자기 계정은 사용 중지할 수 없습니다", where="username")
    user.is_active = False
    session.flush()
    ended = sessions.revoke_all(session, user.id, now, "account_disabled")
    _audit(session, actor, "account_disabled", user, f"로그인 세션 {ended}개 종료")
    return ended


def enable(session: Session, actor: Actor, user: User) -> None:
    user.is_active = True
    session.flush()
    _audit(session, actor, "account_enabled", user)


def reset_password(session: Session, actor: Actor, user: User, now: datetime) -> str:
    """A new temporary password; every session ends and any lockout is lifted."""
    temporary = passwords.temporary_password()
    ended = set_password(session, user, temporary, now, must_change=True, reason="password_reset")
    throttle.lift(session, throttle.Scope.account, user.username)
    _audit(session, actor, "password_reset", user, f"로그인 세션 {ended}개 종료")
    return temporary


def unlock(session: Session, actor: Actor, user: User) -> bool:
    """Lift the account's sign-in lockout and forget its failures; True if it had any."""
    lifted = throttle.lift(session, throttle.Scope.account, user.username)
    _audit(session, actor, "account_unlocked", user, "잠금 해제" if lifted else "잠금 없음")
    return lifted


def unlock_address(session: Session, actor: Actor, address: str) -> bool:
    lifted = throttle.lift(session, throttle.Scope.address, address)
    audit.record_on_commit(
        session,
        actor=actor.name,
        role=actor.role,
        action="address_unlocked",
        resource="session",
        resource_id="address",
        detail=f"접속 주소 {address} · {'잠금 해제' if lifted else '잠금 없음'}",
    )
    return lifted


PHONE = re.compile(r"^0\d{1,2}-\d{3,4}-\d{4}$")


def set_phone(session: Session, actor: Actor, user: User, phone: str) -> None:
    """The office phone residents are given for this officer (empty: the dong office's number)."""
    phone = phone.strip()
    if phone and not PHONE.match(phone):
        raise InvalidInput(
            "사무실 전화번호는 지역번호-국번-번호 모양으로 적어 주세요",
            where="phone",
            example="02-880-3000",
        )
    user.phone = phone or None
    session.flush()
    _audit(session, actor, "account_phone", user, f"사무실 전화 {phone or '지움'}")


def _audit(session: Session, actor: Actor, action: str, user: User, detail: str = "") -> None:
    audit.record_on_commit(
        session,
        actor=actor.name,
        role=actor.role,
        action=action,
        resource="user",
        resource_id=str(user.id),
        detail=f"{user.username} ({user.display_name}){' · ' + detail if detail else ''}",
    )
