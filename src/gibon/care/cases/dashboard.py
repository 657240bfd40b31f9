"""District aggregates for the dashboard: no person appears, so the policy analyst may see them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action
from gibon.accounts.models import User
from gibon.care import deadlines
from gibon.care.cases.transitions import OPEN, CaseStatus
from gibon.care.models import Case, CaseEvent, Referral


@dataclass
class Dashboard:
    by_status: dict[str, int] = field(default_factory=dict)
    open_by_dong: dict[str, int] = field(default_factory=dict)
    overdue_by_status: dict[str, int] = field(default_factory=dict)
    overdue_by_dong: dict[str, int] = field(default_factory=dict)
    median_days: dict[str, float] = field(default_factory=dict)
    services_by_type: dict[str, int] = field(default_factory=dict)
    total: int = 0


def build(session: Session, user: User) -> Dashboard:
    policy.check(user, Action.view, "care_statistics")
    d = Dashboard()
    today = deadlines.today()
    for status, n in session.execute(select(Case.status, func.count()).group_by(Case.status)):
        d.by_status[status] = int(n)
    d.total = sum(d.by_status.values())
    open_values = [s.value for s in OPEN]
    q = select(Case.dong, func.count()).where(Case.status.in_(open_values)).group_by(Case.dong)
    d.open_by_dong = {dong: int(n) for dong, n in session.execute(q)}
    late = Case.status.in_(open_values) & (Case.due_on < today)
    q = select(Case.status, func.count()).where(late).group_by(Case.status)
    d.overdue_by_status = {s: int(n) for s, n in session.execute(q)}
    q = select(Case.dong, func.count()).where(late).group_by(Case.dong)
    d.overdue_by_dong = {s: int(n) for s, n in session.execute(q)}
    d.median_days = _median_days(session)
    q = (
        select(Referral.service_type, func.count())
        .where(Referral.status.in_(("accepted", "started", "ended")))
        .group_by(Referral.service_type)
    )
    d.services_by_type = {s: int(n) for s, n in session.execute(q)}
    return d


def _median_days(session: Session) -> dict[str, float]:
    q = select(CaseEvent.from_status, CaseEvent.step_days).where(CaseEvent.step_days.is_not(None))
    spans: dict[str, list[float]] = {}
    for status, days in session.execute(q):
        if status is not None and days is not None:
            spans.setdefault(status, []).append(float(days))
    order = [s.value for s in CaseStatus]
    return {s: round(statistics.median(spans[s]), 1) for s in order if s in spans}
