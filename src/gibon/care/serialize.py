"""ORM rows as plain JSON-ready dicts for the API (``version_id`` is shown as ``version``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from gibon.care import repository
from gibon.care.models import Case


def row(obj: Any, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out["version" if column.key == "version_id" else column.key] = value
    out.update(extra)
    return out


def with_case_version(session: Session, obj: Any, case_id: int) -> dict[str, Any]:
    case = session.get(Case, case_id)
    return row(obj, case_version=case.version_id if case else None)


def plain(values: Mapping[Any, Any]) -> dict[str, Any]:
    """``row`` for a query row that is already a mapping of column to value."""
    return {
        "version" if key == "version_id" else key: value.isoformat()
        if isinstance(value, datetime | date)
        else value
        for key, value in values.items()
    }


def case_path(session: Session, case_id: int) -> dict[str, Any]:
    """Every step of one case, in order (the caller has checked scope and audited the read)."""
    return {what: case_step(session, case_id, what) for what in repository.PATH_MODELS}


def case_step(session: Session, case_id: int, what: str) -> list[dict[str, Any]]:
    """One step of a case (``events``, ``plans``, ...), as in ``case_path``."""
    return [plain(values) for values in repository.path_rows(session, what, case_id)]
