"""Input records (validated with Pydantic) for one medication review."""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gibon.kit import dates as _dates
from gibon.pharm import labs as _labs
from gibon.pharm import sig as _sig
from gibon.pharm import vaccines as _vaccines
from gibon.pharm.labs import Assessments, Labs, Measurement, Vitals

_SEX = {
    "m": "M",
    "male": "M",
    "남": "M",
    "남성": "M",
    "f": "F",
    "female": "F",
    "여": "F",
    "여성": "F",
}


class Condition(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(min_length=1, max_length=16)
    label: str | None = None

    @field_validator("code")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.strip().upper()


class Patient(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    name: str | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    birth_date: date | None = None
    sex: Literal["M", "F"] | None = None
    weight_kg: float | None = Field(default=None, gt=0, le=400)
    scr_mg_dl: float | None = Field(default=None, gt=0, le=30)
    conditions: list[Condition] = Field(default_factory=list)
    pregnant: bool = False
    falls_last_year: int = Field(default=0, ge=0, le=365)
    lives_alone: bool = False
    medical_aid: bool = False
    labs: Labs = Field(default_factory=Labs)
    vitals: Vitals = Field(default_factory=Vitals)
    assessments: Assessments = Field(default_factory=Assessments)
    # None: not known (START vaccine criteria not assessable); []: known, none given
    vaccinations: list[_vaccines.Vaccination] | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat_measurements(cls, data: object) -> object:
        """CSV ``# potassium_mmol_l=5.8`` lines arrive flat: move them under labs / vitals / assessments."""
        if not isinstance(data, dict) or not set(data) & set(_labs.ALL):
            return data
        data = dict(data)
        for name in set(data) & set(_labs.ALL):
            group = _labs.group_of(name)
            data[group] = {**(data.get(group) or {}), name: data.pop(name)}
        return data

    _birth_date = field_validator("birth_date", mode="before")(_dates.coerce)

    @field_validator("vaccinations", mode="before")
    @classmethod
    def _vaccinations(cls, v: object) -> object:
        return _vaccines.parse(v)

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, v: object) -> object:
        return _SEX.get(str(v).strip().lower(), v) if v not in (None, "") else None

    @field_validator("conditions", mode="before")
    @classmethod
    def _codes(cls, v: object) -> object:
        if isinstance(v, str):
            v = [c for c in v.replace(",", ";").split(";") if c.strip()]
        if isinstance(v, list):
            return [{"code": c} if isinstance(c, str) else c for c in v]
        return v

    def age_on(self, when: date) -> int | None:
        if self.birth_date is not None:
            b = self.birth_date
            return when.year - b.year - ((when.month, when.day) < (b.month, b.day))
        return self.age

    def measurement(self, name: str) -> Measurement | None:
        """A lab value, vital sign or assessment by field name (``potassium_mmol_l``, ``lvef_pct`` ...)."""
        # each name belongs to one group: asking the others would go through Pydantic's slow
        # missing-attribute path
        m: Measurement | None = getattr(getattr(self, _labs.group_of(name)), name, None)
        return m

    def has_condition(self, prefixes: tuple[str, ...]) -> list[str]:
        """The patient's codes that start with one of ``prefixes`` (I48 matches I48.0)."""
        return [c.code for c in self.conditions if c.code.replace(".", "").startswith(prefixes)]


class Dispensing(BaseModel):
    model_config = ConfigDict(extra="ignore")

    date: date
    drug: str = Field(min_length=1, max_length=200)
    drug_ko: str | None = None
    atc: str | None = Field(default=None, max_length=10)
    strength: str | None = None
    sig: str | None = None
    daily_dose: str | None = None
    days_supply: int = Field(ge=1, le=365)
    quantity: float | None = Field(default=None, ge=0)
    prescriber: str | None = None
    pharmacy: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _implied_fields(cls, data: object) -> object:
        """Fill what the row implies: drug from drug_ko; days_supply = quantity / units a day."""
        if isinstance(data, dict) and not data.get("drug") and data.get("drug_ko"):
            data = {**data, "drug": data["drug_ko"]}  # a Korean name alone is looked up in Korean
        if (
            isinstance(data, dict)
            and data.get("days_supply") in (None, "")
            and data.get("quantity")
        ):
            per_day = _sig.parse(str(data.get("sig") or "")).units_per_day
            try:
                quantity = float(data["quantity"])
            except (TypeError, ValueError):
                return data
            if per_day and quantity > 0:
                data = {**data, "days_supply": max(1, math.ceil(quantity / per_day))}
        return data

    _date = field_validator("date", mode="before")(_dates.coerce)

    @field_validator("drug")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError("drug name is empty")
        return v


M = TypeVar("M", bound=BaseModel)


def trusted(model: type[M], values: dict[str, Any]) -> M:
    """An instance from values gibon itself wrote, already valid, one for every field.

    What ``model_construct`` does, without its per-field default and alias handling (a quarter of
    the time, and it matters a year of dispensings at a time): only for gibon's own generated
    rows, never for input from people or files.
    """
    obj = model.__new__(model)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class ReviewInput(BaseModel):
    """Validated input; after ``inputs`` has read it, ``review_date`` is always set."""

    model_config = ConfigDict(extra="ignore")

    patient: Patient
    review_date: date | None = None  # defaults to the latest dispensing date
    dispensings: list[Dispensing]

    _review_date = field_validator("review_date", mode="before")(_dates.coerce)


# --- API schemas for the visit workflow (kept apart from the ORM classes in models.py) ---

Decision = Literal["open", "accepted", "dismissed", "prescriber_contacted", "changed"]
VisitStatus = Literal["planned", "visited", "follow_up", "closed"]


class VisitCreate(BaseModel):
    """Plan a visit for a resident; without ``history`` a synthetic year is generated (demo data)."""

    model_config = ConfigDict(extra="forbid")

    person_id: str = Field(min_length=1, max_length=16, examples=["P00000003"])
    planned_on: date | None = None
    history: dict[str, object] | None = None
    # True: no review yet; the pharmacist enters or uploads the dispensings on the visit first.
    empty: bool = False

    _planned_on = field_validator("planned_on", mode="before")(_dates.coerce)


class DecisionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    reason: str = Field(default="", max_length=2000)


class VisitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: VisitStatus
    visited_on: date | None = None
    outcome_note: str = Field(default="", max_length=4000)

    _visited_on = field_validator("visited_on", mode="before")(_dates.coerce)


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_on: date

    _due_on = field_validator("due_on", mode="before")(_dates.coerce)


class FollowUpDone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done_on: date
    outcome: str = Field(min_length=1, max_length=4000)

    _done_on = field_validator("done_on", mode="before")(_dates.coerce)


class VisitRead(BaseModel):
    id: int
    person_id: str
    dong: str
    status: str
    planned_on: date
    visited_on: date | None
    review_date: date
    priority_score: float


class DrugMatch(BaseModel):
    drug: str = Field(examples=["amlodipine"])
    drug_ko: str = Field(examples=["노바스크정"])
    kind: str = Field(examples=["제품"])
    label: str = Field(examples=["노바스크정 (암로디핀)"])


class DraftRowIn(BaseModel):
    """One dispensing as typed: every field is text, checked when the draft is shown or reviewed."""

    model_config = ConfigDict(extra="forbid")

    date: str | None = Field(default=None, max_length=40, examples=["2026.12.07"])
    drug: str | None = Field(default=None, max_length=200, examples=["노바스크정 5mg"])
    drug_ko: str | None = Field(default=None, max_length=200)
    atc: str | None = Field(default=None, max_length=40)
    strength: str | None = Field(default=None, max_length=80)
    sig: str | None = Field(default=None, max_length=200, examples=["1정 1일 1회 아침"])
    daily_dose: str | None = Field(default=None, max_length=80)
    days_supply: str | None = Field(default=None, max_length=40, examples=["30"])
    quantity: str | None = Field(default=None, max_length=40)
    prescriber: str | None = Field(default=None, max_length=200)
    pharmacy: str | None = Field(default=None, max_length=200)
    version: int | None = Field(default=None, ge=0, description="the draft's version you saw")


class DraftRowRead(BaseModel):
    id: int
    number: int
    source: str
    fields: dict[str, str | None]
    ingredients: str
    errors: list[str]


class DraftRead(BaseModel):
    visit_id: int
    version: int
    review_date: date
    rows: list[DraftRowRead]
    rows_with_errors: int


class ResidentSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=2, max_length=40, examples=["김영희", "1944-03-02", "440302-2"])


class ResidentRead(BaseModel):
    id: str
    name: str
    age: int
    sex: str
    dong: str
    address: str
    rrn_masked: str
