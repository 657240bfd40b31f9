"""지원 연계 to a benefit application: a prefilled record the item follows to its decision."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.crisis import repository, service
from gibon.crisis.models import Application
from tests import factories
from tests.crisis.conftest import DONG, heads, list_signal


def _item(session: Session, k: int) -> tuple[int, str]:
    p = heads(session, n=k + 1)[k]
    list_signal(session, p, "power_cut", service.today(), f"a-{p.id}-1")
    list_signal(session, p, "health_premium_arrears", service.today(), f"a-{p.id}-2")
    service.score_households(session, "test", household_ids=[p.household_id])
    session.commit()
    return repository.open_items(session, [p.household_id])[p.household_id].id, p.name


def test_link_opens_a_prefilled_application_and_the_item_follows_its_decision(
    client: TestClient, session: Session, login
) -> None:
    item_id, name = _item(session, 0)
    login(Role.dong_officer, dong=DONG)
    v = client.get(f"/api/crisis/items/{item_id}").json()["item"]["version"]
    no_program = {"action": "link", "version": v, "target": "benefit"}
    r = client.post(f"/api/crisis/items/{item_id}/actions", json=no_program)
    assert r.status_code == 422 and "급여" in r.text
    body = {**no_program, "program": "housing_benefit", "consent": True}
    r = client.post(f"/api/crisis/items/{item_id}/actions", json=body)
    assert r.status_code == 200 and r.json()["status"] == "linked"
    d = client.get(f"/api/crisis/items/{item_id}").json()
    app = d["application"]
    assert app["program_name"] == "주거급여" and app["status_label"] == "신청 접수 (조사 중)"
    fields = dict(app["prefill"])
    assert fields["신청인"] == name and fields["행정동"] == DONG
    assert "*" in fields["주민등록번호"]  # masked, never the plain number
    assert d["item"]["care_case_id"] is None

    refuse = {"decision": "refused", "version": app["version"]}
    r = client.post(f"/api/crisis/applications/{app['id']}/decision", json=refuse)
    assert r.status_code == 422 and "기각 사유" in r.text
    refuse["note"] = "소득인정액 초과"
    r = client.post(f"/api/crisis/applications/{app['id']}/decision", json=refuse)
    assert r.status_code == 200 and r.json()["status_label"] == "기각"
    d = client.get(f"/api/crisis/items/{item_id}").json()
    assert d["item"]["status"] == "checking"  # back to 확인 중 with the reason
    assert any("기각: 소득인정액 초과" in e for e in d["events"])
    again = client.post(f"/api/crisis/applications/{app['id']}/decision", json=refuse)
    assert again.status_code in (409, 422)


def test_a_granted_application_closes_the_item_and_the_pages_show_it(
    client: TestClient, session: Session, login
) -> None:
    item_id, _ = _item(session, 1)
    login(Role.dong_officer, dong=DONG)
    page = f"/crisis/items/{item_id}"
    html = client.get(page).text
    assert "급여 신청" in html and "통합돌봄 사례" in html
    factories.csrf_header(client, page)
    v = client.get(f"/api/crisis/items/{item_id}").json()["item"]["version"]
    r = client.post(f"{page}/actions", data={"action": "link", "version": str(v),
                                             "target": "benefit", "program": "livelihood"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    app = session.scalars(select(Application).where(Application.item_id == item_id)).one()
    assert app.channel == "ex_officio"
    html = client.get(f"/crisis/applications/{app.id}").text
    assert "생계급여" in html and "직권 신청" in html
    r = client.post(f"/crisis/applications/{app.id}/decision",
                    data={"decision": "granted", "version": "1"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    d = client.get(f"/api/crisis/items/{item_id}").json()
    assert d["item"]["status"] == "done" and d["application"]["status_label"] == "지급 결정"
    login(Role.dong_officer, dong="보라매동")
    assert client.get(f"/api/crisis/applications/{app.id}").status_code in (403, 404)
