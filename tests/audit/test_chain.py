from __future__ import annotations

from sqlalchemy import func, select, update
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


def _event(session: Session, actor: str = "kim") -> AuditEvent:
    """An event queued for the commit (the request path)."""
    return audit.record_on_commit(
        session, actor=actor, role="dong_officer", action="read", resource="case"
    )


def _count(session: Session, actor: str) -> int:
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.actor == actor)
    return session.scalar(query) or 0


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


def test_events_are_written_when_their_transaction_commits(session: Session) -> None:
    event = _event(session, actor="queued")
    assert _count(session, "queued") == 0
    session.commit()
    assert _count(session, "queued") == 1
    assert event.id is not None and len(event.hash) == 64


def test_events_of_a_rolled_back_savepoint_are_never_written(session: Session) -> None:
    _event(session, actor="kept")
    nested = session.begin_nested()
    _event(session, actor="undone")
    nested.rollback()
    session.commit()
    assert (_count(session, "kept"), _count(session, "undone")) == (1, 0)


def test_events_of_a_committed_savepoint_are_written_with_their_transaction(
    session: Session,
) -> None:
    with session.begin_nested():
        _event(session, actor="inside")
    session.commit()
    assert _count(session, "inside") == 1


def test_events_of_a_committed_savepoint_go_when_the_savepoint_around_it_rolls_back(
    session: Session,
) -> None:
    outer = session.begin_nested()
    with session.begin_nested():
        _event(session, actor="inner")
    outer.rollback()
    session.commit()
    assert _count(session, "inner") == 0


def test_events_of_a_closed_session_do_not_reach_its_next_transaction(session: Session) -> None:
    _event(session, actor="closed")
    session.close()
    _event(session, actor="next")
    session.commit()
    assert (_count(session, "closed"), _count(session, "next")) == (0, 1)


def test_events_of_a_rolled_back_transaction_do_not_reach_the_next_one(session: Session) -> None:
    _event(session, actor="undone")
    session.rollback()
    _event(session, actor="kept")
    session.commit()
    assert (_count(session, "kept"), _count(session, "undone")) == (1, 0)


def test_verify_includes_the_events_this_session_has_queued(session: Session) -> None:
    before = audit.verify(session).checked
    _event(session)
    assert audit.verify(session).checked == before + 1


def test_an_immediate_event_is_chained_after_the_queued_ones(session: Session) -> None:
    queued = _event(session, actor="queued")
    now = _three_events(session)
    assert now[0].prev_hash == queued.hash
    session.commit()
    assert audit.verify(session).ok
