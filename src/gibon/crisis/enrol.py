"""Monitoring with consent: offer the least intrusive method first, one consent per method,
withdrawal effective at once, and a sensor threshold from the household's own history.

Services only ``flush()``; every change and every read of a household's monitoring is audited.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.crisis import monitoring, repository, service
from gibon.crisis import scope as crisis_scope
from gibon.crisis.models import Device
from gibon.crisis.monitoring import Method
from gibon.crisis.schemas import EnrolIn, HoursIn, MethodRead, MonitoringRead
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound

STATE = {"none": "이용 안 함", "active": "이용 중 (동의)", "withdrawn": "동의 철회로 중단"}


def _household(session: Session, user: User, household_id: str) -> tuple[str, int]:
    """(dong, head age) of a household the user may see; refuses otherwise."""
    meta = repository.households_meta(session, [household_id])
    if meta.height == 0:
        raise NotFound("가구를 찾을 수 없습니다", where="household_id", example="H0000001")
    dong = str(meta["dong"][0])
    crisis_scope.dong_scope(session, user, dong)
    birth = meta["head_birth"][0]
    age = (service.today() - birth).days // 365 if birth else 0
    return dong, age


def _audit(session: Session, user: User, action: str, rid: str, detail: str) -> None:
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action=action,
        resource="crisis_device",
        resource_id=rid[:64],
        purpose="안부 확인 모니터링 (본인 동의)",
        detail=detail[:500],
    )


def suggestion(household_id: str, head_age: int) -> monitoring.Suggestion:
    return monitoring.suggest_hours(monitoring.activity_gaps(household_id, head_age))


def offer(session: Session, user: User, household_id: str) -> MonitoringRead:
    """The methods in the order they are offered, with this household's consent for each."""
    dong, age = _household(session, user, household_id)
    devices = repository.household_devices(session, household_id)
    gaps = monitoring.activity_gaps(household_id, age)
    sug = monitoring.suggest_hours(gaps)
    head = repository.heads(session, [household_id]).get(household_id)
    _audit(session, user, "read", household_id, "모니터링 동의 현황 열람")
    return MonitoringRead(
        household_id=household_id,
        dong=dong,
        head_name=head[0] if head else "가구주 미상",
        suggested_hours=sug.hours,
        suggestion_basis=sug.basis,
        history_alerts_at_suggested=monitoring.alerts_at(gaps, sug.hours),
        history_days=sug.days,
        methods=[_method_read(m, _latest(devices, m)) for m in monitoring.methods()],
        refused_alerts=repository.refused_alert_count(session, [d.id for d in devices]),
    )


def _latest(devices: list[Device], m: Method) -> Device | None:
    mine = [d for d in devices if _method_id(d) == m.id]
    active = [d for d in mine if d.active]
    pick = active or mine
    return pick[-1] if pick else None


def _method_id(d: Device) -> str:
    if d.method:
        return d.method
    found = monitoring.method_of_indicator(d.indicator)
    return found.id if found else ""


def _method_read(m: Method, d: Device | None) -> MethodRead:
    state = "none" if d is None else "active" if d.active else "withdrawn"
    return MethodRead(
        id=m.id,
        rank=m.rank,
        label=m.label,
        collects=m.collects,
        continuous=m.continuous,
        hours=m.hours,
        device_id=d.id if d else None,
        state=state,
        state_label=STATE[state],
        consent_by=d.consent_by if d else "",
        alert_hours=d.alert_hours if d else None,
        hours_basis=d.hours_basis if d else "",
        offer_note=d.offer_note if d else "",
    )


