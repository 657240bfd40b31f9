"""Registered disability, chronic conditions (ICD-10), long-term-care grade and pregnancy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gibon.population._alloc import (
    FloatArray,
    IntArray,
    largest_remainder,
    pick_exact,
    step_lookup,
)
from gibon.population._params import Profile, params

DISABILITY = ("none", "mild", "severe")
LTC_GRADES = ("1", "2", "3", "4", "5", "cognitive")


@dataclass(frozen=True)
class Health:
    disability: IntArray  # index into DISABILITY
    conditions: dict[str, NDArray[np.bool_]]  # ICD-10 code -> who has it
    ltc: IntArray  # index into LTC_GRADES, -1 for none
    pregnant: NDArray[np.bool_]


def _disability(
    rng: np.random.Generator, profile: Profile, age: IntArray, working: NDArray[np.bool_]
) -> IntArray:
    cfg = profile.section("health")
    rate = step_lookup(age, cfg["disability_rate_pct"]["ages"], cfg["disability_rate_pct"]["rate"])
    total = round(len(age) * float(profile.value("disability_share_pct")) / 100)
    disabled = pick_exact(
        rng, rate * _work_odds(cfg, "disabled_work_odds", rate, age, working), total
    )
    sev = cfg["severe_by_age_pct"]
    weight = step_lookup(age, sev["ages"], sev["share"]) / 100
    weight = weight / (1 - weight + 1e-9)  # odds, so older bands stay mostly mild
    idx = np.flatnonzero(disabled)
    severe_n = round(len(idx) * float(cfg["severe_share_pct"]["value"]) / 100)
    odds = _work_odds(cfg, "severe_work_odds", weight[idx], age[idx], working[idx])
    severe = idx[pick_exact(rng, weight[idx] * odds, severe_n)]
    out = np.where(disabled, 1, 0).astype(np.int64)
    out[severe] = 2
    return out


def _work_odds(
    cfg: dict[str, Any], key: str, base: FloatArray, age: IntArray, working: NDArray[np.bool_]
) -> FloatArray:
    """How much less often a person in work is picked than one out of work at the same age.

    Work is drawn before disability, so without this a disabled person works as often as anyone of
    their age. The factors are rescaled within each age band (by the mean over the ``base`` pick
    weights), so each band keeps its share of the picks and only who is picked inside it changes.
    A profile without ``key`` picks as before.
    """
    if key not in cfg:
        return np.ones(len(age))
    spec = cfg[key]
    w = np.where(working, step_lookup(age, spec["ages"], spec["factor"]), 1.0)
    band = np.searchsorted(np.asarray(spec["ages"]), age, side="right")
    mean = np.bincount(band, weights=base * w) / np.maximum(np.bincount(band, weights=base), 1e-12)
    out: FloatArray = w / mean[band]
    return out


def _conditions(
    rng: np.random.Generator, age: IntArray, male: NDArray[np.bool_]
) -> dict[str, NDArray[np.bool_]]:
    cfg = params()["health"]
    out = {}
    for code, row in cfg["conditions"].items():
        p = np.where(
            male,
            step_lookup(age, cfg["bands"], row["male"]),
            step_lookup(age, cfg["bands"], row["female"]),
        )
        if "exact_65plus_pct" in row:  # a sourced share: exactly that many among 65+
            old = age >= 65
            out[code] = pick_exact(
                rng, np.where(old, p, 0.0), round(old.sum() * row["exact_65plus_pct"] / 100)
            )
        else:
            out[code] = rng.random(len(age)) < p / 100 * float(row["factor"])
    return out


def _ltc(
    rng: np.random.Generator,
    profile: Profile,
    age: IntArray,
    male: NDArray[np.bool_],
    dementia: NDArray[np.bool_],
) -> IntArray:
    cfg = params()["health"]
    rate = step_lookup(age, cfg["ltc_rate_pct"]["ages"], cfg["ltc_rate_pct"]["rate"])
    weight = rate * np.where(male, 1.0, 1.3) * np.where(dementia, 4.0, 1.0)
    old = int((age >= 65).sum())
    total = round(old * float(profile.value("ltc_share_of_65plus_pct")) / 100)
    idx = np.flatnonzero(pick_exact(rng, weight, total))
    counts = largest_remainder(
        len(idx), np.array(list(cfg["ltc_grade_pct"]["value"].values()), dtype=np.float64)
    )
    grade = np.full(len(age), -1, dtype=np.int64)
    # 인지지원 goes to people with dementia first; grades 1..5 by a severity score (age, dementia)
    cog = idx[pick_exact(rng, np.where(dementia[idx], 20.0, 1.0), int(counts[5]))]
    grade[cog] = 5
    rest = idx[grade[idx] < 0]
    score = age[rest] + 8 * dementia[rest] + rng.normal(0, 8, len(rest))
    ranked = rest[np.argsort(-score, kind="stable")]
    grade[ranked] = np.repeat(np.arange(5), counts[:5])
    return grade


def _pregnant(
    rng: np.random.Generator, age: IntArray, male: NDArray[np.bool_], partnered: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    cfg = params()["health"]["pregnancy"]
    asfr = step_lookup(age, cfg["ages"], cfg["asfr_per_1000"]) / 1000
    asfr = np.where(age >= 50, 0.0, asfr)
    # about nine in ten births are to married women; most women 25-39 here are unmarried singles
    p = 0.75 * asfr * np.where(partnered, 2.4, 0.25)
    return ~male & (rng.random(len(age)) < p)


def draw(
    rng: np.random.Generator,
    profile: Profile,
    age: IntArray,
    male: NDArray[np.bool_],
    partnered: NDArray[np.bool_],
    working: NDArray[np.bool_],
) -> Health:
    conditions = _conditions(rng, age, male)
    return Health(
        disability=_disability(rng, profile, age, working),
        conditions=conditions,
        ltc=_ltc(rng, profile, age, male, conditions["F03"]),
        pregnant=_pregnant(rng, age, male, partnered),
    )
