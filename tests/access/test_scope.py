"""Scope inside a role: assignments, residents of other dongs, a pharmacist's own visits."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from tests import factories
from tests.care import helpers

NEW_CASE = {
    "channel": "ex_officio",
    "ex_officio_ground": "discharged",
    "applicant_name": "담당",
    "applicant_relation": "공무원",
}


def _events(session: Session, username: str, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.actor == username, AuditEvent.action == action)
    return list(session.scalars(query))


def test_a_case_officer_must_be_an_account_that_may_work_the_residents_dong(
    client: TestClient, session: Session, login: Any
) -> None:
    provider = factories.make_user(session, Role.provider, organization_id="prov-o")
    elsewhere = factories.make_user(session, Role.dong_officer, dong="보라매동")
    here = factories.make_user(session, Role.dong_officer, dong=helpers.DONG)
    login(Role.district_team)
    person = helpers.person_in(session)
    for wrong in (provider, elsewhere):
        body = {**NEW_CASE, "person_id": person.id, "officer_id": wrong.id}
        answer = client.post("/api/cases", json=body)
        assert answer.status_code == 422 and answer.json()["where"] == "officer_id"
        assert "맡을 수 있는 담당자가 아닙니다" in answer.json()["message"]
    body = {**NEW_CASE, "person_id": person.id, "officer_id": here.id}
    assert helpers.ok(client.post("/api/cases", json=body), 201)["officer_id"] == here.id


def test_another_dongs_resident_answers_exactly_as_an_unknown_one_and_is_audited(
    client: TestClient, session: Session, login: Any
) -> None:
    officer = login(Role.dong_officer, dong="보라매동")
    other = helpers.person_in(session, helpers.DONG)
    hidden = client.post("/api/cases", json={**NEW_CASE, "person_id": other.id})
    unknown = client.post("/api/cases", json={**NEW_CASE, "person_id": "P99999999"})
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    assert [e.resource_id for e in _events(session, officer.username, "denied")] == [other.id]


def test_the_analyst_and_a_visiting_doctor_cannot_search_residents(
    client: TestClient, session: Session, login: Any
) -> None:
    person = helpers.person_in(session)
    for role, org in ((Role.policy_analyst, None), (Role.visiting_professional, "doc-s")):
        user = login(role, organization_id=org)
        answer = client.post("/care/cases/new/search", data={"q": person.name})
        assert answer.status_code == 403
        assert person.rrn_masked not in answer.text
        assert [e.resource for e in _events(session, user.username, "denied")] == ["person"]


def test_a_pharmacist_sees_and_changes_only_the_visits_assigned_to_them(
    client: TestClient, session: Session, login: Any
) -> None:
    person = helpers.person_in(session)
    login(Role.district_team)
    unassigned = helpers.ok(client.post("/api/pharm/visits", json={"person_id": person.id}), 201)
    pharmacist = login(Role.pharmacist, organization_id="pha-s")
    own = helpers.ok(client.post("/api/pharm/visits", json={"person_id": person.id}), 201)
    listed = helpers.ok(client.get("/api/pharm/visits", params={"limit": 500}))
    assert {v["id"] for v in listed} == {own["id"]}
    assert client.get(f"/api/pharm/visits/{unassigned['id']}").status_code == 403
    change = client.patch(f"/api/pharm/visits/{unassigned['id']}", json={"status": "closed"})
    assert change.status_code == 403
    denied = _events(session, pharmacist.username, "denied")
    assert [e.resource_id for e in denied] == [str(unassigned["id"])] * 2
    reads = _events(session, pharmacist.username, "list")
    assert [(e.resource, e.detail) for e in reads] == [("pharm_visit", "1 visits")]
