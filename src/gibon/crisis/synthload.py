"""``gibon crisis synth``: the synthetic stream loaded month by month through the same services a
dong uses — signals stored, households scored, and (with ``work``) a synthetic officer working
each new item to an outcome that the hidden truth decides: a reachable household in crisis is
linked to integrated care, one not in crisis is closed 비대상, an unreachable one 소재 불명."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.crisis import intake, repository, service, synth, work
from gibon.crisis.lifecycle import Action
from gibon.crisis.models import Contact, Device, Event, Item, RejectedAlert, Signal, SyntheticTruth
from gibon.crisis.schemas import ActionIn, ContactIn, Method, NotNeededReason, Outcome
from gibon.errors import NotFound

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class Loaded:
    stream: synth.Stream
    items: int
    linked: int
    not_needed: int
    unreachable: int


def synthetic_officer() -> User:
    return User(username="synth-officer", display_name="합성 담당자", role=Role.district_team.value)


def households(session: Session, as_of: date) -> pl.DataFrame:
    meta = repository.households_meta(session)
    age = ((pl.lit(as_of) - pl.col("head_birth")).dt.total_days() // 365).fill_null(40)
    return meta.with_columns(age.cast(pl.Int64).alias("head_age"), pl.col("income").fill_null(0))


def load(session: Session, months: int, seed: int, end: date, do_work: bool = True) -> Loaded:
    hh = households(session, end)
    if hh.height == 0:
        raise NotFound("주민 자료가 없습니다", where="residents", example="gibon demo load")
    stream = synth.generate(hh, months, seed, end)
    _clear(session)
    _devices(session, stream.devices)
    if stream.truth.height:
        session.execute(insert(SyntheticTruth), stream.truth.drop("reachable").to_dicts())
    dongs = dict(zip(hh["household_id"], hh["dong"], strict=True))
    officer, rng = synthetic_officer(), np.random.default_rng(seed + 1)
    truth = dict(zip(stream.truth["household_id"], stream.truth["onset_on"], strict=True))
    reach = dict(zip(stream.signals["household_id"], stream.signals["reachable"], strict=True))
    counts = {"linked": 0, "not_needed": 0, "unreachable": 0, "open": 0}
    for start in synth.month_starts(end, months):
        month_end = _month_end(start, end)
        rows = stream.signals.filter(pl.col("observed_on").is_between(start, month_end))
        opened = _month(session, rows, dongs, month_end, officer)
        if do_work:
            for item in opened:
                outcome = _work(session, officer, item, truth, reach, rng)
                counts[outcome] += 1
    total = len(repository.worklist(session, None, _ALL, 10**7))
    return Loaded(stream, total, counts["linked"], counts["not_needed"], counts["unreachable"])


_ALL = ["checking", "linked", "not_needed", "unreachable", "recheck", "done"]


def _month_end(start: date, end: date) -> date:
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return min(end, nxt - timedelta(days=1))


def _clear(session: Session) -> None:
    for table in (Contact, Event, Signal, Item, Device, RejectedAlert, SyntheticTruth):
        session.execute(delete(table))


def _devices(session: Session, devices: pl.DataFrame) -> None:
    if devices.height:
        rows = devices.rename({"device_id": "id"}).with_columns(
            pl.lit("synth").alias("registered_by"), pl.lit("본인(합성)").alias("consent_by")
        )
        session.execute(insert(Device), rows.to_dicts())


def _month(
    session: Session, rows: pl.DataFrame, dongs: dict[str, str], month_end: date, officer: User
) -> list[Item]:
    stored = [
        intake._row(
            r["household_id"], None, dongs[r["household_id"]], r["indicator"], r["observed_on"],
            r["key"], "synth", "",
        )
        for r in rows.iter_rows(named=True)
    ]  # fmt: skip
    intake._store(session, stored)
    now = datetime.combine(month_end, time(18), SEOUL)
    before = {it.id for it in repository.worklist(session, None, _ALL, 10**7)}
    service.score_households(
        session, officer.username, month_end, intake._households(stored) or None, now
    )
    after = repository.worklist(session, None, ["checking"], 10**7)
    return [it for it in after if it.id not in before]


def _work(
    session: Session,
    officer: User,
    item: Item,
    truth: dict[str, date],
    reach: dict[str, bool],
    rng: np.random.Generator,
) -> str:
    opened = item.opened_at if item.opened_at.tzinfo else item.opened_at.replace(tzinfo=UTC)
    first = opened + timedelta(days=float(rng.exponential(4.0)), hours=1)
    if first + timedelta(days=9) > datetime.now(SEOUL):
        return "open"  # not yet worked: the officer's attempts would lie in the future
    if not reach.get(item.household_id, True):
        for k, method in enumerate((Method.phone, Method.phone, Method.visit)):
            at = first + timedelta(days=4 * k)
            _contact(session, officer, item, method, Outcome.no_answer, at)
        _act(session, officer, item, Action.unreachable)
        return "unreachable"
    _contact(session, officer, item, Method.phone, Outcome.reached, first)
    onset = truth.get(item.household_id)
    if onset is not None and onset <= first.date():
        _act(session, officer, item, Action.link)
        return "linked"
    _act(session, officer, item, Action.not_needed, NotNeededReason.no_need)
    return "not_needed"


def _contact(
    session: Session, officer: User, item: Item, method: Method, outcome: Outcome, at: datetime
) -> None:
    body = ContactIn(method=method, outcome=outcome, at=at, note="")
    work.add_contact(session, officer, item.id, body)


def _act(
    session: Session,
    officer: User,
    item: Item,
    action: Action,
    reason: NotNeededReason | None = None,
) -> None:
    body = ActionIn(action=action, version=item.version_id, reason=reason, consent=False)
    work.act(session, officer, item.id, body)
