"""The pharmacist in real Chromium: visit list, a visit's findings, recording a decision."""

from __future__ import annotations

import pytest

from tests.browser import LiveServer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_pharmacist_opens_the_top_visit_and_records_a_decision(
    page, live_server: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "pharmacist")
    page.goto(live_server.url + "/pharm")
    first = page.locator("#visits tbody tr a").first
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("방문약료")
    row = page.locator("#findings tbody tr").first
    row.locator("select[name=decision]").select_option("prescriber_contacted")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "처방의 연락" in page.locator("#findings tbody tr").first.inner_text()


def test_dismissing_without_a_reason_shows_the_error_on_the_page(
    page, live_server: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "pharmacist")
    page.goto(live_server.url + "/pharm")
    page.locator("#visits tbody tr a").nth(1).click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#findings tbody tr").first
    row.locator("select[name=decision]").select_option("dismissed")
    row.locator("input[name=reason]").fill("")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "reason" in page.locator("[role=alert]").inner_text()
