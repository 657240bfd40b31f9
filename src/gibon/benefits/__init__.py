"""gibon.benefits: every Korean basic benefit for a household, with the reason and the law.

Public API (pure: no database, no web):

- ``load_system(overrides=None, extra_programs=None) -> System`` — the 2026 rules, optionally reformed:
  ``overrides={"nbls.selection_rate.livelihood": {"2026-07-01": 0.35}}`` and
  ``extra_programs=[{"id": ..., "name_ko": ..., "entity": "person", "eligible": "...", "amount": "..."}]``
  (same rule language as ``programs/*.yaml``). Bad names, dates, units or rules raise
  ``gibon.errors.InvalidInput`` with the closest valid names in ``details["closest"]``.
- ``calculate(household: dict, month="2026-06", system=None, explain=True) -> dict`` — issue 3 JSON.
- ``calculate_many(households, month, system=None, explain=True) -> list[dict]``.
- ``calculate_population(households, persons, month, system=None) -> polars.DataFrame`` — one row per
  household: household_id, dong, size, ``{program}_eligible``, ``{program}_amount``,
  ``{program}_undetermined`` for every program (built-in and extra), and ``total``.
- ``explain_households(households, persons, month, household_ids=None, system=None) -> list[dict]``
  — the issue-3 JSON with explanations for chosen rows of a population table (outreach lists).
- ``simulate(households, persons, month, system=None) -> Simulation`` — for any variable:
  ``sim.calculate("nbls_income_recognised") -> (values, undetermined_mask_or_None)``.
- ``PROGRAM_IDS`` — the built-in program ids, in display order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gibon.benefits._ids import PROGRAM_IDS
from gibon.benefits.engine.simulation import Simulation
from gibon.benefits.engine.system import System, load_system

if TYPE_CHECKING:  # the table functions load polars: imported on first use only
    from gibon.benefits.service import (
        calculate,
        calculate_many,
        calculate_population,
        default_system,
        explain_households,
        simulate,
    )

_SERVICE = (
    "calculate",
    "calculate_many",
    "calculate_population",
    "default_system",
    "explain_households",
    "simulate",
)


_MODULES = ("cli", "explain", "pages", "routes", "schemas", "service", "tables")


def __getattr__(name: str) -> Any:
    if name in _SERVICE:
        from gibon.benefits import service

        return getattr(service, name)
    if name in _MODULES:  # ``benefits.service`` works without importing it first
        import importlib

        return importlib.import_module(f"gibon.benefits.{name}")
    raise AttributeError(f"module 'gibon.benefits' has no attribute {name!r}")


__all__ = [
    "PROGRAM_IDS",
    "Simulation",
    "System",
    "calculate",
    "calculate_many",
    "calculate_population",
    "default_system",
    "explain_households",
    "load_system",
    "simulate",
]
