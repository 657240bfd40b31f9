from __future__ import annotations

from gibon.audit import sentences

NAMES = {"sillim": "신림동 주민센터 이도윤 (동 주민센터 담당자)"}


def name_of(key: str | None) -> str:
    return NAMES.get(key or "", key or "")


def test_an_audit_row_reads_as_a_korean_sentence_with_a_link() -> None:
    line = sentences.line("sillim", "read", "care_case", "2002", "사례 상세 화면", "", name_of)
    assert line.text == "신림동 주민센터 이도윤 (동 주민센터 담당자)님이 사례 2002번을 조회함"
    assert line.link == "/care/cases/2002" and line.note == "사례 상세 화면"


def test_key_value_details_become_words_and_empty_values_are_left_out() -> None:
    detail = "dong=신림동 officer=None status=open due=None search=- n=50"
    line = sentences.line("sillim", "read", "care_queue", None, "업무 목록", detail, name_of)
    assert line.note == "업무 목록 · 동 신림동 · 상태 진행 중 · 건수 50"
    assert "None" not in line.note and "=" not in line.note


def test_an_export_says_how_many_rows_left() -> None:
    line = sentences.line(
        "sillim", "export", "care_queue", None, "업무 목록 내려받기", "rows=12 format=xlsx", name_of
    )
    assert line.text.endswith("통합돌봄 업무 목록을 내려받음") and "12" in line.note
