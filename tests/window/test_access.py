"""Generated from the policy table: a resident is admitted exactly where the table names the
resident role, on every route of the app, and staff are refused on the resident's pages."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from tests import factories
from tests.access.test_policy_routes import _url, endpoints
from tests.window import helpers


def test_a_resident_is_admitted_exactly_where_the_policy_table_names_residents(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    user = helpers.resident(session, helpers.elder(session, skip=5))
    response = client.post(
        "/api/auth/token", json={"username": user.username, "password": factories.PASSWORD}
    )
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    wrong = []
    for method, path, req in endpoints(app):
        if req is None or path.startswith("/static"):
            continue
        action, resource = req
        allowed = Role.resident in policy.POLICY[(resource, action)]
        body = None if method == "GET" else {}
        answer = client.request(method, _url(path, None), json=body)
        assert answer.status_code < 500, f"{method} {path}: {answer.text[:300]}"
        if allowed == (answer.status_code == 403):
            wrong.append(f"{method} {path} -> {answer.status_code}")
    assert not wrong, wrong
    refused = session.scalars(
        select(AuditEvent).where(AuditEvent.actor == user.username, AuditEvent.action == "denied")
    ).all()
    assert refused, "a resident's refusals are audited"


@pytest.mark.parametrize("role", [Role.dong_officer, Role.district_team, Role.admin])
def test_staff_are_refused_on_the_residents_pages(role: Role, login, client: TestClient) -> None:
    login(role)
    for path in ("/my", "/my/records"):
        assert client.get(path).status_code == 403
    assert client.post("/my/care", data={"agree": "yes"}).status_code == 403
