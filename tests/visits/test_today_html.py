"""The day page's stop list is rendered once per (revision, professional, actions) and reused:
never stale after an action or a re-plan, never another professional's, fresh form keys and the
viewer's own CSRF token on every opening."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from gibon.accounts.models import Role
from tests import factories
from tests.visits.test_day import DAY, _ask, _doctor_visits, _plan, roster

__all__ = ["roster"]  # the fixture, shared with test_day

KEYS = re.compile(r'name="key" value="([^"]*)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
VISITS = re.compile(r'<li class="stop ([a-z]*)" id="stop-([^"]+)"')


def _open(client: TestClient) -> str:
    page = client.get(f"/visits/today?date={DAY}")
    assert page.status_code == 200
    return page.text


def _two_doctor_visits_and_a_nurses(client: TestClient, login: Any, people: list[str]) -> Any:
    login(Role.district_team)
    _ask(client, people[0], "doctor")
    _ask(client, people[1], "doctor")
    _ask(client, people[2])
    return _plan(client)


def test_every_opening_has_fresh_form_keys_and_otherwise_the_same_stops(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    _two_doctor_visits_and_a_nurses(client, login, roster)
    login(Role.visiting_professional, organization_id="doctor-01")
    first, second = _open(client), _open(client)
    keys = KEYS.findall(first) + KEYS.findall(second)
    assert len(keys) == 4 and len(set(keys)) == 4  # a reused key would turn an action into a no-op
    assert KEYS.sub("", first) == KEYS.sub("", second)


def test_an_action_shows_at_the_next_opening(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    plan = _two_doctor_visits_and_a_nurses(client, login, roster)
    first, second = _doctor_visits(plan)
    login(Role.visiting_professional, organization_id="doctor-01")
    assert VISITS.findall(_open(client)) == [("", first), ("", second)]
    event = {"key": "cache-done-1", "plan_id": plan["id"], "visit": first, "kind": "completed"}
    assert client.post("/api/visits/events", json=event).status_code == 201
    page = _open(client)
    assert VISITS.findall(page) == [("completed", first), ("", second)]
    assert "완료" in page.split(f'id="stop-{first}"')[1].split("</li>")[0]


def test_a_replan_shows_at_the_next_opening(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    plan = _two_doctor_visits_and_a_nurses(client, login, roster)
    gone, kept = _doctor_visits(plan)
    login(Role.visiting_professional, organization_id="doctor-01")
    assert f'id="stop-{gone}"' in _open(client)
    login(Role.district_team)
    replan = {"version": plan["version"], "now": "08:00", "cancel": [gone], "time_limit": 1}
    newer = client.post(f"/api/visits/plans/{plan['id']}/replan", json=replan)
    assert newer.status_code == 201, newer.text
    login(Role.visiting_professional, organization_id="doctor-01")
    page = _open(client)
    assert VISITS.findall(page) == [("", kept)] and "계획 2차" in page
    assert f'name="plan_id" value="{newer.json()["id"]}"' in page


def test_a_professional_is_never_served_anothers_stops(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    plan = _two_doctor_visits_and_a_nurses(client, login, roster)
    doctors = _doctor_visits(plan)
    login(Role.visiting_professional, organization_id="doctor-01")
    assert [v for _, v in VISITS.findall(_open(client))] == doctors
    login(Role.visiting_professional, organization_id="nurse-01")
    nurses = [v for _, v in VISITS.findall(_open(client))]
    login(Role.visiting_professional, organization_id="nurse-02")
    nurses += [v for _, v in VISITS.findall(_open(client))]
    assert len(nurses) == 1 and not set(nurses) & set(doctors)
    login(Role.visiting_professional, organization_id="doctor-01")
    assert [v for _, v in VISITS.findall(_open(client))] == doctors


def test_each_session_gets_its_own_csrf_token_on_the_same_stops(
    client: TestClient, login: Any, roster: list[str]
) -> None:
    _two_doctor_visits_and_a_nurses(client, login, roster)
    doctor = login(Role.visiting_professional, organization_id="doctor-01")
    tablet = TestClient(client.app)  # the same professional on a second device
    factories.sign_in(tablet, doctor.username)
    phone_page, tablet_page = _open(client), _open(tablet)
    phone, other = set(CSRF.findall(phone_page)), set(CSRF.findall(tablet_page))
    assert len(phone) == 1 and len(other) == 1 and phone != other
    assert phone == set(CSRF.findall(_open(client)))  # the session's token, not a new one
    same = [CSRF.sub("", KEYS.sub("", p)) for p in (phone_page, tablet_page)]
    assert same[0] == same[1]
