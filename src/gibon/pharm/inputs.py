"""Read a review input from JSON, CSV or a FHIR R4 Bundle; every problem names its row and field."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gibon.errors import InvalidInput
from gibon.pharm import fhir, labs, vaccines
from gibon.pharm.schemas import ReviewInput

EXAMPLE_ROW = (
    '{"date": "2026-01-05", "drug": "amlodipine", "sig": "1정 1일 1회", "days_supply": 30}'
)
CSV_COLUMNS = (
    "date",
    "drug",
    "drug_ko",
    "atc",
    "strength",
    "sig",
    "daily_dose",
    "days_supply",
    "quantity",
    "prescriber",
    "pharmacy",
)


def load(path: Path) -> ReviewInput:
    """Read ``path`` (.json, .csv, or a FHIR Bundle in .json) into a validated review input."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput("file not found", where=str(path), example="patient.json") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read file ({exc})", where=str(path)) from None
    if path.suffix.lower() == ".csv":
        return from_csv(text)
    return from_json_text(text, str(path))


def from_json_text(text: str, where: str = "input") -> ReviewInput:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"malformed JSON: {exc.msg}",
            where=f"{where}:{exc.lineno}:{exc.colno}",
            example='{"patient": {...}, "review_date": "2026-03-01", "dispensings": [...]}',
        ) from None
    return from_data(data)


def from_data(data: Any) -> ReviewInput:
    """Validate already-decoded JSON (our own format or a FHIR R4 Bundle)."""
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        data = fhir.bundle_to_input(data)
    if not isinstance(data, dict):
        raise InvalidInput(
            "expected a JSON object with patient and dispensings",
            where="input",
            example='{"patient": {"age": 80}, "dispensings": []}',
        )
    return _validate(dict(data))


def _validate(data: dict[str, Any], rows: dict[int, int] | None = None) -> ReviewInput:
    try:
        review = ReviewInput.model_validate(data)
    except ValidationError as exc:
        raise _error(exc, rows) from None
    if review.review_date is None:
        if not review.dispensings:
            raise InvalidInput(
                "review_date is missing and there are no dispensings",
                where="review_date",
                example="2026-03-01",
            )
        review.review_date = max(d.date for d in review.dispensings)
    _check_dates(review, rows)
    return review


def _error(exc: ValidationError, rows: dict[int, int] | None) -> InvalidInput:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    where = ".".join(loc) or "input"
    if len(loc) >= 2 and loc[0] == "dispensings":
        idx = int(loc[1])
        field = ".".join(loc[2:]) or "row"
        where = f"row {rows[idx]} field {field}" if rows else f"dispensings[{idx}].{field}"
    value = err.get("input")
    shown = f" (got {value!r})" if not isinstance(value, dict | list) else ""
    groups = (["patient", "labs"], ["patient", "vitals"], ["patient", "assessments"])
    example = labs.EXAMPLE if loc[:2] in groups else EXAMPLE_ROW
    if loc[:2] == ["patient", "vaccinations"]:
        example = vaccines.EXAMPLE
    return InvalidInput(f"{err['msg']}{shown}", where=where, example=example)


def _check_dates(review: ReviewInput, rows: dict[int, int] | None) -> None:
    p, when = review.patient, review.review_date
    if when is None:
        raise InvalidInput("review_date is missing", where="review_date", example="2026-03-01")
    if p.birth_date and p.birth_date > when:
        raise InvalidInput("birth_date is after review_date", where="patient.birth_date")
    for name in labs.ALL:
        m = p.measurement(name)
        if m is not None and m.date is not None and m.date > when:
            raise InvalidInput(
                f"{name} is dated {m.date}, after review_date {when}",
                where=f"patient.{labs.group_of(name)}.{name}.date",
                example=labs.EXAMPLE,
            )
    for i, v in enumerate(p.vaccinations or []):
        if v.date is not None and v.date > when:
            raise InvalidInput(
                f"vaccination dated {v.date}, after review_date {when}",
                where=f"patient.vaccinations[{i}].date",
                example=vaccines.EXAMPLE,
            )
    earliest = date(when.year - 2, when.month, 1)
    for i, d in enumerate(review.dispensings):
        if d.date > when:
            raise InvalidInput(
                f"dispensing date {d.date} is after review_date {review.review_date}",
                where=_where(i, "date", rows),
                example="a date on or before review_date",
            )
        if d.date < earliest:
            raise InvalidInput(
                f"dispensing date {d.date} is more than two years before review_date",
                where=_where(i, "date", rows),
                example="the last twelve months",
            )


def parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"not a date: {text!r}", where=where, example="2026-03-01") from None


def _where(i: int, field: str, rows: dict[int, int] | None) -> str:
    return f"row {rows[i]} field {field}" if rows else f"dispensings[{i}].{field}"


@dataclass
class RawInput:
    """A file as read, before validation: patient fields, review date, one dict per dispensing."""

    patient: dict[str, Any] = field(default_factory=dict)
    review_date: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)


def read_csv(text: str) -> RawInput:
    """The CSV parser: dispensings as rows; patient fields as leading ``# key=value`` lines."""
    raw = RawInput()
    body: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            key, sep, value = line[1:].partition("=")
            if not sep:
                raise InvalidInput(
                    "환자 정보 줄은 '# 항목=값' 꼴이어야 합니다",
                    where=f"{n}번째 줄",
                    example="# age=82",
                )
            key, value = key.strip(), value.strip()
            if key == "review_date":
                raw.review_date = value
            else:
                raw.patient[key] = value if value != "" else None
        else:
            body.append(line)
    reader = csv.DictReader(io.StringIO("\n".join(body)))
    if not reader.fieldnames or "drug" not in reader.fieldnames or "date" not in reader.fieldnames:
        raise InvalidInput(
            "CSV 첫 줄(제목 줄)에 적어도 date, drug, days_supply 열이 있어야 합니다",
            where="제목 줄",
            example=",".join(CSV_COLUMNS),
        )
    for i, row in enumerate(reader):
        if None in row:
            raise InvalidInput(
                "값이 제목 줄의 열보다 많습니다 (쉼표가 들어간 값은 따옴표로 감싸세요)",
                where=f"{i + 1}행",
                example='2026-12-07,amlodipine,"1정, 1일 1회",30',
            )
        raw.rows.append({k: (v if v != "" else None) for k, v in row.items()})
    return raw


def read_json(data: Any, strict: bool = True) -> RawInput:
    """The JSON parser (our format or, through ``fhir``, a FHIR R4 Bundle)."""
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        data = fhir.bundle_to_input(data, strict=strict)
    if not isinstance(data, dict) or not isinstance(data.get("dispensings", []), list):
        raise InvalidInput(
            "patient와 dispensings가 있는 JSON 객체여야 합니다",
            where="input",
            example='{"patient": {"age": 80}, "dispensings": []}',
        )
    patient = data.get("patient") or {}
    rows = [r if isinstance(r, dict) else {"drug": r} for r in data.get("dispensings") or []]
    review_date = data.get("review_date")
    return RawInput(
        dict(patient) if isinstance(patient, dict) else {},
        str(review_date) if review_date else None,
        rows,
    )


def read_upload(name: str, content: bytes) -> RawInput:
    """An uploaded file by its name: .csv, else JSON (ours or a FHIR Bundle); rows not validated."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "파일을 UTF-8 글자로 읽을 수 없습니다", where=name, example="UTF-8로 저장한 CSV"
        ) from None
    if name.lower().endswith(".csv") or not text.lstrip().startswith(("{", "[")):
        return read_csv(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"JSON 형식이 아닙니다 ({exc.lineno}행 {exc.colno}열)",
            where=name,
            example='{"patient": {...}, "dispensings": [...]}',
        ) from None
    return read_json(data, strict=False)


def from_csv(text: str) -> ReviewInput:
    """Dispensings as CSV rows; patient fields as leading ``# key=value`` lines."""
    raw = read_csv(text)
    rows = {i: i + 1 for i in range(len(raw.rows))}
    return _validate(
        {"patient": raw.patient, "review_date": raw.review_date, "dispensings": raw.rows}, rows
    )
