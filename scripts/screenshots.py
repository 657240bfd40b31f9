"""Take the README's screenshots from a running gibon (default http://127.0.0.1:8000).

usage: .venv/bin/python scripts/screenshots.py [BASE_URL]
Pages are listed below as (file, username or None, path, width); Debian chromium drives them.
A path of ``first:<list>`` opens the list and follows its first case link (a case's own page).
Each role's main page (the first entry of its menu that is its own work) is in the list.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

from gibon.demo import DEMO_PASSWORD

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = [
    ("home.png", None, "/", 1280),
    ("care-queue.png", "sillim", "/care", 1280),
    ("care-case.png", "sillim", "first:/care", 1280),
    ("care-case-390.png", "sillim", "first:/care", 390),
    ("care-dashboard.png", "district", "/care/dashboard", 1280),
    ("care-referrals.png", "provider", "/care/referrals?status=", 1280),
    ("care-followups-390.png", "doctor", "/care/followups?status=", 390),
    ("benefits.png", "sillim", "/benefits", 1280),
    ("pharm.png", "pharmacist", "/pharm", 1280),
    ("visits.png", "district", "/visits", 1280),
    ("visits-plan.png", "doctor", "/visits/plans/1", 1280),
    ("simulator.png", "analyst", "/simulator", 1280),
    ("outreach.png", "sillim", "/simulator/outreach", 1280),
    ("admin-accounts.png", "admin", "/admin/accounts", 1280),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _open(page: Page, base: str, path: str) -> None:
    if path.startswith("first:"):
        page.goto(base + path.removeprefix("first:"), timeout=120_000)
        page.click('main a[href^="/care/cases/"]:not([href$="/new"])')
    else:
        page.goto(base + path, timeout=120_000)
    page.wait_for_load_state("networkidle")


def main(base: str, only: set[str]) -> None:
    """One signed-in context per account (sign-in is throttled per address), one page per shot."""
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        korean = {**os.environ, "LANGUAGE": "ko", "LANG": "ko_KR.UTF-8"}  # date fields, file button
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, env=korean)
        contexts: dict[str | None, BrowserContext] = {}
        for name, username, path, width in PAGES:
            if only and name not in only:
                continue
            if username not in contexts:
                contexts[username] = _signed_in(browser.new_context(locale="ko-KR"), base, username)
            page = contexts[username].new_page()
            page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
            _open(page, base, path)
            page.screenshot(path=str(OUT / name), full_page=False)
            print(name, page.url)
            page.close()
        browser.close()


def _signed_in(context: BrowserContext, base: str, username: str | None) -> BrowserContext:
    if username:
        page = context.new_page()
        page.goto(base + "/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.close()
    return context


if __name__ == "__main__":
    args = sys.argv[1:]
    url = args[0] if args and args[0].startswith("http") else "http://127.0.0.1:8000"
    main(url, {a for a in args if a.endswith(".png")})
