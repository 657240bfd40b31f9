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
from tests.browser import launch_chromium

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
        b = launch_chromium(p, ["--no-sandbox", "--headless"])
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


def _no_sideways_scroll(page: Any) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"{page.url}: {wide}px of horizontal scroll"


@pytest.mark.parametrize("width", [1400, 390])
def test_a_planner_builds_a_flat_benefit_in_the_form_downloads_its_yaml_runs_it_and_its_tables(
    browser: Any, server: str, width: int, tmp_path: Path
) -> None:
    import openpyxl
    import yaml

    page = _signed_in(browser, server, "b-analyst")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + "/simulator")
    _no_sideways_scroll(page)
    form = page.locator("#build-flat")
    form.locator('input[name="name"]').fill("관악 어르신 교통비")
    form.locator('input[name="amount"]').fill("만원")  # not a number: refused, kept, linked
    form.locator('input[name="age_min"]').fill("70")
    with page.expect_navigation():
        form.locator('button[value="run"]').click()
    form = page.locator("#build-flat")
    assert "월 금액" in form.inner_text() and form.locator(".field-error").count() >= 1
    assert form.locator('input[name="amount"]').input_value() == "만원"
    assert form.locator('input[name="age_min"]').input_value() == "70"
    _no_sideways_scroll(page)
    form.locator('input[name="amount"]').fill("30000")
    with page.expect_download() as dl:
        form.locator('button[value="yaml"]').click()
    spec = yaml.safe_load(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert spec["name"] == "관악 어르신 교통비"
    assert "30000" in yaml.safe_dump(spec["programs"], allow_unicode=True)
    with page.expect_navigation():
        form.locator('button[value="run"]').click()
    assert "/simulator/runs/" in page.url
    page.wait_for_selector("svg.dong-map")
    assert "관악 어르신 교통비" in page.inner_text("main")
    _no_sideways_scroll(page)
    with page.expect_download() as dl:
        page.locator('a[href*="table=programs"][href*="format=xlsx"]').click()
    target = tmp_path / "programs.xlsx"
    dl.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    assert len(rows) > 1 and all(isinstance(h, str) and h for h in rows[0])
    assert any("관악 어르신 교통비" in str(v) for r in rows[1:] for v in r)
