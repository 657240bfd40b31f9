"""A 점검 visit that was attempted and not made (referrals.miss): marked 미방문 with the reason,
still open; refused for a future day, a stale version or a 점검 already done."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.care import deadlines, repository
from gibon.care.models import Case, FollowUp
from gibon.care.referrals import service as referrals
from gibon.care.referrals.schemas import FollowUpDone, FollowUpMissed
from gibon.errors import Conflict, InvalidInput, InvalidTransition
from tests.care.helpers import person_in


@pytest.fixture
def followup(session: Session) -> FollowUp:
    person = person_in(session)
    case = Case(
        person_id=person.id,
        dong=person.dong,
        channel="visit",
        applicant_name=person.name,
        applicant_relation="본인",
        status="in_service",
        opened_on=date.today() - timedelta(days=30),
    )
    session.add(case)
    session.flush()
    row = FollowUp(case_id=case.id, kind="visit", due_on=deadlines.today(), assignee_org="nurse-01")
    session.add(row)
    session.commit()
    return row


def test_two_misses_are_both_kept_and_the_follow_up_stays_open(
    session: Session, login: Any, followup: FollowUp
) -> None:
    user = login(Role.district_team)
    referrals.miss(session, user, followup.id, FollowUpMissed(version=1, reason="부재"))
    row = referrals.miss(session, user, followup.id, FollowUpMissed(version=2, reason="입원 중"))
    assert row.status == "missed" and row.done_on is None
    assert [line.split("(사유: ")[1] for line in row.notes.splitlines()] == ["부재)", "입원 중)"]
    assert [f.id for f in repository.open_followups(session, row.case_id)] == [row.id]


def test_a_miss_on_a_future_day_a_stale_version_or_a_done_follow_up_is_refused(
    session: Session, login: Any, followup: FollowUp
) -> None:
    user = login(Role.district_team)
    tomorrow = deadlines.today() + timedelta(days=1)
    with pytest.raises(InvalidInput) as future:
        referrals.miss(
            session, user, followup.id, FollowUpMissed(version=1, reason="부재", on=tomorrow)
        )
    assert future.value.where == "on"
    with pytest.raises(Conflict):
        referrals.miss(session, user, followup.id, FollowUpMissed(version=7, reason="부재"))
    referrals.complete(session, user, followup.id, FollowUpDone(version=1, notes="점검함"))
    with pytest.raises(InvalidTransition):
        referrals.miss(session, user, followup.id, FollowUpMissed(version=2, reason="부재"))
