"""The administrator's account page (/admin/accounts) and the forced first password change."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts import service
from gibon.accounts.models import Role, User
from gibon.audit.models import AuditEvent
from tests import factories

NEW_PASSWORD = "관악산-봄날-산책길-2026"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _temporary(html: str) -> str:
    found = re.search(r'id="temporary">([a-z0-9-]+)<', html)
    assert found, html
    return found.group(1)


def _create(client: TestClient, **fields: str) -> str:
    form = {"username": "gwanak-lee", "display_name": "신림동 주민센터 이서윤"}
    form |= {"role": "dong_officer", "dong": "신림동", "organization_id": ""}
    form |= fields
    response = client.post("/admin/accounts", data=form)
    assert response.status_code == 200, response.text
    return _temporary(response.text)


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_account_page_lists_staff_in_korean(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.admin)
    response = client.get("/admin/accounts")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    text = _text(response.text)
    assert "계정 관리" in text and "관리자" in text and "사용 중" in text
    for raw in ("dong_officer", "None", "True", "False", "+00:00"):
        assert raw not in text


def test_only_an_administrator_opens_the_account_page(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)
    assert client.get("/admin/accounts").status_code == 403
    assert client.post("/admin/accounts", data={"username": "x"}).status_code in (403, 422)


def test_a_created_account_must_change_its_temporary_password_first(
    client: TestClient,
    session: Session,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login(Role.admin)
    temporary = _create(client)
    created = session.scalars(select(User).where(User.username == "gwanak-lee")).one()
    assert created.must_change_password and created.dong == "신림동"
    assert "account_created" in _actions(session)

    staff = TestClient(client.app)
    signed_in = staff.post(
        "/login",
        data={"username": "gwanak-lee", "password": temporary, "next": "/care"},
        follow_redirects=False,
    )
    assert signed_in.headers["location"] == "/account/password?next=/care"
    blocked = staff.get("/care", follow_redirects=False)
    assert blocked.status_code == 303 and blocked.headers["location"].startswith(
        "/account/password"
    )
    assert staff.get("/api/cases").status_code == 403
    changed = staff.post(
        "/account/password",
        data={
            "current_password": temporary,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "next": "/care",
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/care"
    assert staff.get("/care").status_code == 200


def test_a_weak_new_password_is_refused_on_the_page_in_korean(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    factories.csrf_header(client)
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    factories.csrf_header(client, "/account/password")
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "password1234",
            "confirm": "password1234",
        },
    )
    assert response.status_code == 422
    assert "널리 알려진 비밀번호" in _text(response.text)


def test_a_bad_new_account_is_refused_naming_the_field_and_nothing_is_made(
    client: TestClient,
    session: Session,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login(Role.admin)
    response = client.post(
        "/admin/accounts",
        data={"username": "Bad Name", "display_name": "김", "role": "dong_officer", "dong": ""},
    )
    assert response.status_code == 422
    assert "아이디는 영문 소문자" in _text(response.text)
    assert 'value="Bad Name"' in response.text  # the form keeps what was typed
    no_dong = client.post(
        "/admin/accounts",
        data={"username": "no-dong", "display_name": "김", "role": "dong_officer", "dong": ""},
    )
    assert no_dong.status_code == 422 and "21개 동" in _text(no_dong.text)
    assert session.scalar(select(User).where(User.username.in_(["no-dong"]))) is None


def test_a_taken_username_is_a_conflict(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    administrator = login(Role.admin)
    response = client.post(
        "/admin/accounts",
        data={"username": administrator.username, "display_name": "중복", "role": "admin"},
    )
    assert response.status_code == 409 and "이미 있는 아이디" in response.text


def test_disable_enable_reset_and_unlock_from_the_page_are_audited(
    client: TestClient,
    session: Session,
    login,  # type: ignore[no-untyped-def]
) -> None:
    administrator = login(Role.admin)
    staff = factories.make_user(session, Role.pharmacist)
    session.commit()
    other = TestClient(client.app)
    token = other.post(
        "/api/auth/token", json={"username": staff.username, "password": factories.PASSWORD}
    ).json()["access_token"]

    disabled = client.post(f"/admin/accounts/{staff.id}/disable")
    assert disabled.status_code == 200 and "사용 중지했습니다" in _text(disabled.text)
    assert other.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post(f"/admin/accounts/{staff.id}/enable").status_code == 200

    for i in range(12):
        other.post("/api/auth/token", json={"username": staff.username, "password": f"bad-{i:08d}"})
    page = _text(client.get("/admin/accounts").text)
    assert "잠김" in page
    assert client.post(f"/admin/accounts/{staff.id}/unlock").status_code == 200

    reset = client.post(f"/admin/accounts/{staff.id}/reset-password")
    temporary = _temporary(reset.text)
    old = other.post(
        "/api/auth/token", json={"username": staff.username, "password": factories.PASSWORD}
    )
    assert old.status_code == 401
    fresh = other.post("/api/auth/token", json={"username": staff.username, "password": temporary})
    assert fresh.status_code == 200 and fresh.json()["password_change_required"] is True

    mine = session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor == administrator.username)
    ).all()
    for action in ("account_disabled", "account_enabled", "account_unlocked", "password_reset"):
        assert action in mine


def test_an_administrator_cannot_disable_their_own_account(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    administrator = login(Role.admin)
    response = client.post(f"/admin/accounts/{administrator.id}/disable")
    assert response.status_code == 403


def test_an_unknown_account_or_action_is_404(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    administrator = login(Role.admin)
    assert client.post("/admin/accounts/999999/disable").status_code == 404
    assert client.post(f"/admin/accounts/{administrator.id}/explode").status_code == 404


def test_every_sign_in_token_renewal_sign_out_and_failure_is_audited(
    client: TestClient, session: Session
) -> None:
    user = factories.make_user(session, Role.district_team)
    session.commit()
    factories.csrf_header(client)
    client.post("/login", data={"username": user.username, "password": "wrong-password"})
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    factories.csrf_header(client, "/account/password")
    client.post("/logout")
    bad = client.post("/api/auth/token", json={"username": user.username, "password": "nope"})
    assert bad.status_code == 401
    token = client.post(
        "/api/auth/token", json={"username": user.username, "password": factories.PASSWORD}
    ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    token = client.post("/api/auth/token/renew", headers=bearer).json()["access_token"]
    client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.actor == user.username).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in rows] == [
        "login_failed",
        "login",
        "logout",
        "login_failed",
        "token_issued",
        "token_renewed",
        "logout",
    ]
    assert all("testclient" in e.detail for e in rows)
    assert service.UNKNOWN_ACTOR not in {e.actor for e in rows}


def test_a_new_account_without_a_role_is_refused_on_the_page(
    client: TestClient,
    session: Session,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login(Role.admin)
    response = client.post(
        "/admin/accounts", data={"username": "no-role", "display_name": "김", "role": ""}
    )
    assert response.status_code == 422
    assert "역할을 목록에서 고르세요" in _text(response.text)


def test_empty_sign_in_and_password_forms_answer_with_a_korean_page(
    client: TestClient, session: Session
) -> None:
    factories.csrf_header(client)
    empty = client.post("/login", data={"username": "", "password": ""})
    assert empty.status_code == 422 and "아이디와 비밀번호를 모두 적으세요" in _text(empty.text)
    user = factories.make_user(session, Role.district_team)
    session.commit()
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    factories.csrf_header(client, "/account/password")
    blank = client.post("/account/password", data={})
    assert blank.status_code == 422 and "지금 비밀번호를 적으세요" in _text(blank.text)


def test_an_administrator_sets_an_officers_office_phone_which_the_resident_is_given(
    client: TestClient, session: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login(Role.admin)
    staff = factories.make_user(session, Role.dong_officer, dong="신림동")
    session.commit()
    bad = client.post(f"/admin/accounts/{staff.id}/phone", data={"phone": "8803000"})
    assert bad.status_code == 422
    assert "지역번호-국번-번호" in _text(bad.text) and "02-880-3000" in bad.text
    session.refresh(staff)
    assert staff.phone is None  # nothing half-written
    good = client.post(f"/admin/accounts/{staff.id}/phone", data={"phone": "02-880-3123"})
    assert good.status_code == 200 and "02-880-3123로 정했습니다" in _text(good.text)
    session.refresh(staff)
    assert staff.phone == "02-880-3123"
    rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "account_phone")).all()
    assert [r.resource_id for r in rows] == [str(staff.id)]
