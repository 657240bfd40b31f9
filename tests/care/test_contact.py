"""Contact and context: the case page, the provider's and the visitor's lists show how to reach
the resident (synthetic address and number, marked so), age, household and the responsible
worker by name and role; every such read is audited; intake never asks for a system id."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.care import deadlines
from gibon.residents import contact
from gibon.residents.models import Household, Person
from tests.care import helpers
from tests.care.helpers import ok
from tests.care.test_row_errors import _followup

PHONE = re.compile(r"010-0\d{3}-\d{4}")


def test_synthetic_contact_is_stable_inside_the_dong_and_in_a_block_never_issued() -> None:
    a = contact.synthetic_address("H0000042", "신림동")
    assert a == contact.synthetic_address("H0000042", "신림동")
    assert a != contact.synthetic_address("H0000043", "신림동")
    assert "관악구 가상로" in a and a.endswith("(신림동)")
    phones = {contact.synthetic_phone(f"P{i:07d}") for i in range(200)}
    assert len(phones) > 190 and all(PHONE.fullmatch(p) for p in phones)
    assert contact.age_on(date(1950, 12, 8), date(2026, 12, 7)) == 75
    assert contact.age_on(date(1950, 12, 7), date(2026, 12, 7)) == 76
    assert contact.worker_label(None, "신림동") == "신림동 주민센터 (담당자 미지정)"


def _audits(session: Session, username: str) -> list[AuditEvent]:
    q = select(AuditEvent).where(AuditEvent.actor == username).order_by(AuditEvent.id)
    return list(session.scalars(q))


def test_the_case_page_shows_contact_household_worker_and_missed_benefits(
    client: TestClient, session: Session, login: Any
) -> None:
    officer = login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    case = helpers.open_case(client, person.id)
    html = client.get(f"/care/cases/{case['id']}").text
    hh = session.get(Household, person.household_id)
    assert hh is not None
    section = html[html.index('id="contact"') : html.index('id="missing"')]
    assert contact.synthetic_address(hh.id, hh.dong) in section
    assert contact.synthetic_phone(person.id) in section
    assert "가상 주소" in section and "가상 번호" in section
    assert f"만 {contact.age_on(person.birth_date, deadlines.today())}세" in section
    members = session.scalars(
        select(Person).where(Person.household_id == hh.id, Person.id != person.id)
    ).all()
    for m in members:
        assert m.name in section
    if not members:
        assert "1인 가구" in section
    assert f"{officer.display_name} (동 주민센터 담당자)" in section
    assert person.id not in section and officer.username not in section
    assert "받을 수 있는데 받지 않는" in html
    reads = [e for e in _audits(session, officer.username) if e.resource == "care_case"]
    assert any("연락처" in e.purpose for e in reads if e.action == "read")


def test_the_missed_benefits_match_the_outreach_draw_for_the_household(
    client: TestClient, session: Session, login: Any
) -> None:
    from gibon.simulator import service as outreach

    login(Role.dong_officer, dong=helpers.DONG)
    month = deadlines.today().strftime("%Y-%m")
    found = None
    older = select(Person).where(Person.dong == helpers.DONG, Person.birth_date <= helpers.OLDER)
    for p in session.scalars(older):
        missed = outreach.household_missed(session, p.household_id, month)
        if missed:
            found = (p, missed)
            break
    assert found is not None, "no household of the stand-in misses a program"
    person, missed = found
    case = helpers.open_case(client, person.id)
    html = client.get(f"/care/cases/{case['id']}").text
    section = html[html.index('id="missing"') :]
    section = section[: section.index("</section>")]
    for program in missed:
        assert program["name_ko"] in section
    assert section.count("<details>") == len(missed) and "<table" in section


def test_the_provider_and_the_visitor_lists_show_contact_and_the_responsible_officer(
    client: TestClient, session: Session, login: Any
) -> None:
    officer = login(Role.dong_officer, dong=helpers.DONG)
    case, _fu = _followup(client, session, login)
    person_id = ok(client.get(f"/api/cases/{case['id']}"))["case"]["person_id"]
    phone = contact.synthetic_phone(person_id)
    listed = client.get("/care/followups").text
    assert phone in listed and "가상 번호" in listed and officer.display_name in listed
    provider = login(Role.provider, organization_id="prov-t1")
    page = client.get("/care/referrals").text
    assert phone in page and "가상 주소" in page and officer.display_name in page
    purposes = [e.purpose for e in _audits(session, provider.username)]
    assert "제공기관 의뢰 목록 (연락처·가구원)" in purposes


def test_a_provider_sees_no_contact_once_consent_is_withdrawn(
    client: TestClient, session: Session, login: Any
) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    case, _fu = _followup(client, session, login)
    person_id = ok(client.get(f"/api/cases/{case['id']}"))["case"]["person_id"]
    version = ok(client.get(f"/api/cases/{case['id']}"))["case"]["version"]
    ok(
        client.post(
            f"/api/cases/{case['id']}/consents/withdraw",
            json={"version": version, "purpose": "referral"},
        )
    )
    login(Role.provider, organization_id="prov-t1")
    page = client.get("/care/referrals").text
    assert contact.synthetic_phone(person_id) not in page and "동의 철회로 비공개" in page


def test_intake_finds_the_resident_by_name_and_never_asks_for_a_system_id(
    client: TestClient, session: Session, login: Any
) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    blank = client.get("/care/cases/new").text
    assert "시스템 ID" not in blank and 'name="person_id"' not in blank.replace("radio", "")
    found = client.post("/care/cases/new/search", data={"q": person.name}).text
    assert f'type="radio" name="person_id" value="{person.id}"' in found
    assert person.rrn_masked in found and "P0000001" not in found
    # A failed save keeps the chosen resident and what was typed.
    failed = client.post(
        "/care/cases/new",
        data={"person_id": person.id, "channel": "self", "applicant_name": "김가족"},
    )
    assert failed.status_code == 422
    assert f'value="{person.id}"' in failed.text and person.name in failed.text
    assert 'value="김가족"' in failed.text and "대상자와의 관계" in failed.text
    missing = client.post("/care/cases/new", data={"channel": "self"})
    assert missing.status_code == 422 and "대상 주민" in missing.text
