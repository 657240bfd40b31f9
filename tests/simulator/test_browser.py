"""Real Chromium: a planner runs an example reform and reads the report; a dong officer records
the outcome of a contact and the household leaves the outreach list."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from gibon import db, population
from gibon.accounts import service as accounts
from gibon.accounts.models import Role
from gibon.app import create_app
from gibon.config import Settings
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import service as residents

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser-pass-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
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
    households, persons = population.generate(seed=5, persons=2000)
    with db.transaction(engine) as s:
        residents.load_population(
            s, households, persons, Vault(load_or_create_key(settings.secret_key_file))
        )
        for username, role, dong in (
            ("b-analyst", Role.policy_analyst, None),
            ("b-sillim", Role.dong_officer, "신림동"),
        ):
            accounts.create_user(
                s, username=username, password=PASSWORD, role=role, display_name=username, dong=dong
            )
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless"])
        yield b
        b.close()


def _signed_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="ko-KR").new_page()
    page.goto(base + "/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    return page


def test_a_planner_runs_the_youth_income_and_sees_cost_map_and_deciles(
    browser: Any,
    server: str,
) -> None:
    page = _signed_in(browser, server, "b-analyst")
    page.goto(server + "/simulator")
    row = page.locator("tr", has_text="관악 청년기본소득")
    with page.expect_navigation():
        row.locator('button[type="submit"]').click()
    assert "/simulator/runs/" in page.url
    page.wait_for_selector("svg.dong-map")  # the report streams in after the run finishes
    assert page.locator("svg.dong-map path").count() == 21
    assert page.locator("svg.chart").count() == 2
    assert page.locator("text=관악 청년기본소득").first.is_visible()


def test_a_dong_officer_records_an_application_and_the_household_leaves_the_list(
    browser: Any,
    server: str,
) -> None:
    page = _signed_in(browser, server, "b-sillim")
    page.goto(server + "/simulator/outreach")
    first = page.locator("section.card[id^=h-]").first
    household = first.get_attribute("id")
    first.locator("summary").first.click()
    assert first.locator("table.data tr").count() > 1  # the engine's explanation rows
    first.locator('select[name="outcome"]').select_option("applied")
    with page.expect_navigation():
        first.locator('button[type="submit"]').click()
    assert page.locator(f"#{household}").count() == 0
