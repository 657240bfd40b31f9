"""The JSON API and the pages, as their users reach them (signed in, scoped, in Korean)."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.crisis import service
from gibon.crisis.models import Device
from tests.crisis.conftest import DONG, heads, list_signal


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _item(session: Session) -> int:
    (p,) = heads(session, n=1)
    list_signal(session, p, "power_cut", service.today(), f"w-{p.id}-1")
    list_signal(session, p, "telecom_arrears", service.today(), f"w-{p.id}-2")
    service.score_households(session, "test", household_ids=[p.household_id])
    session.commit()
    return service.worklist(session, _team(session), None).items[0].id


def _team(session: Session):  # type: ignore[no-untyped-def]
    from tests import factories

    return factories.make_user(session, Role.district_team)


def test_a_device_alert_is_idempotent_by_its_id_and_an_unknown_device_is_refused(
    client: TestClient, session: Session, login
) -> None:
    (p,) = heads(session, n=1)
    session.add(Device(id="PLUG-W1", household_id=p.household_id,
                       indicator="smart_plug_no_activity", registered_by="t"))  # fmt: skip
    session.commit()
    login(Role.district_team)
    now = datetime.now(UTC).isoformat()
    body = {"alerts": [{"alert_id": "w-0001", "device_id": "PLUG-W1", "observed_at": now},
                       {"alert_id": "w-0002", "device_id": "PLUG-UNKNOWN", "observed_at": now}]}  # fmt: skip
    first = client.post("/api/crisis/alerts", json=body).json()
    again = client.post("/api/crisis/alerts", json=body).json()
    assert [r["result"] for r in first] == ["accepted", "refused"]
    assert [r["result"] for r in again] == ["duplicate", "refused"]
    assert first[1]["reason"] == "등록되지 않은 기기"
    assert first[0]["item_id"] == again[0]["item_id"] and first[0]["item_id"]


def test_the_alert_api_needs_a_signed_in_account(client: TestClient) -> None:
    response = client.post("/api/crisis/alerts", json={"alerts": []})
    assert response.status_code == 401


def test_an_officer_works_an_item_through_the_api(
    client: TestClient, session: Session, login
) -> None:
    item_id = _item(session)
    login(Role.dong_officer, dong=DONG)
    detail = client.get(f"/api/crisis/items/{item_id}").json()
    assert detail["item"]["status_label"] == "확인 중"
    assert {s["source_label"] for s in detail["signals"]} == {"복지 사각지대 발굴 명단"}
    r = client.post(
        f"/api/crisis/items/{item_id}/contacts", json={"method": "phone", "outcome": "reached"}
    )
    assert r.status_code == 201 and r.json()["attempts"] == 1
    version = r.json()["version"]
    r = client.post(f"/api/crisis/items/{item_id}/actions",
                    json={"action": "not_needed", "version": version, "reason": "no_need"})  # fmt: skip
    assert r.status_code == 200 and r.json()["status_label"] == "비대상"
    stale = client.post(f"/api/crisis/items/{item_id}/actions",
                        json={"action": "link", "version": version})  # fmt: skip
    assert stale.status_code == 409


def test_an_officer_of_another_dong_is_refused_the_item(
    client: TestClient, session: Session, login
) -> None:
    item_id = _item(session)
    login(Role.dong_officer, dong="청림동")
    assert client.get(f"/api/crisis/items/{item_id}").status_code == 403


def test_the_analyst_reads_the_quality_report_but_not_the_worklist(
    client: TestClient, login
) -> None:
    login(Role.policy_analyst)
    assert client.get("/api/crisis/worklist").status_code == 403
    assert client.get("/api/crisis/quality").status_code == 200
    page = client.get("/crisis/quality")
    assert page.status_code == 200 and "신호별 발굴 품질" in page.text


def test_the_worklist_page_lists_the_item_with_its_korean_reasons(
    client: TestClient, session: Session, login
) -> None:
    item_id = _item(session)
    login(Role.dong_officer, dong=DONG)
    text = _text(client.get("/crisis").text)
    assert "위기가구 발굴 — 신림동" in text and "단전(전류제한 포함)" in text
    page = _text(client.get(f"/crisis/items/{item_id}").text)
    for words in (
        "선별 점수",
        "한국전력공사",
        "연락 시도 0회",
        "연계 대상 통합돌봄 사례",
        "급여 신청",
    ):
        assert words in page
    for raw in ("None", "True", "checking", "national_list"):
        assert raw not in page


def test_the_item_page_shows_a_refused_move_in_korean_and_keeps_the_item(
    client: TestClient, session: Session, login
) -> None:
    item_id = _item(session)
    login(Role.dong_officer, dong=DONG)
    version = client.get(f"/api/crisis/items/{item_id}").json()["item"]["version"]
    r = client.post(
        f"/crisis/items/{item_id}/actions", data={"action": "unreachable", "version": version}
    )
    assert r.status_code == 422
    assert "소재 불명은 3회 이상 시도" in _text(r.text)
    assert client.get(f"/api/crisis/items/{item_id}").json()["item"]["status"] == "checking"


def test_the_report_form_puts_the_household_on_the_list(
    client: TestClient, session: Session, login
) -> None:
    (p,) = heads(session, n=1)
    login(Role.dong_officer, dong=DONG)
    form = {"kind": "honorary_official_report", "reporter_name": "김명예", "name": p.name,
            "birth_date": p.birth_date.isoformat(), "concern": "우편물이 쌓여 있음"}  # fmt: skip
    r = client.post("/crisis/report", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/crisis/items/")
    page = _text(client.get(r.headers["location"]).text)
    assert "명예사회복지공무원 제보" in page and "우편물이 쌓여 있음" in page


def test_the_report_form_says_in_korean_when_no_resident_matches(client: TestClient, login) -> None:
    login(Role.dong_officer, dong=DONG)
    form = {"kind": "neighbour_report", "reporter_name": "이웃", "name": "없는이름",
            "birth_date": "1950-01-01", "concern": "걱정"}  # fmt: skip
    r = client.post("/crisis/report", data=form)
    assert r.status_code == 404 or r.status_code == 422
    assert "맞는 주민이 없습니다" in _text(r.text)


def test_only_the_district_team_changes_the_weights(
    client: TestClient, session: Session, login
) -> None:
    login(Role.dong_officer, dong=DONG)
    current = client.get("/api/crisis/weights").json()
    body = {"weights": current | {"threshold": 45}, "note": "회의 결정"}
    assert client.put("/api/crisis/weights", json=body).status_code == 403
    login(Role.district_team)
    r = client.put("/api/crisis/weights", json=body)
    assert r.status_code == 200 and r.json()["version"] == current["version"] + 1


def test_the_menu_shows_the_worklist_to_officers_and_quality_to_the_analyst(
    client: TestClient, login
) -> None:
    login(Role.dong_officer, dong=DONG)
    assert 'href="/crisis"' in client.get("/").text
    login(Role.policy_analyst)
    home = client.get("/").text
    assert 'href="/crisis/quality"' in home and 'href="/crisis"' not in home


def test_the_contact_form_logs_an_attempt_and_returns_to_the_item(
    client: TestClient, session: Session, login
) -> None:
    item_id = _item(session)
    login(Role.dong_officer, dong=DONG)
    form = {"method": "phone", "outcome": "reached", "at": "", "note": "본인 통화"}
    r = client.post(f"/crisis/items/{item_id}/contacts", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = _text(client.get(r.headers["location"]).text)
    assert "연락 시도 1회" in page and "본인·가족과 연락됨 (본인 통화)" in page
    assert "비대상으로 닫기" in page


def test_withdrawing_consent_stops_monitoring_at_once(
    client: TestClient, session: Session, login
) -> None:
    (p,) = heads(session, n=1)
    login(Role.dong_officer, dong=DONG)
    enrol = {"device_id": "PLUG-C1", "household_id": p.household_id,
             "indicator": "smart_plug_no_activity", "consent_by": f"본인 {p.name}"}  # fmt: skip
    r = client.post("/api/crisis/devices", json=enrol)
    assert r.status_code == 201 and r.json()["status_label"] == "모니터링 중"
    now = datetime.now(UTC).isoformat()
    alert = {"alerts": [{"alert_id": "c-0001", "device_id": "PLUG-C1", "observed_at": now}]}
    assert client.post("/api/crisis/alerts", json=alert).json()[0]["result"] == "accepted"
    r = client.post("/api/crisis/devices/PLUG-C1/withdraw")
    assert r.json()["status_label"] == "동의 철회로 중단"
    later = {"alerts": [{"alert_id": "c-0002", "device_id": "PLUG-C1", "observed_at": now}]}
    refused = client.post("/api/crisis/alerts", json=later).json()[0]
    assert (refused["result"], refused["reason"]) == ("refused", "모니터링이 중단된 기기")
    quality = client.get("/api/crisis/quality").json()
    assert quality["rejected_alerts"]["모니터링이 중단된 기기"] == 1


def test_enrolment_needs_the_persons_consent(client: TestClient, session: Session, login) -> None:
    (p,) = heads(session, n=1)
    login(Role.dong_officer, dong=DONG)
    body = {"device_id": "PLUG-C2", "household_id": p.household_id,
            "indicator": "smart_plug_no_activity", "consent_by": ""}  # fmt: skip
    assert client.post("/api/crisis/devices", json=body).status_code == 422


def test_the_worklist_page_costs_a_few_statements_and_each_read_is_audited(
    client: TestClient, session: Session, login
) -> None:
    """21 officers use the page at once (issue 16): its statements are counted, and every
    reading is still on record."""
    from sqlalchemy import event, func, select

    from gibon.audit.models import AuditEvent

    _item(session)
    login(Role.dong_officer, dong=DONG)
    assert client.get("/crisis").status_code == 200
    statements: list[str] = []
    connection = session.connection()

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    before = session.scalar(select(func.count()).select_from(AuditEvent))
    event.listen(connection, "before_cursor_execute", count)
    try:
        for _ in range(2):
            assert "단전(전류제한 포함)" in _text(client.get("/crisis").text)
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before + 2
    newest = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert newest is not None and newest.resource == "crisis_worklist"
    own = [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
    # per read: the session with its account, the items, heads, weights, attempts, sources,
    # and the audit row chained on (lock, newest hash, insert)
    assert len(own) <= 2 * 9, own
    assert not any("FROM users" in s and "user_sessions" not in s for s in own), own
