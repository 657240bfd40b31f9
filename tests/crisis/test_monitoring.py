"""Monitoring with consent: least intrusive first, one consent per method, withdrawal at once,
and a sensor threshold chosen from the household's own history (editable, audited)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.crisis import monitoring
from gibon.crisis.models import RejectedAlert
from tests.crisis.conftest import DONG, heads


def test_methods_are_offered_least_intrusive_first() -> None:
    ids = [m.id for m in monitoring.methods()]
    assert ids == ["text_check", "regular_visit", "ai_call", "door_sensor", "smart_plug"]
    assert [m.rank for m in monitoring.methods()] == [1, 2, 3, 4, 5]
    # the continuous (passive, in-home) methods come after every non-continuous one
    flags = [m.continuous for m in monitoring.methods()]
    assert flags == sorted(flags)


def test_the_suggested_hours_are_the_households_own_high_percentile() -> None:
    gaps = monitoring.activity_gaps("H0000042", 78)
    assert len(gaps) == 60
    assert np.array_equal(gaps, monitoring.activity_gaps("H0000042", 78))  # same history
    sug = monitoring.suggest_hours(gaps)
    ordered = sorted(float(g) for g in gaps)
    rank = 0.99 * (len(ordered) - 1)  # linear interpolation, computed here by hand
    low, frac = int(rank), rank - int(rank)
    p99 = ordered[low] + (ordered[min(low + 1, len(ordered) - 1)] - ordered[low]) * frac
    assert sug.hours == min(max(math.ceil(p99), 12), 72)
    assert "99번째 백분위" in sug.basis and "합성" in sug.basis
    # a different household, a different history (chosen from its own data)
    others = {monitoring.suggest_hours(monitoring.activity_gaps(f"H{i:07d}", 40)).hours
              for i in range(30)}  # fmt: skip
    assert len(others) > 1
    assert monitoring.suggest_hours(np.array([2.0, 3.0])).hours == 12  # floor of the range


def _now() -> str:
    return datetime.now(UTC).isoformat()


def test_enrol_least_intrusive_first_hours_from_history_withdraw_at_once(
    client: TestClient, session: Session, login
) -> None:
    (p,) = heads(session, n=1)
    hid = p.household_id
    login(Role.dong_officer, dong=DONG)
    offer = client.get(f"/api/crisis/households/{hid}/monitoring").json()
    assert offer["methods"][0]["id"] == "text_check"
    assert all(m["state"] == "none" for m in offer["methods"])

    no_consent = {"method": "text_check", "consent": False, "consent_by": "본인"}
    r = client.post(f"/api/crisis/households/{hid}/monitoring", json=no_consent)
    assert r.status_code == 422 and "동의" in r.text

    plug = {"method": "smart_plug", "consent": True, "consent_by": "본인 " + p.name}
    r = client.post(f"/api/crisis/households/{hid}/monitoring", json=plug)
    assert r.status_code == 422 and "offer_note" in r.text and "안부 문자" in r.text

    plug["offer_note"] = "휴대전화가 없고 방문은 원하지 않음"
    r = client.post(f"/api/crisis/households/{hid}/monitoring", json=plug)
    assert r.status_code == 201, r.text
    device = r.json()
    assert device["alert_hours"] == offer["suggested_hours"]
    did = device["device_id"]

    below = offer["suggested_hours"] - 1
    alerts = {"alerts": [
        {"alert_id": "m-0001", "device_id": did, "observed_at": _now(), "hours_inactive": below},
        {"alert_id": "m-0002", "device_id": did, "observed_at": _now(),
         "hours_inactive": offer["suggested_hours"] + 5}]}  # fmt: skip
    got = client.post("/api/crisis/alerts", json=alerts).json()
    assert [a["result"] for a in got] == ["refused", "accepted"]
    assert got[0]["reason"] == "이 가구의 무활동 기준 시간 미만"

    r = client.put(
        f"/api/crisis/devices/{did}/hours", json={"hours": below - 2, "reason": "야간 근무"}
    )
    assert r.status_code == 200 and r.json()["alert_hours"] == below - 2
    again = {"alerts": [{**alerts["alerts"][0], "alert_id": "m-0003"}]}
    assert client.post("/api/crisis/alerts", json=again).json()[0]["result"] == "accepted"
    edits = session.scalars(select(AuditEvent).where(
        AuditEvent.resource == "crisis_device", AuditEvent.action == "update")).all()  # fmt: skip
    assert any(f"→{below - 2}시간" in (e.detail or "") for e in edits)

    assert client.post(f"/api/crisis/devices/{did}/withdraw").json()["active"] is False
    late = {"alerts": [{**alerts["alerts"][1], "alert_id": "m-0004"}]}
    assert client.post("/api/crisis/alerts", json=late).json()[0]["result"] == "refused"
    session.expire_all()
    refused = session.scalars(select(RejectedAlert).where(RejectedAlert.device_id == did)).all()
    assert sorted(r.reason for r in refused) == ["below_household_hours", "inactive_device"]
    after = client.get(f"/api/crisis/households/{hid}/monitoring").json()
    assert after["refused_alerts"] == 2
    assert next(m for m in after["methods"] if m["id"] == "smart_plug")["state"] == "withdrawn"


def test_the_monitoring_page_offers_in_order_and_enrols_through_the_form(
    client: TestClient, session: Session, login
) -> None:
    from tests import factories

    (p,) = heads(session, n=1)
    login(Role.dong_officer, dong=DONG)
    page = f"/crisis/monitoring/{p.household_id}"
    html = client.get(page).text
    assert html.index("안부 문자") < html.index("정기 방문") < html.index("스마트플러그")
    factories.csrf_header(client, page)
    r = client.post(page, data={"method": "text_check", "consent": "1", "consent_by": "본인"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    html = client.get(page).text
    assert "이용 중 (동의)" in html
    r = client.post(page, data={"method": "ai_call", "consent_by": "본인"})
    assert r.status_code == 422 and "본인 동의 없이는" in r.text
    r = client.post(page, data={"method": "ai_call", "consent": "1", "consent_by": "본인"})
    alert = r.text.split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert r.status_code == 422 and "정기 방문" in alert
    assert "(덜 침해적인 방법을 쓰지 않는 까닭)" in alert and "offer_note" not in alert
