"""Every query of the crisis domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from gibon.crisis.lifecycle import OPEN
from gibon.crisis.models import (
    Application,
    Contact,
    Device,
    Event,
    Item,
    Referral,
    RejectedAlert,
    Signal,
    SyntheticTruth,
    WeightVersion,
)
from gibon.residents.models import Household, Person

OPEN_VALUES = [s.value for s in OPEN]


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = list(keys[i : i + 500])
        found.update(session.scalars(select(Signal.dedup_key).where(Signal.dedup_key.in_(chunk))))
    return found


def add_signals(session: Session, rows: list[dict[str, object]]) -> None:
    for i in range(0, len(rows), 5000):
        session.execute(insert(Signal), rows[i : i + 5000])


def persons_by_hash(session: Session, hashes: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """rrn_hash -> (person_id, household_id, dong)."""
    wanted = list(set(hashes))
    out: dict[str, tuple[str, str, str]] = {}
    for i in range(0, len(wanted), 500):
        q = select(Person.rrn_hash, Person.id, Person.household_id, Person.dong).where(
            Person.rrn_hash.in_(wanted[i : i + 500])
        )
        out.update({h: (p, hh, d) for h, p, hh, d in session.execute(q)})
    return out


def households_meta(session: Session, ids: Iterable[str] | None = None) -> pl.DataFrame:
    """household_id, dong, living_alone, head birth date, monthly income (all members)."""
    income = (
        Person.earned_income + Person.business_income + Person.pension_income
    ) + Person.property_income
    q = select(
        Person.household_id,
        Household.dong,
        Household.living_alone,
        func.min(Person.birth_date).filter(Person.relation == "head"),
        func.sum(income),
    ).join(Household, Household.id == Person.household_id)
    if ids is not None:
        q = q.where(Person.household_id.in_(list(ids)))
    rows = session.execute(
        q.group_by(Person.household_id, Household.dong, Household.living_alone)
    ).all()
    return pl.DataFrame(
        rows,
        schema={
            "household_id": pl.String,
            "dong": pl.String,
            "living_alone": pl.Boolean,
            "head_birth": pl.Date,
            "income": pl.Int64,
        },
        orient="row",
    )


def signals_frame(session: Session, since: date, household_ids: list[str] | None) -> pl.DataFrame:
    q = select(Signal.household_id, Signal.indicator, Signal.observed_on).where(
        Signal.observed_on >= since
    )
    if household_ids is not None:
        q = q.where(Signal.household_id.in_(household_ids))
    rows = session.execute(q).all()
    return pl.DataFrame(
        rows,
        schema={"household_id": pl.String, "indicator": pl.String, "observed_on": pl.Date},
        orient="row",
    )


def household_signals(session: Session, household_id: str) -> list[Signal]:
    q = select(Signal).where(Signal.household_id == household_id).order_by(Signal.observed_on)
    return list(session.scalars(q))


def open_items(session: Session, household_ids: list[str]) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for i in range(0, len(household_ids), 500):
        q = select(Item).where(Item.open_key.in_(household_ids[i : i + 500]))
        out.update({it.household_id: it for it in session.scalars(q)})
    return out


def attach_signals(session: Session, item_id: int, household_id: str) -> None:
    session.query(Signal).filter(
        Signal.household_id == household_id, Signal.item_id.is_(None)
    ).update({Signal.item_id: item_id}, synchronize_session=False)


def get_item(session: Session, item_id: int, for_update: bool = False) -> Item | None:
    q = select(Item).where(Item.id == item_id)
    if for_update:
        q = q.with_for_update()
    return session.scalars(q).first()


def worklist(session: Session, dong: str | None, statuses: list[str], limit: int) -> list[Item]:
    q = select(Item).where(Item.status.in_(statuses))
    if dong:
        q = q.where(Item.dong == dong)
    later = case((Item.status == "recheck", 1), else_=0)  # 재확인 예정 after the items to work now
    q = q.order_by(later, Item.due_on, Item.score.desc(), Item.id).limit(limit)
    return list(session.scalars(q))


def item_signals(session: Session, item_id: int) -> list[Signal]:
    q = select(Signal).where(Signal.item_id == item_id).order_by(Signal.observed_on.desc())
    return list(session.scalars(q))


def contacts(session: Session, item_id: int) -> list[Contact]:
    q = select(Contact).where(Contact.item_id == item_id).order_by(Contact.at, Contact.id)
    return list(session.scalars(q))


def events(session: Session, item_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.item_id == item_id).order_by(Event.id)))


def heads(session: Session, household_ids: list[str]) -> dict[str, tuple[str, date, str]]:
    """(name, birth date, masked RRN) of each household's head."""
    if not household_ids:
        return {}
    q = select(Person.household_id, Person.name, Person.birth_date, Person.rrn_masked).where(
        Person.household_id.in_(household_ids), Person.relation == "head"
    )
    return {h: (n, b, m) for h, n, b, m in session.execute(q)}


