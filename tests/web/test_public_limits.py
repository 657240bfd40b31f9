"""The anonymous calculator: a few households per request, a limit per client; batches need a role."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.benefits import routes
from gibon.benefits.schemas import EXAMPLE
from gibon.web.ratelimit import RateLimiter

ONE = json.loads(EXAMPLE)


def test_without_sign_in_five_households_are_calculated(client: TestClient) -> None:
    answer = client.post("/api/benefits/calculate", json=[ONE] * routes.MAX_ANONYMOUS)
    assert answer.status_code == 200
    assert len(answer.json()) == routes.MAX_ANONYMOUS


def test_without_sign_in_a_sixth_household_asks_for_sign_in_in_korean(client: TestClient) -> None:
    answer = client.post("/api/benefits/calculate", json=[ONE] * (routes.MAX_ANONYMOUS + 1))
    assert answer.status_code == 401
    assert "로그인하지 않으면 한 번에 5가구까지" in answer.json()["message"]


def test_a_role_allowed_batch_work_calculates_a_longer_list(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    login(Role.policy_analyst)
    answer = client.post("/api/benefits/calculate?explain=false", json=[ONE] * 50)
    assert answer.status_code == 200 and len(answer.json()) == 50


def test_a_role_without_batch_work_is_refused_and_the_refusal_audited(
    client: TestClient, session: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login(Role.provider, organization_id="prov-x")
    answer = client.post("/api/benefits/calculate", json=[ONE] * 6)
    assert answer.status_code == 403
    denied = session.scalars(
        select(AuditEvent).where(AuditEvent.actor == user.username, AuditEvent.action == "denied")
    ).all()
    assert [e.resource for e in denied] == ["benefits_batch"]


def test_too_many_anonymous_requests_from_one_client_get_429_in_korean(
    app: FastAPI, client: TestClient
) -> None:
    app.state.calculator_limiter = RateLimiter(limit=3, window=60)
    answers = [client.post("/api/benefits/calculate", json=ONE) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    last = answers[-1]
    assert int(last.headers["retry-after"]) >= 1
    assert "요청이 너무 잦습니다" in last.json()["message"]


def test_signed_in_requests_do_not_count_against_the_anonymous_limit(
    app: FastAPI, client: TestClient, login
) -> None:  # type: ignore[no-untyped-def]
    app.state.calculator_limiter = RateLimiter(limit=1, window=60)
    login(Role.district_team)
    codes = {client.post("/api/benefits/calculate", json=ONE).status_code for _ in range(3)}
    assert codes == {200}


def test_the_columnar_batch_path_needs_sign_in(client: TestClient) -> None:
    answer = client.post("/api/benefits/population", files={"households": b"x", "persons": b"x"})
    assert answer.status_code == 401
