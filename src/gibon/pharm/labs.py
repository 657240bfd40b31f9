"""Optional measurements on the patient: lab values and vital signs, each with its date.

Only what a criterion reads is accepted (STOPP/START v3 potassium, sodium, calcium, heart rate,
blood pressure, QTc, vitamin D, ferritin, ejection fraction, NYHA class, frailty, pain); anything else is an error naming the
field, so a typo is never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


@dataclass(frozen=True)
class Spec:
    label_ko: str
    unit: str
    low: float
    high: float
    loinc: tuple[str, ...]


LABS: dict[str, Spec] = {
    "potassium_mmol_l": Spec("혈청 칼륨", "mmol/L", 1.0, 10.0, ("2823-3", "6298-4")),
    "sodium_mmol_l": Spec("혈청 나트륨", "mmol/L", 90.0, 200.0, ("2951-2", "2947-0")),
    # Albumin-corrected calcium when known (STOPP B9 uses corrected calcium); total otherwise.
    "calcium_mmol_l": Spec("혈청 칼슘(보정)", "mmol/L", 0.5, 5.0, ("29265-6", "2000-8", "17861-6")),
    "vitamin_d_ng_ml": Spec("25-OH 비타민 D", "ng/mL", 1.0, 200.0, ("1989-3", "62292-8")),
    "ferritin_ng_ml": Spec("혈청 페리틴", "ng/mL", 1.0, 5000.0, ("2276-4",)),
}
VITALS: dict[str, Spec] = {
    "heart_rate_bpm": Spec("심박수", "/min", 15.0, 250.0, ("8867-4",)),
    "systolic_bp_mmhg": Spec("수축기 혈압", "mmHg", 40.0, 300.0, ("8480-6",)),
    "diastolic_bp_mmhg": Spec("이완기 혈압", "mmHg", 20.0, 200.0, ("8462-4",)),
    "qtc_ms": Spec("교정 QT 간격(QTc)", "ms", 250.0, 800.0, ("8636-3",)),
}
# Clinical assessments a criterion names (STOPP B1/B2/B16/L1, START B5-B7, B9): echocardiographic
# ejection fraction, NYHA class, Clinical Frailty Scale (Rockwood 2005, 1-9), pain 0-10 (NRS).
ASSESSMENTS: dict[str, Spec] = {
    "lvef_pct": Spec("좌심실 박출률(LVEF)", "%", 5.0, 90.0, ("10230-1", "8806-2")),
    "nyha_class": Spec("NYHA 심기능 등급", "class", 1.0, 4.0, ()),
    "clinical_frailty_scale": Spec("임상노쇠척도(CFS)", "score", 1.0, 9.0, ()),
    "pain_nrs": Spec("통증 숫자평가척도(NRS)", "0-10", 0.0, 10.0, ("72514-3",)),
}
ALL: dict[str, Spec] = {**LABS, **VITALS, **ASSESSMENTS}
LOINC: dict[str, str] = {code: name for name, spec in ALL.items() for code in spec.loinc}
MG_DL_CALCIUM_TO_MMOL_L = 0.2495  # 1 mg/dL calcium = 0.2495 mmol/L (40.08 g/mol)

EXAMPLE = '{"potassium_mmol_l": {"value": 4.2, "date": "2026-02-20"}, "sodium_mmol_l": 138}'


class Measurement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float
    date: dt.date | None = None  # None: taken as measured on the review date


def _parse(name: str, value: Any) -> Any:
    """A number, {"value", "date"}, or the CSV form "5.1@2026-02-01"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": value}
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)\s*(?:@\s*(\S+))?\s*", value)
        if not m:
            raise ValueError(f"{name}: not a number {value!r} (CSV form: 5.1 or 5.1@2026-02-01)")
        return {"value": float(m.group(1)), "date": m.group(2)}
    return value


def _validate(group: dict[str, Spec], data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    unknown = sorted(set(data) - set(group))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}; known fields: {', '.join(group)}")
    out = {k: _parse(k, v) for k, v in data.items() if v not in (None, "")}
    for k, v in out.items():
        number = v.get("value") if isinstance(v, dict) else None
        if isinstance(number, int | float) and not group[k].low <= number <= group[k].high:
            spec = group[k]
            raise ValueError(f"{k} = {number} is outside {spec.low:g}-{spec.high:g} {spec.unit}")
    return out


class Labs(BaseModel):
    """Serum values in SI units."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    potassium_mmol_l: Measurement | None = None
    sodium_mmol_l: Measurement | None = None
    calcium_mmol_l: Measurement | None = None
    vitamin_d_ng_ml: Measurement | None = None
    ferritin_ng_ml: Measurement | None = None

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        return _validate(LABS, data)


class Vitals(BaseModel):
    """Vital signs and the ECG QTc interval."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    heart_rate_bpm: Measurement | None = None
    systolic_bp_mmhg: Measurement | None = None
    diastolic_bp_mmhg: Measurement | None = None
    qtc_ms: Measurement | None = None

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        return _validate(VITALS, data)


class Assessments(BaseModel):
    """Clinical assessments: ejection fraction, NYHA class, Clinical Frailty Scale, pain score."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lvef_pct: Measurement | None = None
    nyha_class: Measurement | None = None
    clinical_frailty_scale: Measurement | None = None
    pain_nrs: Measurement | None = None

    @model_validator(mode="before")
    @classmethod
    def _check(cls, data: Any) -> Any:
        return _validate(ASSESSMENTS, data)


def group_of(name: str) -> str:
    return "labs" if name in LABS else "vitals" if name in VITALS else "assessments"
