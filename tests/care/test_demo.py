"""The demo: cases over every step, the catalogue the demo accounts speak for, usable queues."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.care import demo
from gibon.care.cases.transitions import CaseStatus
from gibon.care.models import Case, CaseEvent, FollowUp, PlanVersion, Provider
from gibon.care.plans import service as plans
from tests import factories
from tests.care.helpers import ok


def test_the_demo_spreads_cases_over_every_step_and_serves_the_demo_accounts(
    client, session, login, app
):
    factories.make_user(session, Role.visiting_professional, organization_id="doctor-01")
    made = demo.load(session, app.state.vault, rng_seed=3, cases=160)
    session.commit()
    assert made == 160
    statuses = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    assert set(statuses) == {s.value for s in CaseStatus}
    first = session.scalars(select(Provider).order_by(Provider.id)).first()
    assert first is not None and first.organization_id == "prov-001"
    assert session.scalar(select(func.count()).where(FollowUp.assignee_org == "doctor-01")) > 0
    login(Role.district_team)
    assert (
        ok(client.get("/api/cases", params={"status": "open"}))["total"]
        == made - statuses["closed"]
    )
    login(Role.provider, organization_id="prov-001")
    assert len(ok(client.get("/api/referrals"))) > 0
    login(Role.visiting_professional, organization_id="doctor-01")
    assert all(
        f["assignee_org"] == "doctor-01"
        for f in ok(client.get("/api/followups", params={"status": "scheduled"}))
    )


def test_the_demo_takes_every_case_through_the_services_a_user_calls(session, app):
    """No step row without its service: each case opened, moved and audited as a user's would be."""
    made = demo.load(session, app.state.vault, rng_seed=5, cases=60)
    session.commit()  # audit rows are chained and written at the commit
    opened = select(func.count()).where(
        AuditEvent.actor == "demo-loader",
        AuditEvent.resource == "care_case",
        AuditEvent.action == "create",
    )
    assert session.scalar(opened) == made
    for case in session.scalars(select(Case)):
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert events[0].action == "open" and events[-1].to_status == case.status
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status  # moved only by the transitions table
    for plan in session.scalars(select(PlanVersion).where(PlanVersion.notified_on.is_not(None))):
        assert plans.missing_for_notice(plan) == []  # notified only once complete (규칙 제9조①)
