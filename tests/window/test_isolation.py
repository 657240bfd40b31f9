"""Generated from the policy table: every route a resident may use, as a resident and as a
guardian, against another resident who has a case, consents, requests and 열람 기록 entries.
Nothing of the other household shows: no name, no amount, no count, no error naming them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.accounts.models import Role
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.care.models import Case, Consent
from gibon.residents.models import Person
from gibon.window.models import Guardianship, ResidentRequest
from tests import factories
from tests.access.test_policy_routes import endpoints
from tests.window import helpers


def resident_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, req in endpoints(app)
        if req is not None and Role.resident in policy.POLICY[(req[1], req[0])]
    ]


def _other(app: FastAPI, session: Session) -> tuple[Person, dict[str, str]]:
    """Another resident with a case, two consents, a request and an officer's read."""
    other = helpers.elder(session, skip=2)
    factories.make_user(session, Role.dong_officer, dong=other.dong)
    session.commit()
    with TestClient(app) as theirs:
        token = helpers.applied(theirs, session, other, share=True)
        theirs.post(
            "/my/corrections",
            data={"field": "rent", "value": "월세 987654", "csrf_token": token},
        )
    audit.record_on_commit(
        session,
        actor="sillim",
        role="dong_officer",
        action="read",
        resource="person",
        resource_id=other.id,
        purpose="다른 가구만의 목적",
    )
    session.commit()
    case = session.scalars(select(Case).where(Case.person_id == other.id)).one()
    consent = session.scalars(select(Consent).where(Consent.case_id == case.id)).first()
    entry = session.scalars(
        select(AuditEvent.id)
        .where(AuditEvent.resource_id == other.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert consent is not None and entry is not None
    values = {
        "consent": str(consent.id),
        "entry": str(entry),
        "whom": "1",
        "field": "income",
        "value": "1",
        "agree": "yes",
    }
    return other, values


def _secrets(session: Session, other: Person, mine: Person, user_name: str) -> list[str]:
    """What only the other household has (a name shared with one's own is no secret)."""
    members = session.scalars(select(Person).where(Person.household_id == other.household_id))
    own = set(
        session.scalars(select(Person.name).where(Person.household_id == mine.household_id))
    ) | {user_name}
    names = [m.name for m in members if m.name not in own]
    assert names
    return [*names, other.household_id, other.id, "987654", "다른 가구만의 목적"]


@pytest.mark.parametrize("who", ["resident", "guardian"])
def test_no_route_of_the_window_shows_anything_of_another_household(
    who: str, app: FastAPI, client: TestClient, session: Session
) -> None:
    other, values = _other(app, session)
    mine = helpers.elder(session, dong="보라매동")
    if who == "resident":
        user = helpers.resident(session, mine)
    else:
        guardian = helpers.young(session)
        user = helpers.resident(session, guardian)
        grant = Guardianship(
            person_id=mine.id,
            guardian_user_id=user.id,
            relation="자녀",
            scope="act",
            basis="power_of_attorney",
            starts_on=date.today(),
            ends_on=date.today() + timedelta(days=30),
            recorded_by="sillim",
        )
        session.add(grant)
        session.commit()
        values["whom"] = str(grant.id)
    token = helpers.sign_in(client, user)
    if who == "guardian":
        client.post("/my/acting", data={"whom": values["whom"], "csrf_token": token})
    secrets = _secrets(session, other, mine, user.display_name)
    theirs = (
        select(Consent).join(Case, Case.id == Consent.case_id).where(Case.person_id == other.id)
    )
    before = {(c.id, c.withdrawn_at) for c in session.scalars(theirs).all()}
    requests_before = session.scalars(
        select(ResidentRequest).where(ResidentRequest.person_id == other.id)
    ).all()
    seen = []
    for method, path in resident_routes(app):
        data = {**values, "csrf_token": token} if method == "POST" else None
        answer = client.request(method, path, data=data)
        assert answer.status_code < 500, f"{method} {path}"
        leaked = [s for s in secrets if s in answer.text]
        assert not leaked, f"{method} {path} shows {leaked}"
        seen.append(f"{method} {path}")
    assert len(seen) >= 8
    after = {(c.id, c.withdrawn_at) for c in session.scalars(theirs).all()}
    assert before == after, "another household's consent was changed"
    again = session.scalars(
        select(ResidentRequest).where(ResidentRequest.person_id == other.id)
    ).all()
    assert len(again) == len(requests_before)
