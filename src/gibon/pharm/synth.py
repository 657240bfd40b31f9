"""Synthetic twelve-month dispensing histories that follow each person's conditions (never real).

Each chronic condition brings the regimens Korean clinics commonly use for it, refilled every
28-90 days with realistic gaps; a few short courses (colds, pain flares) and the well-known risky
habits (NSAIDs for knee pain, sleeping pills, first-generation antihistamines) appear at rates
chosen for a demo, not measured ones (docs/pharm.md says so).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import polars as pl

from gibon.pharm import schemas
from gibon.pharm.labs import Assessments, Labs, Vitals
from gibon.pharm.schemas import ReviewInput

Regimen = tuple[str, str, str]  # drug, strength, sig
ONCE, TWICE, THRICE = "1정 1일 1회 아침 식후", "1정 1일 2회 아침·저녁 식후", "1정 1일 3회 식후"

CONDITION_DRUGS: dict[str, tuple[str, list[list[Regimen]]]] = {
    "I10": (
        "내과",
        [
            [("amlodipine", "5 mg", ONCE)],
            [("losartan", "50 mg", ONCE)],
            [("amlodipine + valsartan", "5 mg/80 mg", ONCE)],
            [("telmisartan", "40 mg", ONCE), ("hydrochlorothiazide", "12.5 mg", ONCE)],
            [("nifedipine", "30 mg 서방정", ONCE)],
        ],
    ),
    "E11": (
        "내과",
        [
            [("metformin", "500 mg", TWICE), ("glimepiride", "2 mg", ONCE)],
            [("metformin", "500 mg", TWICE), ("sitagliptin", "100 mg", ONCE)],
            [("metformin", "1000 mg", TWICE), ("dapagliflozin", "10 mg", ONCE)],
        ],
    ),
    "E78": (
        "내과",
        [
            [("atorvastatin", "10 mg", "1정 1일 1회 저녁 식후")],
            [("rosuvastatin", "10 mg", ONCE)],
            [("rosuvastatin + ezetimibe", "5 mg/10 mg", ONCE)],
        ],
    ),
    "J44": (
        "호흡기내과",
        [
            [("tiotropium", "2.5 mcg", "1일 1회 2흡입")],
            [("montelukast", "10 mg", "1정 1일 1회 취침 전"), ("doxofylline", "400 mg", TWICE)],
        ],
    ),
    "M17": (
        "정형외과",
        [
            [("loxoprofen", "60 mg", THRICE), ("rebamipide", "100 mg", THRICE)],
            [("aceclofenac", "100 mg", TWICE), ("eperisone", "50 mg", THRICE)],
            [("celecoxib", "200 mg", ONCE)],
            [("tramadol + acetaminophen", "37.5 mg/325 mg", TWICE)],
        ],
    ),
    "I63": (
        "신경과",
        [
            [("aspirin", "100 mg", ONCE), ("atorvastatin", "20 mg", ONCE)],
            [("clopidogrel", "75 mg", ONCE), ("rosuvastatin", "10 mg", ONCE)],
        ],
    ),
    "F32": (
        "정신건강의학과",
        [
            [("escitalopram", "10 mg", ONCE), ("alprazolam", "0.25 mg", "1정 1일 2회")],
            [("sertraline", "50 mg", ONCE), ("zolpidem", "10 mg", "1정 1일 1회 취침 전")],
            [("mirtazapine", "15 mg", "1정 1일 1회 취침 전")],
        ],
    ),
    "F03": (
        "신경과",
        [
            [("donepezil", "5 mg", "1정 1일 1회 취침 전")],
            [("donepezil", "10 mg", ONCE), ("quetiapine", "25 mg", "1정 1일 1회 취침 전")],
            [("galantamine", "8 mg", ONCE)],
        ],
    ),
    "N18": (
        "신장내과",
        [[("calcium carbonate", "500 mg", THRICE)], [("alfacalcidol", "0.5 mcg", ONCE)]],
    ),
}
EXTRAS: list[tuple[float, str, list[Regimen], int]] = [  # probability, clinic, drugs, days
    (
        0.35,
        "이비인후과",
        [("chlorpheniramine", "2 mg", THRICE), ("acetaminophen", "500 mg", THRICE)],
        5,
    ),
    (0.15, "이비인후과", [("amoxicillin + clavulanic acid", "500 mg/125 mg", THRICE)], 7),
    (0.2, "가정의학과", [("zolpidem", "10 mg", "1정 1일 1회 취침 전")], 30),
    (0.2, "내과", [("esomeprazole", "20 mg", "1정 1일 1회 아침 식전")], 60),
    (0.12, "한의원 옆 의원", [("diclofenac", "25 mg", THRICE)], 14),
    (0.1, "비뇨의학과", [("solifenacin", "5 mg", ONCE)], 60),
    (0.1, "내과", [("magnesium oxide", "500 mg", THRICE)], 30),
]


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``: the same draw from the same stream (randint is randrange is
    ``low + _randbelow(high - low + 1)``), without two layers of argument checks per draw; the
    screen draws about thirty a person. A test checks it against ``randint``."""
    return low + rng._randbelow(high - low + 1)  # type: ignore[attr-defined,no-any-return]


