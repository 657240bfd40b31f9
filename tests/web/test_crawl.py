"""Walk gibon as every demo role would, at phone width (390 px), and read every word.

For each role: the menu, the pages linked from them (bounded), the error pages for bad ids and
a bad form. A page fails on English sentences outside <code>/<cite>, raw values of gibon's own
enums, None/True/False, Python list or dict reprs, \\uXXXX escapes, key=value pairs, UTC times,
horizontal scrolling at 390 px, and serious or critical axe-core violations (axe-core from npm,
installed by scripts/system-deps.sh into tests/web/axe).
"""

from __future__ import annotations

import pytest

from tests.browser import LiveServer
from tests.web import crawl

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Addresses a user can mistype or follow from an old bookmark: each must be a Korean page.
BAD_ADDRESSES = (
    "/care/cases/99999999",
    "/care/cases/abc",
    "/care/cases/0",
    "/visits/plans/987654",
    "/visits/plans/abc",
    "/simulator/runs/987654",
    "/pharm/visits/abc",
    "/no/such/page",
)
EXTRA = {
    "admin": BAD_ADDRESSES,
    "district": ("/care?status=open&due=overdue", "/care/dashboard?show=overdue"),
    "sillim": ("/care/cases/abc", "/benefits", "/simulator/outreach?page=2"),
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not crawl.AXE.exists():
        pytest.skip("axe-core is not installed (scripts/system-deps.sh installs it from npm)")
    return crawl.AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def enum_values() -> frozenset[str]:
    return crawl.gibon_enum_values()


@pytest.mark.parametrize("role", [None, *crawl.ROLES])
def test_every_page_of_every_role_reads_as_plain_korean_at_phone_width(  # type: ignore[no-untyped-def]
    browser, live_server: LiveServer, role: str | None, axe_source: str, enum_values: frozenset[str]
) -> None:
    # bypass_csp only lets the test inject the axe engine; the CSP itself is checked in test_protections
    context = browser.new_context(locale="ko-KR", bypass_csp=True)
    try:
        report = crawl.crawl_role(
            context,
            live_server.url,
            role,
            enum_values,
            limit=40,
            extra=EXTRA.get(role or "", ()),
            axe_source=axe_source,
        )
    finally:
        context.close()
    assert len(report.visited) >= 2
    assert not report.findings, "\n".join(str(f) for f in report.findings)


def test_bad_forms_come_back_in_korean_next_to_their_fields(  # type: ignore[no-untyped-def]
    browser, live_server: LiveServer, axe_source: str, enum_values: frozenset[str]
) -> None:
    context = browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    page = context.new_page()
    try:
        crawl.sign_in(page, live_server.url, "sillim")
        page.goto(live_server.url + "/benefits")
        page.fill("input[name=m0_birth_date]", "1948-03-01")
        page.fill("input[name=m0_earned_income]", "백만원")
        page.click("#household-form button[type=submit]")
        page.wait_for_load_state("load")
        summary = page.locator("#error-summary")
        assert "구성원 1의 근로소득" in summary.inner_text()
        # The page lands on the failed form: the summary has the focus.
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.input_value("input[name=m0_earned_income]") == "백만원"
        findings = crawl.check_page(page, page.url, "sillim", enum_values, axe_source)
        assert not findings, "\n".join(str(f) for f in findings)
    finally:
        context.close()
