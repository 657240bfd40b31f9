"""Every program for one household (with explanations) or a whole population (as a table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from gibon.benefits import explain as explain_mod
from gibon.benefits._ids import PROGRAM_IDS
from gibon.benefits.engine import inputs, interval, scalar
from gibon.benefits.engine.rules import COUNTED
from gibon.benefits.engine.simulation import Simulation
from gibon.benefits.engine.system import System, load_system
from gibon.benefits.schemas import Household, parse_household

ORDER = PROGRAM_IDS

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
    households, persons = _frames(households), _frames(persons)
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


def explain_households(
    households: Any,
    persons: Any,
    month: str | dt.date,
    household_ids: Sequence[Any] | None = None,
    system: System | None = None,
) -> list[dict[str, Any]]:
    """The issue-3 JSON (with explanations) for chosen households of a population table."""
    households, persons = _frames(households), _frames(persons)
    if household_ids is not None:
        households = households.filter(pl.col("household_id").is_in(list(household_ids)))
        persons = persons.join(households.select("household_id"), on="household_id", how="semi")
    sim = simulate(households, persons, month, system)
    out = explain_mod.results(sim, programs(sim.system), True)
    for hid, r in zip(households["household_id"].to_list(), out, strict=True):
        r["household_id"] = hid
    return out


def _frames(table: Any) -> Any:
    if hasattr(table, "column_names") and hasattr(table, "to_pydict"):  # pyarrow.Table
        return pl.from_arrow(table)
    return table


def result_frame(sim: Simulation, households: Any) -> pl.DataFrame:
    cols: dict[str, Any] = {"household_id": sim.pop.household_ids}
    hh = {} if isinstance(households, pl.DataFrame) else _columns(households)
    if isinstance(households, pl.DataFrame) and "dong" in households.columns:
        cols["dong"] = households["dong"]
    elif "dong" in hh:
        cols["dong"] = np.asarray(hh["dong"])
    cols["size"] = sim.pop.inputs["size"]
    total = np.zeros(sim.pop.n["household"], dtype=np.int64)
    with sim.quiet():
        outcomes = [(prog, *outcome(sim, prog)) for prog in programs(sim.system)]
    for prog, elig, amount, unk in outcomes:
        cols[f"{prog.id}_eligible"] = elig
        cols[f"{prog.id}_amount"] = amount
        cols[f"{prog.id}_undetermined"] = unk
        cols[f"{prog.id}_persons"] = recipient_persons(sim, prog, elig)
        if prog.kind in COUNTED:
            total += amount
    cols["total"] = total
    return pl.DataFrame(cols)


def recipient_persons(sim: Simulation, prog: Any, eligible: np.ndarray) -> np.ndarray:
    """Persons an eligible household counts as recipients, the way caseloads count them: the
    eligible members of a person program (기초연금, 아동수당), every member of a household
    program (생계급여 counts 수급자 as the persons of 수급 households)."""
    if not prog.recipients:
        return interval.select(eligible, sim.pop.inputs["size"], 0).astype(np.int64, copy=False)
    with sim.quiet():
        person, unknown = sim.calculate(prog.recipients)
    sure = person if unknown is None else person & ~unknown
    n = sim.pop.n["household"]
    held = np.asarray(sure, dtype=bool)
    # the recipients, counted (gathered by position: several times faster than a boolean index)
    counts = np.bincount(sim.pop.person_household[np.flatnonzero(held)], minlength=n)
    return interval.select(eligible, counts, 0).astype(np.int64, copy=False)


def outcome(sim: Simulation, prog: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eligible, amount and undetermined per household; undetermined rows report False and 0."""
    e, eu = sim.calculate(prog.eligible)
    a, au = sim.calculate(prog.amount)
    n = sim.pop.n["household"]
    unk = np.zeros(n, dtype=bool)
    for u in (eu, au):
        if u is not None:
            unk |= u
    return e & ~unk, interval.select(unk, 0, a).astype(np.int64, copy=False), unk


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
    if len(parsed) == 1:
        one = _plain(parsed[0], month, system or default_system(), explain)
        if one is not None:
            return one
    hh_cols, p_cols = household_columns(parsed)
    sim = simulate(hh_cols, p_cols, month, system)
    return explain_mod.results(sim, programs(sim.system), explain)


PLAIN = True  # one household through the plain-Python plan (tests switch it off to compare)


def _plain(
    household: Household, month: str | dt.date, system: System, explain: bool
) -> list[dict[str, Any]] | None:
    """One household's results from the month's plain-Python plan (engine.scalar), or None
    when the plan cannot reproduce the vectorised engine exactly for it."""
    if not PLAIN:
        return None
    start = inputs.month_start(month)
    system.resolved(start)  # fails early when no parameters are in force
    plan = scalar.plan(system, start)
    if plan is None:
        return None
    one = inputs.one(household, start)
    try:
        return explain_mod.results_plain(plan, system, start, one, programs(system), explain)
    except (ArithmeticError, ValueError, TypeError):
        return None  # a division by zero or an overflow: numpy's answer is the reference


PERSON_KEYS = (
    "earned_income",
    "business_income",
    "pension_income",
    "property_income",
    "other_income",
    "sex",
    "relation",
    "disability",
    "pregnant",
    "student",
    "employed",
)
ASSET_KEYS = ("housing", "deposits", "financial", "car")


def calculate_json(
    households: Sequence[Household], month: str | dt.date, system: System | None = None
) -> list[str]:
    """Like ``calculate_many(..., explain=False)`` but each result already JSON text (fast path)."""
    hh_cols, p_cols = household_columns(households)
    sim = simulate(hh_cols, p_cols, month, system)
    return explain_mod.results_json(sim, programs(sim.system))


def household_columns(
    parsed: Sequence[Household],
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The validated households as columns (plain loops: this is the single-household hot path)."""
    hh: dict[str, list[Any]] = {
        "household_id": [],
        "dong": [],
        "tenure": [],
        "deposit": [],
        "monthly_rent": [],
        "living_alone": [],
        "crisis": [],
    }
    p: dict[str, list[Any]] = {
        k: []
        for k in (
            "person_id",
            "household_id",
            "birth_date",
            "pension_a_benefit",
            "ltc_grade",
            "conditions",
            "debt",
            *PERSON_KEYS,
            *(f"asset_{k}" for k in ASSET_KEYS),
        )
    }
    for i, h in enumerate(parsed):
        hh["household_id"].append(i)
        hh["dong"].append(h.dong)
        hh["tenure"].append(h.housing.tenure)
        hh["deposit"].append(h.housing.deposit)
        hh["monthly_rent"].append(h.housing.monthly_rent)
        hh["living_alone"].append(bool(h.living_alone))
        hh["crisis"].append(h.crisis)
        for m in h.members:
            p["person_id"].append(m.id)
            p["household_id"].append(i)
            p["birth_date"].append(m.birth_date)
            p["pension_a_benefit"].append(
                -1 if m.pension_a_benefit is None else m.pension_a_benefit
            )
            p["ltc_grade"].append(None if m.ltc_grade is None else str(m.ltc_grade))
            p["conditions"].append(len(m.conditions))
            p["debt"].append(m.assets.debt)
            for k in PERSON_KEYS:
                p[k].append(getattr(m, k))
            for k in ASSET_KEYS:
                p[f"asset_{k}"].append(getattr(m.assets, k))
    p["birth_date"] = np.array(p["birth_date"], dtype="datetime64[D]")  # type: ignore[assignment]
    p["conditions"] = np.array(p["conditions"], dtype=np.int64)  # type: ignore[assignment]
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
