"""My consents: each consent with its date and officer; a withdrawal takes effect at once, is
audited, and reaches the officers of the case (주민 요청함 and the case page)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.care.cases import service as care
from gibon.care.cases.schemas import ConsentPurpose
from gibon.care.models import Case, CaseEvent, Consent
from gibon.errors import InvalidInput
from gibon.window.models import ResidentRequest
from tests import factories
from tests.window import helpers

CONSENT_ID = re.compile(r'name="consent" value="(\d+)"')


def test_my_consents_list_each_purpose_with_its_date_and_officer_and_a_withdrawal_acts_at_once(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    person = helpers.elder(session, skip=6)
    officer = factories.make_user(session, Role.dong_officer, dong=person.dong)
    officer.display_name = f"{person.dong} 주민센터 오하늘"
    session.commit()
    token = helpers.applied(client, session, person, share=True)
    case = session.scalars(select(Case).where(Case.person_id == person.id)).one()
    page = client.get("/my/consents")
    assert page.status_code == 200
    assert "조사·판정을 위한 정보 수집·이용" in page.text and "관계 기관 간 정보 공유" in page.text
    assert f"{person.dong} 주민센터 · 오하늘" in page.text
    assert "동의한 날:" in page.text and "(한국 시간)" in page.text
    sharing = session.scalars(
        select(Consent).where(Consent.case_id == case.id, Consent.purpose == "sharing")
    ).one()
    assert str(sharing.id) in CONSENT_ID.findall(page.text)

    done = client.post(
        "/my/consents/withdraw",
        data={"consent": str(sharing.id), "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    session.refresh(sharing)
    assert sharing.withdrawn_at is not None
    with pytest.raises(InvalidInput):  # at once: the next use of the purpose is refused
        care.require_consent(session, case, ConsentPurpose.sharing, "sharing")
    care.require_consent(session, case, ConsentPurpose.assessment, "assessment")  # the other stays
    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "withdraw")
    ).one()
    assert "관계 기관 간 정보 공유" in event.detail
    audited = session.scalars(
        select(AuditEvent).where(
            AuditEvent.resource == "care_consent",
            AuditEvent.resource_id == str(case.id),
            AuditEvent.action == "update",
        )
    ).one()
    assert audited.role == "resident" and audited.purpose == "동의 철회"
    notice = session.scalars(
        select(ResidentRequest).where(ResidentRequest.case_id == case.id)
    ).one()
    assert (notice.kind, notice.officer_id, notice.status) == (
        "consent_withdrawn",
        officer.id,
        "open",
    )

    staff = helpers.staff_client(app, officer)
    queue = staff.get("/requests").text
    assert "동의 철회 알림" in queue and person.name in queue
    case_page = staff.get(f"/care/cases/{case.id}").text
    assert "주민 창구:" in case_page and "관계 기관 간 정보 공유" in case_page
    assert "철회했어요" in client.get("/my/consents?withdrawn=1").text
    again = client.post(
        "/my/consents/withdraw", data={"consent": str(sharing.id), "csrf_token": token}
    )
    assert again.status_code == 409 and "이미 철회한 동의예요" in again.text


def test_a_resident_cannot_withdraw_another_residents_consent_and_the_try_is_audited(
    client: TestClient, session: Session
) -> None:
    other = helpers.elder(session, skip=7)
    factories.make_user(session, Role.dong_officer, dong=other.dong)
    session.commit()
    helpers.applied(client, session, other, share=True)
    theirs = session.scalars(
        select(Consent).join(Case, Case.id == Consent.case_id).where(Case.person_id == other.id)
    ).first()
    assert theirs is not None
    client.post("/logout")
    client.cookies.clear()
    me = helpers.elder(session, skip=8)
    token = helpers.sign_in(client, helpers.resident(session, me))
    answer = client.post(
        "/my/consents/withdraw", data={"consent": str(theirs.id), "csrf_token": token}
    )
    assert answer.status_code == 404
    assert other.name not in answer.text
    session.refresh(theirs)
    assert theirs.withdrawn_at is None
    denied = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "denied", AuditEvent.resource == "my_consent")
    ).all()
    assert [d.resource_id for d in denied] == [str(theirs.id)]
