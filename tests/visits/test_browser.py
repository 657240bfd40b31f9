"""의료드림 stored plans in real Chromium: a coordinator re-plans the day, the doctor sees their own."""

from __future__ import annotations

import pytest

from tests.browser import LiveServer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_coordinator_replans_the_demo_day_and_the_old_revision_stays(
    page, live_server: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "district")
    page.goto(live_server.url + "/visits/plans")
    page.locator("#plans tbody tr a", has_text="예시 하루").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#checker").inner_text() == "검증 통과"
    first_url = page.url
    page.fill("#replan input[name=now]", "13:00")
    page.fill("#replan input[name=cancel]", "V0001")
    page.fill("#replan input[name=time_limit]", "1")
    page.locator("#replan button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url != first_url
    assert "2판" in page.locator("h1").inner_text()
    assert "취소 V0001" in page.locator("#revisions").inner_text()
    page.goto(first_url)
    assert "이전 판" in page.locator("h1").inner_text()
    assert page.locator("#replan").count() == 0  # a superseded revision cannot be re-planned


def test_the_demo_doctor_sees_only_their_own_route(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "doctor")
    page.goto(live_server.url + "/visits/plans")
    page.locator("#plans tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("tr[data-professional]")
    assert rows.count() == 1 and rows.first.get_attribute("data-professional") == "doctor-01"
    assert page.locator("#replan").count() == 0