def _fills(
    rng: random.Random, start: date, end: date, days: int, adherence: float
) -> list[tuple[date, int]]:
    out, day = [], start
    while day <= end:
        out.append((day, days))
        day += timedelta(days=days + (0 if rng.random() < adherence else _between(rng, 5, 40)))
    return out


Row = tuple[date, str, str, str, int, str, str]  # day, drug, strength, sig, days, clinic, pharmacy


def _year(person: dict[str, Any], seed: int, review_date: date) -> tuple[list[Row], dict[str, Any]]:
    """One person's dispensings (in date order) and patient record, drawn from one seeded stream."""
    rng = random.Random(f"{seed}:{person['person_id']}")
    start = review_date - timedelta(days=364)
    adherence = rng.uniform(0.6, 0.98)
    rows: list[Row] = []
    for code in person["conditions"]:
        clinic, options = CONDITION_DRUGS.get(code[:3], ("", []))
        if options:
            regimen = rng.choice(options)
            where = f"{clinic}{_between(rng, 1, 3)}"
            for day, days in _fills(
                rng,
                start + timedelta(days=_between(rng, 0, 40)),
                review_date,
                rng.choice((28, 30, 60, 90)),
                adherence,
            ):
                rows += [_row(day, d, s, g, days, where, rng) for d, s, g in regimen]
    for p, clinic, regimen, days in EXTRAS:
        if rng.random() < p:
            day = start + timedelta(days=_between(rng, 0, 330))
            rows += [
                _row(day, d, s, g, days, f"{clinic}{_between(rng, 1, 2)}", rng)
                for d, s, g in regimen
            ]
    patient = _patient(person, rng)
    return sorted(rows, key=lambda r: r[0]), patient


def history(person: dict[str, Any], seed: int, review_date: date) -> dict[str, Any]:
    """One person's review input (our JSON shape) with about a year of dispensings."""
    rows, patient = _year(person, seed, review_date)
    return {
        "patient": patient,
        "review_date": review_date.isoformat(),
        "dispensings": [dict(zip(ROW_FIELDS, _json_row(r), strict=True)) for r in rows],
    }


def review_input(person: dict[str, Any], seed: int, review_date: date) -> ReviewInput:
    """``history`` already read: the same year as a review input, built without re-validation.

    gibon wrote every value itself in the form validation would give (ISO dates, upper-case codes,
    names without stray spaces, days within 1-365), so the screen skips Pydantic here; user input
    always goes through ``inputs``. A test checks this equals ``inputs.from_data(history(...))``.
    """
    rows, p = _year(person, seed, review_date)
    patient = schemas.trusted(schemas.Patient, _typed_patient(p))
    dispensings = [schemas.trusted(schemas.Dispensing, _typed_row(r)) for r in rows]
    return schemas.trusted(
        ReviewInput, {"patient": patient, "review_date": review_date, "dispensings": dispensings}
    )


