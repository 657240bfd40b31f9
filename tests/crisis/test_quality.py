"""The quality report on the synthetic stream, checked against the hidden ground truth with the
test's own arithmetic (plain Python over the raw rows, not the report's code)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.crisis import intake, service, synthload
from gibon.crisis.models import Contact, Item, Signal
from gibon.crisis.schemas import AlertBatch, AlertIn
from tests import factories


def _end() -> date:
    first = service.today().replace(day=1) - timedelta(days=45)
    return first.replace(day=1) - timedelta(days=1)


@pytest.fixture
def loaded(session: Session) -> synthload.Loaded:
    return synthload.load(session, 12, 3, _end())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_synthetic_officer_closes_each_item_as_the_hidden_truth_says(
    session: Session, loaded: synthload.Loaded
) -> None:
    onset = dict(loaded.stream.truth.select("household_id", "onset_on").iter_rows())
    reach = dict(loaded.stream.signals.select("household_id", "reachable").iter_rows())
    items = session.scalars(select(Item)).all()
    assert items
    for it in items:
        if it.status == "checking":
            continue
        first = _aware(it.first_contact_at).date() if it.first_contact_at else None
        if not reach[it.household_id]:
            assert it.status == "unreachable"
        elif it.household_id in onset and first is not None and onset[it.household_id] <= first:
            assert it.status == "linked" and it.care_case_id
        else:
            assert it.status == "not_needed"


def test_precision_and_contact_times_per_source_match_the_ground_truth(
    session: Session, loaded: synthload.Loaded
) -> None:
    onset = dict(loaded.stream.truth.select("household_id", "onset_on").iter_rows())
    items = {it.id: it for it in session.scalars(select(Item))}
    by_source: dict[str, set[int]] = defaultdict(set)
    alerts: dict[str, int] = defaultdict(int)
    for s in session.scalars(select(Signal).where(Signal.item_id.is_not(None))):
        by_source[s.source].add(s.item_id or 0)
        alerts[s.source] += 1
    team = factories.make_user(session, Role.district_team)
    report = {r["source"]: r for r in service.quality_report(session, team)["by_source"]}
    assert set(report) == set(by_source)
    for source, ids in by_source.items():
        resolved = [items[i] for i in ids if items[i].status != "checking"]
        truly = [
            it for it in resolved
            if it.first_reached_at is not None and it.household_id in onset
            and onset[it.household_id] <= _aware(it.first_contact_at or it.opened_at).date()
        ]  # fmt: skip
        row = report[source]
        assert (row["alerts"], row["households"], row["resolved"]) == (
            alerts[source],
            len(ids),
            len(resolved),
        )
        assert row["confirmed"] == len(truly)
        assert row["precision"] == pytest.approx(len(truly) / len(resolved))
        days = [
            (_aware(items[i].first_contact_at) - _aware(items[i].opened_at)).total_seconds() / 86400
            for i in ids if items[i].first_contact_at is not None
        ]  # fmt: skip
        assert row["median_days_to_contact"] == pytest.approx(statistics.median(days))
        never = [it for it in resolved if it.first_reached_at is None]
        assert row["never_reached_share"] == pytest.approx(len(never) / len(resolved))


def test_every_unreachable_item_has_the_attempts_the_rule_requires(
    session: Session, loaded: synthload.Loaded
) -> None:
    weights = service.weights_in_force(session)
    for it in session.scalars(select(Item).where(Item.status == "unreachable")):
        tries = session.scalars(select(Contact).where(Contact.item_id == it.id)).all()
        assert len(tries) >= weights.min_attempts
        assert sum(c.method == "visit" for c in tries) >= weights.min_visits


def test_recall_per_source_counts_households_really_in_crisis_that_reached_the_list(
    session: Session, loaded: synthload.Loaded
) -> None:
    truth = set(loaded.stream.truth["household_id"].to_list())
    team = factories.make_user(session, Role.district_team)
    recall = {r["source"]: r for r in service.quality_report(session, team)["recall"]}
    for source, row in recall.items():
        seen = {
            s.household_id
            for s in session.scalars(
                select(Signal).where(Signal.source == source, Signal.item_id.is_not(None))
            )
        }
        assert row["caught"] == len(seen & truth) and row["truth"] == len(truth)


def test_refused_device_alerts_are_counted_in_the_report(session: Session) -> None:
    team = factories.make_user(session, Role.district_team)
    now = datetime.now(UTC)
    batch = AlertBatch(alerts=[AlertIn(alert_id=f"x-{i:04d}", device_id="NOPE-1", observed_at=now) for i in range(3)])  # fmt: skip
    results = intake.receive_alerts(session, team, batch)
    assert {r.result for r in results} == {"refused"}
    assert results[0].reason == "등록되지 않은 기기"
    report = service.quality_report(session, team)
    assert report["rejected_alerts"]["등록되지 않은 기기"] == 3
