"""Resident accounts and sign-in for the resident's window tests."""

from __future__ import annotations

import itertools
import re
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from gibon import db
from gibon.accounts import service as accounts
from gibon.accounts.models import Role, User
from gibon.audit.models import AuditEvent
from gibon.care.models import Case
from gibon.residents.models import Household, Person
from tests import factories

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_counter = itertools.count(1)
OLDER = date(date.today().year - 70, 1, 1)


def elder(session: Session, dong: str = "신림동", skip: int = 0) -> Person:
    """A resident aged 70 or more of ``dong`` (the ``skip``-th in id order)."""
    query = select(Person).where(Person.dong == dong, Person.birth_date <= OLDER)
    person = session.scalars(query.order_by(Person.id).offset(skip).limit(1)).first()
    assert person is not None
    return person


def young(session: Session) -> Person:
    query = (
        select(Person)
        .join(Household, Household.id == Person.household_id)
        .where(Household.size == 1, Person.birth_date > date(date.today().year - 30, 1, 1))
    )
    person = session.scalars(query.order_by(Person.id).limit(1)).first()
    assert person is not None
    return person


def resident(session: Session, person: Person) -> User:
    user = accounts.create_user(
        session,
        username=f"resident-{next(_counter)}",
        password=factories.PASSWORD,
        role=Role.resident,
        display_name=person.name,
    )
    user.person_id = person.id
    session.commit()
    return user


def sign_in(client: TestClient, user: User) -> str:
    """Through the resident sign-in form, as a browser; returns /my's CSRF token."""
    response = client.post(
        "/my/login",
        data={"login": user.username, "secret": factories.PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/my"
    token = TOKEN.search(client.get("/my").text)
    assert token is not None
    return token[1]


def staff_client(app: FastAPI, user: User) -> TestClient:
    """A second browser-less client signed in as a staff account (bearer), beside the resident."""
    other = TestClient(app)
    response = other.post(
        "/api/auth/token", json={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 200, response.text
    other.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return other


def applied(client: TestClient, session: Session, person: Person, share: bool = True) -> str:
    """Sign ``person`` in and apply for 돌봄 from their window; returns the CSRF token."""
    token = sign_in(client, resident(session, person))
    data = {"agree": "yes", "csrf_token": token, **({"share": "yes"} if share else {})}
    answer = client.post("/my/care", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return token


def records_rows(database_url: str, username: str) -> tuple[str, list[AuditEvent]]:
    """The person of ``username`` and the audit rows their 열람 기록 must list, newest first."""
    with db.transaction(db.engine_for(database_url)) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        person = session.get(Person, user.person_id)
        assert person is not None
        cases = [
            str(i) for i in session.scalars(select(Case.id).where(Case.person_id == person.id))
        ]
        own = list(
            session.scalars(
                select(User.username).where(
                    User.role == Role.resident.value, User.person_id == person.id
                )
            )
        )
        rows = session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    and_(
                        AuditEvent.resource.in_(("person", "resident")),
                        AuditEvent.resource_id == person.id,
                    ),
                    and_(
                        AuditEvent.resource == "household",
                        AuditEvent.resource_id == person.household_id,
                    ),
                    and_(
                        AuditEvent.resource.in_(("care_case", "care_consent")),
                        AuditEvent.resource_id.in_(cases),
                    ),
                ),
                AuditEvent.actor.not_in(own),
            )
            .order_by(AuditEvent.id.desc())
        ).all()
        session.expunge_all()
        return person.name, list(rows)
