"""Reports never show an empty section without saying why; the resident reads Korean only."""

from __future__ import annotations

import re
from pathlib import Path

from gibon.pharm import inputs, report
from gibon.pharm.review import review

EXAMPLE = Path(__file__).parents[2] / "src" / "gibon" / "data" / "pharm" / "example_patient.json"


def _text(html: str) -> str:
    body = re.sub(r"<style.*?</style>|<title>.*?</title>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def _one_fill(days_ago_end: str) -> dict[str, object]:
    return {
        "patient": {"age": 80, "sex": "F"},
        "review_date": "2026-12-01",
        "dispensings": [
            {"date": days_ago_end, "drug": "amlodipine", "sig": "1정 1일 1회", "days_supply": 30}
        ],
    }


def test_an_empty_calendar_says_why_instead_of_printing_an_empty_table() -> None:
    rv = review(inputs.from_data(_one_fill("2026-06-01")))
    text = _text(report.html(rv, "resident"))
    assert "지금 드시는 약이 없어요" in text and "6월 30일까지 드실 분량이었어요" in text
    assert "<table" not in report.html(rv, "resident").split("약 먹는 시간표")[1].split("<h2>")[0]


def test_a_drug_filled_once_has_its_pdc_row_saying_why_it_is_not_computed() -> None:
    rv = review(inputs.from_data(_one_fill("2026-11-20")))
    pdc = report.html(rv, "pharmacist").split('id="pdc"')[1].split("</table>")[0]
    assert "암로디핀" in pdc and "조제 기록이 2회 미만이라 계산하지 않음" in pdc


def test_missing_kidney_values_are_named_not_left_blank() -> None:
    rv = review(inputs.from_data(_one_fill("2026-11-20")))
    text = _text(report.html(rv, "pharmacist"))
    assert "평가 불가 — 혈청 크레아티닌 없음" in text and "혈청 크레아티닌, 체중 없음" in text


def test_the_resident_guide_has_no_rule_ids_and_no_english_beyond_names_on_the_bag() -> None:
    rv = review(inputs.load(EXAMPLE))
    text = _text(report.html(rv, "resident"))
    assert not re.search(r"STOPP|START|Beers|DUR-|beers-|ix-|PDC|ACB|MRCI", text)
    on_bag = {u["name"] for u in rv.to_dict()["unknown_drugs"]}
    for name in on_bag:
        text = text.replace(name, "")
    assert not re.search(r"[A-Za-z]{3,}", text), re.findall(r"[A-Za-z]{3,}", text)
    assert "아픽사반" in text  # generic names in Korean
