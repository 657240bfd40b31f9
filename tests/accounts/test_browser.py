"""An administrator creates an account at 390 px; the new person must change the password first."""

from __future__ import annotations

import uuid

import pytest

from tests.browser import LiveServer, shot, sign_in

pytestmark = pytest.mark.browser
NEW_PASSWORD = "관악산-봄날-산책길-2026"


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


@pytest.mark.parametrize("width", [390, 1400])
def test_an_admin_creates_an_account_and_its_first_sign_in_changes_the_password(
    browser,
    live_server: LiveServer,
    width: int,  # type: ignore[no-untyped-def]
) -> None:
    admin = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = admin.new_page()
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/admin/accounts")
    assert page.locator("h1").inner_text() == "계정 관리"
    assert _fits(page)
    page.screenshot(path=shot(f"admin-accounts-{width}.png"), full_page=True)

    username = f"lee-{uuid.uuid4().hex[:6]}"
    page.fill("input[name=username]", username)
    page.fill("input[name=display_name]", "신림동 주민센터 이서윤")
    page.select_option("select[name=role]", "dong_officer")
    page.select_option("select[name=dong]", "신림동")
    page.click("text=계정 만들기")
    temporary = page.locator("#temporary").inner_text().strip()
    assert _fits(page)
    page.screenshot(path=shot(f"admin-issued-{width}.png"), full_page=True)
    admin.close()

    staff = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = staff.new_page()
    page.goto(f"{live_server.url}/login?next=/care")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", temporary)
    page.click("button[type=submit]")
    page.wait_for_url("**/account/password**")
    assert _fits(page)
    page.screenshot(path=shot(f"password-{width}.png"), full_page=True)
    page.fill("input[name=current_password]", temporary)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.click("text=바꾸기")
    page.wait_for_url("**/care")
    assert "통합돌봄" in page.content()
    staff.close()
