"""Generated from the policy table: every route of the app × every demo role.

Each route names the policy entry that guards it (a dependency from ``gibon.access.deps``) or is
listed in ``policy.OPEN_ROUTES``; a role the table does not allow gets 403 and a ``denied`` audit
row, a role it allows never gets 403 (its records may still be out of scope: 404 or 422 here,
since the ids in the paths are made up).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from sqlalchemy import select

from gibon.access import policy
from gibon.access.deps import REQUIREMENTS
from gibon.audit.models import AuditEvent
from gibon.demo import DEMO_ACCOUNTS
from tests import factories

# Made-up values for path parameters; a professional is the signed-in account's own.
PATH_VALUES = {"step": "screen", "seed": "1", "household_id": "H9999999"}
# Keep the demo day small where a route solves one.
QUERY = {"/visits": "?visits=10", "/api/visits/demo": "?visits=3"}


def routes(app: FastAPI) -> Iterator[Any]:
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        elif hasattr(route, "methods"):
            yield route


def requirement(dependant: Dependant) -> tuple[policy.Action, str] | None:
    for dep in dependant.dependencies:
        if dep.call in REQUIREMENTS:
            return REQUIREMENTS[dep.call]
        found = requirement(dep)
        if found:
            return found
    return None


def endpoints(app: FastAPI) -> list[tuple[str, str, tuple[policy.Action, str] | None]]:
    out = []
    for route in routes(app):
        for method in sorted(route.methods - {"HEAD"}):
            dependant = getattr(route, "dependant", None)
            out.append((method, route.path, requirement(dependant) if dependant else None))
    return out


def test_every_route_names_its_policy_entry_or_is_listed_as_open(app):
    unguarded, both = [], []
    for method, path, req in endpoints(app):
        key = f"{method} {path}"
        if req is None and key not in policy.OPEN_ROUTES:
            unguarded.append(key)
        if req is not None and key in policy.OPEN_ROUTES:
            both.append(key)
        if req is not None:
            assert (req[1], req[0]) in policy.POLICY, key
    assert not unguarded, f"routes that ask no policy entry: {unguarded}"
    assert not both, f"open routes that also ask the policy: {both}"
    listed = {f"{m} {p}" for m, p, _ in endpoints(app)}
    assert set(policy.OPEN_ROUTES) <= listed, set(policy.OPEN_ROUTES) - listed


def _url(path: str, org: str | None) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return org or "x" if name == "professional" else PATH_VALUES.get(name, "999999")

    return re.sub(r"\{(\w+)\}", value, path) + QUERY.get(path, "")


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_each_demo_role_is_admitted_exactly_where_the_policy_table_says(
    account, app, client, session
):
    user = factories.make_user(
        session, account.role, dong=account.dong, organization_id=account.organization_id
    )
    session.commit()
    factories.sign_in(client, user.username)
    wrong = []
    for method, path, req in endpoints(app):
        if req is None or path.startswith("/static"):
            continue
        action, resource = req
        allowed = account.role in policy.POLICY[(resource, action)]
        body = None if method == "GET" else {}
        response = client.request(
            method, _url(path, account.organization_id), json=body, follow_redirects=False
        )
        assert response.status_code < 500, f"{method} {path}: {response.text[:300]}"
        if allowed == (response.status_code == 403):
            wrong.append(f"{method} {path} -> {response.status_code}")
            continue
        if not allowed:
            refused = session.scalars(
                select(AuditEvent).where(
                    AuditEvent.actor == user.username,
                    AuditEvent.action == "denied",
                    AuditEvent.resource == resource,
                )
            ).all()
            if not refused:
                wrong.append(f"{method} {path}: refusal not audited")
    assert not wrong, wrong
