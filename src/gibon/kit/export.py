"""Lists people take away: CSV (UTF-8 with BOM, so Excel opens Korean) and Excel .xlsx.

Every list page offers the same two downloads through ``response``; the caller audits the export
with its row count (``audit_export``) in the request's transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.responses import Response

from gibon.errors import InvalidInput

Format = Literal["csv", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "xlsx")
SEOUL = ZoneInfo("Asia/Seoul")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: the key in each row and its Korean heading."""

    key: str
    heading: str


def check_format(value: str) -> Format:
    if value not in FORMATS:
        raise InvalidInput(
            "내려받기 형식은 엑셀(xlsx) 또는 CSV만 됩니다", where="format", example="xlsx"
        )
    return "csv" if value == "csv" else "xlsx"


def cell(value: Any) -> Any:
    """A value as people read it in a sheet: KST times, 예/아니오, lists joined, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(cell(v)) for v in value)
    return value


def table(columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """The header row then one row per record, each cell already in words."""
    out: list[list[Any]] = [[c.heading for c in columns]]
    out.extend([cell(row.get(c.key)) for c in columns] for row in rows)
    return out


def to_csv(data: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(data)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(data: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31] or "목록"
    for row in data:
        sheet.append(row)
    for c in sheet[1]:
        c.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, heading in enumerate(data[0] if data else [], start=1):
        width = max(len(str(heading)) * 2, *(len(str(r[i - 1])) for r in data[1:50]), 8)
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(
    fmt: Format, columns: Sequence[Column], rows: Iterable[dict[str, Any]], name: str
) -> Response:
    """The download itself; ``name`` is the Korean file name without extension."""
    data = table(columns, rows)
    stamp = datetime.now(SEOUL).strftime("%Y%m%d")
    filename = f"{name}_{stamp}.{fmt}"
    body = to_csv(data) if fmt == "csv" else to_xlsx(data, name)
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    disposition = (
        f"attachment; filename=\"gibon_{stamp}.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(body, media_type=media, headers={"content-disposition": disposition})
