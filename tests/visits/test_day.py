"""Demand -> plan -> the day on a phone: gathered requests, dated plans, own stops only, events
recorded once, re-planned visits answered with a conflict and kept."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.residents.models import Household, Person
from gibon.visits import demand, geo
from gibon.visits.engine.problem import Point
from gibon.visits.models import Staff, VisitEvent, VisitPlan
from tests.visits import factories as f

DAY = date(2026, 12, 8)


def _staff(pid: str, profession: str, name: str) -> Staff:
    return Staff(
        id=pid,
        name=name,
        profession=profession,
        skills=[],
        break_window=["12:00", "14:00"],
        base_lat=f.CENTER["lat"],
        base_lon=f.CENTER["lon"],
        mode="car",
        max_visits=6,
    )


def _placed_people(session: Session, n: int) -> list[str]:
    """Residents of different homes, each inside their own dong (the planner can place them)."""
    rows = session.execute(select(Person, Household).join(Household).limit(400)).all()
    homes = {h.id: p.id for p, h in rows if geo.dong_of(Point(h.lat, h.lon)) == p.dong}
    return list(homes.values())[:n]


@pytest.fixture
def roster(session: Session) -> list[str]:
    session.add_all(
        [
            _staff("doctor-01", "doctor", "최민준"),
            _staff("nurse-01", "nurse", "김서연"),
            _staff("nurse-02", "nurse", "이도윤"),
        ]
    )
    session.commit()
    return _placed_people(session, 4)


def _ask(client: TestClient, person: str, profession: str = "nurse", **extra: Any) -> None:
    body = {"date": DAY.isoformat(), "person_id": person, "needs": [{"profession": profession}]}
    response = client.post("/api/visits/requests", json={**body, **extra})
    assert response.status_code == 201, response.text


def _plan(client: TestClient, **extra: Any) -> dict[str, Any]:
    response = client.post(
        "/api/visits/days", json={"date": DAY.isoformat(), "time_limit": 1, **extra}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _doctor_visits(plan: dict[str, Any]) -> list[str]:
    routes = [r for r in plan["schedule"]["routes"] if r["professional"] == "doctor-01"]
    return [s["visit"] for r in routes for s in r["stops"]]


def test_a_coordinator_plans_a_date_from_the_systems_own_requests(
    client: TestClient, login: Any, roster: list[str], session: Session
) -> None:
    login(Role.district_team)
    _ask(client, roster[0], "doctor")
    _ask(client, roster[1])
    gathered = client.get(f"/api/visits/requests?date={DAY}").json()
    assert [v["source"]["kind"] for v in gathered["visits"]] == ["request", "request"]
    first = gathered["visits"][0]
    assert first["synthetic_address"] is True and "합성 주소" in first["address"]
    assert first["dong"] in first["address"] and first["age"] > 0
    plan = _plan(client, on_duty=[{"id": "doctor-01"}, {"id": "nurse-01", "shift_end": "15:00"}])
    assert plan["date"] == "2026-12-08" and "12월 8일" in plan["title"]
    stored = session.get(VisitPlan, plan["id"])
    assert stored is not None and stored.plan_date == DAY
    assert sorted(stored.staff) == ["doctor-01", "nurse-01"]  # nurse-02 is off that day
    nurse = next(p for p in plan["requests"]["professionals"] if p["id"] == "nurse-01")
    assert nurse["shift"] == ["09:00", "15:00"]
    assert plan["served"] == 2 and plan["schedule"]["checker"]["feasible"]


def test_a_request_whose_home_cannot_be_placed_is_reported_and_the_rest_planned(
    client: TestClient, login: Any, roster: list[str], session: Session
) -> None:
    login(Role.district_team)
    _ask(client, roster[0])
    _ask(client, roster[1])
    person = session.get(Person, roster[1])
    assert person is not None
    household = session.get(Household, person.household_id)
    assert household is not None
    household.lat, household.lon = 37.60, 127.10  # outside Gwanak
    session.commit()
    plan = _plan(client)
    (left,) = plan["schedule"]["unscheduled"]
    assert left["code"] == "no_address" and "경계 밖" in left["reason"]
    assert plan["served"] == 1


def test_an_unknown_professional_on_duty_is_refused_naming_the_row(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    login(Role.district_team)
    response = client.post(
        "/api/visits/days", json={"date": DAY.isoformat(), "on_duty": [{"id": "nurse-99"}]}
    )
    assert response.status_code == 422
    assert response.json()["where"] == "on_duty[0].id"


def test_a_doctor_sees_only_their_own_stops_and_records_each_action_once(
    client: TestClient, login: Any, roster: list[str], session: Session
) -> None:
    login(Role.district_team)
    for person in roster[:2]:
        _ask(client, person, "doctor")
    _ask(client, roster[2])
    plan = _plan(client)
    mine = _doctor_visits(plan)
    assert len(mine) == 2
    login(Role.visiting_professional, organization_id="doctor-01")
    day = client.get(f"/api/visits/today?date={DAY}").json()
    assert [s["visit"] for s in day["stops"]] == mine
    assert all(s["address"] and s["phone"] for s in day["stops"])
    page = client.get(f"/visits/today?date={DAY}").text
    assert 'href="geo:' in page and "도착" in page and "<svg" in page and "nurse-01" not in page
    # the phone's map app (and whoever runs it) gets the place and the stop's number, no name
    geo = [unquote(h) for h in re.findall(r'href="(geo:[^"]+)"', page)]
    assert [h.rsplit("(", 1)[1] for h in geo] == ["1번 방문지)", "2번 방문지)"]
    assert not any(s["name"] in h for s in day["stops"] for h in geo)
    event = {"key": "k-arrive-0001", "plan_id": plan["id"], "visit": mine[0], "kind": "arrived"}
    assert client.post("/api/visits/events", json=event).status_code == 201
    again = client.post("/api/visits/events", json=event)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    missed = {**event, "key": "k-miss-0001", "visit": mine[1], "kind": "missed"}
    refused = client.post("/api/visits/events", json=missed)
    assert refused.status_code == 422 and refused.json()["where"] == "reason"
    assert client.post("/api/visits/events", json={**missed, "reason": "부재"}).status_code == 201
    kinds = session.scalars(select(VisitEvent.kind).order_by(VisitEvent.id)).all()
    assert kinds == ["arrived", "missed"]
    day = client.get(f"/api/visits/today?date={DAY}").json()
    assert day["stops"][1]["state"] == "missed" and "부재" in day["stops"][1]["state_detail"]


def test_an_action_for_a_visit_replanned_meanwhile_is_kept_and_answered_with_a_conflict(
    client: TestClient, login: Any, roster: list[str], session: Session
) -> None:
    login(Role.district_team)
    _ask(client, roster[0], "doctor")
    _ask(client, roster[1], "doctor")
    plan = _plan(client)
    gone, kept = _doctor_visits(plan)
    replan = {"version": plan["version"], "now": "08:00", "cancel": [gone], "time_limit": 1}
    newer = client.post(f"/api/visits/plans/{plan['id']}/replan", json=replan)
    assert newer.status_code == 201, newer.text
    login(Role.visiting_professional, organization_id="doctor-01")
    late = {"key": "offline-0001", "plan_id": plan["id"], "visit": gone, "kind": "completed"}
    response = client.post("/api/visits/events", json=late)
    assert response.status_code == 409
    message = response.json()["message"]
    assert "다시 계획" in message and "보관" in message
    name = next(v["name"] for v in plan["requests"]["visits"] if v["id"] == gone)
    assert gone not in message and f"{name} 님" in message  # the resident, not the visit key
    # without JavaScript: the redirect carries the action's key, not the message, and the day
    # page composes the message from the stored action
    form = {"key": "offline-form-1", "plan_id": str(plan["id"]), "visit": gone, "kind": "arrived"}
    posted = client.post("/visits/today/events", data=form, follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == "/visits/today?event=offline-form-1"
    shown = client.get(posted.headers["location"]).text
    alert = shown.split('id="net-conflict"')[1].split("</p>")[0]
    assert "다시 계획" in alert and "&#39;도착&#39;" in alert and f"{name} 님" in alert
    login(Role.district_team)  # someone else's key shows nothing
    assert "다시 계획되어" not in client.get("/visits/today?event=offline-form-1").text
    login(Role.visiting_professional, organization_id="doctor-01")
    fine = {**late, "key": "offline-0002", "visit": kept}
    moved = client.post("/api/visits/events", json=fine)
    assert moved.status_code == 201 and moved.json()["plan_id"] == newer.json()["id"]
    rows = session.scalars(select(VisitEvent).order_by(VisitEvent.id)).all()
    assert [(r.visit_key, r.outcome) for r in rows] == [
        (gone, "conflict"),
        (gone, "conflict"),
        (kept, "applied"),
    ]
    login(Role.district_team)  # the coordinator sees the late action, to settle it
    page = client.get(f"/visits/plans/{newer.json()['id']}").text
    assert "재계획 뒤 도착 — 확인 필요" in page and gone in page
    assert "<td>최민준</td>" in page and "<td>doctor-01</td>" not in page  # names, not roster ids


def test_a_professional_can_never_read_another_professionals_route(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    login(Role.district_team)
    _ask(client, roster[0], "doctor")
    _ask(client, roster[1])
    plan = _plan(client)
    login(Role.visiting_professional, organization_id="doctor-01")
    body = client.get(f"/api/visits/plans/{plan['id']}").json()
    assert {r["professional"] for r in body["schedule"]["routes"]} == {"doctor-01"}
    assert (
        client.get(f"/api/visits/plans/{plan['id']}/ical?professional=nurse-01").status_code == 403
    )
    assert client.get(f"/visits/plans/{plan['id']}/nurse-01.ics").status_code == 403
    assert client.get("/visits?visits=10").status_code == 403
    assert client.get("/visits/demo/1/schedule.json?visits=10").status_code == 403
    assert client.get("/visits/demo/1/nurse-01.ics?visits=10").status_code == 403
    page = client.get(f"/visits/plans/{plan['id']}").text
    assert "nurse-01" not in page
    assert client.get("/api/visits/requests?date=2026-12-08").status_code == 403


def test_the_day_page_and_service_worker_are_served_for_offline_use(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    login(Role.visiting_professional, organization_id="doctor-01")
    page = client.get("/visits/today")
    assert page.status_code == 200 and "배정된 방문이 없습니다" in page.text
    worker = client.get("/visits/sw.js")
    assert worker.headers["service-worker-allowed"] == "/visits/"
    assert "/visits/today" in worker.text
    assert "idempotency" in client.get("/static/visits/today.js").text


def test_demand_marks_every_gathered_address_synthetic(session: Session, roster: list[str]) -> None:
    assert demand.synthetic_address("H000001", "청룡동").endswith("(합성 주소)")


def test_the_day_plan_page_lists_requests_finds_residents_and_names_a_bad_field(
    client: TestClient, login: Any, roster: list[str], session: Session
) -> None:
    login(Role.district_team)
    _ask(client, roster[0])
    person = session.get(Person, roster[0])
    assert person is not None
    page = client.get(f"/visits/day-plan?date={DAY}&name={person.name}")
    assert page.status_code == 200
    assert "방문 요청 1건" in page.text
    assert person.id in page.text and "최민준" in page.text
    bad = client.post(
        "/visits/day-plan/requests",
        data={
            "date": DAY.isoformat(),
            "person_id": roster[1],
            "profession": "nurse",
            "window_start": "15:00",
            "window_end": "10:00",
        },
    )
    assert bad.status_code == 422 and "window_end" in bad.text and "보다 빠릅니다" in bad.text
    planned = client.post(
        "/visits/day-plan",
        data={
            "date": DAY.isoformat(),
            "on-nurse-01": "1",
            "start-nurse-01": "09:00",
            "end-nurse-01": "18:00",
            "time_limit": "1",
        },
        follow_redirects=False,
    )
    assert planned.status_code == 303


def test_an_action_recorded_before_a_replan_still_shows_on_the_new_revisions_day(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    login(Role.district_team)
    _ask(client, roster[0], "doctor")
    _ask(client, roster[1], "doctor")
    plan = _plan(client)
    first, _ = _doctor_visits(plan)
    login(Role.visiting_professional, organization_id="doctor-01")
    event = {"key": "before-replan-1", "plan_id": plan["id"], "visit": first, "kind": "arrived"}
    assert client.post("/api/visits/events", json=event).status_code == 201
    assert client.get(f"/api/visits/today?date={DAY}").json()["plan_id"] == plan["id"]
    login(Role.district_team)
    replan = {"version": plan["version"], "now": "08:00", "time_limit": 1}
    newer = client.post(f"/api/visits/plans/{plan['id']}/replan", json=replan)
    assert newer.status_code == 201, newer.text
    login(Role.visiting_professional, organization_id="doctor-01")
    day = client.get(f"/api/visits/today?date={DAY}").json()
    assert day["plan_id"] == newer.json()["id"] and day["revision"] == 2
    stop = next(s for s in day["stops"] if s["visit"] == first)
    assert stop["state"] == "arrived"


def test_opening_the_day_page_costs_a_few_statements_and_writes_one_audit_row_each_time(
    client: TestClient, login: Any, roster: list[str], session: Session
) -> None:
    """The page must stay cheap under 50 professionals at once (issue 13): its statements are
    counted, and every opening is still on record."""
    login(Role.district_team)
    for person in roster[:3]:
        _ask(client, person, "doctor")
    plan = _plan(client)
    login(Role.visiting_professional, organization_id="doctor-01")
    assert client.get(f"/visits/today?date={DAY}").status_code == 200  # the plan parsed once
    statements: list[str] = []
    connection = session.connection()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    before = session.scalar(select(func.count()).select_from(AuditEvent))
    event.listen(connection, "before_cursor_execute", count)
    try:
        for _ in range(3):
            page = client.get(f"/visits/today?date={DAY}")
            assert page.status_code == 200 and "도착" in page.text
    finally:
        event.remove(connection, "before_cursor_execute", count)
    reads = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "read_day").order_by(AuditEvent.id.desc())
    ).all()[:3]
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before + 3
    assert [r.resource_id for r in reads] == [str(plan["id"])] * 3
    own = [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
    # per opening: the session and its account (one query), the plan, the professional's
    # events (the revision chain's ancestors are read once per process), and the audit row
    # chained on (lock, newest hash, insert)
    assert len(own) <= 3 * 6, own
    assert not any("FROM users" in s and "user_sessions" not in s for s in own), own
