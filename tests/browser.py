"""A live gibon server and a real Chromium for browser tests (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from gibon import db, demo
from gibon.app import create_app
from gibon.config import Settings
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.web import logging as weblog

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SCRATCH_SHOTS = Path(tempfile.gettempdir()) / "gibon-screenshots"


def shot(name: str) -> str:
    """Where a browser test's screenshot goes: ``docs/screenshots/`` when GIBON_SCREENSHOTS=1 (to
    retake the README's pictures), else a scratch folder, so that ``make test`` leaves the tree clean."""
    folder = DOCS_SHOTS if os.environ.get("GIBON_SCREENSHOTS") else SCRATCH_SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


# Chromium's own controls (date fields, the file button) in Korean, as on a Korean phone: the
# Korean UI strings come from Debian's chromium-l10n (scripts/system-deps.sh installs it).
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "ko", "LANG": "ko_KR.UTF-8"}


def launch_chromium(pw, args: list[str] | None = None):  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless, in Korean."""
    return pw.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=args or CHROMIUM_ARGS, env=CHROMIUM_ENV
    )


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Every request target a live server answered in this run, as it came in (before the log filter
# drops query strings): at the end of the run none may hold a resident or phone number.
SERVED_TARGETS: list[str] = []


class _RecordTargets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            SERVED_TARGETS.append(str(record.args[2]))
        return True


logging.getLogger("uvicorn.access").addFilter(_RecordTargets())


def personal_targets(targets: list[str]) -> list[str]:
    return [t for t in targets if weblog.RRN.search(t) or weblog.PHONE.search(t)]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a page sent a resident or phone number in a URL to a live server."""
    leaked = personal_targets(SERVED_TARGETS)
    if leaked:
        print(f"\n개인정보가 담긴 주소 (personal data in URLs): {leaked[:5]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_live_server(tmp: Path, persons: int = 1500) -> Iterator[LiveServer]:
    """Migrate a fresh SQLite database, load a small demo district, serve it on a free port."""
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'live.db'}",
        secret_key_file=tmp / "secret.key",
        data_dir=tmp / "data",
    )
    db.upgrade(settings.database_url)
    vault = Vault(load_or_create_key(settings.secret_key_file))
    with db.transaction(db.engine_for(settings.database_url)) as session:
        demo.load(session, vault, seed=3, persons=persons)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="info",  # the access log feeds SERVED_TARGETS
        log_config=weblog.LOG_CONFIG,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", settings)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from start_live_server(tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """Module-scoped: Playwright's sync API allows one instance per process at a time, and
    modules that start their own must find none running."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, server: LiveServer, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
