"""The resident's window: sign-in, /my, applying for 돌봄, and isolation from other residents."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.audit.models import AuditEvent
from gibon.benefits import service as benefits
from gibon.care.models import Case, Consent
from gibon.window import plain
from tests.window import helpers


def test_a_resident_signs_in_through_the_verifier_and_the_sign_in_is_audited(
    client: TestClient, session: Session
) -> None:
    user = helpers.resident(session, helpers.elder(session))
    helpers.sign_in(client, user)
    rows = session.scalars(select(AuditEvent).where(AuditEvent.actor == user.username)).all()
    assert "login" in [r.action for r in rows]
    assert all(r.role == "resident" for r in rows)


def test_a_wrong_secret_is_refused_in_korean_counted_and_audited(
    client: TestClient, session: Session
) -> None:
    user = helpers.resident(session, helpers.elder(session))
    response = client.post("/my/login", data={"login": user.username, "secret": "wrong-pass-1"})
    assert response.status_code == 401
    assert "본인확인에 실패했어요" in response.text
    failed = session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor == user.username, AuditEvent.action == "login_failed"
        )
    ).all()
    assert len(failed) == 1
    signed_out = client.get("/my", follow_redirects=False)
    assert (signed_out.status_code, signed_out.headers["location"]) == (303, "/my/login")


def test_my_page_shows_my_household_and_every_program_in_easy_words(
    client: TestClient, session: Session
) -> None:
    person = helpers.elder(session)
    helpers.sign_in(client, helpers.resident(session, person))
    page = client.get("/my")
    assert page.status_code == 200
    text = page.text
    assert f"{person.name}님의 복지" in text
    programs = benefits.programs(benefits.default_system())
    assert text.count('<article class="card benefit') == len(programs)
    for program in programs:
        assert program.name_ko in text
    assert any(h in text for h in plain.HEADLINES.values())
    assert "법적 근거 보기" in text and "<details>" in text
    for raw in ("None", "True", "False", "monthly_rent", "판단 보류", person.id):
        assert raw not in text, raw


def test_applying_for_care_opens_an_intake_through_the_care_service_and_shows_its_step(
    client: TestClient, session: Session, login
) -> None:
    from gibon.accounts.models import Role

    person = helpers.elder(session, skip=3)
    officer = login(Role.dong_officer, dong=person.dong)
    client.headers.pop("Authorization")
    user = helpers.resident(session, person)
    token = helpers.sign_in(client, user)
    applied = client.post(
        "/my/care", data={"agree": "yes", "csrf_token": token}, follow_redirects=False
    )
    assert applied.status_code == 303, applied.text
    case = session.scalars(select(Case).where(Case.person_id == person.id)).one()
    assert (case.channel, case.status, case.officer_id) == ("self", "applied", officer.id)
    consents = session.scalars(select(Consent).where(Consent.case_id == case.id)).all()
    assert [c.purpose for c in consents] == ["assessment"]
    created = session.scalars(
        select(AuditEvent).where(AuditEvent.actor == user.username, AuditEvent.action == "create")
    ).one()
    assert (created.resource, created.resource_id) == ("care_case", str(case.id))
    page = client.get("/my").text
    assert "신청 접수" in page and officer.display_name in page
    again = client.post("/my/care", data={"agree": "yes", "csrf_token": token})
    assert again.status_code == 409
    assert "이미 신청하신 돌봄이 진행 중이에요" in again.text


def test_applying_without_the_required_consent_is_refused_and_nothing_is_opened(
    client: TestClient, session: Session
) -> None:
    person = helpers.elder(session, skip=4)
    token = helpers.sign_in(client, helpers.resident(session, person))
    response = client.post("/my/care", data={"csrf_token": token})
    assert response.status_code == 422
    assert "동의해요" in response.text
    assert session.scalars(select(Case).where(Case.person_id == person.id)).first() is None


def test_a_resident_sees_only_their_own_household(client: TestClient, session: Session) -> None:
    mine, other = helpers.elder(session, skip=1), helpers.young(session)
    assert mine.household_id != other.household_id
    helpers.sign_in(client, helpers.resident(session, mine))
    for path in ("/my", "/my/records"):
        text = client.get(path).text
        assert mine.name in text
        assert other.name not in text


def test_my_page_sets_what_the_household_receives_now_beside_what_it_could(
    client: TestClient, session: Session
) -> None:
    from gibon.simulator import service as simulator

    for skip in range(20):  # the first elder with a payment they could get
        person = helpers.elder(session, skip=skip)
        helpers.sign_in(client, helpers.resident(session, person))
        page = client.get("/my")
        assert page.status_code == 200
        articles = re.findall(r'<article[^>]*id="benefit-(\w+)">(.*?)</article>', page.text, re.S)
        marks = {
            pid: found[1]
            for pid, body in articles
            if (found := re.search(r'data-receiving="(yes|no)"', body))
        }
        if marks:
            break
    month = re.search(r"(\d{4})년 (\d+)월 기준", page.text)
    assert month and marks
    missed = {
        p["id"]
        for p in simulator.household_missed(
            session, person.household_id, f"{month[1]}-{int(month[2]):02d}"
        )
    }
    assert {pid for pid, mark in marks.items() if mark == "no"} == missed & set(marks)
    totals = re.findall(r"<dd>매달 ([\d,]+)원</dd>", page.text)
    received, could = (int(t.replace(",", "")) for t in totals[:2])
    assert received <= could
    assert "지금 받고 있어요" in page.text or "아직 받고 있지 않아요" in page.text


def test_a_resident_asks_to_apply_for_a_payment_and_the_dong_office_gets_it_prefilled(
    app, client: TestClient, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from gibon.accounts.models import Role
    from gibon.window.models import ResidentRequest
    from tests import factories

    for skip in range(20):  # the first elder with a payment not yet received
        person = helpers.elder(session, skip=skip)
        token = helpers.sign_in(client, helpers.resident(session, person))
        page = client.get("/my").text
        offered = re.findall(r'name="program" value="(\w+)"', page)
        if offered:
            break
    assert offered
    assert (
        client.post(
            "/my/apply", data={"program": "no_such_program", "csrf_token": token}
        ).status_code
        == 422
    )
    answer = client.post(
        "/my/apply", data={"program": offered[0], "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303
    row = session.scalars(
        select(ResidentRequest).where(ResidentRequest.kind == "application")
    ).one()
    assert row.person_id == person.id and row.field == offered[0]
    assert row.proposed["household"]["members"] >= 1
    assert "신청을 요청했어요" in client.get("/my").text
    officer = helpers.staff_client(
        app, factories.make_user(session, Role.dong_officer, dong=row.dong)
    )
    session.commit()
    queue = officer.get("/requests").text
    assert "급여 신청 요청" in queue and row.proposed["program"] in queue
