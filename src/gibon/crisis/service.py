"""The worklist's rules: the weights in force, scoring households into items, reading the list.

Services only ``flush()``; the request, the CLI command or the job owns the transaction. The
transitions and contacts of one item are in ``work.py``; signals coming in are in ``intake.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.care import deadlines
from gibon.crisis import indicators, labels, lifecycle, repository, score
from gibon.crisis import scope as crisis_scope
from gibon.crisis.indicators import Weights
from gibon.crisis.lifecycle import Status
from gibon.crisis.models import Event, Item, WeightVersion
from gibon.crisis.schemas import ItemRead, Worklist
from gibon.db import utcnow
from gibon.errors import Forbidden, InvalidInput

WEIGHT_EDITORS = frozenset({Role.district_team, Role.admin})


def today() -> date:
    return deadlines.today()


def weights_in_force(session: Session) -> Weights:
    stored = repository.latest_weights(session)
    if stored is None:
        return indicators.default_weights()
    return indicators.parse_weights(stored.data, f"weights v{stored.version}")


def set_weights(session: Session, user: User, raw: dict[str, Any], note: str) -> Weights:
    """A new version of the weights; the district team only, audited with its note."""
    if user.role_enum not in WEIGHT_EDITORS:
        audit.record_on_commit(
            session, actor=user.username, role=user.role, action="denied", resource="crisis_weights"
        )
        session.commit()
        raise Forbidden("가중치는 구 통합돌봄과만 바꿀 수 있습니다", where="crisis_weights")
    version = weights_in_force(session).version + 1
    parsed = indicators.parse_weights({**raw, "version": version, "note": note}, "weights")
    session.add(
        WeightVersion(version=version, data=parsed.as_data(), note=note, created_by=user.username)
    )
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="update",
        resource="crisis_weights",
        resource_id=str(version),
        purpose="위기가구 선별 가중치 변경",
        detail=note,
    )
    session.flush()
    return parsed


@dataclass(frozen=True)
class ScoreRun:
    as_of: date
    weights_version: int
    households_scored: int
    items_opened: int
    items_updated: int
    reopened: int


def score_households(
    session: Session,
    actor: str,
    as_of: date | None = None,
    household_ids: list[str] | None = None,
    now: datetime | None = None,
) -> ScoreRun:
    """Score every household with a counting signal (or just ``household_ids``); households at
    the threshold get one open item, which keeps every signal of the household."""
    as_of, now = as_of or today(), (now or utcnow()).astimezone(UTC)  # SQLite keeps no offset
    weights = weights_in_force(session)
    reopened = _reopen_due(session, actor, as_of, now)
    since = as_of - timedelta(days=weights.window_days)
    signals = repository.signals_frame(session, since, household_ids)
    if signals.height == 0:
        return ScoreRun(as_of, weights.version, 0, 0, 0, reopened)
    meta = _meta(repository.households_meta(session, signals["household_id"].unique()), as_of)
    scores = score.score_frame(signals, meta, weights, as_of)
    listed = scores.filter(pl.col("score") >= weights.threshold)["household_id"].to_list()
    existing = repository.open_items(session, signals["household_id"].unique().to_list())
    opened = updated = 0
    for hid in dict.fromkeys([*listed, *existing]):
        item = existing.get(hid)
        _rescore(session, item, hid, meta, weights, as_of, now, actor)
        opened, updated = (opened + 1, updated) if item is None else (opened, updated + 1)
    session.flush()
    return ScoreRun(as_of, weights.version, scores.height, opened, updated, reopened)


def _meta(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    age = ((pl.lit(as_of) - pl.col("head_birth")).dt.total_days() // 365).fill_null(0)
    return frame.with_columns(age.cast(pl.Int64).alias("head_age"))


def _rescore(
    session: Session,
    item: Item | None,
    hid: str,
    meta: pl.DataFrame,
    weights: Weights,
    as_of: date,
    now: datetime,
    actor: str,
) -> None:
    if item is not None and item.status == Status.linked.value:
        repository.attach_signals(session, item.id, hid)  # the care case leads now; keep signals
        return
    row = meta.row(by_predicate=pl.col("household_id") == hid, named=True)
    sigs = [
        score.Signal(s.indicator, s.observed_on, s.source)
        for s in repository.household_signals(session, hid)
    ]
    total, reasons = score.explain(
        sigs, bool(row["living_alone"]), int(row["head_age"]), weights, as_of
    )
    due = as_of + timedelta(days=score.due_days(weights, total))
    if item is None:
        item = Item(
            household_id=hid,
            dong=row["dong"],
            status=Status.checking.value,
            open_key=hid,
            opened_at=now,
            due_on=due,
        )
        session.add(item)
        session.flush()
        session.add(
            Event(item_id=item.id, at=now, actor=actor, action="open", to_status="checking")
        )
    elif item.status == Status.checking.value:
        item.due_on = min(item.due_on, due)
    item.score = total
    item.reasons = [{"text": r.text, "points": r.points, "indicator": r.indicator} for r in reasons]
    item.weights_version = weights.version
    repository.attach_signals(session, item.id, hid)


def _reopen_due(session: Session, actor: str, as_of: date, now: datetime) -> int:
    """재확인 예정 items whose date has come go back to 확인 중."""
    due = [
        it
        for it in repository.worklist(session, None, [Status.recheck.value], 100_000)
        if it.recheck_on is not None and it.recheck_on <= as_of
    ]
    days = weights_in_force(session).urgent_days or 1
    for item in due:
        move(session, actor, item, lifecycle.Action.reopen, "재확인 날짜 도래", now)
        item.due_on, item.recheck_on = as_of + timedelta(days=days), None
    return len(due)


def move(
    session: Session,
    actor: str,
    item: Item,
    action: lifecycle.Action,
    detail: str = "",
    now: datetime | None = None,
) -> Event:
    """Move ``item`` by ``action`` (refused unless in the table), writing its event."""
    old = Status(item.status)
    new = lifecycle.next_status(action, old)
    now = now or utcnow()
    item.status = new.value
    item.open_key = item.household_id if new in lifecycle.OPEN else None
    if new not in lifecycle.OPEN:
        item.closed_at = now
    item.modified_at = now
    event = Event(
        item_id=item.id,
        at=now,
        actor=actor,
        action=action.value,
        from_status=old.value,
        to_status=new.value,
        detail=detail[:500],
    )
    session.add(event)
    session.flush()
    return event


def worklist(
    session: Session,
    user: User,
    dong: str | None,
    status: str | None = None,
    limit: int = 200,
) -> Worklist:
    """The dong's items, earliest due first then highest score; audited as a personal-data read.

    Without ``status``: the items still to work (확인 중, 재확인 예정)."""
    dong = crisis_scope.dong_scope(session, user, dong)
    if status and status not in {s.value for s in Status}:
        raise InvalidInput(
            "알 수 없는 상태입니다", where="status", example=" | ".join(s.value for s in Status)
        )
    wanted = [status] if status else [Status.checking.value, Status.recheck.value]
    items = repository.worklist(session, dong, wanted, limit)
    rows = to_reads(session, items)
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="crisis_worklist",
        resource_id=dong or "전체",
        purpose="위기가구 발굴 업무 목록",
        detail=f"{len(rows)} items",
    )
    return Worklist(dong=dong, total=len(rows), items=rows)


def to_reads(session: Session, items: list[Item]) -> list[ItemRead]:
    heads = repository.heads(session, [it.household_id for it in items])
    weights = weights_in_force(session)
    attempts = repository.attempt_counts(session, [it.id for it in items])
    sources = repository.item_sources(session, [it.id for it in items])
    return [
        _read(it, heads.get(it.household_id), weights, attempts.get(it.id, 0), sources.get(it.id))
        for it in items
    ]


def _read(
    it: Item,
    head: tuple[str, date, str] | None,
    weights: Weights,
    attempts: int,
    sources: list[str] | None,
) -> ItemRead:
    status = Status(it.status)
    return ItemRead(
        id=it.id,
        household_id=it.household_id,
        dong=it.dong,
        head_name=head[0] if head else "가구주 미상",
        head_birth_year=head[1].year if head else None,
        status=status.value,
        status_label=labels.STATUS[status],
        score=it.score,
        urgent=it.score >= weights.urgent,
        reasons=[str(r["text"]) for r in it.reasons],
        sources=[labels.SOURCE.get(s, s) for s in sources or []],
        due_on=it.due_on,
        overdue=status is Status.checking and it.due_on < today(),
        recheck_on=it.recheck_on,
        attempts=attempts,
        care_case_id=it.care_case_id,
        version=it.version_id,
        loneliness_score=it.loneliness_score,
    )


def quality_report(session: Session, user: User, dong: str | None = None) -> dict[str, Any]:
    """The quality report (aggregates: the policy analyst may read it), audited."""
    from gibon.crisis import quality

    dong = crisis_scope.dong_scope(session, user, dong, personal=False)
    signals, rejected = repository.quality_rows(session)
    if dong:
        signals = signals.filter(pl.col("dong") == dong)
    truth = set(repository.truth_households(session, dong))
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="crisis_quality",
        resource_id=dong or "전체",
        purpose="신호별 발굴 품질 (집계)",
    )
    out = quality.report(signals, rejected, truth)
    out["dong"] = dong
    return out


def audit_run(session: Session, user: User, run: ScoreRun) -> None:
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="score",
        resource="crisis_items",
        resource_id=run.as_of.isoformat(),
        purpose="위기가구 선별 점수 계산",
        detail=f"weights v{run.weights_version}, {run.items_opened} opened",
    )


def worklist_roles_only(session: Session, user: User) -> None:
    """Anyone who may read a worklist may read the weights in force."""
    crisis_scope.dong_scope(session, user, None)


SWEEP = (20, 30, 40, 50, 60, 70, 80, 100)


def threshold_what_if(
    session: Session, user: User, threshold: int, dong: str | None = None
) -> dict[str, Any]:
    """Replay the stored history's bi-monthly runs at the threshold in force and at ``threshold``
    (and a sweep): households listed and in-crisis households caught. Aggregates; nothing stored."""
    from gibon.crisis import whatif

    if not 1 <= threshold <= 300:
        raise InvalidInput("임계값은 1–300점입니다", where="threshold", example="50")
    dong = crisis_scope.dong_scope(session, user, dong, personal=False)
    weights = weights_in_force(session)
    first, last = repository.signal_span(session)
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="crisis_quality",
        resource_id=dong or "전체",
        purpose="임계값 가정 분석 (집계)",
        detail=f"{weights.threshold}→{threshold}",
    )
    base: dict[str, Any] = {"dong": dong, "current_threshold": weights.threshold,
                            "threshold": threshold, "weights_version": weights.version}  # fmt: skip
    if first is None or last is None:
        return {**base, "runs": [], "current": None, "proposed": None, "sweep": []}
    signals = repository.signals_frame(session, first, None)
    meta = repository.households_meta(session, signals["household_id"].unique())
    if dong:
        meta = meta.filter(pl.col("dong") == dong)
        signals = signals.join(meta.select("household_id"), on="household_id", how="semi")
    runs = whatif.run_dates(first, last)
    scores = whatif.history_scores(signals, meta, weights, runs)
    truth = repository.truth_frame(session, dong)
    levels = [*SWEEP, weights.threshold, threshold]
    return {
        **base,
        "runs": [r.isoformat() for r in runs],
        "synthetic_truth": truth.height > 0,
        "current": whatif.outcome(scores, truth, weights.threshold).__dict__,
        "proposed": whatif.outcome(scores, truth, threshold).__dict__,
        "sweep": [o.__dict__ for o in whatif.sweep(scores, truth, levels)],
    }


FUNNEL = (
    ("households", "신호가 온 가구"),
    ("items", "발굴 목록에 오른 가구"),
    ("contacted", "연락을 시도한 가구"),
    ("reached", "연락이 닿은 가구"),
    ("supported", "지원 연계한 가구"),
)


def dashboard(session: Session, user: User, dong: str | None = None) -> dict[str, Any]:
    """Open items by dong and the funnel from signals to support, district total and each dong
    (aggregates only; a dong officer sees their own dong). Audited."""
    from gibon.kit import gwanak

    dong = crisis_scope.dong_scope(session, user, dong, personal=False)
    raw = repository.funnel_by_dong(session)
    keys = ("signals", *(k for k, _ in FUNNEL), "open")
    dongs = [d for d in gwanak.dong_names() if dong is None or d == dong]
    rows = {d: {k: raw.get(d, {}).get(k, 0) for k in keys} for d in dongs}
    total = {k: sum(r[k] for r in rows.values()) for k in keys}
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="crisis_quality",
        resource_id=dong or "전체",
        purpose="위기가구 발굴 현황판 (집계)",
    )
    return {"dong": dong, "by_dong": rows, "total": total, "stages": list(FUNNEL)}