def enrol(session: Session, user: User, household_id: str, body: EnrolIn) -> Device:
    """Enrol the household in one method with its own consent. A more intrusive method while a
    less intrusive one is not in use needs the officer's reason (offered first, declined)."""
    method = monitoring.by_id().get(body.method)
    if method is None:
        raise InvalidInput(
            "알 수 없는 모니터링 방법입니다",
            where="method",
            example=" | ".join(m.id for m in monitoring.methods()),
        )
    if not body.consent:
        raise InvalidInput(
            "본인 동의 없이는 등록할 수 없습니다", where="consent", example="동의함에 표시"
        )
    _, age = _household(session, user, household_id)
    devices = repository.household_devices(session, household_id)
    if any(d.active and _method_id(d) == method.id for d in devices):
        raise Conflict(f"이미 {method.label}을(를) 이용 중입니다", where="method")
    skipped = [
        m.label
        for m in monitoring.methods()
        if m.rank < method.rank and not any(d.active and _method_id(d) == m.id for d in devices)
    ]
    if skipped and len(body.offer_note.strip()) < 2:
        raise InvalidInput(
            f"덜 침해적인 방법({', '.join(skipped)})을 먼저 권해야 합니다. "
            "쓰지 않는 까닭을 적어 주세요",
            where="offer_note",
            example="안부 문자는 휴대전화가 없어 못 씀",
        )
    device_id = body.device_id or f"{method.id.upper().replace('_', '')}-{household_id}"
    if repository.get_device(session, device_id) is not None:
        device_id = f"{device_id}-{len(devices) + 1}"
    if repository.get_device(session, device_id) is not None:
        raise Conflict("이미 등록된 기기 번호입니다", where="device_id", example="PLUG-H0000123-2")
    hours, basis = _initial_hours(method, household_id, age, body.alert_hours)
    device = Device(
        id=device_id,
        household_id=household_id,
        indicator=method.indicator or "",
        method=method.id,
        registered_by=user.username,
        consent_by=body.consent_by,
        alert_hours=hours,
        hours_basis=basis,
        offer_note=body.offer_note.strip() if skipped else "",
    )
    session.add(device)
    _audit(session, user, "enrol", device_id, f"{method.label} 동의 {body.consent_by}; {basis}")
    session.flush()
    return device


def _initial_hours(
    method: Method, household_id: str, age: int, chosen: int | None
) -> tuple[int | None, str]:
    if not method.hours:
        return None, ""
    sug = suggestion(household_id, age)
    if chosen is None or chosen == sug.hours:
        return sug.hours, sug.basis
    return chosen, f"담당자가 {chosen}시간으로 정함 (이력 기준 제안 {sug.hours}시간)"


def set_hours(session: Session, user: User, device_id: str, body: HoursIn) -> Device:
    """Change a sensor's no-activity threshold; audited with the old and new value and why."""
    device = _device(session, user, device_id)
    method = monitoring.by_id().get(_method_id(device))
    if method is None or not method.hours:
        raise InvalidInput(
            "무활동 시간 기준이 있는 기기가 아닙니다", where="device_id", example="SMARTPLUG-H…"
        )
    low, high = monitoring.hours_range()
    if not low <= body.hours <= high:
        raise InvalidInput(
            f"무활동 시간은 {low}–{high}시간이어야 합니다", where="hours", example=str(low + 6)
        )
    before = device.alert_hours
    device.alert_hours = body.hours
    device.hours_basis = f"담당자가 {body.hours}시간으로 바꿈: {body.reason}"
    _audit(
        session, user, "update", device_id, f"무활동 기준 {before}→{body.hours}시간: {body.reason}"
    )
    session.flush()
    return device


def _device(session: Session, user: User, device_id: str) -> Device:
    device = repository.get_device(session, device_id)
    if device is None:
        raise NotFound("등록되지 않은 기기입니다", where="device_id", example="SMARTPLUG-H0000123")
    _household(session, user, device.household_id)
    return device


def withdraw(session: Session, user: User, device_id: str) -> Device:
    """Consent withdrawn: monitoring stops at once; later alerts are refused and counted."""
    device = _device(session, user, device_id)
    if device.active:
        device.active = False
        device.withdrawn_at = utcnow()
        _audit(session, user, "withdraw", device_id, "동의 철회: 모니터링 즉시 중단")
    session.flush()
    return device