def head_person(session: Session, household_id: str) -> Person | None:
    q = select(Person).where(Person.household_id == household_id, Person.relation == "head")
    return session.scalars(q).first()


def find_persons(session: Session, name: str, birth: date) -> list[Person]:
    q = select(Person).where(Person.name == name, Person.birth_date == birth).limit(5)
    return list(session.scalars(q))


def get_device(session: Session, device_id: str) -> Device | None:
    return session.get(Device, device_id)


def latest_weights(session: Session) -> WeightVersion | None:
    q = select(WeightVersion).order_by(WeightVersion.version.desc()).limit(1)
    return session.scalars(q).first()


def weight_history(session: Session) -> list[WeightVersion]:
    return list(session.scalars(select(WeightVersion).order_by(WeightVersion.version.desc())))


def linked_items(session: Session) -> list[Item]:
    q = select(Item).where(Item.status == "linked", Item.care_case_id.is_not(None))
    return list(session.scalars(q))


def quality_rows(session: Session) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(signals with their item's outcome fields, rejected alerts) for the quality report."""
    q = select(
        Signal.source,
        Signal.indicator,
        Signal.item_id,
        Item.dong,
        Item.status,
        Item.opened_at,
        Item.first_contact_at,
        Item.first_reached_at,
        Signal.household_id,
    ).join(Item, Item.id == Signal.item_id)
    signals = pl.DataFrame(
        [tuple(_naive(v) for v in row) for row in session.execute(q).all()],
        schema={
            "source": pl.String,
            "indicator": pl.String,
            "item_id": pl.Int64,
            "dong": pl.String,
            "status": pl.String,
            "opened_at": pl.Datetime("us"),
            "first_contact_at": pl.Datetime("us"),
            "first_reached_at": pl.Datetime("us"),
            "household_id": pl.String,
        },
        orient="row",
    )
    rejected = pl.DataFrame(
        session.execute(select(RejectedAlert.reason, func.count()).group_by(RejectedAlert.reason)),
        schema={"reason": pl.String, "count": pl.Int64},
        orient="row",
    )
    return signals, rejected


def all_signal_counts(session: Session) -> pl.DataFrame:
    q = select(Signal.source, Signal.indicator, func.count()).group_by(
        Signal.source, Signal.indicator
    )
    return pl.DataFrame(
        session.execute(q).all(),
        schema={"source": pl.String, "indicator": pl.String, "signals": pl.Int64},
        orient="row",
    )


def truth_households(session: Session, dong: str | None = None) -> list[str]:
    q = select(SyntheticTruth.household_id)
    if dong:
        q = q.join(Household, Household.id == SyntheticTruth.household_id).where(
            Household.dong == dong
        )
    return list(session.scalars(q))


def _naive(value: object) -> object:
    """UTC without tzinfo: PostgreSQL returns aware datetimes, SQLite naive ones (stored as UTC)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def attempt_counts(session: Session, item_ids: list[int]) -> dict[int, int]:
    if not item_ids:
        return {}
    q = (
        select(Contact.item_id, func.count())
        .where(Contact.item_id.in_(item_ids))
        .group_by(Contact.item_id)
    )
    return {i: int(n) for i, n in session.execute(q)}


def item_sources(session: Session, item_ids: list[int]) -> dict[int, list[str]]:
    if not item_ids:
        return {}
    q = (
        select(Signal.item_id, Signal.source)
        .where(Signal.item_id.in_(item_ids))
        .distinct()
        .order_by(Signal.item_id, Signal.source)
    )
    out: dict[int, list[str]] = {}
    for i, s in session.execute(q):
        if i is not None:
            out.setdefault(i, []).append(s)
    return out


def household_frames(session: Session, ids: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The chosen households in the population-file layout (no names, no resident numbers)."""
    from gibon.population import schema

    homes = session.scalars(select(Household).where(Household.id.in_(ids))).all()
    people = session.scalars(select(Person).where(Person.household_id.in_(ids))).all()
    hcols = [c for c in schema.HOUSEHOLDS if c != "household_id"]
    pcols = [c for c in schema.PERSONS if c not in ("person_id", "name", "rrn", "pregnant")]
    hh = pl.DataFrame(
        [{"household_id": h.id, **{c: getattr(h, c) for c in hcols}} for h in homes],
        schema=schema.HOUSEHOLDS,
    )
    ps = pl.DataFrame(
        [
            {"person_id": p.id, "name": "", "rrn": "", "pregnant": False}
            | {c: getattr(p, c) for c in pcols}
            for p in people
        ],
        schema=schema.PERSONS,
    )
    return hh, ps.drop("name", "rrn")


def household_devices(session: Session, household_id: str) -> list[Device]:
    q = select(Device).where(Device.household_id == household_id).order_by(Device.registered_at)
    return list(session.scalars(q))


def refused_alert_count(session: Session, device_ids: list[str]) -> int:
    if not device_ids:
        return 0
    q = select(func.count()).where(RejectedAlert.device_id.in_(device_ids))
    return int(session.scalar(q) or 0)


def referrals(session: Session, item_id: int) -> list[Referral]:
    q = select(Referral).where(Referral.item_id == item_id).order_by(Referral.at, Referral.id)
    return list(session.scalars(q))


def truth_frame(session: Session, dong: str | None = None) -> pl.DataFrame:
    q = select(SyntheticTruth.household_id, SyntheticTruth.onset_on)
    if dong:
        q = q.join(Household, Household.id == SyntheticTruth.household_id).where(
            Household.dong == dong
        )
    return pl.DataFrame(
        session.execute(q).all(),
        schema={"household_id": pl.String, "onset_on": pl.Date},
        orient="row",
    )


def signal_span(session: Session) -> tuple[date | None, date | None]:
    row = session.execute(select(func.min(Signal.observed_on), func.max(Signal.observed_on))).one()
    return row[0], row[1]


def funnel_by_dong(session: Session) -> dict[str, dict[str, int]]:
    """Per dong: signals, households signalled, items, contacted, reached, supported, open."""
    out: dict[str, dict[str, int]] = {}
    sig = select(Signal.dong, func.count(), func.count(func.distinct(Signal.household_id)))
    for dong, n, households in session.execute(sig.group_by(Signal.dong)):
        out.setdefault(dong, {})
        out[dong].update(signals=int(n), households=int(households))
    supported = func.sum(case((Item.status.in_(["linked", "done"]), 1), else_=0))
    q = select(
        Item.dong,
        func.count(),
        func.count(Item.first_contact_at),
        func.count(Item.first_reached_at),
        supported,
        func.count(Item.open_key),
    ).group_by(Item.dong)
    for dong, items, contacted, reached, sup, open_ in session.execute(q):
        out.setdefault(dong, {})
        out[dong].update(items=int(items), contacted=int(contacted), reached=int(reached),
                         supported=int(sup or 0), open=int(open_))  # fmt: skip
    return out


def get_application(session: Session, app_id: int) -> Application | None:
    return session.get(Application, app_id)
