"""Server-side sign-in sessions: the client holds a random token, the table its SHA-256.

Browsers get a cookie session that ends after ``IDLE`` without use or ``WORKDAY`` after the
password was checked, whichever comes first (ASVS 3.3.2). API clients get bearer tokens that
live ``TOKEN_LIFETIME`` and can be renewed, each renewal replacing the old token, until
``WORKDAY`` after sign-in. Every session can be revoked: sign-out ends one, a password change,
a reset or disabling the account ends all of the user's.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from gibon.accounts.models import SessionKind, User, UserSession

IDLE = timedelta(minutes=30)
WORKDAY = timedelta(hours=8)
TOKEN_LIFETIME = timedelta(minutes=30)
# last_seen_at is written at most once a minute, so reads do not turn into writes.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Issued:
    """A new session: ``token`` goes to the client once and is never stored."""

    token: str
    session: UserSession

    @property
    def lifetime_seconds(self) -> int:
        return int(
            (aware(self.session.expires_at) - aware(self.session.created_at)).total_seconds()
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(
    db: Session,
    user: User,
    kind: SessionKind,
    address: str,
    now: datetime,
    signed_in_at: datetime | None = None,
) -> Issued:
    signed_in_at = signed_in_at or now
    token = secrets.token_urlsafe(32)
    lifetime = WORKDAY if kind is SessionKind.cookie else TOKEN_LIFETIME
    row = UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        kind=kind.value,
        created_at=now,
        signed_in_at=signed_in_at,
        last_seen_at=now,
        expires_at=min(now + lifetime, signed_in_at + WORKDAY),
        client_address=address[:64],
    )
    db.add(row)
    db.flush()
    return Issued(token, row)


def find(db: Session, token: str, kind: SessionKind, now: datetime) -> UserSession | None:
    """The live session of ``token``, touched; None for an unknown, ended or revoked one."""
    found = find_with_user(db, token, kind, now)
    return found[0] if found is not None else None


# Built once: every request runs it, and building the statement cost more than running it.
_WITH_USER = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("hash"), UserSession.kind == bindparam("kind"))
)


def find_with_user(
    db: Session, token: str, kind: SessionKind, now: datetime
) -> tuple[UserSession, User] | None:
    """The live session of ``token`` (touched) and its account, read in one query.

    The account is handed back rather than looked up again: the session's identity map holds
    objects weakly, so a row the caller does not keep is gone by the next ``Session.get``, which
    would then ask the database a second time on every request.
    """
    if not token or len(token) > 200:
        return None
    found = db.execute(_WITH_USER, {"hash": token_hash(token), "kind": kind.value}).first()
    if found is None or not is_live(found[0], now):
        return None
    row, user = found[0], found[1]
    if now - aware(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
    return row, user


def is_live(row: UserSession, now: datetime) -> bool:
    if row.revoked_at is not None or aware(row.expires_at) <= now:
        return False
    return row.kind != SessionKind.cookie.value or now - aware(row.last_seen_at) < IDLE


def renew(db: Session, current: UserSession, user: User, now: datetime) -> Issued:
    """Replace a live bearer token by a fresh one; the old one stops working at once."""
    revoke(current, now, "renewed")
    return issue(
        db,
        user,
        SessionKind.bearer,
        current.client_address,
        now,
        signed_in_at=aware(current.signed_in_at),
    )


def revoke(row: UserSession, now: datetime, reason: str) -> None:
    if row.revoked_at is None:
        row.revoked_at = now
        row.revoked_reason = reason


def revoke_all(db: Session, user_id: int, now: datetime, reason: str) -> int:
    """End every live session of a user; return how many were ended."""
    result = db.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def last_sign_ins(db: Session, user_ids: list[int]) -> dict[int, datetime]:
    rows = db.execute(
        select(UserSession.user_id, func.max(UserSession.signed_in_at))
        .where(UserSession.user_id.in_(user_ids))
        .group_by(UserSession.user_id)
    )
    return {user_id: aware(at) for user_id, at in rows if at is not None}


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; gibon stores UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
