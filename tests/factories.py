"""Plain factory functions for tests."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gibon import db, population
from gibon.accounts import service as accounts
from gibon.accounts.models import Role, User
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import service as residents
from gibon.residents.models import Person

PASSWORD = "test-password-1"
SMALL_POPULATION = 3000
_counter = itertools.count(1)


def load_small_population(engine: Engine, secret_key_file: Path) -> None:
    vault = Vault(load_or_create_key(secret_key_file))
    households, persons = population.generate(seed=7, persons=SMALL_POPULATION)
    with db.transaction(engine) as session:
        residents.load_population(session, households, persons, vault)


def make_user(
    session: Session,
    role: Role,
    *,
    dong: str | None = None,
    organization_id: str | None = None,
) -> User:
    if role is Role.dong_officer and dong is None:
        dong = "신림동"
    user = accounts.create_user(
        session,
        username=f"{role.value}-{next(_counter)}",
        password=PASSWORD,
        role=role,
        display_name=f"테스트 {role.value}",
        dong=dong,
        organization_id=organization_id,
    )
    if role is Role.resident:  # a resident account is always someone in the registry
        user.person_id = session.scalar(select(Person.id).order_by(Person.id).limit(1))
    return user


def sign_in(client: TestClient, username: str) -> None:
    """Sign in through the API and send the bearer token with every later request."""
    response = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_header(client: Any, page: str = "/login") -> None:
    """Read the session's CSRF token from a gibon form and send it with every later request, as a
    page's own script would (``X-CSRF-Token``); cookie-signed posts are refused without it."""
    found = _CSRF.search(client.get(page).text)
    assert found, f"no CSRF field on {page}"
    client.headers["X-CSRF-Token"] = found[1]
