"""gibon.simulator: what a policy costs, whom it reaches, and who is left out.

Public API (pure: no database, no web)::

    from gibon import simulator
    reform = simulator.load_reform(Path("reform.yaml"))        # or simulator.parse_reform(text)
    result = simulator.simulate(reform, population=Path("var/population"), month="2026-07")
    result.programs, result.groups, result.breakdown, result.deciles, result.distribution

Reforms are YAML (see ``gibon.simulator.reform``); three examples ship in
``gibon/data/simulator/reforms``. Method and sources: docs/simulator.md.
"""

from gibon.simulator.reform import BASELINE, Reform, examples
from gibon.simulator.reform import load as load_reform
from gibon.simulator.reform import parse_text as parse_reform
from gibon.simulator.result import Result
from gibon.simulator.run import simulate
from gibon.simulator.takeup import TakeUp
from gibon.simulator.takeup import load as load_take_up

__all__ = [
    "BASELINE",
    "Reform",
    "Result",
    "TakeUp",
    "examples",
    "load_reform",
    "load_take_up",
    "parse_reform",
    "simulate",
]
