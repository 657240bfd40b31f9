"""A guardian or 대리인: an officer records the authorisation, the guardian signs in as themselves
and acts for that resident only, until the end date or a revocation; every act is audited."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.residents.models import Person
from gibon.window.models import Guardianship
from tests import factories
from tests.window import helpers

WHOM = re.compile(r'<option value="(\d+)"')


def _record(app: FastAPI, session: Session, resident: Person, guardian: Person, **form: str):  # type: ignore[no-untyped-def]
    officer = factories.make_user(session, Role.dong_officer, dong=resident.dong)
    session.commit()
    staff = helpers.staff_client(app, officer)
    vault = app.state.vault
    data = {
        "resident_rrn": vault.decrypt(resident.rrn_enc),
        "guardian_rrn": vault.decrypt(guardian.rrn_enc),
        "relation": "아들",
        "scope": "act",
        "basis": "power_of_attorney",
        "ends_on": (date.today() + timedelta(days=365)).isoformat(),
        **form,
    }
    return staff, staff.post("/guardians", data=data, follow_redirects=False)


def test_a_recorded_guardian_acts_for_the_resident_and_the_resident_sees_it_in_their_records(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    parent, child, stranger = (
        helpers.elder(session, skip=3),
        helpers.young(session),
        helpers.elder(session, skip=4),
    )
    guardian_user = helpers.resident(session, child)
    staff, recorded = _record(app, session, parent, child)
    assert recorded.status_code == 303, recorded.text
    grant = session.scalars(select(Guardianship).where(Guardianship.person_id == parent.id)).one()
    assert grant.guardian_user_id == guardian_user.id
    listing = staff.get("/guardians").text
    assert parent.name in listing and "유효" in listing

    token = helpers.sign_in(client, guardian_user)
    own = client.get("/my").text
    assert f"{child.name}님의 복지" in own and parent.name in own  # the switch names the parent
    assert WHOM.findall(own) == [str(grant.id)]
    switched = client.post(
        "/my/acting", data={"whom": str(grant.id), "csrf_token": token}, follow_redirects=False
    )
    assert switched.status_code == 303
    acting = client.get("/my").text
    assert f"{parent.name}님의 복지" in acting and "대리인으로 보고 있어요" in acting
    assert stranger.name not in acting
    reads = session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor == guardian_user.username,
            AuditEvent.resource == "household",
            AuditEvent.resource_id == parent.household_id,
        )
    ).all()
    assert reads and all(r.purpose.endswith("(대리인)") for r in reads)

    forged = client.post(  # a guardianship id that is not theirs picks nobody else
        "/my/acting",
        data={"whom": str(grant.id + 999), "csrf_token": token},
        follow_redirects=False,
    )
    assert forged.status_code == 303
    assert f"{child.name}님의 복지" in client.get("/my").text

    client.post("/logout", data={"csrf_token": token})
    client.cookies.clear()
    helpers.sign_in(client, helpers.resident(session, parent))
    records = client.get("/my/records").text
    assert f"대리인 · {child.name}" in records


def test_a_guardianship_ends_at_its_end_date_and_at_revocation(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    parent, child = helpers.elder(session, skip=5), helpers.young(session)
    guardian_user = helpers.resident(session, child)
    staff, recorded = _record(app, session, parent, child)
    assert recorded.status_code == 303
    grant = session.scalars(select(Guardianship).where(Guardianship.person_id == parent.id)).one()
    token = helpers.sign_in(client, guardian_user)
    client.post("/my/acting", data={"whom": str(grant.id), "csrf_token": token})
    assert f"{parent.name}님의 복지" in client.get("/my").text
    grant.ends_on = date.today() - timedelta(days=1)
    session.commit()
    page = client.get("/my").text
    assert f"{child.name}님의 복지" in page and parent.name not in page
    grant.ends_on = date.today() + timedelta(days=30)
    session.commit()
    revoked = staff.post(f"/guardians/{grant.id}/revoke", follow_redirects=False)
    assert revoked.status_code == 303
    assert parent.name not in client.get("/my").text


def test_bad_guardian_forms_are_refused_in_korean_and_nothing_is_written(
    app: FastAPI, session: Session
) -> None:
    parent, child = helpers.elder(session, skip=6), helpers.young(session)
    _, same = _record(app, session, parent, parent)
    assert same.status_code == 422 and "본인을 본인의 대리인으로" in same.text
    _, late = _record(app, session, parent, child, ends_on="2099-01-01")
    assert late.status_code == 422 and "끝나는 날" in late.text
    _, unknown = _record(app, session, parent, child, guardian_rrn="999999-9999999")
    assert unknown.status_code == 422 and "찾을 수 없습니다" in unknown.text
    assert session.scalars(select(Guardianship)).first() is None


def test_a_view_only_guardian_cannot_apply_for_the_resident(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    parent, child = helpers.elder(session, skip=7), helpers.young(session)
    guardian_user = helpers.resident(session, child)
    _, recorded = _record(app, session, parent, child, scope="view")
    assert recorded.status_code == 303
    grant = session.scalars(select(Guardianship).where(Guardianship.person_id == parent.id)).one()
    token = helpers.sign_in(client, guardian_user)
    client.post("/my/acting", data={"whom": str(grant.id), "csrf_token": token})
    refused = client.post("/my/care", data={"agree": "yes", "csrf_token": token})
    assert refused.status_code == 403 and "정보 보기만" in refused.text
