"""The calculator page in a real Chromium: an officer enters a household and reads the reasons."""

from __future__ import annotations

import pytest

from tests.browser import LiveServer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_officer_enters_a_young_renter_and_sees_the_livelihood_reason(
    page, live_server: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "sillim")
    page.goto(live_server.url + "/benefits")
    page.select_option("select[name=tenure]", "monthly_rent")
    page.fill("input[name=deposit]", "10000000")
    page.fill("input[name=monthly_rent]", "400000")
    page.fill("input[name=m0_birth_date]", "1999-01-10")
    page.fill("input[name=m0_earned_income]", "1500000")
    page.click("#household-form button[type=submit]")
    row = page.locator("tr[data-program=livelihood] td")
    assert row.nth(2).inner_text() == "190,556원"
    details = page.locator("#explain-livelihood")
    assert "소득평가액" in details.inner_text() and "국민기초생활보장법" in details.inner_text()
    assert page.locator("tr[data-program=housing_benefit] td").nth(2).inner_text() == "369,000원"


def test_a_typo_in_an_amount_is_shown_next_to_the_form(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/benefits")
    page.fill("input[name=m0_birth_date]", "1999-01-10")
    page.fill("input[name=m0_earned_income]", "150만")
    page.click("#household-form button[type=submit]")
    assert "구성원 1의 근로소득" in page.locator("[role=alert]").inner_text()
    assert page.locator("input[name=m0_earned_income]").input_value() == "150만"
