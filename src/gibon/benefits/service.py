"""Every program for one household (with explanations) or a whole population (as a table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from gibon.benefits import explain as explain_mod
from gibon.benefits.engine import inputs
from gibon.benefits.engine.rules import COUNTED
from gibon.benefits.engine.simulation import Simulation
from gibon.benefits.engine.system import System, load_system
from gibon.benefits.schemas import Household, parse_household

ORDER = (
    "livelihood",
    "medical_aid",
    "housing_benefit",
    "education_benefit",
    "basic_pension",
    "disability_pension",
    "child_allowance",
    "parental_benefit",
    "first_meeting_voucher",
    "youth_rent_molit",
    "youth_rent_seoul",
    "youth_allowance_seoul",
    "emergency_livelihood",
    "ltc_home_care_limit",
    "integrated_care_screening",
)

_DEFAULT: System | None = None


def default_system() -> System:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_system()
    return _DEFAULT


def programs(system: System) -> list[Any]:
    rank = {pid: i for i, pid in enumerate(ORDER)}
    return sorted(system.programs, key=lambda p: rank.get(p.id, len(ORDER)))


def simulate(
    households: Any, persons: Any, month: str | dt.date, system: System | None = None
) -> Simulation:
    system = system or default_system()
    start = inputs.month_start(month)
    system.resolved(start)  # fails early when no parameters are in force
    if isinstance(households, pl.DataFrame) and isinstance(persons, pl.DataFrame):
        pop = inputs.from_frames(households, persons, start)
    else:
        pop = inputs.build(_columns(households), _columns(persons), start)
    return Simulation(system, pop, start)


def calculate_population(
    households: Any, persons: Any, month: str | dt.date, system: System | None = None
) -> pl.DataFrame:
    """One row per household: ``{id}_eligible``, ``{id}_amount``, ``{id}_undetermined``, and
    ``total`` (cash and vouchers only: service limits and flags are not money received)."""
    sim = simulate(households, persons, month, system)
    return result_frame(sim, households)


def result_frame(sim: Simulation, households: Any) -> pl.DataFrame:
    cols: dict[str, Any] = {"household_id": sim.pop.household_ids}
    hh = {} if isinstance(households, pl.DataFrame) else _columns(households)
    if isinstance(households, pl.DataFrame) and "dong" in households.columns:
        cols["dong"] = households["dong"]
    elif "dong" in hh:
        cols["dong"] = np.asarray(hh["dong"])
    cols["size"] = sim.pop.inputs["size"]
    total = np.zeros(sim.pop.n["household"], dtype=np.int64)
    for prog in programs(sim.system):
        elig, amount, unk = outcome(sim, prog)
        cols[f"{prog.id}_eligible"] = elig
        cols[f"{prog.id}_amount"] = amount
        cols[f"{prog.id}_undetermined"] = unk
        if prog.kind in COUNTED:
            total += amount
    cols["total"] = total
    return pl.DataFrame(cols)


def outcome(sim: Simulation, prog: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eligible, amount and undetermined per household; undetermined rows report False and 0."""
    e, eu = sim.calculate(prog.eligible)
    a, au = sim.calculate(prog.amount)
    n = sim.pop.n["household"]
    unk = np.zeros(n, dtype=bool)
    for u in (eu, au):
        if u is not None:
            unk |= u
    return e & ~unk, np.where(unk, 0, a).astype(np.int64), unk


def calculate(
    household: Mapping[str, Any] | Household,
    month: str | dt.date = "2026-06",
    system: System | None = None,
    explain: bool = True,
) -> dict[str, Any]:
    """The JSON contract of issue 3 for one household."""
    return calculate_many([household], month, system, explain)[0]


def calculate_many(
    households: Sequence[Mapping[str, Any] | Household],
    month: str | dt.date,
    system: System | None = None,
    explain: bool = True,
) -> list[dict[str, Any]]:
    parsed = [
        h
        if isinstance(h, Household)
        else parse_household(h, f"[{i}]" if len(households) > 1 else "")
        for i, h in enumerate(households)
    ]
    hh_cols, p_cols = household_columns(parsed)
    sim = simulate(hh_cols, p_cols, month, system)
    return [
        explain_mod.household_result(sim, i, programs(sim.system), explain)
        for i in range(len(parsed))
    ]


def household_columns(
    parsed: Sequence[Household],
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    hh: dict[str, list[Any]] = {
        k: []
        for k in (
            "household_id",
            "dong",
            "tenure",
            "deposit",
            "monthly_rent",
            "living_alone",
            "crisis",
        )
    }
    keys = (
        "person_id",
        "household_id",
        "birth_date",
        "sex",
        "relation",
        "disability",
        "pregnant",
        "student",
        "employed",
        "earned_income",
        "business_income",
        "pension_income",
        "pension_a_benefit",
        "property_income",
        "other_income",
        "asset_housing",
        "asset_deposits",
        "asset_financial",
        "asset_car",
        "debt",
        "ltc_grade",
        "conditions",
    )
    p: dict[str, list[Any]] = {k: [] for k in keys}
    for i, h in enumerate(parsed):
        for k, v in (
            ("household_id", i),
            ("dong", h.dong),
            ("tenure", h.housing.tenure),
            ("deposit", h.housing.deposit),
            ("monthly_rent", h.housing.monthly_rent),
            ("living_alone", bool(h.living_alone)),
            ("crisis", h.crisis),
        ):
            hh[k].append(v)
        for m in h.members:
            row = m.model_dump()
            row.update(
                person_id=m.id,
                household_id=i,
                birth_date=np.datetime64(m.birth_date),
                ltc_grade=None if m.ltc_grade is None else str(m.ltc_grade),
                pension_a_benefit=-1 if m.pension_a_benefit is None else m.pension_a_benefit,
                **{f"asset_{k}": v for k, v in row["assets"].items() if k != "debt"},
                debt=m.assets.debt,
            )
            for k in keys:
                p[k].append(row[k])
    return hh, p


def _columns(table: Any) -> Mapping[str, Any]:
    if isinstance(table, pl.DataFrame):
        return _frame_columns(table)
    if hasattr(table, "column_names") and hasattr(table, "to_pydict"):  # pyarrow.Table
        return _frame_columns(pl.from_arrow(table))  # type: ignore[arg-type]
    return table  # type: ignore[no-any-return]


def _frame_columns(df: pl.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in df.columns:
        s = df[name]
        if isinstance(s.dtype, pl.List):
            out[name] = s.list.len().fill_null(0).to_numpy()
        elif s.dtype in (pl.String, pl.Categorical, pl.Enum) and s.null_count():
            out[name] = s.to_list()
        elif s.dtype == pl.Date:
            out[name] = s.to_numpy().astype("datetime64[D]")
        else:
            out[name] = s.to_numpy()
    return out
