"""Baseline and reform for one chunk of households: taxes, entitlements, take-up, disposable income.

The result is a :class:`~gibon.simulator.partial.Partial` of integer sums, so chunks computed
anywhere (one process, many chunks, many Dask workers) add up to exactly the same totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from gibon import benefits, population
from gibon.errors import InvalidInput
from gibon.simulator import groups, takeup, taxes
from gibon.simulator import reform as reform_mod
from gibon.simulator.partial import CELL_KEYS, MEASURES, Partial, column

INCOMES = ("earned_income", "business_income", "pension_income", "property_income")
# Amounts that cost the budget; only cash adds to disposable income (see docs/simulator.md).
COSTED = ("cash", "voucher", "in_kind")
CASH = ("cash",)


@dataclass(frozen=True)
class Setup:
    """Everything a chunk needs; small and picklable, so it travels to Dask workers."""

    reform: reform_mod.Reform
    month: dt.date
    take_up: takeup.TakeUp
    seed: int = 1
    programs: tuple[str, ...] = field(default=())
    kinds: tuple[str, ...] = field(default=())

    def rules(self) -> takeup.TakeUp:
        return self.take_up.with_programs(self.reform.take_up)


def make_setup(
    reform: reform_mod.Reform, month: dt.date, take_up: takeup.TakeUp, seed: int = 1
) -> Setup:
    system, _ = reform_mod.scenario(reform)
    progs = benefits.service.programs(system)
    ids = [p.id for p in progs]
    for pid in take_up.programs:
        if pid not in ids:
            raise reform_mod.unknown("program in the take-up file", pid, ids, f"take_up.{pid}")
    return Setup(reform, month, take_up, seed, tuple(ids), tuple(p.kind for p in progs))


@dataclass
class Households:
    """Per-household arrays shared by both scenarios, in the households table's order."""

    ids: pl.Series
    size: np.ndarray
    market: np.ndarray
    cells: pl.DataFrame
    person_household: np.ndarray
    keys: np.ndarray  # take-up hash keys


def prepare(
    households: pl.DataFrame, persons: pl.DataFrame, month: dt.date, seed: int
) -> Households:
    pos = households.select("household_id").with_row_index("_h")
    joined = persons.join(pos, on="household_id", how="left", maintain_order="left")
    if joined["_h"].null_count():
        bad = joined.filter(pl.col("_h").is_null())["household_id"][0]
        raise InvalidInput(
            f"person's household_id {bad!r} is not in households", where="persons.household_id"
        )
    ph = joined["_h"].to_numpy().astype(np.int64)
    n = households.height
    age = persons.select(taxes.age_at(month)).to_series().to_numpy()
    size = np.bincount(ph, minlength=n).astype(np.int64)
    income = persons.select(pl.sum_horizontal(*INCOMES)).to_series().to_numpy()
    market = np.bincount(ph, weights=income, minlength=n).round().astype(np.int64)
    head = groups.head_age(ph, age, (persons["relation"] == "head").to_numpy(), n)
    children = np.bincount(ph, weights=(age < 18), minlength=n)
    flags = groups.household_flags(size, head, children)
    cells = pl.DataFrame(
        {"dong": households["dong"], "age_band": groups.age_band(head).tolist(), **flags}
    )
    ids = households["household_id"]
    return Households(ids, size, market, cells, ph, takeup.household_keys(ids, seed))


def scenario_table(
    system: benefits.System,
    tax: np.ndarray,
    setup: Setup,
    hh: Households,
    households: pl.DataFrame,
    persons: pl.DataFrame,
) -> pl.DataFrame:
    """Per household: entitlements, take-up, costs and disposable income under one scenario."""
    ent = benefits.calculate_population(households, persons, setup.month, system=system)
    if not ent["household_id"].equals(hh.ids):
        raise InvalidInput("benefit results are not in household order", where="households")
    keys = hh.keys
    rules = setup.rules()
    cols: dict[str, np.ndarray] = {"taxes": tax}
    cash = np.zeros(len(hh.size), dtype=np.int64)
    for pid, kind in zip(setup.programs, setup.kinds, strict=True):
        cols.update(_program(pid, kind, ent, keys, rules.rule(pid)))
        if kind in CASH:
            cash += cols[f"{pid}:cost"]
    cols["cash"] = cash
    cols["disp"] = hh.market + cash - tax
    return pl.DataFrame(cols)


def _program(
    pid: str, kind: str, ent: pl.DataFrame, keys: np.ndarray, rule: takeup.Rule
) -> dict[str, np.ndarray]:
    n = ent.height
    if f"{pid}_eligible" not in ent.columns:  # a reform program has no baseline column
        zero = np.zeros(n, dtype=np.int64)
        return {f"{pid}:{m}": zero for m in MEASURES}
    eligible = ent[f"{pid}_eligible"].to_numpy()
    amount = ent[f"{pid}_amount"].to_numpy().astype(np.int64)
    received = eligible & (takeup.draws(keys, pid) < rule.rate)
    costed = kind in COSTED
    return {
        f"{pid}:eligible": eligible.astype(np.int64),
        f"{pid}:recipients": received.astype(np.int64),
        f"{pid}:recipient_persons": np.where(received, ent[f"{pid}_persons"].to_numpy(), 0),
        f"{pid}:cost": np.where(received & costed, amount, 0),
        f"{pid}:entitled": np.where(eligible & costed, amount, 0),
        f"{pid}:undetermined": ent[f"{pid}_undetermined"].to_numpy().astype(np.int64),
    }


