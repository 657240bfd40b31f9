"""My documents: the support plan (별지 제2호서식), the 방문약료 guide for the resident and the visit
calendar, each only of one's own file, every download audited as an export."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.care.models import Decision
from gibon.residents.models import Person
from tests import factories, pdf_text
from tests.care import helpers as care
from tests.window import helpers

EXAMPLE = Path(__file__).parents[2] / "src" / "gibon" / "data" / "pharm" / "example_patient.json"


def test_my_plan_guide_and_calendar_download_and_anothers_do_not(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    person = care.person_in(session)
    officer = helpers.staff_client(
        app, factories.make_user(session, Role.dong_officer, dong=care.DONG)
    )
    session.commit()
    prov = care.provider(session)
    case = care.open_case(officer, person.id)
    care.walk_to(officer, case, "approved", prov.id)
    pharmacist = helpers.staff_client(app, factories.make_user(session, Role.pharmacist))
    session.commit()
    history = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    visit = pharmacist.post(
        "/api/pharm/visits", json={"person_id": person.id, "history": history}
    ).json()["id"]

    helpers.sign_in(client, helpers.resident(session, person))
    page = client.get("/my/documents").text
    assert "지원계획 1판 (PDF)" in page and "약 안내서 (PDF)" in page
    plan = client.get(f"/my/documents/plan.pdf?case={case['id']}&number=1")
    assert plan.status_code == 200 and plan.content.startswith(b"%PDF")
    guide = client.get(f"/my/documents/guide.pdf?visit={visit}")
    assert guide.status_code == 200 and guide.content.startswith(b"%PDF")
    ics = client.get("/my/documents/visits.ics")
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR\r\n")
    exports = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.role == "resident")
    ).all()
    assert len(exports) == 3
    decision = session.scalars(select(Decision).where(Decision.case_id == case["id"])).one()
    assert "판정 결과 (PDF)" in page
    notice = client.get(f"/my/documents/decision.pdf?decision={decision.id}")
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")
    said = pdf_text.text(notice.content)
    assert person.name in said and "의료적 지원 필요도" in said and decision.reasons[:10] in said

    client.cookies.clear()
    stranger = session.scalars(
        select(Person).where(Person.dong != care.DONG).order_by(Person.id)
    ).first()
    assert stranger is not None
    helpers.sign_in(client, helpers.resident(session, stranger))
    for path in (
        f"/my/documents/decision.pdf?decision={decision.id}",
        f"/my/documents/plan.pdf?case={case['id']}&number=1",
        f"/my/documents/guide.pdf?visit={visit}",
    ):
        refused = client.get(path)
        assert refused.status_code == 404, path
        assert person.name not in refused.text
    assert person.name not in client.get("/my/documents").text
