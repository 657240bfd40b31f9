"""Lists people take away: every work list downloads as .xlsx and CSV, each export audited."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from tests.care import helpers


def _sheet(body: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_an_officer_downloads_the_work_queue_as_xlsx_and_the_export_is_audited(
    client: TestClient, session: Session, login: Any
) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    case = helpers.open_case(client, helpers.person_in(session).id)
    response = client.get("/care/export?status=open&format=xlsx")
    assert response.status_code == 200
    rows = _sheet(response.content)
    assert rows[0][:5] == ("사례 번호", "이름", "주민등록번호(가림)", "동", "단계")
    ids = [r[0] for r in rows[1:]]
    assert case["id"] in ids and all(r[3] == helpers.DONG for r in rows[1:])
    assert rows[1][4] == "신청 접수"  # the status in words, not its code
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.resource == "care_queue")
    ).one()
    assert event.detail == f"rows={len(rows) - 1} format=xlsx"


def test_the_queue_downloads_as_csv_with_a_bom(
    client: TestClient, session: Session, login: Any
) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    helpers.open_case(client, helpers.person_in(session).id)
    response = client.get("/care/export?format=csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("사례 번호,이름")


def test_a_list_page_links_its_downloads_and_a_pager(
    client: TestClient, session: Session, login: Any
) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    page = client.get("/care")
    assert "/care/export?" in page.text and "format=xlsx" in page.text


def test_a_follow_up_and_a_referral_list_download(client: TestClient, login: Any) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    rows = _sheet(client.get("/care/followups/export?status=&format=xlsx").content)
    assert rows[0][0] == "예정일"
    login(Role.provider, organization_id="prov-001")
    rows = _sheet(client.get("/care/referrals/export?format=xlsx").content)
    assert rows[0][:2] == ("의뢰 번호", "대상자")


def test_an_unknown_format_is_a_korean_422(client: TestClient, login: Any) -> None:
    login(Role.dong_officer, dong=helpers.DONG)
    assert client.get("/care/export?format=pdf").status_code == 422


def test_a_simulation_runs_result_tables_download(client: TestClient, login: Any) -> None:
    login(Role.policy_analyst)
    run = client.post(
        "/api/simulator/runs", json={"example": "gwanak_youth_basic_income", "month": "2026-06"}
    ).json()
    rows = _sheet(
        client.get(f"/simulator/runs/{run['id']}/export?table=programs&format=xlsx").content
    )
    assert rows[0][:2] == ("급여", "종류") and any(r[0] == "관악 청년기본소득" for r in rows[1:])
    deciles = _sheet(
        client.get(f"/simulator/runs/{run['id']}/export?table=deciles&format=xlsx").content
    )
    assert [r[0] for r in deciles[1:]] == list(range(1, len(deciles)))


def test_the_queue_export_names_the_officer_and_a_name_search_stays_out_of_its_link(
    client: TestClient, session: Session, login: Any
) -> None:
    officer = login(Role.dong_officer, dong=helpers.DONG)
    person = helpers.person_in(session)
    helpers.open_case(client, person.id)
    rows = _sheet(client.get("/care/export?format=xlsx").content)
    column = rows[0].index("담당자")
    assert any(r[column] == f"{officer.display_name} (동 주민센터 담당자)" for r in rows[1:])
    page = client.post("/care", data={"q": person.name, "status": "open"})
    links = [line for line in page.text.splitlines() if "/care/export?" in line]
    assert links and all(person.name not in line and "q=" not in line for line in links)
