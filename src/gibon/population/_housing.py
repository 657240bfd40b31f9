"""Tenure, dwelling, deposit and rent, and the household's assets and debt.

Exact counts: 고시원 households, 반지하 households by dong, and each tenure's district total.
Who gets them is weighted by the head's age and the household's income rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gibon.population._alloc import (
    FloatArray,
    IntArray,
    categorical,
    largest_remainder,
    lognormal,
    pick_exact,
    pick_exact_groups,
    step_lookup,
)
from gibon.population._params import Profile, params

TENURE = ("owner", "jeonse", "monthly_rent", "public_rental", "free")
OWNER, JEONSE, MONTHLY, PUBLIC, FREE = range(5)
HOUSING = ("apartment", "multi_unit", "detached", "officetel", "semi_basement", "gosiwon")
APARTMENT, MULTI, DETACHED, OFFICETEL, SEMI, GOSIWON = range(6)


@dataclass(frozen=True)
class Housing:
    tenure: IntArray
    housing_type: IntArray
    deposit: IntArray
    monthly_rent: IntArray
    asset_housing: IntArray
    asset_deposits: IntArray
    asset_financial: IntArray
    asset_car: IntArray
    debt: IntArray


def _ln(rng: np.random.Generator, spec: list[float], n: int) -> FloatArray:
    """A lognormal draw from a ``[median, sigma]`` pair in params.yaml."""
    return lognormal(rng, float(spec[0]), float(spec[1]), n)


def _won(x: FloatArray, unit: int) -> IntArray:
    return (np.round(x / unit) * unit).astype(np.int64)


def _special(
    rng: np.random.Generator,
    profile: Profile,
    dong: IntArray,
    size: IntArray,
    head_age: IntArray,
    poor: FloatArray,
) -> IntArray:
    """고시원 (one-person, mostly young) then 반지하 (quota per dong) dwellings; -1 elsewhere."""
    n = len(dong)
    kind = np.full(n, -1, dtype=np.int64)
    gos_n = round(n * float(profile.value("gosiwon_share_pct")) / 100)
    w = np.where(size == 1, step_lookup(head_age, [0, 30, 40, 65], [7, 4, 2.5, 1]), 0.0) * poor
    kind[pick_exact(rng, w, gos_n)] = GOSIWON
    semi_n = round(n * profile.semi_basement_share_of_households(n))
    per_dong = np.bincount(dong, minlength=len(profile.dongs))
    quotas = largest_remainder(semi_n, per_dong * profile.dong_banjiha)
    free = kind < 0
    semi = pick_exact_groups(
        rng,
        np.where(free, poor, 0.0),
        dong,
        np.minimum(quotas, np.bincount(dong[free], minlength=len(quotas))),
    )
    kind[semi & free] = SEMI
    return kind


def _tenure(
    rng: np.random.Generator, profile: Profile, kind: IntArray, head_age: IntArray, rank: FloatArray
) -> IntArray:
    cfg = params()["housing"]
    n = len(kind)
    pct = profile.value("tenure_pct")
    totals = largest_remainder(n, np.array([float(pct[t]) for t in TENURE]))
    tenure = np.full(n, -1, dtype=np.int64)
    tenure[kind == GOSIWON] = MONTHLY
    semi = np.flatnonzero(kind == SEMI)
    mix = cfg["semi_basement_tenure_pct"]
    tenure[semi] = categorical(rng, np.array([float(mix.get(t, 0)) for t in TENURE]), len(semi))
    left = totals - np.bincount(tenure[tenure >= 0], minlength=5)

    def age_w(key: str) -> FloatArray:
        return step_lookup(head_age, cfg[key]["ages"], cfg[key]["weight"])

    weights = {
        PUBLIC: age_w("public_rental_weight_by_head_age") * (1.5 - rank) ** 3,
        OWNER: age_w("owner_weight_by_head_age") * (0.5 + rank),  # elderly own on low incomes
        JEONSE: age_w("jeonse_weight_by_head_age") * (0.5 + rank),
        FREE: np.ones(n),
    }
    for code, w in weights.items():
        open_ = tenure < 0
        tenure[
            pick_exact(rng, np.where(open_, w, 0.0), min(max(int(left[code]), 0), int(open_.sum())))
        ] = code
    tenure[tenure < 0] = MONTHLY
    return tenure


def _dwelling(
    rng: np.random.Generator, kind: IntArray, tenure: IntArray, size: IntArray
) -> IntArray:
    mix = params()["housing"]["dwelling_pct"]
    out = kind.copy()
    for code, name in enumerate(TENURE):
        idx = np.flatnonzero((out < 0) & (tenure == code))
        p = np.array([float(mix[name][h]) for h in HOUSING[:4]])
        out[idx] = categorical(rng, p, len(idx))
    out[(out == OFFICETEL) & (size > 2)] = MULTI  # officetels are studios and small flats
    return out


def _rent(
    rng: np.random.Generator, tenure: IntArray, htype: IntArray, size: IntArray
) -> tuple[IntArray, IntArray]:
    cfg: dict[str, Any] = params()["housing"]
    n = len(tenure)
    sf = np.array([cfg["size_factor"][min(s, 5)] for s in range(1, 8)], dtype=np.float64)[size - 1]

    def ln(key: str, scale: FloatArray | float) -> FloatArray:
        return lognormal(rng, cfg[key][0], cfg[key][1], n) * scale

    apt = np.where(htype == APARTMENT, 1.6, 1.0)
    semi = htype == SEMI
    deposit = np.select(
        [tenure == JEONSE, tenure == MONTHLY, tenure == PUBLIC],
        [
            ln("jeonse_deposit", sf * apt * np.where(semi, 0.45, 1.0)),
            np.where(semi, ln("semi_basement_deposit", 1.0), ln("monthly_deposit", sf * apt)),
            ln("public_rental_deposit", np.sqrt(sf)),
        ],
        0.0,
    )
    rent = np.select(
        [tenure == MONTHLY, tenure == PUBLIC],
        [
            np.where(
                semi,
                ln("semi_basement_rent", np.sqrt(sf)),
                ln("monthly_rent", np.sqrt(sf) * np.sqrt(apt)),
            ),
            ln("public_rental_rent", np.sqrt(sf)),
        ],
        0.0,
    )
    gos = htype == GOSIWON
    deposit = np.where(gos, 0.0, deposit)
    rent = np.where(gos, ln("gosiwon_rent", 1.0), rent)
    return _won(deposit, 1_000_000), _won(rent, 10_000)


def _assets(
    rng: np.random.Generator,
    profile: Profile,
    tenure: IntArray,
    htype: IntArray,
    size: IntArray,
    head_age: IntArray,
    rank: FloatArray,
    deposit: IntArray,
) -> dict[str, IntArray]:
    cfg, hv = profile.section("assets"), profile.section("housing")["house_value"]
    n = len(tenure)
    owner = tenure == OWNER
    value = np.zeros(n)
    for code, name in (
        (APARTMENT, "apartment"),
        (MULTI, "multi_unit"),
        (DETACHED, "detached"),
        (SEMI, "multi_unit"),
    ):
        idx = np.flatnonzero(owner & (htype == code))
        value[idx] = lognormal(rng, hv[name][0], hv[name][1], len(idx)) * (
            0.45 if code == SEMI else 1.0
        )
    fin = lognormal(rng, cfg["financial"][0], cfg["financial"][1], n) * (0.3 + 1.4 * rank)
    fin *= step_lookup(head_age, [0, 30, 40, 60], [0.3, 0.8, 1.2, 1.3])
    fin = np.where(rng.random(n) < 0.08, 0.0, fin)
    renter = np.isin(tenure, [JEONSE, MONTHLY, PUBLIC])
    has_debt = rng.random(n) * 100 < np.where(
        owner, cfg["debt_pct"]["owner"], cfg["debt_pct"]["renter"]
    )
    debt = np.where(
        owner,
        _ln(rng, cfg["debt"]["owner"], n),
        _ln(rng, cfg["debt"]["renter"], n),
    )
    debt = np.where(tenure == JEONSE, np.minimum(debt + 0.4 * deposit, 0.8 * deposit), debt)
    car_w = np.where(size == 1, np.where((head_age >= 35) & (head_age < 65), 35, 15), 65) * (
        0.4 + rank
    )
    cars = pick_exact(rng, car_w, round(n * float(profile.value("car_share_pct")) / 100))
    car = np.where(cars, _ln(rng, cfg["car_value"], n), 0.0)
    return {
        "asset_housing": _won(value, 1_000_000),
        "asset_deposits": np.where(renter, deposit, 0).astype(np.int64),
        "asset_financial": _won(fin, 10_000),
        "asset_car": _won(car, 10_000),
        "debt": _won(np.where(has_debt, debt, 0.0), 10_000),
    }


def draw(
    rng: np.random.Generator,
    profile: Profile,
    dong: IntArray,
    size: IntArray,
    head_age: IntArray,
    income: IntArray,
) -> Housing:
    n = len(dong)
    per_head = income / np.sqrt(size)  # equivalised, the usual square-root scale
    rank = (
        np.argsort(np.argsort(per_head + rng.random(n), kind="stable"), kind="stable") + 0.5
    ) / max(n, 1)
    poor = (1.2 - rank) ** 2
    kind = _special(rng, profile, dong, size, head_age, poor)
    tenure = _tenure(rng, profile, kind, head_age, rank)
    htype = _dwelling(rng, kind, tenure, size)
    deposit, rent = _rent(rng, tenure, htype, size)
    assets = _assets(rng, profile, tenure, htype, size, head_age, rank, deposit)
    return Housing(tenure, htype, deposit, rent, **assets)
