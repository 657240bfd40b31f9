"""Accounts: creating them, signing in (throttled), passwords and an administrator's actions.

Services flush, never commit: the edge (a request or a CLI command) commits. Sign-in is two
steps so that the edge can commit the attempt's count before any argon2 work is done:
``begin_sign_in`` (count and maybe refuse) then ``finish_sign_in`` (check the password).
Every outcome is written to the audit chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts import passwords, sessions, throttle
from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.errors import Conflict, Forbidden, GibonError, InvalidInput
from gibon.kit import gwanak

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
UNKNOWN_ACTOR = "미등록 아이디"
# Kept for callers that hash outside a sign-in (tests, demo loaders).
hash_password = passwords.hash_password


class TooManyAttempts(GibonError):
    """Sign-in refused without checking the password: delayed or locked (HTTP 429)."""

    status = 429

    def __init__(self, retry_after: int, locked: bool) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        message = (
            f"로그인에 여러 번 실패해 잠겼습니다. {minutes}분 뒤에 다시 시도하거나 관리자에게 잠금 해제를 요청하세요"
            if locked
            else f"로그인 시도가 너무 잦습니다. {retry_after}초 뒤에 다시 시도하세요"
        )
        super().__init__(message, where="username")
        self.retry_after = retry_after
        self.locked = locked


class PasswordChangeRequired(Forbidden):
    """The account must choose a new password before doing anything else."""

    def __init__(self) -> None:
        super().__init__(
            "처음 로그인했거나 비밀번호가 초기화되었습니다. 먼저 비밀번호를 바꾸세요",
            where="/account/password",
        )


@dataclass(frozen=True)
class Actor:
    """Who acts in the audit chain: a signed-in administrator or the CLI's operator."""

    name: str
    role: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.username, user.role)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    dong: str | None = None,
    organization_id: str | None = None,
    must_change_password: bool = False,
) -> User:
    _check_account_fields(session, username, role, display_name, dong)
    passwords.check_policy(password, username)
    user = User(
        username=username,
        password_hash=passwords.hash_password(password),
        role=role.value,
        display_name=display_name.strip(),
        dong=dong or None,
        organization_id=organization_id or None,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    return user


def _check_account_fields(
    session: Session, username: str, role: Role, display_name: str, dong: str | None
) -> None:
    if not USERNAME.match(username):
        raise InvalidInput(
            "아이디는 영문 소문자·숫자로 시작하고 영문 소문자, 숫자, . _ - 만 쓸 수 있습니다 (2~64자)",
            where="username",
            example="sillim-kim",
        )
    if not display_name.strip() or len(display_name) > 100:
        raise InvalidInput(
            "이름을 1~100자로 적으세요", where="display_name", example="신림동 김하늘"
        )
    if role is Role.dong_officer and dong not in gwanak.dong_names():
        raise InvalidInput(
            "동 주민센터 담당자는 관악구 21개 동 중 하나를 맡아야 합니다",
            where="dong",
            example="신림동",
        )
    if dong and dong not in gwanak.dong_names():
        raise InvalidInput("관악구의 동이 아닙니다", where="dong", example="신림동")
    if user_by_username(session, username) is not None:
        raise Conflict("이미 있는 아이디입니다", where="username", example=f"{username}2")


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Check a password without throttling or audit (for scripts; the web goes through
    ``begin_sign_in``/``finish_sign_in``)."""
    user = user_by_username(session, username)
    if user is None or not user.is_active:
        passwords.burn(password)
        return None
    return user if passwords.verify(user.password_hash, password) else None


# --- signing in --------------------------------------------------------------------------------


def begin_sign_in(
    session: Session, username: str, address: str, now: datetime, channel: str
) -> throttle.Verdict:
    """Count the attempt; a refused one is audited here (the caller commits either way)."""
    keys = _keys(username, address)
    verdict = throttle.attempt(session, keys, now)
    _audit_lockouts(session, username, address, verdict.newly_locked, channel)
    if not verdict.allowed:
        _audit_attempt(session, username, address, "login_throttled", channel)
    return verdict


def finish_sign_in(
    session: Session, username: str, password: str, address: str, now: datetime, channel: str
) -> User | None:
    """Check the password of an attempt ``begin_sign_in`` allowed; audit the outcome."""
    user = user_by_username(session, username)
    right = passwords.verify(user.password_hash, password) if user else False
    if user is None:
        passwords.burn(password)
    if not right or user is None or not user.is_active:
        sign_in_failed(session, username, address, now, channel, user)
        return None
    throttle.succeeded(session, username, address)
    return user


def sign_in_failed(
    session: Session,
    username: str,
    address: str,
    now: datetime,
    channel: str,
    user: User | None = None,
) -> None:
    """Count and audit a failed attempt (a wrong password, or an identity a verifier refused)."""
    newly = throttle.failed(session, _keys(username, address), now)
    _audit_lockouts(session, username, address, newly, channel)
    _audit_attempt(session, username, address, "login_failed", channel, user)


def record_sign_in(session: Session, user: User, address: str, action: str, channel: str) -> None:
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action=action,
        resource="session",
        detail=f"{channel} · 접속 주소 {address}",
    )


def _keys(username: str, address: str) -> dict[throttle.Scope, str]:
    return {throttle.Scope.account: username[:64], throttle.Scope.address: address}


def _audit_attempt(
    session: Session,
    username: str,
    address: str,
    action: str,
    channel: str,
    user: User | None = None,
) -> None:
    known = user or user_by_username(session, username)
    note = " · 사용 중지된 계정" if known is not None and not known.is_active else ""
    audit.record_on_commit(
        session,
        actor=known.username if known else UNKNOWN_ACTOR,
        role=known.role if known else "",
        action=action,
        resource="session",
        detail=f"{channel} · 접속 주소 {address}{note}",
    )


def _audit_lockouts(
    session: Session,
    username: str,
    address: str,
    scopes: tuple[throttle.Scope, ...],
    channel: str,
) -> None:
    for scope in scopes:
        known = user_by_username(session, username)
        what = "계정" if scope is throttle.Scope.account else f"접속 주소 {address}"
        audit.record_on_commit(
            session,
            actor=known.username if known else UNKNOWN_ACTOR,
            role=known.role if known else "",
            action="lockout",
            resource="session",
            resource_id=scope.value,
            detail=f"{channel} · {what} 잠금 {int(throttle.LIMITS[scope].lock_for.total_seconds() // 60)}분",
        )


# --- passwords ---------------------------------------------------------------------------------


def change_password(
    session: Session, user: User, current: str, new: str, confirm: str, now: datetime
) -> int:
    """Set the user's own new password (the caller checked ``current`` through sign-in);
    every session of the user ends. Returns how many sessions ended."""
    if new != confirm:
        raise InvalidInput("새 비밀번호 두 칸이 서로 다릅니다", where="confirm")
    if new == current:
        raise InvalidInput("지금 비밀번호와 다른 비밀번호를 쓰세요", where="new_password")
    passwords.check_policy(new, user.username, where="new_password")
    ended = set_password(session, user, new, now, must_change=False, reason="password_changed")
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="password_changed",
        resource="user",
        resource_id=str(user.id),
        detail=f"로그인 세션 {ended}개 종료",
    )
    return ended


def set_password(
    session: Session, user: User, new: str, now: datetime, *, must_change: bool, reason: str
) -> int:
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = must_change
    user.password_changed_at = now
    session.flush()
    return sessions.revoke_all(session, user.id, now, reason)
