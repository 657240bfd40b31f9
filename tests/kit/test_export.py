from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from gibon.errors import InvalidInput
from gibon.kit import export
from gibon.kit.export import Column

COLUMNS = [
    Column("name", "이름"),
    Column("at", "일시"),
    Column("ok", "완료"),
    Column("tags", "급여"),
]
ROWS = [
    {
        "name": "김영수",
        "at": datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
        "ok": True,
        "tags": ["생계급여", "기초연금"],
    },
    {"name": "이순자", "at": date(2026, 12, 8), "ok": None, "tags": []},
]


def test_csv_starts_with_a_bom_so_excel_reads_korean_and_shows_words_not_codes() -> None:
    body = export.to_csv(export.table(COLUMNS, ROWS))
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == "이름,일시,완료,급여"
    assert text.splitlines()[1] == '김영수,2026-12-07 10:00,예,"생계급여, 기초연금"'
    assert "None" not in text and "True" not in text


def test_an_xlsx_opens_with_openpyxl_with_korean_headings_and_every_row() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(export.table(COLUMNS, ROWS), "목록")))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("이름", "일시", "완료", "급여")
    assert rows[1] == ("김영수", "2026-12-07 10:00", "예", "생계급여, 기초연금")
    assert len(rows) == 3 and sheet.title == "목록"


def test_an_unknown_format_is_refused_in_korean() -> None:
    with pytest.raises(InvalidInput) as info:
        export.check_format("pdf")
    assert "엑셀" in info.value.message
