"""The dispensings a pharmacist enters for a visit: upload, type, correct, delete, then review.

Rows are kept as text, so an uploaded file with a bad row keeps every row: the bad ones are shown
with the field and reason in Korean until they are corrected or deleted. The review runs only on a
draft without errors and is stored on the visit. Only flush; the request commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from gibon.kit import dates
from gibon.pharm import inputs, labels, repository, rows, service
from gibon.pharm.models import Draft, DraftRow, Visit
from gibon.pharm.schemas import Dispensing, Patient

MAX_UPLOAD_BYTES = 2_000_000
MAX_ROWS = 2_000
TYPED = "직접 입력"


@dataclass
class RowView:
    row: DraftRow
    number: int
    errors: list[rows.RowError]
    ingredients: str = ""  # the Korean ingredient names the review will read the drug as


@dataclass
class DraftView:
    visit: Visit
    draft: Draft | None
    review_date: date
    items: list[RowView] = field(default_factory=list)

    @property
    def bad(self) -> list[RowView]:
        return [r for r in self.items if r.errors]

    @property
    def version(self) -> int:
        return self.draft.version_id if self.draft else 0


def _audit(db: Session, user: User, action: str, visit_id: int, detail: str) -> None:
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action=action,
        resource="pharm_draft",
        resource_id=str(visit_id),
        purpose="방문약료 조제기록 입력",
        detail=detail,
    )


def view(db: Session, user: User, visit_id: int, today: date) -> DraftView:
    """The visit's draft, every row checked (a read of personal data: audited by get_visit)."""
    visit = service.get_visit(db, user, visit_id, "조제기록 입력 조회")
    draft = repository.draft(db, visit_id)
    when = (draft.review_date if draft else None) or today
    out = DraftView(visit, draft, when)
    if draft is not None:
        for n, r in enumerate(repository.draft_rows(db, draft.id), start=1):
            errors = rows.check(_values(r), when)[1]
            out.items.append(RowView(r, n, errors, rows.ingredients_ko(r.drug, r.drug_ko, r.atc)))
    return out


def _values(r: DraftRow) -> dict[str, str | None]:
    return {name: getattr(r, name) for name in rows.FIELDS}


def _open_draft(db: Session, user: User, visit_id: int, purpose: str) -> Draft:
    visit = service.get_visit(db, user, visit_id, purpose)
    if visit.status == "closed":
        raise InvalidTransition("종결된 방문에는 조제 기록을 넣을 수 없습니다", where="status")
    draft = repository.draft(db, visit_id)
    if draft is None:
        draft = Draft(visit_id=visit_id, patient={}, uploads=[])
        db.add(draft)
        db.flush()
    return draft


def _check_version(draft: Draft, version: int | None) -> None:
    if version is not None and version != draft.version_id:
        raise Conflict(
            "다른 사람이 먼저 이 조제 기록을 고쳤습니다. 새로 고친 화면에서 다시 하세요",
            where="version",
            details={"yours": version, "current": draft.version_id},
        )


def _touch(draft: Draft) -> None:
    draft.modified_at = utcnow()  # bumps version_id: the next stale form is refused


def upload(
    db: Session, user: User, visit_id: int, name: str, content: bytes, today: date
) -> tuple[int, int]:
    """Read a CSV, JSON or FHIR R4 Bundle file into the draft; (rows added, rows with errors)."""
    if not content:
        raise InvalidInput("빈 파일입니다", where="파일", example="조제기록.csv")
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput("파일이 2MB보다 큽니다", where="파일", example="최근 12개월 조제 기록")
    draft = _open_draft(db, user, visit_id, "조제기록 파일 올리기")
    digest = hashlib.sha256(content).hexdigest()
    if digest in draft.uploads:
        raise Conflict("이미 올린 파일입니다 (같은 내용은 두 번 넣지 않습니다)", where=name)
    raw = inputs.read_upload(name, content)
    if len(raw.rows) > MAX_ROWS:
        raise InvalidInput(f"행이 {MAX_ROWS}개보다 많습니다", where=name)
    draft.patient = {**draft.patient, **_patient(raw.patient, name)}
    if raw.review_date:
        draft.review_date = dates.parse(raw.review_date, f"{name} 검토 기준일")
    start = repository.last_position(db, draft.id)
    for i, values in enumerate(raw.rows, start=1):
        db.add(_row(draft, start + i, f"{name} {i}행"[:120], rows.clean(values)))
    draft.uploads = [*draft.uploads, digest]
    _touch(draft)
    db.flush()
    when = draft.review_date or today
    bad = sum(1 for v in raw.rows if rows.check(rows.clean(v), when)[1])
    _audit(db, user, "upload", visit_id, f"rows={len(raw.rows)} bad={bad}")
    return len(raw.rows), bad


