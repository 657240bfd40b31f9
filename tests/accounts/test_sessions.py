"""Server-side sessions: sign-out, password change and disabling revoke; tokens are short-lived."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts import admin, sessions
from gibon.accounts.models import Role, SessionKind, UserSession
from gibon.accounts.service import Actor
from gibon.db import utcnow
from tests import factories

NEW_PASSWORD = "관악산-봄날-산책길-2026"


def _form_login(client: TestClient, username: str, password: str = factories.PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"username": username, "password": password, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _token(client: TestClient, username: str, password: str = factories.PASSWORD) -> str:
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def _me(client: TestClient, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/me", headers=headers).status_code


def test_the_cookie_holds_only_an_opaque_id_that_is_stored_hashed(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    _form_login(client, user.username)
    cookie = client.cookies["gibon_sid"]
    assert str(user.id) not in cookie.split(".") and "{" not in cookie
    row = session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.token_hash == sessions.token_hash(cookie) and cookie not in row.token_hash
    assert row.kind == "cookie" and row.client_address == "testclient"


def test_a_saved_cookie_no_longer_answers_after_sign_out(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    _form_login(client, user.username)
    saved = client.cookies["gibon_sid"]
    assert _me(client) == 200
    assert client.post("/logout", follow_redirects=False).status_code == 303
    client.cookies.set("gibon_sid", saved)  # an attacker replays the copied cookie
    assert _me(client) == 401


def test_signing_out_of_the_api_revokes_the_bearer_token(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.dong_officer)
    session.commit()
    token = _token(client, user.username)
    assert _me(client, token) == 200
    revoke = client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert revoke.status_code == 204
    assert _me(client, token) == 401


def test_a_password_change_revokes_every_session_of_the_user(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    other_device = _token(client, user.username)
    this_token = _token(client, user.username)
    change = client.post(
        "/api/me/password",
        json={"current_password": factories.PASSWORD, "new_password": NEW_PASSWORD},
        headers={"Authorization": f"Bearer {this_token}"},
    )
    assert change.status_code == 204, change.text
    assert _me(client, other_device) == 401
    assert _me(client, this_token) == 401
    assert _me(client, _token(client, user.username, NEW_PASSWORD)) == 200


def test_a_password_change_on_the_page_keeps_only_this_browser_signed_in(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    api_token = _token(client, user.username)
    _form_login(client, user.username)
    old_cookie = client.cookies["gibon_sid"]
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "next": "/care",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/care"
    assert client.cookies["gibon_sid"] != old_cookie
    assert _me(client) == 200
    assert _me(client, api_token) == 401
    client.cookies.clear()
    client.cookies.set("gibon_sid", old_cookie)
    assert _me(client) == 401


def test_a_wrong_current_password_changes_nothing_and_says_which_field(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    token = _token(client, user.username)
    response = client.post(
        "/api/me/password",
        json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["where"] == "current_password"
    assert _me(client, token) == 200


def test_disabling_an_account_revokes_its_sessions_and_refuses_sign_in(
    client: TestClient, session: Session
) -> None:
    administrator = factories.make_user(session, Role.admin)
    user = factories.make_user(session, Role.pharmacist)
    session.commit()
    token = _token(client, user.username)
    admin.disable(session, Actor.of(administrator), user, utcnow())
    session.commit()
    assert _me(client, token) == 401
    refused = client.post(
        "/api/auth/token", json={"username": user.username, "password": factories.PASSWORD}
    )
    assert refused.status_code == 401


def test_a_correctly_signed_token_of_the_old_format_gives_401_not_500(
    client: TestClient, app: FastAPI
) -> None:
    key = app.state.vault.session_key
    for payload in ("not-a-number", 1, {"user": 1}):
        forged = URLSafeTimedSerializer(key, salt="gibon-api-token").dumps(payload)
        assert _me(client, forged) == 401


def test_odd_tokens_are_refused_with_401(client: TestClient) -> None:
    for token in (b"", b"x" * 5000, "한글토큰".encode(), b"\xff\xfe", b"a b c"):
        response = client.get("/api/me", headers={"Authorization": b"Bearer " + token})
        assert response.status_code == 401


def test_a_bearer_token_lives_thirty_minutes_and_renewal_replaces_it(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    response = client.post(
        "/api/auth/token", json={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.json()["expires_in"] == 30 * 60
    old = response.json()["access_token"]
    renewed = client.post("/api/auth/token/renew", headers={"Authorization": f"Bearer {old}"})
    assert renewed.status_code == 200, renewed.text
    new = renewed.json()["access_token"]
    assert new != old and _me(client, new) == 200 and _me(client, old) == 401


def test_renewal_needs_a_live_bearer_token(client: TestClient) -> None:
    assert client.post("/api/auth/token/renew").status_code == 401
    bad = client.post("/api/auth/token/renew", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_a_token_ends_after_its_lifetime_and_renewals_stop_at_the_workday(
    session: Session,
) -> None:
    user = factories.make_user(session, Role.district_team)
    start = utcnow()
    issued = sessions.issue(session, user, SessionKind.bearer, "10.0.0.1", start)
    assert sessions.find(session, issued.token, SessionKind.bearer, start + timedelta(minutes=29))
    late = start + timedelta(minutes=31)
    assert sessions.find(session, issued.token, SessionKind.bearer, late) is None
    current, now = issued, start
    while now < start + timedelta(hours=8):
        now += timedelta(minutes=25)
        row = sessions.find(session, current.token, SessionKind.bearer, now)
        if row is None:
            break
        current = sessions.renew(session, row, user, now)
    assert now <= start + timedelta(hours=8, minutes=25)
    assert sessions.aware(current.session.expires_at) <= start + sessions.WORKDAY


def test_a_cookie_session_ends_after_thirty_idle_minutes(session: Session) -> None:
    user = factories.make_user(session, Role.district_team)
    start = utcnow()
    issued = sessions.issue(session, user, SessionKind.cookie, "10.0.0.1", start)
    used = start + timedelta(minutes=20)
    assert sessions.find(session, issued.token, SessionKind.cookie, used) is not None
    assert sessions.find(session, issued.token, SessionKind.cookie, used + timedelta(minutes=29))
    idle = used + timedelta(minutes=29) + sessions.IDLE
    assert sessions.find(session, issued.token, SessionKind.cookie, idle) is None


def test_a_cookie_is_not_accepted_as_a_bearer_token(client: TestClient, session: Session) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    _form_login(client, user.username)
    cookie = client.cookies["gibon_sid"]
    client.cookies.clear()
    assert _me(client, cookie) == 401


def _set_cookie(client: TestClient, username: str) -> str:
    response = client.post(
        "/login",
        data={"username": username, "password": factories.PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    header: str = response.headers["set-cookie"]
    return header.lower()


def test_the_sign_in_cookie_is_httponly_lax_and_secure_only_over_https(
    app: FastAPI, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    plain = _set_cookie(TestClient(app), user.username)
    assert "gibon_sid=" in plain and "httponly" in plain and "samesite=lax" in plain
    assert "secure" not in plain
    assert "secure" in _set_cookie(TestClient(app, base_url="https://testserver"), user.username)


def test_cookie_secure_can_be_forced_on_for_a_proxy_that_sends_no_scheme(
    app: FastAPI, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    app.state.settings = app.state.settings.model_copy(update={"cookie_secure": "true"})
    assert "secure" in _set_cookie(TestClient(app), user.username)
    app.state.settings = app.state.settings.model_copy(update={"cookie_secure": "false"})
    https = TestClient(app, base_url="https://testserver")
    assert "secure" not in _set_cookie(https, user.username)
