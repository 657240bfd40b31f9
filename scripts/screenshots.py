"""Take the README's screenshots from a running gibon (default http://127.0.0.1:8000).

usage: .venv/bin/python scripts/screenshots.py [BASE_URL]
Pages are listed below as (file, username or None, path); Debian chromium drives them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from gibon.demo import DEMO_PASSWORD

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = [
    ("home.png", None, "/"),
    ("care-queue.png", "sillim", "/care"),
    ("care-dashboard.png", "district", "/care/dashboard"),
    ("benefits.png", "sillim", "/benefits"),
    ("pharm.png", "pharmacist", "/pharm"),
    ("visits.png", "district", "/visits"),
    ("visits-plan.png", "doctor", "/visits/plans/1"),
    ("simulator.png", "analyst", "/simulator"),
    ("outreach.png", "sillim", "/simulator/outreach"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, username, path in PAGES:
            context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            if username:
                page.goto(base + "/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("button[type=submit]")
            page.goto(base + path, timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / name), full_page=False)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