def _patient(values: dict[str, Any], name: str) -> dict[str, Any]:
    """The file's patient fields, checked now (a bad header refuses the file; nothing is kept)."""
    try:
        Patient.model_validate(values)
    except ValidationError as exc:
        raise labels.invalid(exc, prefix=f"{name} 머리글 ") from None
    return {k: v for k, v in values.items() if v is not None}


def _row(draft: Draft, position: int, source: str, values: dict[str, str | None]) -> DraftRow:
    return DraftRow(draft_id=draft.id, position=position, source=source, **values)


def add_row(
    db: Session, user: User, visit_id: int, values: dict[str, Any], version: int | None
) -> DraftRow:
    draft = _open_draft(db, user, visit_id, "조제기록 직접 입력")
    _check_version(draft, version)
    cleaned = rows.clean(values)
    if not cleaned["drug"] and not cleaned["drug_ko"]:
        raise InvalidInput("약 이름을 입력하세요", where="drug", example=labels.example("drug"))
    row = _row(draft, repository.last_position(db, draft.id) + 1, TYPED, cleaned)
    db.add(row)
    _touch(draft)
    db.flush()
    _audit(db, user, "add_row", visit_id, f"row={row.id}")
    return row


def update_row(
    db: Session, user: User, visit_id: int, row_id: int, values: dict[str, Any], version: int | None
) -> DraftRow:
    draft = _open_draft(db, user, visit_id, "조제기록 고치기")
    _check_version(draft, version)
    row = _existing(db, draft, row_id)
    for name, value in rows.clean(values).items():
        setattr(row, name, value)
    _touch(draft)
    db.flush()
    _audit(db, user, "edit_row", visit_id, f"row={row_id}")
    return row


def delete_row(db: Session, user: User, visit_id: int, row_id: int, version: int | None) -> None:
    draft = _open_draft(db, user, visit_id, "조제기록 지우기")
    _check_version(draft, version)
    db.delete(_existing(db, draft, row_id))
    _touch(draft)
    db.flush()
    _audit(db, user, "delete_row", visit_id, f"row={row_id}")


def _existing(db: Session, draft: Draft, row_id: int) -> DraftRow:
    row = repository.draft_row(db, draft.id, row_id)
    if row is None:
        raise NotFound(
            "이 방문에 없는 조제 기록 행입니다 (이미 지웠을 수 있습니다)", where="row_id"
        )
    return row


def run_review(db: Session, user: User, visit_id: int, today: date) -> Visit:
    """Review the draft's rows and keep the review on the visit; refused while a row is wrong."""
    current = view(db, user, visit_id, today)
    if current.visit.status == "closed":
        raise InvalidTransition("종결된 방문은 다시 검토할 수 없습니다", where="status")
    if not current.items:
        raise InvalidInput(
            "조제 기록이 없습니다 — 파일을 올리거나 한 줄씩 입력하세요",
            where="조제 기록",
            example="조제일 2026-11-02, 약 이름 암로디핀, 투약일수 30",
        )
    if current.bad:
        first = current.bad[0]
        raise InvalidInput(
            f"오류가 있는 행이 {len(current.bad)}개 있습니다 — 고치거나 지운 뒤 검토하세요. "
            f"{first.number}행 {first.errors[0].text}",
            where=f"{first.number}행",
        )
    history = _history(current, today)
    service.store_review(db, current.visit, history)
    _audit(db, user, "review", visit_id, f"rows={len(current.items)}")
    return current.visit


def _history(current: DraftView, today: date) -> dict[str, Any]:
    person = current.visit.person
    register: dict[str, Any] = {
        "id": person.id,
        "name": person.name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
    }
    uploaded = dict(current.draft.patient) if current.draft else {}
    conditions = list(person.conditions or []) + _codes(uploaded.pop("conditions", None))
    dispensings = [
        Dispensing.model_validate(
            {k: v for k, v in _values(item.row).items() if v is not None}
        ).model_dump(mode="json", exclude_none=True)
        for item in current.items
    ]
    return {
        "patient": {**uploaded, **register, "conditions": sorted(set(conditions))},
        "review_date": current.review_date.isoformat(),
        "dispensings": dispensings,
    }


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [c.strip() for c in value.replace(",", ";").split(";") if c.strip()]
    if isinstance(value, list):
        return [str(c.get("code") if isinstance(c, dict) else c) for c in value]
    return []
