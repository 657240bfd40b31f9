"""Asking for an explanation of a 열람 기록 entry, and correcting the household's data: each
becomes a request in the officers' 주민 요청함, answered there, audited, shown to the resident."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit import service as audit
from gibon.audit.models import AuditEvent
from gibon.residents.models import Person
from gibon.window.models import ResidentRequest
from tests import factories
from tests.window import helpers

ENTRY = re.compile(r'name="entry" value="(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def _officer_read(session: Session, person: Person, purpose: str) -> str:
    officer = factories.make_user(session, Role.dong_officer, dong=person.dong)
    audit.record_on_commit(
        session,
        actor=officer.username,
        role=officer.role,
        action="read",
        resource="person",
        resource_id=person.id,
        purpose=purpose,
    )
    session.commit()
    return officer.username


def test_asking_to_explain_an_entry_reaches_the_district_team_who_answer_it(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    person = helpers.elder(session, skip=0)
    _officer_read(session, person, "방문약료 대상자 확인")
    token = helpers.sign_in(client, helpers.resident(session, person))
    entries = ENTRY.findall(client.get("/my/records").text)
    assert len(entries) == 1
    asked = client.post(
        "/my/records/explain",
        data={"entry": entries[0], "text": "왜 보았는지 알고 싶어요", "csrf_token": token},
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    row = session.scalars(
        select(ResidentRequest).where(ResidentRequest.person_id == person.id)
    ).one()
    assert (row.kind, row.audit_event_id, row.status) == ("explanation", int(entries[0]), "open")
    assert (
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.resource == "resident_request", AuditEvent.resource_id == str(row.id)
            )
        )
        .one()
        .role
        == "resident"
    )

    dong_officer = helpers.staff_client(
        app, factories.make_user(session, Role.dong_officer, dong=person.dong)
    )
    session.commit()
    assert "왜 보았는지 알고 싶어요" not in dong_officer.get("/requests").text  # the team's queue
    team_user = factories.make_user(session, Role.district_team)
    session.commit()
    team = helpers.staff_client(app, team_user)
    queue = team.get("/requests").text
    assert "열람 기록 설명 요청" in queue and "방문약료 대상자 확인" in queue
    version = VERSION.findall(queue)[0]
    answered = team.post(
        f"/requests/{row.id}/answer",
        data={"text": "방문약료를 시작하기 전에 복용 약을 확인했어요", "version": version},
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    mine = client.get("/my/records").text
    assert "답변 완료" in mine and "복용 약을 확인했어요" in mine


def test_an_entry_about_someone_else_cannot_be_asked_about(
    client: TestClient, session: Session
) -> None:
    person, stranger = helpers.elder(session, skip=1), helpers.young(session)
    _officer_read(session, stranger, "다른 주민 조회")
    theirs = session.scalars(
        select(AuditEvent.id)
        .where(AuditEvent.resource_id == stranger.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    token = helpers.sign_in(client, helpers.resident(session, person))
    answer = client.post("/my/records/explain", data={"entry": str(theirs), "csrf_token": token})
    assert answer.status_code == 404
    assert "다른 주민 조회" not in answer.text and stranger.name not in answer.text
    assert (
        session.scalars(
            select(ResidentRequest).where(ResidentRequest.person_id == person.id)
        ).first()
        is None
    )


def test_a_correction_is_a_pending_request_for_the_dong_never_applied_silently(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    person = helpers.elder(session, skip=2)
    before = person.earned_income
    token = helpers.sign_in(client, helpers.resident(session, person))
    bad = client.post("/my/corrections", data={"field": "income", "value": "", "csrf_token": token})
    assert bad.status_code == 422 and "맞는 값" in bad.text
    sent = client.post(
        "/my/corrections",
        data={"field": "income", "value": "450000", "text": "일을 그만뒀어요", "csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = client.get("/my?corrected=1").text
    assert "한 달 소득 정정 요청 · 처리 중" in page
    session.refresh(person)
    assert person.earned_income == before
    officer = helpers.staff_client(
        app, factories.make_user(session, Role.dong_officer, dong=person.dong)
    )
    session.commit()
    queue = officer.get("/requests").text
    assert "가구 정보 정정 요청" in queue and "450000" in queue
    elsewhere = "보라매동" if person.dong != "보라매동" else "신림동"
    other = helpers.staff_client(
        app, factories.make_user(session, Role.dong_officer, dong=elsewhere)
    )
    session.commit()
    assert person.name not in other.get("/requests").text
