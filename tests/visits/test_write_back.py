"""The plan's visits written back to the cases: a visit missed marks the care follow-up 미방문 with
its reason (still open, gathered again the next day), a visit made closes it, both on the case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.care import deadlines
from gibon.care.models import Case, CaseEvent, FollowUp
from gibon.residents.models import Person
from gibon.visits import demand
from gibon.visits.models import Staff
from tests.visits.test_day import _placed_people, _staff

DAY = deadlines.today() + timedelta(days=1)


@pytest.fixture
def followup(session: Session) -> FollowUp:
    """A 방문 점검 due tomorrow on an in-service case, assigned to the visiting doctor."""
    session.add(_staff("doctor-01", "doctor", "최민준"))
    person = session.get(Person, _placed_people(session, 1)[0])
    assert person is not None
    case = Case(
        person_id=person.id,
        dong=person.dong,
        channel="visit",
        applicant_name=person.name,
        applicant_relation="본인",
        status="in_service",
        opened_on=date.today() - timedelta(days=30),
    )
    session.add(case)
    session.flush()
    row = FollowUp(case_id=case.id, kind="visit", due_on=DAY, assignee_org="doctor-01")
    session.add(row)
    session.commit()
    return row


def _plan(client: TestClient, day: date) -> dict[str, Any]:
    body = {"date": day.isoformat(), "time_limit": 1}
    response = client.post("/api/visits/days", json=body)
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


def _act(client: TestClient, plan: dict[str, Any], key: str, kind: str, **extra: str) -> None:
    (route,) = plan["schedule"]["routes"]
    (stop,) = route["stops"]
    event = {"key": key, "plan_id": plan["id"], "visit": stop["visit"], "kind": kind, **extra}
    response = client.post("/api/visits/events", json=event)
    assert response.status_code == 201, response.text


def test_a_missed_visit_marks_the_follow_up_missed_with_its_reason_on_the_case(
    client: TestClient, login: Any, followup: FollowUp, session: Session
) -> None:
    login(Role.district_team)
    plan = _plan(client, DAY)
    assert [v["source"]["kind"] for v in plan["requests"]["visits"]] == ["followup"]
    login(Role.visiting_professional, organization_id="doctor-01")
    _act(client, plan, "miss-0001", "missed", reason="부재 (연락 안 됨)")
    session.expire_all()
    row = session.get(FollowUp, followup.id)
    assert row is not None and row.status == "missed" and row.done_on is None
    assert "미방문 (사유: 부재 (연락 안 됨))" in row.notes
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == row.case_id)).all()
    assert any("미방문: 부재" in e.detail for e in events)
    login(Role.district_team)
    page = client.get(f"/care/cases/{row.case_id}").text
    assert "미방문" in page and "사유: 부재 (연락 안 됨)" in page and "missed" not in page
    listing = client.get("/care/followups").text  # still to do: on the default list
    assert f'id="followup-{row.id}"' in listing and "미방문" in listing
    staff = {s.id: s for s in session.scalars(select(Staff))}
    again = demand.asks(session, DAY + timedelta(days=1), staff)
    assert [(a.kind, a.source_id, a.priority) for a in again] == [("followup", row.id, 1)]
    assert "미방문 (사유: 부재 (연락 안 됨))" in again[0].extra["missed_note"]  # shown at the stop


def test_a_visit_made_after_a_miss_closes_the_follow_up_and_keeps_the_miss(
    client: TestClient, login: Any, followup: FollowUp, session: Session
) -> None:
    login(Role.district_team)
    plan = _plan(client, DAY)
    login(Role.visiting_professional, organization_id="doctor-01")
    _act(client, plan, "miss-0002", "missed", reason="입원 중")
    _act(client, plan, "done-0002", "completed", note="혈압 안정, 낙상 위험 설명")
    session.expire_all()
    row = session.get(FollowUp, followup.id)
    assert row is not None and row.status == "done" and row.done_on == deadlines.today()
    assert row.notes.splitlines()[0].endswith("미방문 (사유: 입원 중)")
    assert row.notes.splitlines()[1] == "혈압 안정, 낙상 위험 설명"
    staff = {s.id: s for s in session.scalars(select(Staff))}
    assert demand.asks(session, DAY + timedelta(days=1), staff) == []


def test_a_closed_follow_up_is_not_marked_missed(
    client: TestClient, login: Any, followup: FollowUp, session: Session
) -> None:
    login(Role.district_team)
    plan = _plan(client, DAY)
    login(Role.visiting_professional, organization_id="doctor-01")
    _act(client, plan, "done-0003", "completed")
    _act(
        client, plan, "miss-0003", "missed", reason="부재"
    )  # the event is kept, the 점검 stays done
    session.expire_all()
    row = session.get(FollowUp, followup.id)
    assert row is not None and row.status == "done" and row.notes == "의료드림 방문 완료"
