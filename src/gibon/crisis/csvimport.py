"""Reading a district's 발굴 list CSV through a column-mapping file: UTF-8 or CP949, each row
checked with its row number and column named. Pure: the resident lookup happens in intake."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from gibon.crisis import indicators
from gibon.errors import InvalidInput
from gibon.kit.crypto import normalize_rrn

FIELDS = ("rrn", "indicator", "observed_on")
ENCODINGS = ("utf-8", "cp949", "auto")
MAPPING_EXAMPLE = "columns: {rrn: 주민등록번호, indicator: 위기정보, observed_on: 기준일자}"


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    encoding: str = "auto"
    date_format: str = "%Y-%m-%d"
    codes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    number: int  # line in the file (the header is line 1)
    rrn: str
    indicator: str
    observed_on: date
    values: dict[str, str]


@dataclass(frozen=True)
class Reject:
    number: int
    values: dict[str, str]
    errors: list[str]


def parse_mapping(text: str, where: str) -> Mapping:
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        raise InvalidInput(
            "매핑 파일이 YAML이 아닙니다", where=where, example=MAPPING_EXAMPLE
        ) from None
    cols = raw.get("columns") if isinstance(raw, dict) else None
    if not isinstance(cols, dict) or any(not isinstance(cols.get(f), str) for f in FIELDS):
        raise InvalidInput(
            "매핑에는 columns 아래 rrn, indicator, observed_on 열 이름이 있어야 합니다",
            where=f"{where}: columns",
            example=MAPPING_EXAMPLE,
        )
    encoding = str(raw.get("encoding") or "auto").lower().replace("_", "-")
    if encoding not in ENCODINGS:
        raise InvalidInput(
            "encoding은 utf-8, cp949, auto 중 하나입니다",
            where=f"{where}: encoding",
            example="cp949",
        )
    codes = {str(k): str(v) for k, v in (raw.get("indicators") or {}).items()}
    for code, ind in codes.items():
        indicators.require(ind, f"{where}: indicators.{code}")
    return Mapping(
        columns={f: str(cols[f]) for f in FIELDS},
        encoding=encoding,
        date_format=str(raw.get("date_format") or "%Y-%m-%d"),
        codes=codes,
    )


def decode(data: bytes, encoding: str, where: str) -> tuple[str, str]:
    """(text, encoding used): 'auto' tries UTF-8 (with or without BOM), then CP949."""
    tries = ["utf-8-sig", "cp949"] if encoding == "auto" else [_codec(encoding)]
    for codec in tries:
        try:
            return data.decode(codec), ("cp949" if codec == "cp949" else "utf-8")
        except UnicodeDecodeError:
            continue
    raise InvalidInput(
        f"파일을 {encoding}(으)로 읽을 수 없습니다", where=where, example="encoding: cp949"
    )


def _codec(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding


def read(
    data: bytes, mapping: Mapping, where: str, today: date
) -> tuple[list[Row], list[Reject], list[str], str]:
    """(good rows, rejects, header, encoding used); a missing column stops the whole file."""
    text, used = decode(data, mapping.encoding, where)
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    missing = [c for c in mapping.columns.values() if c not in header]
    if missing:
        raise InvalidInput(
            f"파일에 '{missing[0]}' 열이 없습니다 (있는 열: {', '.join(header[:8])})",
            where=f"{where}: 1행",
            example=MAPPING_EXAMPLE,
        )
    good: list[Row] = []
    bad: list[Reject] = []
    for number, values in enumerate(reader, start=2):
        row, errors = check_row(number, values, mapping, today)
        if row is not None:
            good.append(row)
        else:
            bad.append(Reject(number, {k: v or "" for k, v in values.items() if k}, errors))
    return good, bad, header, used


def check_row(
    number: int, values: dict[str, Any], mapping: Mapping, today: date
) -> tuple[Row | None, list[str]]:
    cols = mapping.columns
    errors: list[str] = []
    rrn = str(values.get(cols["rrn"]) or "").strip()
    try:
        rrn = normalize_rrn(rrn)
    except InvalidInput:
        errors.append(
            f"{number}행 '{cols['rrn']}' 열: 주민등록번호는 13자리 숫자입니다 (예: 580302-2345678)"
        )
    code = str(values.get(cols["indicator"]) or "").strip()
    indicator = mapping.codes.get(code, code)
    if indicator not in indicators.catalogue():
        errors.append(
            f"{number}행 '{cols['indicator']}' 열: 알 수 없는 위기정보 '{code[:30]}' (예: power_cut)"
        )
    observed = _date(str(values.get(cols["observed_on"]) or "").strip(), mapping.date_format)
    if observed is None:
        errors.append(
            f"{number}행 '{cols['observed_on']}' 열: 날짜 형식이 틀립니다 (형식 {mapping.date_format})"
        )
    elif observed > today:
        errors.append(
            f"{number}행 '{cols['observed_on']}' 열: 미래 날짜입니다 ({observed.isoformat()})"
        )
    if errors or observed is None:
        return None, errors
    return Row(number, rrn, indicator, observed, {k: v or "" for k, v in values.items() if k}), []


def _date(text: str, fmt: str) -> date | None:
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def rejects_csv(header: list[str], rejects: list[Reject], encoding: str) -> bytes:
    """The rejected rows as the officer sent them, plus an 오류 column; same encoding, so the
    fixed file imports again with the same mapping."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, "오류"])
    for r in rejects:
        writer.writerow([*(r.values.get(h, "") for h in header), " / ".join(r.errors)])
    return out.getvalue().encode("utf-8-sig" if encoding == "utf-8" else "cp949", errors="replace")
