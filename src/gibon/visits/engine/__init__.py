"""The 의료드림 routing engine: the problem, travel times, the solver pipeline, the result.

Pure: imports nothing from gibon.web or gibon.db. Only ``solve`` (our problem) and ``vrptw``
(plain VRPTW) import the solver libraries. The independent checker lives outside, in
``gibon.visits.check``.
"""

from gibon.visits.engine.problem import Break, Need, Point, Problem, Professional, Visit
from gibon.visits.engine.result import Route, Schedule, Stop, Unscheduled
from gibon.visits.engine.solve import MaxRuntime, RawPlan, SolveParams

# The entry point is ``gibon.visits.engine.solve.solve(problem, stop=..., params=...)``; it is not
# re-exported here, so that ``from gibon.visits.engine import solve`` names the module.

__all__ = [
    "Break",
    "MaxRuntime",
    "Need",
    "Point",
    "Problem",
    "Professional",
    "RawPlan",
    "Route",
    "Schedule",
    "SolveParams",
    "Stop",
    "Unscheduled",
    "Visit",
]
