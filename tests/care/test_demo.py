"""The demo: cases over every step, the catalogue the demo accounts speak for, usable queues."""

from __future__ import annotations

from sqlalchemy import func, select

from gibon.accounts.models import Role
from gibon.care import demo
from gibon.care.models import Case, FollowUp, Provider
from gibon.care.transitions import CaseStatus
from tests.care.helpers import ok


def test_the_demo_spreads_cases_over_every_step_and_serves_the_demo_accounts(
    client, session, login, app
):
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
