"""Stored day plans: kept with their checker verdict, re-planned as new revisions, scoped by role."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.visits.models import VisitPlan
from tests.visits import factories as f


def _request() -> dict[str, Any]:
    pros = [f.professional("n1"), f.professional("n2"), f.professional("d1", "doctor", mode="car")]
    visits = [
        f.visit("a", 0, window=["09:00", "10:30"]),
        f.visit("b", 1, window=["09:00", "11:00"]),
        f.visit("c", 2, window=["13:00", "16:00"]),
        f.visit("d", 3, [("doctor", 30)], window=["14:00", "17:00"]),
        f.visit("bad", 4, [("dentist", 20)]),
    ]
    return f.request(pros, visits)


def _create(client: TestClient, requests: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post(
        "/api/visits/plans", json={"requests": requests or _request(), "time_limit": 0.5}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _plans(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(VisitPlan)) or 0)


def test_a_planned_day_is_stored_with_its_checked_schedule_and_reasons(
    client: TestClient, login: Any, session: Session
) -> None:
    login(Role.district_team)
    body = _create(client)
    assert body["revision"] == 1 and body["status"] == "current" and body["feasible"] is True
    assert body["schedule"]["checker"]["feasible"] is True
    assert body["requested"] == 5 and body["served"] == 4
    assert [u["code"] for u in body["schedule"]["unscheduled"]] == ["unknown_profession"]
    again = client.get(f"/api/visits/plans/{body['id']}").json()
    assert again["schedule"] == body["schedule"] and again["requests"] == _request()
    listed = client.get("/api/visits/plans?date=2026-06-01").json()
    assert [p["id"] for p in listed] == [body["id"]]
    assert client.get("/api/visits/plans?date=2026-06-02").json() == []
    nobody = client.get(f"/api/visits/plans/{body['id']}/ical?professional=x9")
    assert nobody.status_code == 422 and nobody.json()["where"] == "professional"
    assert client.get(f"/visits/plans/{body['id']}/x9.ics").status_code == 422


def test_a_roster_error_stores_nothing_and_names_the_professional(
    client: TestClient, login: Any, session: Session
) -> None:
    login(Role.district_team)
    before = _plans(session)
    bad = _request()
    bad["professionals"][1]["shift"] = ["18:00", "09:00"]
    response = client.post("/api/visits/plans", json={"requests": bad, "time_limit": 0.5})
    assert response.status_code == 422
    assert response.json()["where"].startswith("professionals[1]")
    bad_date = {**_request(), "date": "June 1st"}
    response = client.post("/api/visits/plans", json={"requests": bad_date, "time_limit": 0.5})
    assert response.status_code == 422 and response.json()["where"] == "requests.date"
    assert _plans(session) == before


def test_a_replan_keeps_started_visits_and_the_old_revision(
    client: TestClient, login: Any, session: Session
) -> None:
    login(Role.district_team)
    first = _create(client)
    starts = {
        s["visit"]: (r["professional"], s["start"])
        for r in first["schedule"]["routes"]
        for s in r["stops"]
    }
    urgent = f.visit("u1", 5, window=["13:00", "17:00"], priority=1)
    response = client.post(
        f"/api/visits/plans/{first['id']}/replan",
        json={"version": first["version"], "now": "11:00", "cancel": ["c"], "add": [urgent]},
    )
    assert response.status_code == 201, response.text
    second = response.json()
    assert second["revision"] == 2 and second["parent_id"] == first["id"]
    assert second["schedule"]["checker"]["feasible"] is True
    served = {
        s["visit"]: (r["professional"], s["start"])
        for r in second["schedule"]["routes"]
        for s in r["stops"]
    }
    assert "c" not in served and "u1" in served
    for done in (v for v, (_, start) in starts.items() if start <= "11:00"):
        assert served[done] == starts[done]  # what had started stays exactly where it was
    assert [r["revision"] for r in second["revisions"]] == [1, 2]
    old = client.get(f"/api/visits/plans/{first['id']}").json()
    assert old["status"] == "superseded" and old["schedule"] == first["schedule"]


def test_a_second_replan_of_the_same_revision_is_a_conflict_showing_both(
    client: TestClient, login: Any, session: Session
) -> None:
    login(Role.district_team)
    first = _create(client)
    replan = {"version": first["version"], "now": "10:00", "cancel": ["a"]}
    assert client.post(f"/api/visits/plans/{first['id']}/replan", json=replan).status_code == 201
    before = _plans(session)
    late = client.post(f"/api/visits/plans/{first['id']}/replan", json={**replan, "cancel": ["b"]})
    assert late.status_code == 409
    details = late.json()["details"]
    assert details["your_version"] == first["version"]
    assert details["newer"]["revision"] == 2 and details["current"]["status"] == "superseded"
    assert _plans(session) == before


def test_replan_input_errors_name_the_field(client: TestClient, login: Any) -> None:
    login(Role.district_team)
    first = _create(client)
    url = f"/api/visits/plans/{first['id']}/replan"
    unknown = client.post(url, json={"version": first["version"], "now": "10:00", "cancel": ["zz"]})
    assert unknown.status_code == 422 and unknown.json()["where"] == "cancel[0]"
    bad_time = client.post(url, json={"version": first["version"], "now": "25:00"})
    assert bad_time.status_code == 422
    assert (
        client.post(
            "/api/visits/plans/999999/replan", json={"version": 1, "now": "10:00"}
        ).status_code
        == 404
    )


def test_a_visiting_professional_sees_only_their_own_route_and_calendar(
    client: TestClient, login: Any, session: Session
) -> None:
    login(Role.district_team)
    plan = _create(client)
    doctor = login(Role.visiting_professional, organization_id="d1")
    mine = client.get(f"/api/visits/plans/{plan['id']}").json()
    assert [r["professional"] for r in mine["schedule"]["routes"]] == ["d1"]
    assert {v["id"] for v in mine["requests"]["visits"]} == {"d"}
    assert [p["id"] for p in mine["requests"]["professionals"]] == ["d1"]
    assert client.get(f"/api/visits/plans/{plan['id']}/ical?professional=d1").status_code == 200
    assert client.get(f"/visits/plans/{plan['id']}/d1.ics").status_code == 200
    assert client.get(f"/visits/plans/{plan['id']}/n1.ics").status_code == 403
    assert client.get(f"/api/visits/plans/{plan['id']}/ical?professional=n1").status_code == 403
    assert (
        client.post(
            f"/api/visits/plans/{plan['id']}/replan", json={"version": 1, "now": "10:00"}
        ).status_code
        == 403
    )
    other = login(Role.visiting_professional, organization_id="someone-else")
    assert client.get("/api/visits/plans").json() == []
    assert client.get(f"/api/visits/plans/{plan['id']}").status_code == 403
    denied = session.scalars(
        select(AuditEvent.actor).where(
            AuditEvent.action == "denied", AuditEvent.resource_id == str(plan["id"])
        )
    ).all()
    assert sorted(denied) == sorted([doctor.username] * 2 + [other.username])  # each refusal


def test_roles_without_visits_are_refused(client: TestClient, login: Any) -> None:
    for role in (Role.pharmacist, Role.provider, Role.policy_analyst, Role.dong_officer):
        login(role)
        assert client.get("/api/visits/plans").status_code == 403
        assert client.post("/api/visits/plans", json={"requests": _request()}).status_code == 403


def test_every_read_of_a_plan_is_audited(client: TestClient, login: Any, session: Session) -> None:
    user = login(Role.district_team)
    plan = _create(client)
    client.get(f"/api/visits/plans/{plan['id']}")
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.actor == user.username, AuditEvent.resource == "visit_plan"
        )
    ).all()
    assert actions == ["create", "read"]


def test_the_plan_pages_plan_replan_and_show_a_conflict(client: TestClient, login: Any) -> None:
    login(Role.district_team)
    made = client.post(
        "/visits/plans",
        data={"source": "demo", "demo_seed": "5", "demo_visits": "12", "time_limit": "1"},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page = client.get(made.headers["location"])
    assert page.status_code == 200 and "검증 통과" in page.text
    assert len(re.findall(r'<tr data-professional="', page.text)) == 32
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    form = {"version": version.group(1), "now": "12:00", "cancel": "V0001", "time_limit": "1"}
    url = made.headers["location"] + "/replan"
    again = client.post(url, data=form, follow_redirects=False)
    assert again.status_code == 303
    assert "2판" in client.get(again.headers["location"]).text
    stale = client.post(url, data=form)
    assert stale.status_code == 409 and 'id="conflict"' in stale.text


def test_the_plan_form_shows_errors_next_to_the_field(client: TestClient, login: Any) -> None:
    login(Role.district_team)
    empty = client.post("/visits/plans", data={"source": "file", "time_limit": "1"})
    assert empty.status_code == 422 and 'id="err-f-requests_file"' in empty.text
    broken = client.post(
        "/visits/plans",
        data={"source": "file", "time_limit": "1"},
        files={
            "requests_file": (
                "day.json",
                b'{"date": "2026-06-01",\n "visits": [}',
                "application/json",
            )
        },
    )
    assert broken.status_code == 422 and "2행" in broken.text
    too_long = client.post("/visits/plans", data={"source": "demo", "time_limit": "99"})
    assert too_long.status_code == 422 and 'id="err-f-time_limit"' in too_long.text