ROW_FIELDS = ("date", "drug", "strength", "sig", "days_supply", "prescriber", "pharmacy")


def _json_row(r: Row) -> tuple[Any, ...]:
    return (r[0].isoformat(), *r[1:])


_NO_MEASUREMENTS = {  # frozen models: one empty instance serves every synthetic person
    "labs": Labs(),
    "vitals": Vitals(),
    "assessments": Assessments(),
}


def _typed_patient(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p["id"],
        "name": None,
        "age": None,
        "birth_date": date.fromisoformat(p["birth_date"]),
        "sex": p["sex"],
        "weight_kg": p["weight_kg"],
        "scr_mg_dl": p["scr_mg_dl"],
        "conditions": [
            schemas.trusted(schemas.Condition, {"code": c, "label": None}) for c in p["conditions"]
        ],
        "pregnant": False,
        "falls_last_year": p["falls_last_year"],
        "lives_alone": p["lives_alone"],
        "medical_aid": p["medical_aid"],
        **_NO_MEASUREMENTS,
        "vaccinations": None,
    }


def _typed_row(r: Row) -> dict[str, Any]:
    day, drug, strength, sig, days, clinic, pharmacy = r
    return {
        "date": day,
        "drug": drug,
        "drug_ko": None,
        "atc": None,
        "strength": strength,
        "sig": sig,
        "daily_dose": None,
        "days_supply": days,
        "quantity": None,
        "prescriber": clinic,
        "pharmacy": pharmacy,
    }


def _row(
    day: date, drug: str, strength: str, sig: str, days: int, clinic: str, rng: random.Random
) -> Row:
    return (day, drug, strength, sig, days, clinic, PHARMACIES[_between(rng, 1, 3)])


PHARMACIES = {n: f"약국{n}" for n in (1, 2, 3)}


def _patient(person: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    ckd = any(c.startswith("N18") for c in person["conditions"])
    return {
        "id": person["person_id"],
        "birth_date": str(person["birth_date"]),
        "sex": person["sex"],
        "weight_kg": round(rng.uniform(42, 78), 1),
        "scr_mg_dl": round(rng.uniform(1.3, 2.6) if ckd else rng.uniform(0.6, 1.2), 2),
        "conditions": list(person["conditions"]),
        "falls_last_year": 1 if rng.random() < 0.2 else 0,
        "lives_alone": bool(person.get("living_alone", False)),
        "medical_aid": bool(person.get("medical_aid", False)),
    }


def people(seed: int, persons: int, min_age: int, review_date: date) -> list[dict[str, Any]]:
    """Older persons with at least one condition, from the synthetic population.

    ``medical_aid`` is the household's 의료급여 eligibility computed by gibon.benefits (2026 rules)
    on the same synthetic data; an undetermined household counts as not eligible.
    """
    from gibon import benefits, population

    pop = population.generate(seed, persons=persons)
    month = f"{review_date.year}-{review_date.month:02d}"
    aid = benefits.calculate_population(pop.households, pop.persons, month).select(
        "household_id", pl.col("medical_aid_eligible").fill_null(False).alias("medical_aid")
    )
    df = pop.persons.join(
        pop.households.select("household_id", "living_alone"), on="household_id", how="left"
    )
    df = df.join(aid, on="household_id", how="left")
    cutoff = date(review_date.year - min_age, review_date.month, min(review_date.day, 28))
    df = df.filter((df["birth_date"] <= cutoff) & (df["conditions"].list.len() > 0))
    cols = ("person_id", "birth_date", "sex", "conditions", "living_alone", "medical_aid")
    return df.select(*cols).to_dicts()
