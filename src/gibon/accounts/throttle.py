"""Sign-in throttling per account name and per client address.

Every attempt is counted *before* the password is checked, in a transaction the caller commits
at once, so parallel guesses see each other and a refused attempt costs no argon2 work. The
first few failures are free; after that each attempt must wait twice as long as the last
(1, 2, 4 … 60 s); an attempt made while waiting is refused and counted too. At ``lock_at``
failures the key is locked for ``lock_for``; an administrator can lift it earlier. Counts older
than ``lock_for`` are forgotten, so a person who mistypes once a day is never delayed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gibon.accounts.models import SignInThrottle
from gibon.accounts.sessions import aware


class Scope(StrEnum):
    account = "account"
    address = "address"


@dataclass(frozen=True)
class Limits:
    free: int  # failures before any delay
    lock_at: int  # failures that lock the key
    lock_for: timedelta
    max_delay: timedelta = timedelta(seconds=60)

    def delay(self, failures: int) -> timedelta:
        if failures <= self.free:
            return timedelta(0)
        exponent = min(failures - self.free - 1, 30)  # 2**30 s is past any max_delay
        return min(timedelta(seconds=2**exponent), self.max_delay)


# Per account: 10 failures lock it for 15 minutes, at most ~40 guesses an hour (ASVS 2.2.1 asks
# for no more than 100). Per address more is allowed, as a 주민센터 shares one address.
LIMITS = {
    Scope.account: Limits(free=3, lock_at=10, lock_for=timedelta(minutes=15)),
    Scope.address: Limits(free=20, lock_at=100, lock_for=timedelta(minutes=15)),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds
    locked: bool = False  # some key is locked (not merely delayed)
    newly_locked: tuple[Scope, ...] = ()  # keys this attempt locked (each lockout is audited)


def key(scope: Scope, value: str) -> str:
    normal = value.strip().lower() if scope is Scope.account else value.strip()
    return hashlib.sha256(f"{scope.value}:{normal}".encode()).hexdigest()


def attempt(session: Session, keys: dict[Scope, str], now: datetime) -> Verdict:
    """Count one attempt against every key; say whether the password may be checked."""
    allowed, wait, locked, newly = True, 0, False, []
    for scope, value in keys.items():
        row = _counted(session, scope, key(scope, value), now)
        limits = LIMITS[scope]
        previous_failures, previous_at = row.failures - 1, aware(row.last_failure_at)
        locked_until = aware(row.locked_until) if row.locked_until else None
        row.last_failure_at = now
        if locked_until and locked_until > now:
            allowed, locked = False, True
            wait = max(wait, _seconds(locked_until - now))
            continue
        ready_at = previous_at + limits.delay(previous_failures)
        if previous_failures > 0 and ready_at > now:
            allowed = False
            wait = max(wait, _seconds(ready_at - now))
            if _lock_if_due(row, limits, now):
                locked, wait = True, max(wait, _seconds(limits.lock_for))
                newly.append(scope)
    session.flush()
    return Verdict(allowed, wait, locked, tuple(newly))


def failed(session: Session, keys: dict[Scope, str], now: datetime) -> tuple[Scope, ...]:
    """The password was wrong: lock the keys that reached their limit; return those locked now."""
    newly = []
    for scope, value in keys.items():
        row = _row(session, scope, key(scope, value))
        if row is not None and _lock_if_due(row, LIMITS[scope], now):
            newly.append(scope)
    session.flush()
    return tuple(newly)


def succeeded(session: Session, account: str, address: str | None = None) -> None:
    """A right password clears the account's count and takes back this attempt's count at the
    address (not the address's other failures: one good account must not wipe the record of
    guesses at others, and a 주민센터 whose staff sign in from one address is never locked by its
    own successful sign-ins)."""
    lift(session, Scope.account, account)
    if address is not None:
        session.execute(
            update(SignInThrottle)
            .where(
                SignInThrottle.scope == Scope.address.value,
                SignInThrottle.key == key(Scope.address, address),
                SignInThrottle.failures > 0,
            )
            .values(failures=SignInThrottle.failures - 1)
            .execution_options(synchronize_session=False)
        )


def lift(session: Session, scope: Scope, value: str) -> bool:
    """Forget the failures of one key (an administrator's unlock); True if there were any."""
    result = session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.scope == scope.value, SignInThrottle.key == key(scope, value)
        )
    )
    return bool(getattr(result, "rowcount", 0))


def locked_until(session: Session, scope: Scope, value: str, now: datetime) -> datetime | None:
    row = _row(session, scope, key(scope, value))
    until = aware(row.locked_until) if row and row.locked_until else None
    return until if until and until > now else None


def locks(session: Session, scope: Scope, values: list[str], now: datetime) -> dict[str, datetime]:
    """The values among ``values`` whose key is locked now, with the end of each lock."""
    by_key = {key(scope, value): value for value in values}
    rows = session.scalars(
        select(SignInThrottle).where(
            SignInThrottle.scope == scope.value,
            SignInThrottle.key.in_(list(by_key)),
            SignInThrottle.locked_until.is_not(None),
        )
    )
    ends = {by_key[row.key]: aware(row.locked_until) for row in rows if row.locked_until}
    return {value: end for value, end in ends.items() if end > now}


def _lock_if_due(row: SignInThrottle, limits: Limits, now: datetime) -> bool:
    current = aware(row.locked_until) if row.locked_until else None
    if row.failures < limits.lock_at or (current and current > now):
        return False
    row.locked_until = now + limits.lock_for
    return True


def _counted(session: Session, scope: Scope, hashed: str, now: datetime) -> SignInThrottle:
    """Add one to the key's count atomically (the row stays locked until the commit).

    The UPDATE comes first, before any read: on SQLite a transaction that read and then writes
    cannot wait for the write lock, so it would fail under parallel attempts.
    """
    counted = session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.scope == scope.value, SignInThrottle.key == hashed)
        .values(failures=SignInThrottle.failures + 1)
        .execution_options(synchronize_session=False)
    )
    if not getattr(counted, "rowcount", 0):
        try:
            with session.begin_nested():
                session.add(
                    SignInThrottle(scope=scope.value, key=hashed, failures=1, last_failure_at=now)
                )
        except IntegrityError:  # another attempt inserted it first: count on its row
            return _counted(session, scope, hashed, now)
    row = _row(session, scope, hashed)
    assert row is not None
    session.refresh(row)
    _forget_stale(row, LIMITS[scope], now)
    return row


def _forget_stale(row: SignInThrottle, limits: Limits, now: datetime) -> None:
    """Failures older than ``lock_for`` (and no lock running) count no more: start again at 1."""
    if aware(row.last_failure_at) > now - limits.lock_for:
        return
    if row.locked_until is None or aware(row.locked_until) <= now:
        row.failures, row.locked_until = 1, None


def _row(session: Session, scope: Scope, hashed: str) -> SignInThrottle | None:
    return session.scalar(
        select(SignInThrottle).where(
            SignInThrottle.scope == scope.value, SignInThrottle.key == hashed
        )
    )


def _seconds(span: timedelta) -> int:
    return max(1, int(span.total_seconds() + 0.999))
