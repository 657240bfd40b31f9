"""The day in real Chromium, at 1400 px and at 390 px: a coordinator plans tomorrow from the
system's own requests; a doctor works today's stops (arrive, complete, miss with a reason,
offline then online). Screenshots go to docs/screenshots/."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gibon import db
from gibon.care import deadlines
from gibon.residents.models import Household, Person
from gibon.visits import geo
from gibon.visits.engine.problem import Point
from gibon.visits.models import VisitEvent
from tests.browser import LiveServer, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WIDTHS = {"desktop": 1400, "phone": 390}


@pytest.fixture(params=list(WIDTHS))
def sized(browser, request):  # type: ignore[no-untyped-def]
    width = WIDTHS[request.param]
    context = browser.new_context(
        locale="ko-KR", viewport={"width": width, "height": 900}, timezone_id="Asia/Seoul"
    )
    page = context.new_page()
    yield request.param, page
    context.close()


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _placed(server: LiveServer, n: int) -> list[str]:
    engine = db.engine_for(server.settings.database_url)
    with db.transaction(engine) as session:
        rows = session.execute(select(Person, Household).join(Household).limit(600)).all()
        homes = {h.id: p.id for p, h in rows if geo.dong_of(Point(h.lat, h.lon)) == p.dong}
    return list(homes.values())[:n]


def test_a_coordinator_plans_tomorrow_from_the_systems_own_requests(
    sized: Any, live_server: LiveServer
) -> None:
    name, page = sized
    sign_in(page, live_server, "district")
    page.goto(live_server.url + "/visits/day-plan")
    tomorrow = deadlines.today() + timedelta(days=1)
    assert f"{tomorrow.month}월 {tomorrow.day}일" in page.locator("h1").inner_text()
    assert "이 날짜의 방문 요청" in page.locator("#requests h2").inner_text()
    _no_sideways_scroll(page)
    page.screenshot(path=shot(f"visits-day-plan-{name}.png"), full_page=False)
    page.locator("#plan-form input[type=checkbox]").nth(1).uncheck()  # one nurse is off
    page.fill("#plan-form input[name=time_limit]", "2")
    page.locator("#plan-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/visits/plans/" in page.url
    assert f"{tomorrow.month}월 {tomorrow.day}일" in page.locator("h1").inner_text()
    assert page.locator("#checker").inner_text() == "검증 통과"
    _no_sideways_scroll(page)
    page.screenshot(path=shot(f"visits-day-plan-result-{name}.png"), full_page=False)


def _plan_today_for_the_doctor(page: Any, server: LiveServer) -> None:
    sign_in(page, server, "district")
    page.goto(
        server.url + "/visits/day-plan"
    )  # the session's CSRF token, as a page script sends it
    token = {"X-CSRF-Token": page.locator('input[name="csrf_token"]').first.get_attribute("value")}
    today = deadlines.today().isoformat()
    for person in _placed(server, 3):
        body = {"date": today, "person_id": person, "needs": [{"profession": "doctor"}]}
        posted = page.request.post(server.url + "/api/visits/requests", data=body, headers=token)
        assert posted.status == 201
    made = page.request.post(
        server.url + "/api/visits/days", data={"date": today, "time_limit": 2}, headers=token
    )
    assert made.status == 201, made.text()
    page.goto(server.url + "/login")
    page.context.clear_cookies()


def test_a_doctor_works_the_day_on_a_phone_offline_then_online(
    sized: Any, live_server: LiveServer
) -> None:
    name, page = sized
    _plan_today_for_the_doctor(page, live_server)
    sign_in(page, live_server, "doctor")
    page.goto(live_server.url + "/visits/today")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the day is cached
    stops = page.locator("li.stop")
    assert stops.count() >= 3
    assert "geo:" in (stops.first.locator("a.geo").get_attribute("href") or "")
    _no_sideways_scroll(page)
    page.screenshot(path=shot(f"visits-today-{name}.png"), full_page=False)
    first, second, third = stops.nth(0), stops.nth(1), stops.nth(2)
    first.locator("button[value=arrived]").click()
    page.wait_for_selector("#net-sent:not([hidden])")
    first.locator("textarea[name=note]").fill("혈압 130/80, 다음 주 상처 재확인")
    first.locator("button[value=completed]").click()
    page.locator("li.stop").first.and_(page.locator("li.stop.completed")).wait_for()  # CSP: no eval
    second.locator("select[name=reason]").select_option("부재 (연락 안 됨)")
    second.locator("button[value=missed]").click()
    page.locator("li.stop").nth(1).and_(page.locator("li.stop.missed")).wait_for()
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    page.reload()  # from the service worker's cache
    assert page.locator("li.stop").count() >= 3
    page.locator("li.stop").nth(2).locator("button[value=arrived]").click()
    page.wait_for_selector("#net-offline:not([hidden])")
    assert page.locator("#queued").inner_text() == "1"
    page.reload()  # again from the cache: its forms carry the keys they were cached with
    third = page.locator("li.stop").nth(2)
    third.locator("textarea[name=note]").fill("보호자와 통화, 약 정리함 전달")
    third.locator("button[value=completed]").click()
    expect(page.locator("#queued")).to_have_text("2")
    queued = page.evaluate("localStorage.getItem('gibon-visit-actions')")
    assert len({a["key"] for a in json.loads(queued)}) == 2  # each action its own key
    page.screenshot(path=shot(f"visits-today-offline-{name}.png"), full_page=False)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queued")).to_have_text("0")
    day = page.request.get(live_server.url + "/api/visits/today").json()
    states = [s["state"] for s in day["stops"][:3]]
    assert states == ["completed", "missed", "completed"]
    # the answers were lost (say): the phone sends the same two actions again
    page.evaluate("q => localStorage.setItem('gibon-visit-actions', q)", queued)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queued")).to_have_text("0")
    kinds = _events(live_server, day["plan_id"])
    assert sorted(kinds.values()) == [1] * 5, kinds  # none applied twice
    page.reload()
    page.wait_for_load_state("networkidle")
    _no_sideways_scroll(page)
    page.screenshot(path=shot(f"visits-today-worked-{name}.png"), full_page=False)


def _events(server: LiveServer, plan_id: int) -> Counter[tuple[str, str]]:
    """How many times each (visit, action) was recorded on the plan."""
    engine = db.engine_for(server.settings.database_url)
    with db.transaction(engine) as session:
        q = select(VisitEvent.visit_key, VisitEvent.kind).where(VisitEvent.plan_id == plan_id)
        rows = session.execute(q).all()
    return Counter((visit, kind) for visit, kind in rows)


def test_an_offline_action_for_a_visit_replanned_meanwhile_shows_a_conflict_by_name(
    sized: Any, live_server: LiveServer
) -> None:
    """The doctor records an arrival offline; meanwhile the coordinator re-plans that visit
    away. Back online, the phone says so, naming the resident, and the action is kept."""
    name, page = sized
    _plan_today_for_the_doctor(page, live_server)
    sign_in(page, live_server, "doctor")
    page.goto(live_server.url + "/visits/today")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_load_state("networkidle")
    day = page.request.get(live_server.url + "/api/visits/today").json()
    gone = day["stops"][0]
    page.context.set_offline(True)
    page.locator("li.stop").first.locator("button[value=arrived]").click()
    page.wait_for_selector("#net-offline:not([hidden])")
    coordinator = page.context.browser.new_context(locale="ko-KR")
    try:
        office = coordinator.new_page()
        sign_in(office, live_server, "district")
        office.goto(live_server.url + "/visits/day-plan")
        token = office.locator('input[name="csrf_token"]').first.get_attribute("value")
        plan = office.request.get(f"{live_server.url}/api/visits/plans/{day['plan_id']}").json()
        replan = {"version": plan["version"], "now": "08:00", "cancel": [gone["visit"]]}
        moved = office.request.post(
            f"{live_server.url}/api/visits/plans/{day['plan_id']}/replan",
            data={**replan, "time_limit": 1},
            headers={"X-CSRF-Token": token or ""},
        )
        assert moved.status == 201, moved.text()
    finally:
        coordinator.close()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    alert = page.locator("#net-conflict")
    expect(alert).to_be_visible()
    text = alert.inner_text()
    assert f"{gone['name']} 님" in text and "다시 계획" in text and "보관" in text
    assert gone["visit"] not in text  # the resident, not the plan's visit key
    expect(page.locator("#queued")).to_have_text("0")
    kept = _events(live_server, day["plan_id"])
    assert kept[(gone["visit"], "arrived")] == 1  # kept for the coordinator to settle
    _no_sideways_scroll(page)
    page.screenshot(path=shot(f"visits-today-conflict-{name}.png"), full_page=False)
