"""Signals in: the 발굴 list CSV, device and call alerts, reports from people, the synthetic stream.

Every path stores signals (idempotent by key), then scores the households they touch, so a
household reaching the threshold appears on its dong's worklist at once — one item per household,
whatever the number of sources. Resident numbers are matched through the keyed hash only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.crisis import csvimport, enrol, indicators, labels, monitoring, repository, service
from gibon.crisis import scope as crisis_scope
from gibon.crisis.models import Device, RejectedAlert
from gibon.crisis.schemas import AlertBatch, AlertResult, DeviceIn, ReportIn
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound
from gibon.kit.crypto import Vault

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass
class ImportResult:
    rows: int
    accepted: int
    duplicates: int
    rejected: int
    encoding: str
    errors: list[str] = field(default_factory=list)
    rejects_csv: bytes | None = None
    items_opened: int = 0


def import_list(
    session: Session,
    user: User,
    vault: Vault,
    data: bytes,
    mapping: csvimport.Mapping,
    filename: str,
    today: date | None = None,
) -> ImportResult:
    """Import one 발굴 list file; bad rows come back as a rejects file, never silently dropped."""
    crisis_scope.dong_scope(session, user, None)
    today = today or service.today()
    good, bad, header, used = csvimport.read(data, mapping, filename, today)
    hashes = {r.number: vault.lookup_hash(r.rrn) for r in good}
    people = repository.persons_by_hash(session, hashes.values())
    rows, rejects = [], list(bad)
    for r in good:
        found = people.get(hashes[r.number])
        if found is None:
            col = mapping.columns["rrn"]
            msg = f"{r.number}행 '{col}' 열: 이 주민등록번호의 주민을 찾을 수 없습니다"
            rejects.append(csvimport.Reject(r.number, r.values, [msg]))
            continue
        person_id, household_id, dong = found
        rows.append(
            _row(
                household_id,
                person_id,
                dong,
                r.indicator,
                r.observed_on,
                _key("L", hashes[r.number], r.indicator, r.observed_on),
                user,
                "",
            )
        )
    added = _store(session, rows)
    run = service.score_households(session, user.username, household_ids=_households(added))
    _audit(session, user, "import", filename, f"{len(added)} signals, {len(rejects)} rejected")
    rejects.sort(key=lambda r: r.number)
    return ImportResult(
        rows=len(good) + len(bad),
        accepted=len(added),
        duplicates=len(rows) - len(added),
        rejected=len(rejects),
        encoding=used,
        errors=[e for r in rejects for e in r.errors][:50],
        rejects_csv=csvimport.rejects_csv(header, rejects, used) if rejects else None,
        items_opened=run.items_opened,
    )


def _key(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:64]
    return f"{prefix}-{digest}"


def _row(
    household_id: str,
    person_id: str | None,
    dong: str,
    indicator: str,
    observed_on: date,
    key: str,
    user: User | str,
    detail: str,
) -> dict[str, object]:
    ind = indicators.catalogue()[indicator]
    return {
        "household_id": household_id,
        "person_id": person_id,
        "dong": dong,
        "indicator": indicator,
        "source": ind.source,
        "observed_on": observed_on,
        "received_at": utcnow(),
        "dedup_key": key,
        "detail": detail,
        "created_by": user if isinstance(user, str) else user.username,
    }


def _store(session: Session, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Insert the rows whose key is new (in the database and within this batch)."""
    seen = repository.existing_keys(session, [str(r["dedup_key"]) for r in rows])
    fresh = []
    for r in rows:
        if r["dedup_key"] not in seen:
            seen.add(str(r["dedup_key"]))
            fresh.append(r)
    repository.add_signals(session, fresh)
    session.flush()
    return fresh


def _households(rows: list[dict[str, object]]) -> list[str]:
    return list(dict.fromkeys(str(r["household_id"]) for r in rows))


def _audit(session: Session, user: User, action: str, what: str, detail: str) -> None:
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action=action,
        resource="crisis_signals",
        resource_id=what[:64],
        purpose="위기정보 수집",
        detail=detail,
    )


