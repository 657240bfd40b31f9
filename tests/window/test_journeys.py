"""Three journeys in Chromium at 390 px, with screenshots for docs/: an elder checks what they
can get, applies for 통합돌봄, withdraws one consent and reads who looked at their file (the list
checked against the audit rows); a young tenant finds 청년월세; a guardian acts for a parent."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from gibon import db, demo
from gibon.care.models import Consent
from gibon.window import plain
from tests.browser import LiveServer, shot
from tests.window import helpers
from tests.window.test_browser import _staff_read


def _open(browser: Any, server: LiveServer, username: str) -> Any:
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server.url}/my/login")
    page.fill("input[name=login]", username)
    page.fill("input[name=secret]", demo.DEMO_PASSWORD)
    page.click("form[action='/my/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/my"), page.url
    return page


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _shot(page: Any, name: str) -> None:
    _fits(page)
    page.screenshot(path=shot(f"residents-journey-{name}-390.png"), full_page=True)


@pytest.mark.browser
def test_an_elder_checks_applies_withdraws_one_consent_and_reads_who_looked(
    live_server: LiveServer, browser: Any
) -> None:
    _staff_read(live_server, "elder")  # an officer's read and a refused one, during the test
    page = _open(browser, live_server, "elder")
    assert page.locator("article.benefit").count() >= 10
    _shot(page, "elder-1-entitlements")
    page.check("input[name=agree]")
    page.check("input[name=share]")
    page.click("text=돌봄 신청하기")
    page.wait_for_load_state("networkidle")
    assert "돌봄 신청을 받았어요" in page.inner_text("main")
    assert "신청 접수" in page.inner_text("#apply")
    page.click("#apply summary")
    _shot(page, "elder-2-applied")
    page.goto(f"{live_server.url}/my/consents")
    assert page.locator("article.consent").count() >= 2  # and any of an earlier, closed case
    before = page.locator("article.consent.withdrawn").count()
    page.locator(
        "article.consent:not(.withdrawn)", has_text="관계 기관 간 정보 공유"
    ).first.locator("summary").click()
    page.click("text=‘관계 기관 간 정보 공유’ 동의 철회")
    page.wait_for_load_state("networkidle")
    assert "동의를 철회했어요" in page.inner_text("main")
    assert page.locator("article.consent.withdrawn").count() == before + 1
    _shot(page, "elder-3-consent-withdrawn")
    page.goto(f"{live_server.url}/my/records")
    name, rows = helpers.records_rows(live_server.settings.database_url, "elder")
    items = page.locator("ol.looks > li")
    assert items.count() == len(rows) >= 2
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    for text, row in zip(texts, rows, strict=True):
        assert plain.purpose(row.purpose) in text
    assert any("신림동 주민센터" in t and "통합돌봄 사전 확인" in t for t in texts)
    assert any("막혔어요" in t for t in texts)
    _shot(page, "elder-4-records")
    with db.transaction(db.engine_for(live_server.settings.database_url)) as session:
        newest = session.scalars(
            select(Consent).order_by(Consent.id.desc()).limit(2)
        ).all()  # the two consents the elder gave in this journey
        assert {c.purpose: c.withdrawn_at is not None for c in newest} == {
            "sharing": True,
            "assessment": False,
        }
    del name
    page.context.close()


@pytest.mark.browser
def test_a_young_tenant_finds_the_youth_rent_support(live_server: LiveServer, browser: Any) -> None:
    page = _open(browser, live_server, "tenant")
    card = page.locator("article.benefit", has_text="청년월세").first
    assert card.count() == 1
    card.scroll_into_view_if_needed()
    headline = card.locator("p.headline").inner_text()
    assert any(h in headline for h in ("받을 수 있어요", "받을 수 없어요", "확인이 더 필요해요"))
    card.locator("summary").click()
    assert "법" in card.locator("details").inner_text()
    _shot(page, "tenant-youth-rent")
    page.context.close()


@pytest.mark.browser
def test_a_guardian_acts_for_a_parent(live_server: LiveServer, browser: Any) -> None:
    parent, _ = helpers.records_rows(live_server.settings.database_url, "elder")
    page = _open(browser, live_server, "guardian")
    own = page.inner_text("h1")
    assert parent not in own
    page.select_option("select[name=whom]", label=f"{parent} (관계: 자녀)")
    page.click("form[action='/my/acting'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1").startswith(parent)
    assert "대리인으로 보고 있어요" in page.inner_text("main")
    _shot(page, "guardian-acting")
    page.goto(f"{live_server.url}/my/records")
    assert "열람 기록" in page.title() or page.locator("h1").count() == 1
    _fits(page)
    page.context.close()
    _, rows = helpers.records_rows(live_server.settings.database_url, "elder")
    assert any(r.actor == "guardian" and (r.purpose or "").endswith("(대리인)") for r in rows)
