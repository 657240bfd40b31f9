"""Real Chromium (Playwright) through the whole path and through an edit conflict."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from gibon import db
from gibon.accounts import service as accounts
from gibon.accounts.models import Role
from gibon.app import create_app
from gibon.care import deadlines
from gibon.care.models import Provider
from gibon.config import Settings
from gibon.residents.models import Person
from tests import pdf_text
from tests.browser import launch_chromium, shot
from tests.care import conftest as care_conftest

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser-pass-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium missing: apt-get install -y chromium")
    tmp = tmp_path_factory.mktemp("browser")
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'gibon.db'}",
        secret_key_file=tmp / "secret.key",
        data_dir=tmp / "data",
    )
    db.upgrade(settings.database_url)
    engine = db.engine_for(settings.database_url)
    care_conftest._load_stand_in(engine, settings.secret_key_file, per_dong=3)
    with db.transaction(engine) as s:
        accounts.create_user(
            s,
            username="b-officer",
            password=PASSWORD,
            role=Role.dong_officer,
            display_name="신림동 담당",
            dong="신림동",
        )
        accounts.create_user(
            s,
            username="b-provider",
            password=PASSWORD,
            role=Role.provider,
            display_name="관악재가복지센터",
            organization_id="prov-001",
        )
        s.add(
            Provider(
                organization_id="prov-001",
                name="관악재가복지센터",
                service_types=["meals", "housework"],
                dongs=[],
                capacity=10,
            )
        )
        person = s.query(Person).filter(Person.dong == "신림동").order_by(Person.id).first()
        name = person.name if person else ""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "name": name}
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser(server):  # type: ignore[no-untyped-def]
    with playwright.sync_playwright() as p:
        b = launch_chromium(p, ["--no-sandbox", "--headless"])
        yield b
        b.close()


def _fits(page, where: str) -> None:  # type: ignore[no-untyped-def]
    """No horizontal scrolling: the page is no wider than the viewport (390 px on a phone)."""
    extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert extra <= 0, f"{where}: {extra}px wider than the viewport"


def _shot(page, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=shot(f"care-{name}-{width}.png"), full_page=True)


def _page(browser, server, username, width=1400):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server["base"] + "/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    _submit(page, 'button[type="submit"]')
    return page


def _submit(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click(selector)


def _open_case(page, server, ex_officio: bool = False) -> str:  # type: ignore[no-untyped-def]
    page.goto(server["base"] + "/care/cases/new")
    page.fill('input[name="q"]', server["name"])
    _submit(page, 'form[role="search"] button[type="submit"]')
    page.check("#apply input[data-person] >> nth=0")
    if ex_officio:
        page.select_option('#apply select[name="channel"]', "ex_officio")
        page.select_option('#apply select[name="ex_officio_ground"]', "discharged")
        page.fill('input[name="applicant_name"]', "이도윤")
        page.fill('input[name="applicant_relation"]', "동 주민센터 주무관")
        for box in page.query_selector_all('#apply input[name="consents"]'):
            box.uncheck()
    else:
        page.fill('input[name="applicant_name"]', "김가족")
        page.fill('input[name="applicant_relation"]', "딸")
    _submit(page, '#apply button[type="submit"]')
    return str(page.url.split("#")[0])


@pytest.mark.parametrize("width", [1400, 390])
def test_an_officer_takes_an_ex_officio_case_through_consent_judgement_plan_notice_and_review(
    browser, server, width
):
    today = str(deadlines.today())
    page = _page(browser, server, "b-officer", width)
    url = _open_case(page, server, ex_officio=True)
    page.check('#screen input[type=checkbox][name="items.bathing"]')
    _submit(page, "#screen button")
    assert "법 제10조제2항" in page.inner_text("#screen")  # 직권 too: no step before consent
    page.select_option('#consents select[name="purpose"]', "assessment")
    page.fill('#consents input[name="given_by"]', "본인")
    _submit(page, "#consents button >> nth=0")
    page.check('#screen input[type=checkbox][name="items.bathing"]')
    _submit(page, "#screen button")
    assert page.inner_text("#status") == "사전 확인 완료"
    page.fill('#assess textarea[name="data.needs.wishes"]', "집에서 지내며 씻을 때만 도움받고 싶다")
    page.select_option('#assess select[name="agency"]', "nhis")
    page.fill('#assess input[name="agency_part"]', "장기요양 인정조사 결과(ADL) 제공")
    page.select_option('#assess select[name="data.adl.bathing"]', "3")
    _submit(page, "#assess form > button")
    page.select_option('#decide select[name="medical_need"]', "low")
    page.select_option('#decide select[name="care_need"]', "moderate")
    page.fill(
        '#decide textarea[name="reasons"]', "목욕 완전 도움, 퇴원 직후, 본인은 재가 생활 희망"
    )
    page.fill('#decide input[name="notified_on"]', today)
    page.select_option('#decide select[name="notice_method"]', "in_person")
    _submit(page, "#decide form > button")
    decided = page.inner_text("#decide")
    assert "의료적 지원 필요도 경도" in decided and "일상생활 요양·돌봄 필요도 중등도" in decided
    page.fill('#plan textarea[name="goals"]', "재가 생활 유지")
    page.select_option('#plan select[name="services.0.service_type"]', "meals")
    page.select_option('#plan select[name="services.0.provider_id"]', label="관악재가복지센터")
    page.fill('#plan input[name="services.0.method"]', "도시락 배달")
    page.fill('#plan input[name="services.0.frequency"]', "주 3회")
    page.fill('#plan input[name="services.0.start"]', today)
    page.fill('#plan input[name="services.0.end"]', "2027-05-31")
    page.fill('#plan textarea[name="views"]', "본인: 점심을 집에서 먹고 싶다")
    page.fill('#plan input[name="views_by"]', "본인")
    page.fill('#plan input[name="views_on"]', today)
    _fits(page, "case page with the plan form filled")
    card = page.locator("#plan").bounding_box()
    grid = page.locator("#plan table.form-grid").bounding_box()
    assert card and grid and grid["x"] + grid["width"] <= card["x"] + card["width"] + 1
    page.locator("#plan").screenshot(path=shot(f"care-plan-form-{width}.png"))
    _submit(page, "#plan form.stack > button")
    _submit(page, "#notice button")
    assert page.inner_text("#status") == "지원계획 안내"
    href = page.get_attribute("a.notice-pdf", "href")
    assert href
    notice = page.context.request.get(server["base"] + href)
    assert notice.ok and notice.headers["content-type"] == "application/pdf"
    body = notice.body()
    assert body.startswith(b"%PDF")
    said = pdf_text.text(body)
    assert server["name"] and server["name"] in said and "개인별지원계획" in said
    assert "본인: 점심을 집에서 먹고 싶다" in said
    page.select_option('#document select[name="document"]', "resident_register")
    page.select_option('#document select[name="via"]', "shared")
    _submit(page, "#document button")
    assert "행정정보 공동이용으로 확인" in page.inner_text("#document-checks")
    page.select_option('#consents select[name="purpose"]', "referral")
    page.fill('#consents input[name="given_by"]', "본인")
    _submit(page, "#consents button >> nth=0")
    page.select_option('#refer select[name="service_type"]', "meals")
    _submit(page, "#refer form.inline:last-of-type button")
    assert "관악재가복지센터" in page.inner_text("#refer")
    assert 'value="accept"' not in page.inner_html("#refer")  # the provider's decision
    provider = _page(browser, server, "b-provider", width)
    provider.goto(server["base"] + "/care/referrals")
    _submit(provider, "#referrals button")
    page.goto(url)
    assert page.inner_text("#status") == "서비스 제공·점검"
    page.fill('#followup input[name="due_on"]', today)
    _submit(page, "#followup form.inline:last-of-type button")
    page.fill('#followup input[name="notes"]', "첫 점검: 식사 잘 하심, 계획 유지")
    _submit(page, "#followup table button")
    assert "완료" in page.inner_text("#followup")
    _fits(page, "case page after the first review")
    _shot(page, "ex-officio-case", width)
    path = page.inner_text("#path")
    for step in (
        "동의 기록",
        "사전 확인",
        "통합판정조사",
        "종합판정",
        "개인별지원계획",
        "지원계획 안내",
        "점검",
    ):
        assert step in path


def test_a_second_editor_sees_the_conflict_with_both_versions_and_nothing_is_overwritten(
    browser, server
):
    first = _page(browser, server, "b-officer")
    url = _open_case(first, server)
    second = _page(browser, server, "b-officer")
    second.goto(url)
    first.check('#screen input[type=checkbox][name="items.bathing"]')
    _submit(first, "#screen button")
    second.select_option('#close select[name="reason"]', "death")
    _submit(second, "#close button")
    conflict = second.inner_text("#conflict")
    assert "수정 충돌" in conflict and "내가 보고 고친 버전" in conflict
    assert second.inner_text("#status") == "사전 확인 완료"


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"{page.url}: {wide}px of horizontal scroll"


@pytest.mark.parametrize("width", [1400, 390])
def test_an_officer_takes_a_case_from_intake_to_closure_through_an_error_a_conflict_and_a_reopen(
    browser, server, width
):
    today = str(deadlines.today())
    page = _page(browser, server, "b-officer", width)
    url = _open_case(page, server)
    _no_sideways_scroll(page)
    contact = page.inner_text("#contact")
    assert "가상 주소" in contact and "010-0" in contact and "신림동 담당 (동 주민센터" in contact
    assert "받을 수 있는데 받지 않는" in page.inner_text("#missing")
    page.check('#screen input[type=checkbox][name="items.bathing"]')
    _submit(page, "#screen button")
    page.fill('#assess textarea[name="data.needs.wishes"]', "집에서 지내고 싶다")
    page.select_option('#assess select[name="agency"]', "nhis")
    page.fill('#assess input[name="agency_part"]', "장기요양 인정조사 결과 제공")
    page.select_option('#assess select[name="data.adl.bathing"]', "3")
    _submit(page, "#assess form > button")
    # A failed save: the summary sits on top of the failed form, links to the field, and what
    # was typed is still there.
    page.select_option('#decide select[name="medical_need"]', "low")
    page.select_option('#decide select[name="care_need"]', "moderate")
    page.fill('#decide textarea[name="reasons"]', "독거")  # too short to be a reason
    page.fill('#decide input[name="notified_on"]', today)
    page.select_option('#decide select[name="notice_method"]', "in_person")
    _submit(page, "#decide form > button")
    summary = page.locator("#decide .error-summary")
    assert summary.is_visible() and "판정 사유" in summary.inner_text()
    href = summary.locator("a").first.get_attribute("href") or ""
    assert href.startswith("#") and page.locator(href).get_attribute("name") == "reasons"
    assert page.input_value('#decide textarea[name="reasons"]') == "독거"
    assert page.input_value('#decide select[name="medical_need"]') == "low"
    _no_sideways_scroll(page)
    page.fill('#decide textarea[name="reasons"]', "목욕 완전 도움, 혼자 사심")
    _submit(page, "#decide form > button")
    assert page.inner_text("#status") == "종합판정 완료"
    # An edit conflict: a second tab saves first; this one sees a table of what differs.
    other = page.context.new_page()
    other.goto(url)
    page.fill('#plan textarea[name="goals"]', "재가 생활 유지")
    page.select_option('#plan select[name="services.0.service_type"]', "meals")
    page.select_option('#plan select[name="services.0.provider_id"]', label="관악재가복지센터")
    page.fill('#plan input[name="services.0.method"]', "도시락 배달")
    page.fill('#plan input[name="services.0.frequency"]', "주 3회")
    page.fill('#plan input[name="services.0.start"]', today)
    page.fill('#plan input[name="services.0.end"]', "2027-05-31")
    page.fill('#plan textarea[name="views"]', "본인: 점심을 집에서 먹고 싶다")
    page.fill('#plan input[name="views_by"]', "본인")
    page.fill('#plan input[name="views_on"]', today)
    _submit(page, "#plan form.stack > button")
    other.select_option('#close select[name="reason"]', "death")
    _submit(other, "#close button")
    assert "수정 충돌" in other.inner_text("#conflict")
    diff = other.inner_text("#conflict table.diff")
    assert "지원계획 수립" in diff and "사망" in diff  # stored status and what this tab sent
    assert "신림동 담당 (동 주민센터 담당자)" in diff  # the officer by name and role, not an id
    _no_sideways_scroll(other)
    other.close()
    _submit(page, "#notice button")
    assert page.inner_text("#status") == "지원계획 안내"
    page.select_option('#refer select[name="service_type"]', "meals")
    _submit(page, "#refer form.inline:last-of-type button")
    # The provider accepts, starts and ends the service from its own list.
    provider = _page(browser, server, "b-provider", width)
    provider.goto(server["base"] + "/care/referrals")
    _no_sideways_scroll(provider)
    row = provider.locator("#referrals tbody tr").first
    assert "가상 번호" in row.inner_text() and "신림동 담당" in row.inner_text()
    for action in ("accept", "start", "end"):
        row = provider.locator("#referrals tbody tr").first
        row.locator('select[name="action"]').select_option(action)
        if action == "end":
            row.locator('input[name="reason"]').fill("계획 기간 제공 완료")
        _submit(provider, "#referrals tbody tr >> nth=0 >> button")
    assert "종료" in provider.locator("#referrals tbody tr").first.inner_text()
    provider.close()
    # Closing, then reopening with a reason.
    page.goto(url)
    page.select_option('#close select[name="reason"]', "no_complex_need")
    _submit(page, "#close button")
    if page.locator("#close .error-summary").count():  # an open follow-up must be settled
        for sel in page.query_selector_all('#close select[name^="settle."]'):
            sel.select_option(index=1)
        _submit(page, "#close button")
    assert page.inner_text("#status") == "종료"
    assert page.locator("#close").count() == 0
    page.fill('#reopen textarea[name="reason"]', "종료 사유를 잘못 골라 다시 엽니다")
    _submit(page, "#reopen button")
    assert page.inner_text("#status") != "종료"
    assert "다시" in page.inner_text("#path")
    _no_sideways_scroll(page)


def test_the_officer_downloads_the_work_queue_and_follow_ups_as_xlsx_and_opens_them(
    browser, server, tmp_path
):
    import openpyxl

    page = _page(browser, server, "b-officer")
    _open_case(page, server)
    for path in ("/care", "/care/followups?status="):
        page.goto(server["base"] + path)
        with page.expect_download() as dl:
            page.locator('.downloads a[href*="format=xlsx"]').first.click()
        target = tmp_path / f"{path.strip('/').replace('/', '-').split('?')[0]}.xlsx"
        dl.value.save_as(target)
        rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
        assert rows and all(isinstance(h, str) and h for h in rows[0])
        if path == "/care":
            assert any(server["name"] in str(v) for r in rows[1:] for v in r)


@pytest.mark.parametrize("width", [1400, 390])
def test_a_discharge_notice_is_recorded_by_name_and_one_click_starts_the_application(
    browser, server, width
):
    page = _page(browser, server, "b-officer", width)
    page.goto(server["base"] + "/care")
    assert page.locator('a[href="/care/discharge-notices"]').count() == 1  # in the menu
    page.goto(server["base"] + "/care/discharge-notices")
    page.fill('#record input[name="q"]', server["name"])
    _submit(page, '#record form[role="search"] button')
    _submit(page, "#found a[data-person]")
    assert server["name"] in page.inner_text("#picked")
    page.select_option('#notice-form select[name="institution_kind"]', "hospital")
    page.fill('#notice-form input[name="institution_name"]', "서울대학교병원")
    page.fill('#notice-form input[name="leaving_on"]', str(deadlines.today()))
    page.fill('#notice-form input[name="contact"]', "02-870-0000 퇴원지원팀")
    _submit(page, "#notice-form button")
    row = page.locator("#notices tbody tr").first
    assert server["name"] in row.inner_text() and "의료기관 · 서울대학교병원" in row.inner_text()
    _fits(page, "discharge notices")
    _shot(page, "discharge-notices", width)
    _submit(page, "#notices a[data-start-notice] >> nth=0")
    assert "퇴원·퇴소 통보에서 시작한 신청" in page.inner_text("#from-notice")
    assert page.input_value('#apply select[name="channel"]') == "hospital"
    _fits(page, "application from a notice")