def household_taxes(
    tree: object, month: dt.date, hh: Households, persons: pl.DataFrame
) -> np.ndarray:
    levies = taxes.person_taxes(persons.select("birth_date", *INCOMES), month, tree)  # type: ignore[arg-type]
    per_person = levies["taxes"].to_numpy()
    return (
        np.bincount(hh.person_household, weights=per_person, minlength=len(hh.size))
        .round()
        .astype(np.int64)
    )


def as_of(persons: pl.DataFrame, month: dt.date) -> pl.DataFrame:
    """The population as it stood on its reference date, moved to ``month``.

    A synthetic population is a picture of Korea on its reference date (31 December 2024: its
    ages, its infants). Read under a later month's law without this, everyone would be older by
    the gap and nobody born since would exist: a 2026 run would have no infant for 부모급여 and
    too many persons past each age limit. Birth dates move forward by the whole months from
    1 January after the reference date to ``month``. Every run (``gibon simulate`` and the
    validation) reads its persons through here.
    """
    ref = population.reference_date()
    months = (month.year - ref.year - 1) * 12 + (month.month - 1)
    if months <= 0:
        return persons
    return persons.with_columns(pl.col("birth_date").dt.offset_by(f"{months}mo"))


def at_month(
    setup: Setup, households: pl.DataFrame, persons: pl.DataFrame
) -> tuple[Households, pl.DataFrame]:
    """A chunk's persons moved to the law's month, and its per-household arrays."""
    persons = as_of(persons, setup.month)
    return prepare(households, persons, setup.month, setup.seed), persons


def simulate_chunk(setup: Setup, households: pl.DataFrame, persons: pl.DataFrame) -> Partial:
    hh, persons = at_month(setup, households, persons)
    base_sys, base_tree = reform_mod.scenario(reform_mod.BASELINE)
    ref_sys, ref_tree = reform_mod.scenario(setup.reform)
    base_tax = household_taxes(base_tree, setup.month, hh, persons)
    # Taxes differ only when the reform overrides a tax parameter.
    _, tax_overrides = reform_mod.split_overrides(setup.reform)
    ref_tax = household_taxes(ref_tree, setup.month, hh, persons) if tax_overrides else base_tax
    base = scenario_table(base_sys, base_tax, setup, hh, households, persons)
    ref = scenario_table(ref_sys, ref_tax, setup, hh, households, persons)
    return _partial(setup, hh, base, ref)


def _partial(setup: Setup, hh: Households, base: pl.DataFrame, ref: pl.DataFrame) -> Partial:
    gain = ref["disp"].to_numpy() - base["disp"].to_numpy()
    wide = {
        column(s, pid, m): t[f"{pid}:{m}"]
        for s, t in (("base", base), ("reform", ref))
        for pid in setup.programs
        for m in MEASURES
    }
    totals = {
        "households": np.ones(len(hh.size), dtype=np.int64),
        "persons": hh.size,
        "gainers": (gain > 0).astype(np.int64),
        "losers": (gain < 0).astype(np.int64),
        "gain": gain,
        "market": hh.market,
        "taxes_base": base["taxes"],
        "taxes_reform": ref["taxes"],
        "cash_base": base["cash"],
        "cash_reform": ref["cash"],
        "disp_base": base["disp"],
        "disp_reform": ref["disp"],
    }
    frame = hh.cells.with_columns(**{k: pl.Series(k, v) for k, v in {**totals, **wide}.items()})
    sums = [c for c in frame.columns if c not in CELL_KEYS]
    cells = frame.group_by(list(CELL_KEYS)).agg(pl.col(c).sum() for c in sums).sort(list(CELL_KEYS))
    return Partial(cells, _hist(base["disp"], hh.size, gain), _hist(ref["disp"], hh.size, None))


def equivalised(disp: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Whole won of disposable income divided by the square root of household size."""
    out: np.ndarray = np.floor(disp / np.sqrt(np.maximum(size, 1))).astype(np.int64)
    return out


def _hist(disp: pl.Series, size: np.ndarray, gain: np.ndarray | None) -> pl.DataFrame:
    d = disp.to_numpy()
    cols = {"value": equivalised(d, size), "persons": size, "households": np.ones(len(d), np.int64)}
    if gain is not None:
        cols.update(gain=gain, disposable=d)
    df = pl.DataFrame(cols)
    return df.group_by("value").agg(pl.exclude("value").sum()).sort("value")
