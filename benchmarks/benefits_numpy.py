#!/usr/bin/env python
"""The limit reference: 기초연금, 생계급여 and 주거급여 written by hand in plain numpy, beside
gibon's engine computing the same three programs on the same input arrays, in the same process.

The hand-written version is what a programmer would write for this month's rules: the formulas
of ``src/gibon/benefits/programs/{basic_pension,_nbls_income,livelihood,housing_benefit}.yaml``
as numpy expressions, with each unconfirmed value (and each missing input) handled by one pass
at each end of its range — a household whose eligibility or amount differs between the two
passes is undetermined. Both get the same ``Population`` (inputs built once, not timed), warm,
best and median of the same repetitions, CPU and wall. The answers are compared household by
household: amounts must be equal wherever both call a household determined.

Run: python benchmarks/benefits_numpy.py [--repeat 7]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from typing import Any

import numpy as np

MONTH = dt.date(2026, 6, 1)
PROGRAMS = ("basic_pension", "livelihood", "housing_benefit")


class Params:
    """The month's parameters as numbers (``end`` 0 = low end of each range, 1 = high end)."""

    def __init__(self, system: Any, end: int) -> None:
        from gibon.benefits.engine.simulation import size_table

        self.bounds = system.parameter_bounds(MONTH)
        self.end = end
        self.median = self.table(size_table(system, MONTH, "median_income"))
        self.standard_rent = self.table(
            size_table(system, MONTH, "housing_benefit.standard_rent_grade1_seoul")
        )

    def __call__(self, name: str) -> Any:
        lo, hi = self.bounds[name]
        return lo if hi is None or self.end == 0 else hi

    def table(self, t: tuple[np.ndarray, np.ndarray | None]) -> np.ndarray:
        lo, up = t
        return lo if up is None or self.end == 0 else up


