"""의료드림 home-visit planner: the routing engine, the independent checker, stored days.

``engine/`` is the routing engine (problem, travel, solve, timing, result; no web, no database;
only ``engine.solve`` and ``engine.vrptw`` import the solver libraries). Around it: ``parse`` and
``validate`` read REQUESTS.json, ``check`` re-verifies every schedule, ``plan``/``replan``/``weekly``
run a day or a week; ``demand`` gathers a date's requests from the system; ``models``/
``repository``/``service``/``routes``/``pages``/``day_pages``/``field`` store plans and serve the
coordinator's and the professional's pages.
"""

from gibon.visits.check import Verdict
from gibon.visits.engine.problem import Break, Need, Point, Problem, Professional, Visit
from gibon.visits.engine.result import Route, Schedule, Stop, Unscheduled
from gibon.visits.plan import Outcome, plan_problem, plan_request

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
