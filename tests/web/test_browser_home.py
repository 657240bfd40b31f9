from __future__ import annotations

import pytest

from tests.browser import LiveServer, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_visitor_sees_the_district_map_and_can_reshade_it(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    assert page.locator("svg.dong-map path[data-dong]").count() == 21
    assert page.locator("#kpi-persons").inner_text() == "1,500명"
    page.select_option("select[name=figure]", "share_alone")
    page.wait_for_url("**figure=share_alone")
    assert "1인 가구 비율" in (page.locator("svg.dong-map > title").text_content() or "")


def test_an_officer_signs_in_and_sees_their_name_and_dong(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "sillim")
    header = page.locator("header .who").inner_text()
    assert "신림동" in header
    assert "동 주민센터 담당자" in header


def test_a_wrong_password_shows_the_error_on_the_form(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", "sillim")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "비밀번호가 맞지 않습니다" in page.locator("[role=alert]").inner_text()