def receive_alerts(session: Session, user: User, batch: AlertBatch) -> list[AlertResult]:
    """Device and call alerts; each alert's id makes a retry harmless. An unknown or stopped
    device is refused with the reason and counted (quality report), never dropped silently."""
    crisis_scope.dong_scope(session, user, None)
    results: list[AlertResult] = []
    rows: list[dict[str, object]] = []
    for alert in batch.alerts:
        device = repository.get_device(session, alert.device_id)
        reason = _refusal(device, alert.hours_inactive)
        if reason or device is None:
            session.add(
                RejectedAlert(
                    device_id=alert.device_id,
                    alert_id=alert.alert_id,
                    reason=reason or "unknown_device",
                    received_by=user.username,
                )
            )
            results.append(
                AlertResult(
                    alert_id=alert.alert_id,
                    result="refused",
                    result_label="거부",
                    reason=labels.REJECT[reason or "unknown_device"],
                )
            )
            continue
        observed = _kst_date(alert.observed_at)
        rows.append(
            _row(
                device.household_id,
                None,
                _dong(session, device.household_id),
                device.indicator,
                observed,
                f"A-{alert.alert_id}",
                user,
                alert.device_id,
            )
        )
        results.append(AlertResult(alert_id=alert.alert_id, result="accepted", result_label="접수"))
    fresh = {str(r["dedup_key"]) for r in _store(session, rows)}
    service.score_households(session, user.username, household_ids=_households(rows))
    items = repository.open_items(session, _households(rows))
    for res, row in zip([r for r in results if r.result == "accepted"], rows, strict=True):
        if str(row["dedup_key"]) not in fresh:
            res.result, res.result_label = "duplicate", "이미 받은 알림"
        found = items.get(str(row["household_id"]))
        res.item_id = found.id if found else None
    _audit(session, user, "alert", "alerts", f"{len(fresh)} new of {len(batch.alerts)}")
    session.flush()
    return results


def _refusal(device: Device | None, hours_inactive: float | None) -> str | None:
    """Why an alert is refused, or None: unknown device, consent withdrawn, a method that sends
    no alerts, or fewer hours without activity than this household's own threshold."""
    if device is None:
        return "unknown_device"
    if not device.active:
        return "inactive_device"
    if not device.indicator:
        return "no_alert_method"
    if hours_inactive is not None and device.alert_hours and hours_inactive < device.alert_hours:
        return "below_household_hours"
    return None


def _kst_date(moment: datetime) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)
    return aware.astimezone(SEOUL).date()


def _dong(session: Session, household_id: str) -> str:
    meta = repository.households_meta(session, [household_id])
    return str(meta["dong"][0]) if meta.height else ""


def register_device(session: Session, user: User, body: DeviceIn) -> Device:
    """Enrol a household in a monitoring method, with the consent of the person monitored."""
    household = repository.households_meta(session, [body.household_id])
    if household.height == 0:
        raise NotFound("가구를 찾을 수 없습니다", where="household_id", example="H0000001")
    crisis_scope.dong_scope(session, user, str(household["dong"][0]))
    ind = indicators.require(body.indicator, "indicator")
    if ind.source not in ("device", "call"):
        raise InvalidInput(
            "기기·안부전화 지표가 아닙니다", where="indicator", example="smart_plug_no_activity"
        )
    if repository.get_device(session, body.device_id) is not None:
        raise Conflict("이미 등록된 기기입니다", where="device_id", example="PLUG-H0000123-2")
    method = monitoring.method_of_indicator(body.indicator)
    device = Device(
        id=body.device_id,
        household_id=body.household_id,
        indicator=body.indicator,
        method=method.id if method else "",
        registered_by=user.username,
        consent_by=body.consent_by,
    )
    if method is not None and method.hours:
        birth = household["head_birth"][0]
        age = (service.today() - birth).days // 365 if birth else 0
        sug = enrol.suggestion(body.household_id, age)
        device.alert_hours, device.hours_basis = sug.hours, sug.basis
    session.add(device)
    _audit(session, user, "enrol", body.device_id, f"{body.indicator} 동의 {body.consent_by}")
    session.flush()
    return device


def withdraw_device(session: Session, user: User, device_id: str) -> Device:
    """Consent withdrawn: monitoring stops at once; later alerts are refused and counted."""
    return enrol.withdraw(session, user, device_id)


def receive_report(
    session: Session, user: User, body: ReportIn, now: datetime | None = None
) -> int:
    """A report from a neighbour, a 명예사회복지공무원, a duty reporter or a walk-in; returns the
    item id (a report scores above the threshold on its own, so it always reaches the list)."""
    dong = crisis_scope.dong_scope(session, user, None)
    matches = [
        p
        for p in repository.find_persons(session, body.name, body.birth_date)
        if dong is None or p.dong == dong
    ]
    if len(matches) != 1:
        raise NotFound(
            "이름과 생년월일이 맞는 주민이 " + ("없습니다" if not matches else "여럿입니다"),
            where="name",
            example="김영희, 1948-03-02 (관내 주민, 담당 동)",
        )
    person = matches[0]
    now = now or utcnow()
    detail = f"{labels.REPORTER[body.kind.value]} {body.reporter_name} {body.reporter_contact}: {body.concern}"
    row = _row(
        person.household_id,
        person.id,
        person.dong,
        body.kind.value,
        now.astimezone(SEOUL).date(),
        _key("R", person.id, body.kind.value, now.isoformat()),
        user,
        detail.strip()[:2000],
    )
    _store(session, [row])
    service.score_households(session, user.username, household_ids=[person.household_id], now=now)
    _audit(session, user, "report", person.household_id, body.kind.value)
    item = repository.open_items(session, [person.household_id]).get(person.household_id)
    return item.id if item else 0


def now_utc() -> datetime:
    return datetime.now(UTC)
