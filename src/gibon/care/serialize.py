"""ORM rows as plain JSON-ready dicts for the API (``version_id`` is shown as ``version``)."""

from __future__ import annotations

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


def case_path(session: Session, case_id: int) -> dict[str, Any]:
    """Every step of one case, in order (the caller has checked scope and audited the read)."""
    return {
        "events": [row(e) for e in repository.events(session, case_id)],
        "consents": [row(c) for c in repository.consents(session, case_id)],
        "screenings": [row(s) for s in repository.screenings(session, case_id)],
        "assessments": [row(a) for a in repository.assessments(session, case_id)],
        "decisions": [row(d) for d in repository.decisions(session, case_id)],
        "plans": [row(p) for p in repository.plans(session, case_id)],
        "conferences": [row(c) for c in repository.conferences(session, case_id)],
        "referrals": [
            row(r, provider_name=r.provider.name) for r in repository.referrals(session, case_id)
        ],
        "followups": [row(f) for f in repository.followups(session, case_id)],
    }
