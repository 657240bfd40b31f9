from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from tests import factories


def test_the_health_check_answers_with_the_database_kind(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}


def test_signing_in_with_the_right_password_opens_a_session(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    response = client.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/api/me").json()["role"] == "district_team"
    logins = session.scalars(select(AuditEvent).where(AuditEvent.actor == user.username)).all()
    assert [e.action for e in logins] == ["login"]


def test_a_wrong_password_is_refused_in_korean(client: TestClient, session: Session) -> None:
    user = factories.make_user(session, Role.admin)
    session.commit()
    response = client.post("/login", data={"username": user.username, "password": "wrong-pass"})
    assert response.status_code == 401
    assert "비밀번호가 맞지 않습니다" in response.text


def test_passwords_are_stored_as_argon2_hashes(session: Session) -> None:
    user = factories.make_user(session, Role.admin)
    assert user.password_hash.startswith("$argon2")
    assert factories.PASSWORD not in user.password_hash


def test_an_api_call_without_sign_in_gets_401_json(client: TestClient) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"] == "NotAuthenticated"


def test_a_bearer_token_identifies_the_user(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.dong_officer, dong="보라매동")
    me = client.get("/api/me").json()
    assert (me["role"], me["dong"]) == ("dong_officer", "보라매동")


def test_a_forged_token_is_not_accepted(client: TestClient) -> None:
    client.headers["Authorization"] = "Bearer 1.forged.signature"
    assert client.get("/api/me").status_code == 401


def test_a_token_request_with_a_missing_field_names_it(client: TestClient) -> None:
    response = client.post("/api/auth/token", json={"username": "x"})
    assert response.status_code == 422
    assert response.json()["where"] == "body.password"


def test_a_dong_officer_account_must_name_a_real_dong(session: Session) -> None:
    import pytest

    from gibon.errors import InvalidInput

    with pytest.raises(InvalidInput, match="21개 동"):
        factories.make_user(session, Role.dong_officer, dong="강남동")
