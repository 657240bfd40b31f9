"""의료드림 home-visit planner: model, validation, solver, independent checker, results.

Pure engine: imports nothing from gibon.web or gibon.db. Only ``gibon.visits.solve`` imports the
solver libraries (OR-Tools, PyVRP).
"""

from gibon.visits.check import Verdict
from gibon.visits.model import Break, Need, Point, Problem, Professional, Visit
from gibon.visits.plan import Outcome, plan_problem, plan_request
from gibon.visits.result import Route, Schedule, Stop, Unscheduled

__all__ = [
    "Break",
    "Need",
    "Outcome",
    "Point",
    "Problem",
    "Professional",
    "Route",
    "Schedule",
    "Stop",
    "Unscheduled",
    "Verdict",
    "Visit",
    "plan_problem",
    "plan_request",
]
