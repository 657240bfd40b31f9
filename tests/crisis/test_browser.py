"""Real Chromium: a dong officer works items on the worklist to an outcome, at 1400 and 390 px.

Set GIBON_SCREENSHOTS=1 to write the screenshots into docs/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gibon import db
from gibon.crisis import service, synthload
from tests.browser import LiveServer, shot, sign_in, start_live_server
from tests.crisis.conftest import DONG, heads, list_signal

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crisis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    for server in start_live_server(tmp_path_factory.mktemp("crisis-live")):
        end = service.today() - timedelta(days=1)
        with db.transaction(db.engine_for(server.settings.database_url)) as session:
            synthload.load(session, 6, 2, end, do_work=False)
            _list_run(session)
        yield server


def _list_run(session) -> None:  # type: ignore[no-untyped-def]
    """This month's 발굴 list for twelve 신림동 households (as a CSV import stores it)."""
    people = heads(session, DONG, n=12)
    day = service.today() - timedelta(days=3)
    for k, p in enumerate(people):
        second = ("health_premium_arrears", "telecom_arrears", "management_fee_arrears")[k % 3]
        for ind in ("power_cut", second):
            list_signal(session, p, ind, day, f"b-{p.id}-{ind}")
    opened = datetime.now(UTC) - timedelta(days=12)  # listed twelve days ago
    ids = [p.household_id for p in people]
    service.score_households(session, "test", day, household_ids=ids, now=opened)


def _shot(page, name: str, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=shot(f"{name}.png"), full_page=True)


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _open_first(page, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/crisis")
    page.locator("ol.worklist li.card h2 a").first.click()
    page.wait_for_load_state("networkidle")


def _contact(page, method: str, outcome: str, at: str = "") -> None:  # type: ignore[no-untyped-def]
    form = page.locator("form[action$='/contacts']")
    form.locator("select[name=method]").select_option(method)
    form.locator("select[name=outcome]").select_option(outcome)
    if at:
        form.locator("input[name=at]").fill(at)
    form.locator("button").click()
    page.wait_for_load_state("networkidle")


def _press(page, action: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"form:has(input[name=action][value={action}]) button").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1400, 390])
def test_a_dong_officer_works_five_items_to_an_outcome(  # type: ignore[no-untyped-def]
    browser, crisis_server: LiveServer, width: int, tmp_path: Path
) -> None:
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, crisis_server, "sillim")
    page.goto(f"{crisis_server.url}/crisis")
    assert "위기가구 발굴 — 신림동" in page.inner_text("h1")
    _no_sideways_scroll(page)
    _shot(page, f"crisis-worklist-{width}", tmp_path)
    # 1. reached, no need
    _open_first(page, crisis_server)
    _no_sideways_scroll(page)
    _shot(page, f"crisis-item-{width}", tmp_path)
    _contact(page, "phone", "reached")
    assert "연락 시도 1회" in page.inner_text("body")
    page.locator("select[name=reason]").select_option("no_need")
    _press(page, "not_needed")
    assert "비대상" in page.inner_text("h1")
    # 2. reached; the isolation screen and a local referral at the visit; linked to care
    _open_first(page, crisis_server)
    _contact(page, "visit", "reached")
    screen = page.locator("form[action$='/loneliness']")
    for q, answer in (("q1", "3"), ("q2", "2"), ("q3", "2")):
        screen.locator(f"input[name={q}][value='{answer}']").check()
    screen.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "7점" in page.inner_text("#loneliness")
    refer = page.locator("form[action$='/referrals']")
    refer.locator("select[name=program]").select_option("single_centre")
    refer.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert f"관악형 작은 1인가구지원센터 ({DONG})" in page.inner_text("#referrals")
    _no_sideways_scroll(page)
    _shot(page, f"crisis-item-screened-{width}", tmp_path)
    page.check("input[name=consent]")
    _press(page, "link")
    assert "지원 연계" in page.inner_text("h1")
    assert "통합돌봄 사례" in page.inner_text("body")
    # 3. unreachable: refused at first, then after three attempts including a visit
    _open_first(page, crisis_server)
    _press(page, "unreachable")
    assert "소재 불명은 3회 이상 시도" in page.inner_text("[role=alert]")
    today = service.today()
    for days, method in ((10, "phone"), (6, "phone"), (1, "visit")):
        _contact(page, method, "no_answer", f"{(today - timedelta(days=days)).isoformat()}T10:00")
    _press(page, "unreachable")
    assert "소재 불명" in page.inner_text("h1")
    # 4. recheck in a month
    _open_first(page, crisis_server)
    page.fill("input[name=recheck_on]", (today + timedelta(days=30)).isoformat())
    _press(page, "recheck")
    assert "재확인 예정" in page.inner_text("h1")
    # 5. reached; a benefit application opened prefilled, then granted: the item closes with it
    _open_first(page, crisis_server)
    _contact(page, "phone", "reached")
    page.check("input[name=target][value=benefit]")
    page.locator("form:has(input[name=action][value=link]) select[name=program]").select_option(
        "housing_benefit"
    )
    _press(page, "link")
    assert "지원 연계" in page.inner_text("h1")
    page.locator("a[href^='/crisis/applications/']").click()
    page.wait_for_load_state("networkidle")
    assert "주거급여" in page.inner_text("h1")
    _no_sideways_scroll(page)
    _shot(page, f"crisis-application-{width}", tmp_path)
    page.locator("select[name=decision]").select_option("granted")
    page.locator("form[action$='/decision'] button").click()
    page.wait_for_load_state("networkidle")
    assert "지급 결정" in page.inner_text("h1")
    page.locator("a[href^='/crisis/items/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "연계 사례 종결" in page.inner_text("h1")
    # monitoring with consent: the least intrusive method first, then withdrawn at once
    page.locator("a[href^='/crisis/monitoring/']").click()
    page.wait_for_load_state("networkidle")
    first = page.locator("ol.stack > li").first
    assert "안부 문자" in first.inner_text()
    first.locator("input[name=consent]").check()
    first.locator("input[name=consent_by]").fill("본인")
    first.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "이용 중 (동의)" in page.locator("ol.stack > li").first.inner_text()
    _no_sideways_scroll(page)
    _shot(page, f"crisis-monitoring-{width}", tmp_path)
    page.locator("ol.stack > li").first.locator("form[action*='/withdraw/'] button").click()
    page.wait_for_load_state("networkidle")
    assert "동의 철회로 중단" in page.locator("ol.stack > li").first.inner_text()
    for path, name in (
        ("/crisis/dashboard", "dashboard"),
        ("/crisis/whatif?threshold=60", "whatif"),
    ):
        page.goto(f"{crisis_server.url}{path}")
        assert page.locator("svg").count() >= 1
        _no_sideways_scroll(page)
        _shot(page, f"crisis-{name}-{width}", tmp_path)
    page.goto(f"{crisis_server.url}/crisis/quality")
    assert "신호별 발굴 품질" in page.inner_text("h1")
    _no_sideways_scroll(page)
    _shot(page, f"crisis-quality-{width}", tmp_path)
    context.close()
