"""The calculator says "판단 보류" the same way in the summary, the explanation and the total."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from gibon.accounts.models import Role

ALONE_78_RENTING = {
    "month": "2026-12",
    "dong": "신림동",
    "tenure": "monthly_rent",
    "deposit": "5000000",
    "monthly_rent": "300000",
    "m0_relation": "head",
    "m0_birth_date": "1948-03-01",
    "m0_sex": "F",
    "m0_disability": "none",
}


def _row(html: str, program: str) -> str:
    start = html.index(f'data-program="{program}"')
    return html[start : html.index("</tr>", start)]


def test_a_pending_program_is_pending_in_the_summary_the_explanation_and_the_total(
    client: TestClient,
) -> None:
    page = client.post("/benefits", data=ALONE_78_RENTING).text
    row = _row(page, "housing_benefit")
    assert "판단 보류" in row and "대상 아님" not in row and ">0원<" not in row
    explain = page[page.index('id="explain-housing_benefit"') :]
    explain = explain[: explain.index("</details>")]
    assert "판단 보류" in explain and "주거급여 대상</td><td><strong>예" not in explain
    assert "임차보증금의 월차임 환산율" in explain  # what would settle it
    assert "housing_benefit.deposit_to_rent_rate_annual" not in explain
    total = page[page.index('id="total-pending"') :][:200]
    assert "판단 보류 1개" in total or "판단 보류" in total
    assert "['" not in page and "True" not in page and "None" not in page


def test_the_form_starts_at_this_month_in_seoul_and_at_the_officers_own_dong(
    client: TestClient, login: Any
) -> None:
    login(Role.dong_officer, dong="신림동")
    page = client.get("/benefits").text
    month = datetime.now(ZoneInfo("Asia/Seoul")).strftime("%Y-%m")
    assert f'name="month" value="{month}"' in page
    assert "<option selected>신림동</option>" in page


def test_every_calculator_input_has_a_label(client: TestClient) -> None:
    page = client.get("/benefits").text
    for tag in ("<input", "<select"):
        for piece in page.split(tag)[1:]:
            head = piece.split(">", 1)[0]
            if 'type="hidden"' in head:
                continue
            assert 'aria-label="' in head or 'id="f-' in head, head
