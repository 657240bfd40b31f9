"""JSON API: /api/crisis — device and call alerts, reports, the worklist, items, weights, quality."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from gibon.access.deps import (
    CrisisDevices,
    CrisisLister,
    CrisisQuality,
    CrisisReader,
    CrisisReporter,
    CrisisWeightsEditor,
    CrisisWeightsReader,
    CrisisWorker,
)
from gibon.crisis import apply, intake, service, work, young
from gibon.crisis import enrol as enrolment
from gibon.crisis.models import Device
from gibon.crisis.schemas import (
    ActionIn,
    AlertBatch,
    AlertResult,
    ApplicationRead,
    ContactIn,
    DecisionIn,
    DeviceIn,
    DeviceRead,
    EnrolIn,
    HoursIn,
    ItemDetail,
    ItemRead,
    LonelinessIn,
    MonitoringRead,
    ReferralIn,
    ReferralRead,
    ReportIn,
    WeightsIn,
    Worklist,
)
from gibon.web.deps import DbSession, RecordId

router = APIRouter(prefix="/api/crisis", tags=["crisis"])
HouseholdId = Annotated[str, Path(pattern=r"^H[0-9]{1,15}$", examples=["H0000123"])]
DeviceId = Annotated[str, Path(min_length=1, max_length=40, examples=["SMARTPLUG-H0000123"])]


@router.post("/alerts", response_model=list[AlertResult])
def alerts(body: AlertBatch, db: DbSession, user: CrisisReporter) -> list[AlertResult]:
    """기기·AI 안부전화 알림 (alert_id로 재전송 무해). 등록되지 않은 기기는 사유와 함께 거부."""
    return intake.receive_alerts(db, user, body)


@router.post("/devices", status_code=201, response_model=DeviceRead)
def enrol(body: DeviceIn, db: DbSession, user: CrisisDevices) -> DeviceRead:
    """모니터링 등록 (본인 동의 필수)."""
    return _device(intake.register_device(db, user, body))


@router.post("/devices/{device_id}/withdraw", response_model=DeviceRead)
def withdraw(device_id: str, db: DbSession, user: CrisisDevices) -> DeviceRead:
    """동의 철회: 즉시 모니터링 중단 (이후 알림은 거부·집계)."""
    return _device(intake.withdraw_device(db, user, device_id[:40]))


@router.get("/households/{household_id}/monitoring", response_model=MonitoringRead)
def monitoring(household_id: HouseholdId, db: DbSession, user: CrisisReader) -> MonitoringRead:
    """모니터링 방법 (덜 침해적인 것부터), 방법별 동의 현황, 이 가구 이력에서 정한 무활동 기준."""
    return enrolment.offer(db, user, household_id)


@router.post("/households/{household_id}/monitoring", status_code=201, response_model=DeviceRead)
def enrol_method(
    household_id: HouseholdId, body: EnrolIn, db: DbSession, user: CrisisDevices
) -> DeviceRead:
    """방법별 본인 동의로 등록. 덜 침해적인 방법을 쓰지 않으면 그 까닭(offer_note) 필수."""
    return _device(enrolment.enrol(db, user, household_id, body))


@router.put("/devices/{device_id}/hours", response_model=DeviceRead)
def set_hours(device_id: DeviceId, body: HoursIn, db: DbSession, user: CrisisDevices) -> DeviceRead:
    """가구별 무활동 기준 시간 변경 (감사 기록)."""
    return _device(enrolment.set_hours(db, user, device_id, body))


def _device(device: Device) -> DeviceRead:
    return DeviceRead(
        device_id=device.id,
        household_id=device.household_id,
        indicator=device.indicator,
        active=device.active,
        status_label="모니터링 중" if device.active else "동의 철회로 중단",
        method=device.method,
        alert_hours=device.alert_hours,
        hours_basis=device.hours_basis,
    )


@router.post("/reports", status_code=201)
def report(body: ReportIn, db: DbSession, user: CrisisReporter) -> dict[str, int]:
    """이웃·명예사회복지공무원·신고의무자 제보, 방문 상담."""
    return {"item_id": intake.receive_report(db, user, body)}


@router.get("/worklist", response_model=Worklist)
def worklist(
    db: DbSession,
    user: CrisisLister,
    dong: str | None = Query(None, max_length=20),
    status: str | None = Query(None, max_length=16, description="checking | recheck | linked | …"),
) -> Worklist:
    return service.worklist(db, user, dong, status)


@router.get("/items/{item_id}", response_model=ItemDetail)
def item(item_id: RecordId, db: DbSession, user: CrisisReader) -> ItemDetail:
    return work.detail(db, user, item_id)


@router.post("/items/{item_id}/contacts", status_code=201, response_model=ItemRead)
def contact(item_id: RecordId, body: ContactIn, db: DbSession, user: CrisisWorker) -> ItemRead:
    work.add_contact(db, user, item_id, body)
    return service.to_reads(db, [work.load(db, user, item_id)])[0]


@router.post("/items/{item_id}/actions", response_model=ItemRead)
def act(item_id: RecordId, body: ActionIn, db: DbSession, user: CrisisWorker) -> ItemRead:
    return service.to_reads(db, [work.act(db, user, item_id, body)])[0]


@router.post("/items/{item_id}/loneliness", response_model=ItemRead)
def loneliness(
    item_id: RecordId, body: LonelinessIn, db: DbSession, user: CrisisWorker
) -> ItemRead:
    """UCLA 외로움 3문항 (각 1–3점, 합 3–9점)을 항목에 기록."""
    item = work.load(db, user, item_id, for_update=True)
    young.record_loneliness(db, user, item, body)
    return service.to_reads(db, [item])[0]


@router.post("/items/{item_id}/referrals", status_code=201, response_model=ReferralRead)
def referral(
    item_id: RecordId, body: ReferralIn, db: DbSession, user: CrisisWorker
) -> ReferralRead:
    """지역 프로그램 연계 기록 (작은 1인가구지원센터, 청년 프로그램 등)."""
    item = work.load(db, user, item_id, for_update=True)
    made = young.refer(db, user, item, body)
    return next(r for r in young.referrals(db, item.id) if r.id == made.id)


@router.get("/applications/{app_id}", response_model=ApplicationRead)
def application(app_id: RecordId, db: DbSession, user: CrisisReader) -> ApplicationRead:
    """지원 연계로 연 급여 신청서 (미리 채운 내용과 결정)."""
    return apply.view(db, user, app_id)


@router.post("/applications/{app_id}/decision", response_model=ApplicationRead)
def decision(
    app_id: RecordId, body: DecisionIn, db: DbSession, user: CrisisWorker
) -> ApplicationRead:
    """급여 결정 기록: 지급 결정·취하는 항목 종결, 기각은 항목을 다시 확인 중으로."""
    return apply.read(apply.decide(db, user, app_id, body))


@router.get("/weights")
def weights(db: DbSession, user: CrisisWeightsReader) -> dict[str, Any]:
    service.worklist_roles_only(db, user)
    return service.weights_in_force(db).as_data()


@router.put("/weights")
def set_weights(body: WeightsIn, db: DbSession, user: CrisisWeightsEditor) -> dict[str, Any]:
    """가중치 새 판 (구 통합돌봄과만; 감사 기록)."""
    return service.set_weights(db, user, body.weights, body.note).as_data()


@router.get("/quality")
def quality(
    request: Request,
    db: DbSession,
    user: CrisisQuality,
    dong: str | None = Query(None, max_length=20),
) -> dict[str, Any]:
    return service.quality_report(db, user, dong)
