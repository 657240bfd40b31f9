"""Stored rows as the API's typed answers (``version_id`` is shown as ``version``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from gibon.care import _schema_base as schema_base
from gibon.care import repository
from gibon.care.assessments import schemas as assessment_schemas
from gibon.care.cases import schemas as case_schemas
from gibon.care.models import Case
from gibon.care.plans import schemas as plan_schemas
from gibon.care.referrals import schemas as referral_schemas

Model = TypeVar("Model", bound=BaseModel)

# The read shape of each step of a case, in the order of ``repository.PATH_MODELS``.
STEP_READS: dict[str, type[schema_base.Out]] = {
    "events": case_schemas.EventRead,
    "consents": case_schemas.ConsentRead,
    "screenings": assessment_schemas.ScreeningRead,
    "assessments": assessment_schemas.AssessmentRead,
    "decisions": assessment_schemas.DecisionRead,
    "plans": plan_schemas.PlanRead,
    "conferences": plan_schemas.ConferenceRead,
    "referrals": referral_schemas.ReferralRead,
    "followups": referral_schemas.FollowUpRead,
}


def row(obj: Any, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:
        out["version" if column.key == "version_id" else column.key] = getattr(obj, column.key)
    out.update(extra)
    return out


def read(model: type[Model], obj: Any, **extra: Any) -> Model:
    """One ORM row as its read model."""
    return model.model_validate(row(obj, **extra))


def with_case_version(session: Session, model: type[Model], obj: Any, case_id: int) -> Model:
    """A step just written, with the case's new version for the client's next step."""
    case = session.get(Case, case_id)
    return read(model, obj, case_version=case.version_id if case else None)


def plain(values: Mapping[Any, Any]) -> dict[str, Any]:
    """``row`` for a query row that is already a mapping of column to value."""
    return {"version" if key == "version_id" else key: value for key, value in values.items()}


def case_path(session: Session, case_id: int) -> dict[str, list[Any]]:
    """Every step of one case, in order (the caller has checked scope and audited the read).

    One query first finds which steps have rows; only those are read (a case has about half of
    its nine steps, and each query costs the server more than its few rows do)."""
    present = repository.steps_with_rows(session, case_id)
    return {
        what: case_step(session, case_id, what) if what in present else []
        for what in repository.PATH_MODELS
    }


def case_step(session: Session, case_id: int, what: str) -> list[Any]:
    """One step of a case (``events``, ``plans``, ...) as read models, as in ``case_path``."""
    model = STEP_READS[what]
    return [model.model_validate(plain(v)) for v in repository.path_rows(session, what, case_id)]
