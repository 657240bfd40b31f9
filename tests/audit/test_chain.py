from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from gibon.audit import service as audit
from gibon.audit.models import AuditEvent


def _three_events(session: Session) -> list[AuditEvent]:
    return [
        audit.record(
            session,
            actor="kim",
            role="dong_officer",
            action="read",
            resource="case",
            resource_id=str(i),
        )
        for i in range(3)
    ]


def test_an_untouched_chain_verifies(session: Session) -> None:
    _three_events(session)
    report = audit.verify(session)
    assert report.ok
    assert report.checked >= 3


def test_changing_one_row_is_detected_at_that_row(session: Session) -> None:
    events = _three_events(session)
    target = events[1]
    session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(actor="mallory"))
    session.expire_all()
    report = audit.verify(session)
    assert report.first_broken_id == target.id
    assert report.reason == "row contents do not match its hash"


def test_deleting_a_row_breaks_the_link_of_the_next_one(session: Session) -> None:
    events = _three_events(session)
    session.delete(events[1])
    session.flush()
    report = audit.verify(session)
    assert report.first_broken_id == events[2].id
    assert report.reason == "previous-hash link does not match"


def test_each_event_links_to_the_one_before(session: Session) -> None:
    events = _three_events(session)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
