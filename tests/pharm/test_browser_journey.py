"""A pharmacist's journey in real Chromium, at desktop and phone width: find the resident, upload a
year of dispensings with one bad row, correct it, review, and print both reports.

With GIBON_SCREENSHOTS=1 the screenshots go to docs/screenshots/ (pharm-journey-*.png)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from gibon import db
from gibon.residents.models import Person
from tests.browser import LiveServer, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _resident(server: LiveServer) -> tuple[str, str]:
    engine = db.engine_for(server.settings.database_url)
    with db.transaction(engine) as session:
        q = select(Person).where(Person.birth_date < date(1950, 1, 1)).order_by(Person.id)
        person = session.scalars(q).first()
        assert person is not None
        return person.id, person.name


def _csv() -> bytes:
    today = date.today()

    def day(n: int) -> str:
        return (today - timedelta(days=n)).strftime("%Y.%m.%d")  # dates as people type them

    rows = [
        "# weight_kg=51",
        "# scr_mg_dl=1.3",
        "date,drug,sig,days_supply,prescriber,pharmacy",
        f"{day(200)},노바스크정 5mg,1정 1일 1회 아침,90,관악내과의원,봉천약국",
        f"{day(190)},이부프로펜,1정 1일 3회 식후,30,신림정형외과,신림약국",
        f"{day(110)},노바스크정 5mg,1정 1일 1회 아침,구십,관악내과의원,봉천약국",
        f"{day(100)},로사르탄,1정 1일 1회 아침,90,관악내과의원,봉천약국",
        f"{day(60)},이부프로펜,1정 1일 3회 식후,60,신림정형외과,신림약국",
        f"{day(20)},노바스크정 5mg,1정 1일 1회 아침,90,관악내과의원,봉천약국",
    ]
    return "\n".join(rows).encode()


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"{page.url} scrolls sideways by {wide}px"


def _shot(page, name: str, width: int, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=shot(f"pharm-journey-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1400, 390])
def test_a_pharmacist_uploads_corrects_reviews_and_prints_both_reports(
    browser, live_server: LiveServer, width: int, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = context.new_page()
    person_id, name = _resident(live_server)
    sign_in(page, live_server, "pharmacist")

    page.goto(live_server.url + "/pharm")
    page.fill("#find input[name=q]", name)
    page.click("#find button[type=submit]")
    row = page.locator(f"#resident-{person_id}")
    assert name in row.inner_text() and "관악구" in row.inner_text()
    assert "q=" not in page.url
    _fits(page)
    _shot(page, "1-search", width, tmp_path)

    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == f"조제기록 입력 — {name}"
    page.set_input_files(
        "#upload input[type=file]",
        files=[{"name": "1년치.csv", "mimeType": "text/csv", "buffer": _csv()}],
    )
    page.click("#upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#rows tbody tr").count() == 6  # the bad row is kept
    bad = page.locator("#rows tr.bad")
    assert bad.count() == 1 and "투약일수: 정수가 아닙니다 (입력: 구십)" in bad.inner_text()
    _fits(page)
    _shot(page, "2-upload-bad-row", width, tmp_path)

    bad.get_by_role("link", name="고치기").click()
    page.wait_for_load_state("networkidle")
    page.fill("#edit-row input[name=days_supply]", "90")
    page.click("#edit-row button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#rows tr.bad").count() == 0
    _shot(page, "3-corrected", width, tmp_path)

    page.click("#review button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith(f"방문약료 — {name}")
    findings = page.locator("#findings").inner_text()
    assert "이부프로펜" in findings and "로사르탄" in findings
    _fits(page)
    _shot(page, "4-review", width, tmp_path)

    for audience, title in (("pharmacist", "약물안전리포트"), ("resident", "내 약 안내서")):
        link = page.locator(
            f'a[href$="/report{"" if audience == "pharmacist" else "?audience=resident"}"]'
        )
        href = link.first.get_attribute("href")
        report = context.new_page()
        report.goto(live_server.url + str(href))
        assert title in report.locator("h1").inner_text()
        _fits(report)
        _shot(report, f"5-report-{audience}", width, tmp_path)
        printed = report.pdf()  # what the browser's print dialog makes
        assert printed.startswith(b"%PDF")
        pdf = report.request.get(
            live_server.url + str(href) + ("&" if "?" in str(href) else "?") + "format=pdf"
        )
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        report.close()
    context.close()
