"""The resident's window in Chromium at 390 px: no sideways scrolling, screenshots for docs/."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gibon import db, demo
from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.residents.models import Person
from gibon.window import demo as window_demo
from tests.browser import LiveServer, shot
from tests.window import helpers


def _staff_read(server: LiveServer, username: str) -> None:
    """An officer's read of the resident's record and a refused one, as the audit chain holds them."""
    with db.transaction(db.engine_for(server.settings.database_url)) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        person = session.get(Person, user.person_id)
        assert person is not None
        for action, resource, rid, purpose in (
            ("read", "person", person.id, "통합돌봄 사전 확인"),
            ("denied", "household", person.household_id, "사례 조회"),
        ):
            audit.record_on_commit(
                session,
                actor="sillim",
                role="dong_officer",
                action=action,
                resource=resource,
                resource_id=rid,
                purpose=purpose,
            )


@pytest.mark.browser
def test_a_resident_reads_my_page_and_records_at_390_px(live_server: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    with db.transaction(db.engine_for(live_server.settings.database_url)) as session:
        shown = window_demo.accounts_shown(session)
    assert shown, "the demo load made resident accounts"
    username = shown[0][0]
    _staff_read(live_server, username)
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/my")
    assert page.url.endswith("/my/login")
    page.fill("input[name=login]", username)
    page.fill("input[name=secret]", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/my")
    assert page.locator("article.benefit").count() >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=shot("residents-my-390.png"), full_page=True)
    page.goto(f"{live_server.url}/my/records")
    _, rows = helpers.records_rows(live_server.settings.database_url, username)
    assert page.locator("ol.looks > li").count() == len(rows) >= 2
    assert "신림동 주민센터" in page.inner_text("ol.looks")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=shot("residents-records-390.png"), full_page=True)
    context.close()
