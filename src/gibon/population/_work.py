"""Student status, employment and monthly market and pension income of each person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gibon.population._alloc import IntArray, categorical, lognormal, step_lookup
from gibon.population._params import Profile

EMPLOYMENT = ("regular", "temporary", "daily", "self_employed", "unemployed", "inactive")
REGULAR, TEMPORARY, DAILY, SELF, UNEMPLOYED, INACTIVE = range(6)


@dataclass(frozen=True)
class Work:
    student: NDArray[np.bool_]
    employment: IntArray
    earned: IntArray
    business: IntArray
    pension: IntArray


def _student(
    rng: np.random.Generator, age: IntArray, male: NDArray[np.bool_], emp: dict[str, Any]
) -> NDArray[np.bool_]:
    cfg = emp["student_pct"]
    pct = np.zeros(len(age))
    for band, rates in cfg.items():
        if band == "source":
            continue
        lo, hi = (int(x) for x in band.split("-"))
        inside = (age >= lo) & (age <= hi)
        pct = np.where(inside, np.where(male, rates["male"], rates["female"]), pct)
    school = (age >= 7) & (age <= 18)
    return school | (rng.random(len(age)) * 100 < pct)


def _employment(
    rng: np.random.Generator,
    age: IntArray,
    male: NDArray[np.bool_],
    student: NDArray[np.bool_],
    alone: NDArray[np.bool_],
    husband: NDArray[np.bool_],
    cfg: dict[str, Any],
) -> IntArray:
    rate = cfg["rate_pct"]
    p = (
        np.where(
            male,
            step_lookup(age, rate["ages"], rate["male"]),
            step_lookup(age, rate["ages"], rate["female"]),
        )
        / 100
    )
    # the published rate covers students too; most students here do not work
    live = cfg["living_alone"]
    p_student = np.where(
        student & (age >= 19), np.where(alone, live["student_work_pct"], 15) / 100, 0.0
    )
    # students are taken out of the 19-29 denominator, so the others work a little more often
    p_other = np.clip(p / np.where((age >= 19) & (age <= 29), 0.92, 1.0), 0, 0.97)
    # people under 65 living alone support themselves: fewer of them are out of work
    factor = live["nonwork_factor"]
    if isinstance(factor, dict):  # a profile may set it by age: {ages: [...], factor: [...]}
        factor = step_lookup(age, factor["ages"], factor["factor"])
    p_other = np.where(alone & (age < 65), 1 - (1 - p_other) * factor, p_other)
    if "husband_nonwork_factor" in cfg:  # a profile may fit married men's higher employment
        prime = husband & (age >= 25) & (age < 60)
        p_other = np.where(prime, 1 - (1 - p_other) * cfg["husband_nonwork_factor"], p_other)
    working = rng.random(len(age)) < np.where(student, p_student, p_other)
    working &= age >= 15
    u = np.where(age < 30, cfg["unemployment_rate_pct"]["age_15_29"], 2.3) / 100
    p_unemp = np.clip(p_other * u / (1 - u) / np.maximum(1 - p_other, 0.03), 0, 0.9)
    unemployed = ~working & ~student & (age >= 15) & (age < 70) & (rng.random(len(age)) < p_unemp)
    status = np.full(len(age), INACTIVE, dtype=np.int64)
    status[unemployed] = UNEMPLOYED
    mix = cfg["status_mix_pct"]
    for key, lo, hi in (("under_30", 0, 29), ("30_59", 30, 59), ("60_plus", 60, 200)):
        idx = np.flatnonzero(working & (age >= lo) & (age <= hi))
        status[idx] = categorical(
            rng, np.array(list(mix[key].values()), dtype=np.float64), len(idx)
        )
    status[working & student] = TEMPORARY  # part-time jobs of students
    return status


def _fewer_jobless(
    rng: np.random.Generator,
    household: IntArray,
    age: IntArray,
    student: NDArray[np.bool_],
    status: IntArray,
    cfg: dict[str, Any],
) -> IntArray:
    """Independent draws leave too many working-age households with nobody in work; in a share
    of them the first member of working age (the head, if of working age) works after all."""
    spec = cfg["jobless_households"]
    lo, hi = int(spec["ages"][0]), int(spec["ages"][1])
    working = status < UNEMPLOYED
    n_households = int(household.max(initial=-1)) + 1
    workers = np.bincount(household, weights=working, minlength=n_households)
    size = np.bincount(household, minlength=n_households)
    able = (age >= lo) & (age <= hi) & ~student & (size[household] >= int(spec.get("min_size", 1)))
    idx = np.flatnonzero(able & (workers[household] == 0))
    first = idx[np.unique(household[idx], return_index=True)[1]]  # members come head first
    chosen = first[rng.random(len(first)) * 100 < float(spec["pct"])]
    out = status.copy()
    mix = cfg["status_mix_pct"]
    for key, a, b in (("under_30", 0, 29), ("30_59", 30, 59), ("60_plus", 60, 200)):
        sel = chosen[(age[chosen] >= a) & (age[chosen] <= b)]
        out[sel] = categorical(rng, np.array(list(mix[key].values()), dtype=np.float64), len(sel))
    return out


def _money(x: NDArray[np.float64]) -> IntArray:
    """Monthly won rounded to 1,000 won."""
    return (np.round(x / 1000) * 1000).astype(np.int64)


def _income(
    rng: np.random.Generator,
    age: IntArray,
    male: NDArray[np.bool_],
    status: IntArray,
    cfg: dict[str, Any],
) -> tuple[IntArray, IntArray, IntArray]:
    n = len(age)
    factor = step_lookup(age, cfg["earned_age_factor"]["ages"], cfg["earned_age_factor"]["factor"])
    factor = factor * np.where(male, 1.0, cfg["earned_female_factor"])
    earned = np.zeros(n)
    floor = cfg.get("minimum_wage", {})
    for code, name in ((REGULAR, "regular"), (TEMPORARY, "temporary"), (DAILY, "daily")):
        idx = np.flatnonzero(status == code)
        med, sigma = cfg["earned"][name]
        earned[idx] = lognormal(rng, med, sigma, len(idx)) * factor[idx]
        if name in floor.get("floors", {}):  # a profile may apply the legal minimum wage
            earned[idx] = np.maximum(earned[idx], floor["monthly"] * floor["floors"][name])
    business = np.zeros(n)
    idx = np.flatnonzero(status == SELF)
    business[idx] = lognormal(rng, cfg["business"][0], cfg["business"][1], len(idx)) * np.sqrt(
        factor[idx]
    )
    pen = cfg["pension"]
    if "receipt_pct_by_age" in pen:  # a profile may set receipt by age (older cohorts less)
        by_age = pen["receipt_pct_by_age"]
        p = step_lookup(age, by_age["ages"], by_age["pct"]) / 100
    else:
        p = (
            np.where(
                age >= 65,
                pen["receipt_pct_65plus"],
                np.where(age >= 55, pen["receipt_pct_55_64"], 0),
            )
            / 100
        )
    gets = rng.random(n) < p
    pension = np.where(
        gets, lognormal(rng, pen["median"], pen["sigma"], n) * np.where(male, 1.3, 0.7), 0.0
    )
    return _money(earned), _money(business), _money(pension)


def draw(
    rng: np.random.Generator,
    profile: Profile,
    age: IntArray,
    male: NDArray[np.bool_],
    alone: NDArray[np.bool_],
    household: IntArray,
    husband: NDArray[np.bool_],
) -> Work:
    emp = profile.section("employment")
    student = _student(rng, age, male, emp)
    status = _employment(rng, age, male, student, alone, husband, emp)
    if "jobless_households" in emp:  # only a profile that fits it draws (Gwanak's draws unchanged)
        (child,) = rng.spawn(1)
        status = _fewer_jobless(child, household, age, student, status, emp)
    cfg = profile.section("income")
    earned, business, pension = _income(rng, age, male, status, cfg)
    if "sole_earner_factor" in cfg:
        earned, business = _sole_earners(household, age, status, earned, business, cfg)
    return Work(student, status, earned, business, pension)


def _sole_earners(
    household: IntArray,
    age: IntArray,
    status: IntArray,
    earned: IntArray,
    business: IntArray,
    cfg: dict[str, Any],
) -> tuple[IntArray, IntArray]:
    """A family that lives on one income under 65 does so because that income suffices more often
    than a random worker's pay would: the sole earner's pay is scaled by a fitted factor."""
    working = (status < UNEMPLOYED) & (age < 65)
    n = int(household.max(initial=-1)) + 1
    size = np.bincount(household, minlength=n)
    workers = np.bincount(household, weights=status < UNEMPLOYED, minlength=n)
    sole = working & (workers[household] == 1) & (size[household] > 1)
    factor: NDArray[np.float64] = np.where(sole, float(cfg["sole_earner_factor"]), 1.0)
    return _money(earned * factor), _money(business * factor)


def property_income(
    rng: np.random.Generator,
    profile: Profile,
    owner_adult: NDArray[np.bool_],
    adult: NDArray[np.bool_],
) -> IntArray:
    """Rent, interest and dividends: more often for adults in owner households."""
    cfg = profile.section("income")["property"]
    base = cfg["receipt_pct"] / 100
    p = np.where(owner_adult, base * 2.2, np.where(adult, base * 0.5, 0.0))
    gets = rng.random(len(adult)) < p
    return _money(np.where(gets, lognormal(rng, cfg["median"], cfg["sigma"], len(adult)), 0.0))