def group_sum(values: np.ndarray, index: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(index, weights=values, minlength=n).astype(np.int64)


def basic_pension(pop: Any, p: Params, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Person-level 기초연금 amount and eligibility (기초연금법 제3·5·8조, 시행령 제10·11조)."""
    x = pop.inputs
    hh, cp, n_c = pop.person_household, pop.person_couple, pop.n["couple"]
    q = "basic_pension."
    earned = x["earned_income"]
    income = (
        np.floor(
            np.maximum(0, earned - p(q + "earned_income_basic_deduction"))
            * (1 - p(q + "earned_income_additional_deduction_rate"))
        ).astype(np.int64)
        + x["business_income"]
        + x["pension_income"]
        + x["property_income"]
    )
    deposits = group_sum(x["asset_deposits"], hh, pop.n["household"])
    lease = np.maximum(x["deposit"], deposits)[hh]
    car = x["asset_car"]
    luxury = car >= p(q + "luxury_car_threshold")
    general = x["asset_housing"] + np.where(x["is_head"], lease, 0) + np.where(luxury, 0, car)
    unit_income = group_sum(income, cp, n_c)
    unit_general = group_sum(general, cp, n_c)
    unit_financial = group_sum(x["asset_financial"], cp, n_c)
    unit_debt = group_sum(x["debt"], cp, n_c)
    deduction = np.where(
        x["metro_city"],
        p(q + "basic_asset_deduction.metro"),
        p(q + "basic_asset_deduction.small_city"),
    )[pop.couple_household]
    fin = unit_financial - p(q + "financial_asset_deduction")
    if end == 0:  # the rest of the basic deduction carried to financial assets: lower income
        fin = fin - np.maximum(0, deduction - unit_general)
    base = np.maximum(0, np.maximum(0, unit_general - deduction) + np.maximum(0, fin) - unit_debt)
    rate = p(q + "asset_conversion_rate_annual")
    recognised = (
        unit_income
        + np.floor(base * rate / 12).astype(np.int64)
        + group_sum(np.where(luxury, car, 0), cp, n_c)
    )
    members = np.bincount(cp, minlength=n_c)
    threshold = np.where(
        members == 2, p(q + "selection_threshold_couple"), p(q + "selection_threshold_single")
    )
    candidate = (x["age"] >= p(q + "age_min")) & (recognised <= threshold)[cp]
    std = p(q + "standard_amount")
    pension = x["pension_income"]
    a_benefit = np.where(x["pension_a_benefit"] < 0, 0 if end == 0 else pension, 0)
    a_benefit = np.where(x["pension_a_benefit"] < 0, a_benefit, x["pension_a_benefit"])
    linked = np.where(
        pension <= np.floor(std * p(q + "pension_full_multiple")),
        std,
        np.maximum(
            0,
            np.maximum(
                np.floor(std * p(q + "pension_linkage_multiple")) - pension,
                np.minimum(
                    std,
                    std
                    - np.floor(a_benefit * 2 / 3)
                    + np.floor(std * p(q + "additional_pension_share")),
                ),
            ),
        ),
    ).astype(np.int64)
    both = (np.bincount(cp, weights=candidate, minlength=n_c) == 2)[cp]
    reduced = np.where(
        both, np.floor(linked * (1 - p(q + "couple_reduction_rate"))), linked
    ).astype(np.int64)
    unit_total = group_sum(np.where(candidate, reduced, 0), cp, n_c)[cp]
    rec, thr = recognised[cp], threshold[cp]
    gap = thr - rec
    single_min = np.floor(std * p(q + "min_amount_share_single"))
    couple_min = np.floor(std * p(q + "min_amount_share_couple"))
    amount = np.where(
        candidate,
        np.where(
            both,
            np.where(
                rec + unit_total > thr,
                np.maximum(
                    single_min,
                    np.floor(
                        np.minimum(unit_total, np.maximum(gap, couple_min))
                        * reduced
                        / np.maximum(1, unit_total)
                    ),
                ),
                reduced,
            ),
            np.where(
                rec + reduced > thr, np.minimum(reduced, np.maximum(gap, single_min)), reduced
            ),
        ),
        0,
    ).astype(np.int64)
    return amount, candidate & (amount > 0)


def nbls(pop: Any, p: Params, bp_amount: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """소득인정액 (국민기초생활보장법 제6조의3) and the size's median income, per household."""
    x = pop.inputs
    hh, n = pop.person_household, pop.n["household"]
    q = "nbls.income_recognition."
    age = x["age"]
    youth = x["student"] | ((age >= p(q + "youth_age_min")) & (age <= p(q + "youth_age_max")))
    elderly = (age >= p(q + "elderly_age")) | x["disability_severe"] | x["disability_mild"]
    fixed = np.where(
        youth,
        p(q + "youth_fixed_deduction"),
        np.where(elderly, p(q + "elderly_disabled_fixed_deduction"), 0),
    )
    keep = 1 - p(q + "earned_income_deduction_rate")
    work = np.floor(np.maximum(0, x["earned_income"] - fixed) * keep).astype(np.int64)
    work += np.floor(x["business_income"] * keep).astype(np.int64)
    other = x["pension_income"] + x["property_income"] + x["other_income"] + bp_amount
    evaluated = group_sum(work + other, hh, n)
    owner = x["tenure_owner"]
    housing = group_sum(x["asset_housing"], hh, n)
    lease = np.maximum(x["deposit"], group_sum(x["asset_deposits"], hh, n))
    residential = np.where(owner, housing, 0) + np.where(owner, 0, lease)
    counted = np.minimum(residential, p(q + "residential_asset_cap.seoul"))
    general = np.where(owner, 0, housing) + residential - counted
    financial = group_sum(x["asset_financial"], hh, n)
    car = group_sum(x["asset_car"], hh, n)
    region = x["nbls_region"]
    d = q + "basic_asset_deduction."
    deduction = np.where(
        region == 1,
        p(d + "seoul"),
        np.where(
            region == 2,
            p(d + "gyeonggi"),
            np.where(region == 3, p(d + "metro_sejong_changwon"), p(d + "other")),
        ),
    ) + group_sum(x["debt"], hh, n)
    residential_net = np.maximum(0, counted - deduction)
    carry_1 = np.maximum(0, deduction - counted)
    general_net = np.maximum(0, general - carry_1)
    carry_2 = np.maximum(0, carry_1 - general)
    reserve = p(q + "financial_living_reserve")
    financial_net = np.where(financial > carry_2, np.maximum(0, financial - carry_2 - reserve), 0)
    r = q + "asset_conversion_rate_monthly."
    property_income = (
        np.floor(residential_net * p(r + "residential")).astype(np.int64)
        + np.floor(general_net * p(r + "general")).astype(np.int64)
        + np.floor(financial_net * p(r + "financial")).astype(np.int64)
        + np.floor(car * p(r + "vehicle")).astype(np.int64)
    )
    median = p.median[np.clip(x["size"], 0, 63)]
    return evaluated + property_income, median


def line(median: np.ndarray, rate: float) -> np.ndarray:
    return np.floor(median * rate + 0.5).astype(np.int64)


def one_end(pop: Any, p: Params, end: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Eligibility and amount of the three programs at one end of every range."""
    x = pop.inputs
    n = pop.n["household"]
    hh = pop.person_household
    bp_amount, bp_eligible = basic_pension(pop, p, end)
    recognised, median = nbls(pop, p, bp_amount)
    s = "nbls.selection_rate."
    livelihood_line = line(median, p(s + "livelihood"))
    housing_line = line(median, p(s + "housing"))
    live_ok = recognised <= livelihood_line
    q = "housing_benefit."
    deposit = x["deposit"]
    actual = x["monthly_rent"] + np.where(
        deposit > 0, np.floor(deposit * p(q + "deposit_to_rent_rate_annual") / 12), 0
    ).astype(np.int64)
    base = np.minimum(actual, p.standard_rent[np.clip(x["size"], 0, 63)])
    self_pay = np.where(
        live_ok,
        0,
        np.floor((recognised - livelihood_line) * p(q + "self_pay_rate")),
    ).astype(np.int64)
    renter = x["tenure_jeonse"] | x["tenure_monthly_rent"] | x["tenure_public_rental"]
    rent = np.where(renter, np.maximum(0, base - self_pay), 0)
    hb_ok = (recognised <= housing_line) & (x["tenure_owner"] | (rent > 0))
    return {
        "basic_pension": (
            np.bincount(hh, weights=bp_eligible, minlength=n) > 0,
            group_sum(bp_amount, hh, n),
        ),
        "livelihood": (live_ok, np.where(live_ok, livelihood_line - recognised, 0)),
        "housing_benefit": (hb_ok, np.where(hb_ok, rent, 0)),
    }


def by_hand(pop: Any, low: Params, high: Params) -> dict[str, tuple[np.ndarray, ...]]:
    """Both ends; a household whose results differ between them is undetermined."""
    a, b = one_end(pop, low, 0), one_end(pop, high, 1)
    out = {}
    for pid in PROGRAMS:
        (e0, m0), (e1, m1) = a[pid], b[pid]
        unknown = (e0 != e1) | (m0 != m1)
        out[pid] = (e0 & ~unknown, np.where(unknown, 0, m0), unknown)
    return out


def by_engine(system: Any, pop: Any) -> dict[str, tuple[np.ndarray, ...]]:
    from gibon.benefits import service
    from gibon.benefits.engine.simulation import Simulation

    sim = Simulation(system, pop, MONTH)
    with sim.quiet():
        return {pid: service.outcome(sim, system.program(pid)) for pid in PROGRAMS}


def timed(fn: Any, repeat: int) -> dict[str, float]:
    fn()  # warm
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "wall_s_min": round(min(wall), 4),
        "wall_s_median": round(statistics.median(wall), 4),
        "cpu_s_min": round(min(cpu), 4),
        "cpu_s_median": round(statistics.median(cpu), 4),
    }


def measure(repeat: int) -> dict[str, Any]:
    import gibon.benefits as benefits
    from gibon import population
    from gibon.benefits.engine import inputs

    system = benefits.default_system()
    pop_frames = population.generate(seed=1)
    pop = inputs.from_frames(pop_frames.households, pop_frames.persons, MONTH)
    low, high = Params(system, 0), Params(system, 1)
    engine = by_engine(system, pop)
    hand = by_hand(pop, low, high)
    agree = {}
    for pid in PROGRAMS:
        e, m, u = engine[pid]
        he, hm, hu = hand[pid]
        both = ~u & ~hu
        agree[pid] = {
            "determined_both": int(both.sum()),
            "amount_equal_where_both_determined": bool((m[both] == hm[both]).all()),
            "eligible_equal_where_both_determined": bool((e[both] == he[both]).all()),
            "undetermined_engine": int(u.sum()),
            "undetermined_by_hand": int(hu.sum()),
        }
    # alternate the two in rounds so that load changes hit both alike
    rounds: dict[str, list[dict[str, float]]] = {"engine": [], "numpy": []}
    for _ in range(3):
        rounds["engine"].append(timed(lambda: by_engine(system, pop), repeat))
        rounds["numpy"].append(timed(lambda: by_hand(pop, low, high), repeat))
    best = {k: min(v, key=lambda r: r["cpu_s_median"]) for k, v in rounds.items()}
    return {
        "households": pop.n["household"],
        "persons": pop.n["person"],
        "repeat": repeat,
        "engine": best["engine"],
        "numpy": best["numpy"],
        "agreement": agree,
    }


def report(r: dict[str, Any]) -> str:
    g, h = r["engine"], r["numpy"]
    n = r["households"]
    rows = "\n".join(
        f"| {pid} | {a['determined_both']:,} | {a['amount_equal_where_both_determined']} "
        f"| {a['undetermined_engine']:,} | {a['undetermined_by_hand']:,} |"
        for pid, a in r["agreement"].items()
    )
    return f"""
| 기초연금 + 생계급여 + 주거급여, {n:,} households ({r["persons"]:,} persons), inputs built once | gibon's engine | hand-written numpy (same run) | ratio (engine ÷ numpy) | goal |
|---|---|---|---|---|
| CPU, median of {r["repeat"]} (best of 3 rounds) | {g["cpu_s_median"]} s = {n / g["cpu_s_median"]:,.0f} households/s | {h["cpu_s_median"]} s = {n / h["cpu_s_median"]:,.0f} households/s | {g["cpu_s_median"] / h["cpu_s_median"]:.2f}× | ≤ 1.5× |
| wall, median | {g["wall_s_median"]} s | {h["wall_s_median"]} s | {g["wall_s_median"] / h["wall_s_median"]:.2f}× | |

| program | households both call determined | amounts equal there | undetermined (engine) | undetermined (by hand) |
|---|---|---|---|---|
{rows}

- The hand-written version handles each unconfirmed value (생활준비금, 보증금 환산율, the
  unconfirmed 기준임대료 sizes) and each missing input (기초연금's carried deduction, an
  unknown 국민연금 A급여액) by one pass at each end of its range; the engine carries low and
  high bounds through every rule. Interval bounds are sound, so where both call a household
  determined the amounts must be equal (they are, above); the engine may leave a few more
  households undetermined where a rule is not monotone in the unknown value.
"""


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    res = measure(args.repeat)
    print(json.dumps(res, indent=1))
    if not args.no_write:
        from _report import write_section
        from benefits_common import load_note

        write_section(
            "benefits-numpy",
            "gibon.benefits' engine vs hand-written numpy (the limit reference)",
            report(res) + load_note(load),
            f"python benchmarks/benefits_numpy.py --repeat {args.repeat}",
        )


if __name__ == "__main__":
    main()
