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
from gibon.care.models import Provider
from gibon.config import Settings
from gibon.residents.models import Person
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
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        yield b
        b.close()


def _page(browser, server, username):  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="ko-KR").new_page()
    page.goto(server["base"] + "/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    _submit(page, 'button[type="submit"]')
    return page


def _submit(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click(selector)


def _open_case(page, server) -> str:  # type: ignore[no-untyped-def]
    page.goto(server["base"] + "/care/cases/new")
    page.fill('input[name="q"]', server["name"])
    _submit(page, 'form[role="search"] button[type="submit"]')
    _submit(page, "#found a[data-person]")
    page.fill('input[name="applicant_name"]', "김가족")
    page.fill('input[name="applicant_relation"]', "딸")
    _submit(page, '#apply button[type="submit"]')
    return str(page.url.split("#")[0])


def test_an_officer_and_a_provider_take_a_case_from_intake_to_closure(browser, server):
    page = _page(browser, server, "b-officer")
    url = _open_case(page, server)
    page.check('#screen input[type=checkbox][name="items.bathing"]')
    page.check('#screen input[type=checkbox][name="items.dressing"]')
    _submit(page, "#screen button")
    page.select_option('#assess select[name="data.adl.bathing"]', "3")
    _submit(page, "#assess button")
    page.select_option('#decide select[name="level"]', "moderate")
    page.fill('#decide textarea[name="reasons"]', "목욕과 옷 입기에 도움 필요")
    _submit(page, "#decide button")
    page.fill('#plan textarea[name="goals"]', "재가 생활 유지")
    page.select_option('#plan select[name="services.0.service_type"]', "meals")
    page.fill('#plan input[name="services.0.frequency"]', "주 3회")
    page.fill('#plan input[name="services.0.start"]', "2026-12-01")
    page.fill('#plan input[name="services.0.end"]', "2027-05-31")
    _submit(page, "#plan button")
    page.fill('#conference input[name="held_on"]', "2026-12-03")
    page.fill('#conference input[name="participants.0.name"]', "통합돌봄과")
    page.fill('#conference textarea[name="agenda"]', "지원계획 1판 심의")
    page.check('#conference input[type=checkbox][name="approve"]')
    _submit(page, "#conference button")
    assert "통합지원회의 승인" in page.inner_text("#status")
    page.select_option('#refer select[name="service_type"]', "meals")
    _submit(page, "#refer form.inline:last-of-type button")
    provider = _page(browser, server, "b-provider")
    provider.goto(server["base"] + "/care/referrals")
    _submit(provider, "#referrals button")
    assert "수락" in provider.inner_text("#referrals")
    page.goto(url)
    page.fill('#followup input[name="due_on"]', "2026-12-20")
    _submit(page, "#followup form.inline:last-of-type button")
    page.fill('#followup input[name="notes"]', "식사 잘 하심")
    _submit(page, "#followup table button")
    page.select_option('#close select[name="reason"]', "goals_met")
    _submit(page, "#close button")
    assert page.inner_text("#status") == "종결"
    path = page.inner_text("#path")
    for step in (
        "사전 확인",
        "통합판정조사",
        "판정",
        "개인별 지원계획",
        "통합지원회의 승인",
        "서비스 연계 수락",
        "모니터링",
        "종결",
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
    second.select_option('#close select[name="reason"]', "refused")
    _submit(second, "#close button")
    conflict = second.inner_text("#conflict")
    assert "수정 충돌" in conflict and "내가 보고 고친 버전" in conflict
    assert second.inner_text("#status") == "사전 확인 완료"
