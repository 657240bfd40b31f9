"""의료드림 home-visit planner: model, validation, solver, independent checker, results.

The engine (model, parse, validate, solve, check, result, lns) imports nothing from gibon.web or
gibon.db; ``models``/``repository``/``service``/``routes``/``pages`` store and serve day plans.
Only ``solve`` (our problem) and ``vrptw`` (plain VRPTW) import the solver libraries.
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
