"""Web protections: CSRF token and Origin check on cookie sessions, security headers."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.care.models import Case
from tests import factories
from tests.care import helpers

SRC = Path(__file__).parents[2] / "src" / "gibon"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _cookie_sign_in(client: TestClient, session: Session) -> str:
    """Sign in through the form, as a browser does; returns the page's CSRF token."""
    user = factories.make_user(session, Role.dong_officer, dong=helpers.DONG)
    session.commit()
    token = TOKEN.search(client.get("/login").text)
    assert token is not None
    signed_in = client.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    page_token = TOKEN.search(client.get("/care/cases/new").text)
    assert page_token is not None
    return page_token[1]


def _new_case(session: Session, token: str) -> dict[str, str]:
    person = helpers.person_in(session)
    return {
        "person_id": person.id,
        "channel": "self",
        "applicant_name": person.name,
        "applicant_relation": "본인",
        "consents": "assessment",
        "csrf_token": token,
    }


def _cases(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_a_cross_origin_form_post_with_an_officer_cookie_is_refused_in_korean(
    client: TestClient, session: Session
) -> None:
    token = _cookie_sign_in(client, session)
    before = _cases(session)
    response = client.post(
        "/care/cases/new",
        data=_new_case(session, token),
        headers={"Origin": "http://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "다른 사이트에서 보낸 요청은 받지 않습니다" in response.text
    assert _cases(session) == before


def test_a_form_post_without_the_session_token_is_refused(
    client: TestClient, session: Session
) -> None:
    _cookie_sign_in(client, session)
    form = _new_case(session, "forged")
    response = client.post("/care/cases/new", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "보안 확인 값이 맞지 않습니다" in response.text


def test_a_form_post_from_gibons_own_page_with_its_token_goes_through(
    client: TestClient, session: Session
) -> None:
    token = _cookie_sign_in(client, session)
    response = client.post(
        "/care/cases/new",
        data=_new_case(session, token),
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/care/cases/")


def test_a_json_call_on_a_cookie_session_needs_the_token_header(
    client: TestClient, session: Session
) -> None:
    token = _cookie_sign_in(client, session)
    body = {"q": "김"}
    assert client.post("/api/cases/search", json=body).status_code == 403
    answered = client.post("/api/cases/search", json=body, headers={"X-CSRF-Token": token})
    assert answered.status_code == 200


def test_every_post_form_in_every_template_carries_the_csrf_field() -> None:
    missing = []
    for path in SRC.rglob("*.html"):
        for form in re.findall(r"<form\b[^>]*>.{0,40}", path.read_text(), flags=re.S):
            if 'method="post"' in form.lower() and "csrf_field()" not in form:
                missing.append(f"{path.relative_to(SRC)}: {form[:60]}")
    assert not missing, missing


def test_no_template_carries_inline_script() -> None:
    inline = []
    for path in SRC.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            inline.append(str(path.relative_to(SRC)))
    assert not inline, inline


def test_every_answer_carries_the_security_headers(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.district_team)
    for path in ("/", "/care", "/api/cases", "/health", "/login", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "camera=()" in headers["permissions-policy"], path
        assert headers["cache-control"] == "no-store", path


def test_static_files_may_be_cached_but_still_carry_the_headers(client: TestClient) -> None:
    headers = client.get("/static/gibon.css").headers
    assert "no-store" not in headers.get("cache-control", "")
    assert headers["x-content-type-options"] == "nosniff"
