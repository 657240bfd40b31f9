"""Sign-in throttling: delays, lockouts that are audited, lifted by time or by an administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.accounts import admin, passwords, service, throttle
from gibon.accounts.models import Role
from gibon.accounts.service import Actor
from gibon.audit.models import AuditEvent
from gibon.db import utcnow
from tests import factories


def _token(client: TestClient, username: str, password: str) -> int:
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    return response.status_code


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check or dummy hash the sign-in does."""
    calls: list[str] = []
    verify, burn = passwords.verify, passwords.burn

    def counted_verify(password_hash: str, password: str) -> bool:
        calls.append("verify")
        return verify(password_hash, password)

    def counted_burn(password: str) -> None:
        calls.append("burn")
        burn(password)

    monkeypatch.setattr(passwords, "verify", counted_verify)
    monkeypatch.setattr(passwords, "burn", counted_burn)
    return calls


def test_forty_wrong_passwords_then_the_right_one_is_refused_while_locked(
    client: TestClient, session: Session, argon2_calls: list[str]
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    codes = [_token(client, user.username, f"wrong-guess-{i:03d}") for i in range(40)]
    # The free attempts and any made after their delay ran out reach the password check (how
    # many depends on this machine's argon2 time); the rest are refused before it.
    checked = codes.count(401)
    assert codes[:3] == [401, 401, 401] and 3 <= checked <= 6 and codes[-1] == 429
    right = client.post(
        "/api/auth/token", json={"username": user.username, "password": factories.PASSWORD}
    )
    assert right.status_code == 429
    assert "잠겼습니다" in right.json()["message"]
    assert int(right.headers["Retry-After"]) > 60
    # Only the checked attempts reached argon2; the refused ones cost none.
    assert argon2_calls == ["verify"] * checked


def test_a_lockout_is_audited_once_with_every_failure(client: TestClient, session: Session) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    for i in range(12):
        _token(client, user.username, f"wrong-guess-{i:03d}")
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor == user.username).order_by(AuditEvent.id)
    ).all()
    failed, throttled = actions.count("login_failed"), actions.count("login_throttled")
    assert failed >= 3 and failed + throttled == 12
    assert actions.count("lockout") == 1


def test_an_administrator_lifts_a_lockout_and_the_right_password_then_works(
    client: TestClient, session: Session
) -> None:
    administrator = factories.make_user(session, Role.admin)
    user = factories.make_user(session, Role.dong_officer)
    session.commit()
    for i in range(12):
        _token(client, user.username, f"wrong-guess-{i:03d}")
    assert _token(client, user.username, factories.PASSWORD) == 429
    assert admin.unlock(session, Actor.of(administrator), user) is True
    session.commit()
    assert _token(client, user.username, factories.PASSWORD) == 200
    unlocked = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "account_unlocked", AuditEvent.resource_id == str(user.id)
        )
    ).all()
    assert [e.actor for e in unlocked] == [administrator.username]


def test_a_lockout_ends_by_itself_after_fifteen_minutes(session: Session) -> None:
    user = factories.make_user(session, Role.district_team)
    start = utcnow()
    for i in range(10):
        moment = start + timedelta(seconds=i)
        verdict = service.begin_sign_in(session, user.username, "10.0.0.9", moment, "test")
        if verdict.allowed:
            service.finish_sign_in(session, user.username, "wrong", "10.0.0.9", moment, "test")
    lock = throttle.locked_until(session, throttle.Scope.account, user.username, start)
    assert lock is not None and lock <= start + timedelta(minutes=16)
    later = start + timedelta(minutes=32)
    verdict = service.begin_sign_in(session, user.username, "10.0.0.9", later, "test")
    assert verdict.allowed
    signed_in = service.finish_sign_in(
        session, user.username, factories.PASSWORD, "10.0.0.9", later, "test"
    )
    assert signed_in is not None and signed_in.id == user.id


def test_delays_double_after_the_free_attempts(session: Session) -> None:
    limits = throttle.LIMITS[throttle.Scope.account]
    delays = [limits.delay(n).total_seconds() for n in range(1, 12)]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_waiting_out_the_delay_allows_the_next_attempt(session: Session) -> None:
    user = factories.make_user(session, Role.district_team)
    now = utcnow()
    for _ in range(4):
        assert service.begin_sign_in(session, user.username, "10.0.0.7", now, "test").allowed
        service.finish_sign_in(session, user.username, "wrong", "10.0.0.7", now, "test")
    too_soon = service.begin_sign_in(session, user.username, "10.0.0.7", now, "test")
    assert not too_soon.allowed and not too_soon.locked and too_soon.retry_after == 1
    # the refused attempt counted too (5 failures): the next must wait 2 s after it
    early = service.begin_sign_in(
        session, user.username, "10.0.0.7", now + timedelta(seconds=1), "test"
    )
    assert not early.allowed
    later = now + timedelta(seconds=1 + 4)
    assert service.begin_sign_in(session, user.username, "10.0.0.7", later, "test").allowed


def test_one_address_guessing_at_many_accounts_is_slowed_and_then_locked(
    session: Session,
) -> None:
    now = utcnow()
    verdicts = [
        service.begin_sign_in(session, f"nobody-{i}", "10.9.9.9", now, "test") for i in range(101)
    ]
    assert all(v.allowed for v in verdicts[:21])
    assert not verdicts[21].allowed and verdicts[-1].locked
    other = service.begin_sign_in(session, "nobody-x", "10.9.9.8", now, "test")
    assert other.allowed


def test_an_unknown_account_is_throttled_like_a_real_one(
    client: TestClient, session: Session
) -> None:
    before = session.scalar(select(func.max(AuditEvent.id))) or 0
    codes = [_token(client, "no-such-person", f"wrong-guess-{i:03d}") for i in range(12)]
    assert codes[:3] == [401, 401, 401] and codes[-1] == 429
    failed = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action.in_(["login_failed", "lockout"]), AuditEvent.id > before
        )
    ).all()
    assert {e.actor for e in failed} == {service.UNKNOWN_ACTOR}


def test_the_form_shows_the_lockout_in_korean_with_retry_after(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    factories.csrf_header(client)
    for i in range(12):
        client.post("/login", data={"username": user.username, "password": f"wrong-{i:05d}"})
    page = client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    assert page.status_code == 429
    assert "관리자에게 잠금 해제를 요청하세요" in page.text
    assert "Retry-After" in page.headers


def test_fifty_staff_signing_in_from_one_office_address_are_never_slowed(session: Session) -> None:
    """A 주민센터 shares one address: successful sign-ins take back their own count there."""
    users = [factories.make_user(session, Role.dong_officer, dong="신림동") for _ in range(50)]
    session.commit()
    now = utcnow()
    for user in users:
        assert service.begin_sign_in(session, user.username, "10.7.7.7", now, "test").allowed
        signed = service.finish_sign_in(
            session, user.username, factories.PASSWORD, "10.7.7.7", now, "test"
        )
        assert signed is not None
    # the office's address still has every free attempt left for a real guesser to use up
    verdicts = [
        service.begin_sign_in(session, f"guess-{i}", "10.7.7.7", now, "test") for i in range(22)
    ]
    assert all(v.allowed for v in verdicts[:21]) and not verdicts[21].allowed
