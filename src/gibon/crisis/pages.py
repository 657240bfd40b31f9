"""Korean pages: the dong worklist, one item worked to an outcome, the report form, quality."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from pydantic import ValidationError

from gibon.access.deps import (
    CrisisDevices,
    CrisisLister,
    CrisisQuality,
    CrisisReader,
    CrisisReporter,
    CrisisWorker,
)
from gibon.accounts.models import Role
from gibon.crisis import apply, charts, enrol, intake, labels, service, work, young, youth
from gibon.crisis.routes import DeviceId, HouseholdId
from gibon.crisis.schemas import (
    ActionIn,
    ContactIn,
    DecisionIn,
    EnrolIn,
    HoursIn,
    LonelinessIn,
    ReferralIn,
    ReportIn,
)
from gibon.errors import GibonError, InvalidInput
from gibon.kit import gwanak
from gibon.web.deps import DbSession, RecordId, render

router = APIRouter(prefix="/crisis", include_in_schema=False)
FIELDS = {"name": "대상 주민 이름", "birth_date": "생년월일", "concern": "걱정되는 점",
          "reporter_name": "제보자 이름", "kind": "제보한 사람", "recheck_on": "재확인 날짜",
          "reason": "비대상 사유", "at": "시각", "action": "처리", "version": "버전",
          "method": "모니터링 방법", "consent": "본인 동의", "consent_by": "동의한 사람",
          "device_id": "기기 번호", "alert_hours": "무활동 기준 시간", "hours": "무활동 기준 시간",
          "offer_note": "덜 침해적인 방법을 쓰지 않는 까닭", "household_id": "가구",
          "q1": "1번 문항", "q2": "2번 문항", "q3": "3번 문항", "program": "연계 프로그램",
          "target": "연계 대상", "decision": "결정", "application_id": "신청", "note": "메모", "item_id": "항목", "outcome": "결과", "household": "가구"}  # fmt: skip


def _dongs(user: Any) -> list[str]:
    return [] if user.role_enum is Role.dong_officer else list(gwanak.dong_names())


@router.get("", response_class=HTMLResponse)
def worklist_page(
    request: Request,
    db: DbSession,
    user: CrisisLister,
    dong: str = Query("", max_length=20),
    status: str = Query("", max_length=16),
) -> Any:
    """위기가구 발굴 업무 목록."""
    result = service.worklist(db, user, dong or None, status or None)
    return render(
        request,
        "crisis/worklist.html",
        dong=result.dong,
        items=result.items,
        dongs=_dongs(user),
        status=status,
        statuses=labels.STATUS,
    )


def _item_page(request: Request, db: Any, user: Any, item_id: int, **extra: Any) -> Any:
    weights = service.weights_in_force(db)
    rule = (
        f"{weights.min_attempts}회 이상 시도(방문 {weights.min_visits}회 이상, "
        f"첫 시도부터 {weights.min_days}일 이상)"
    )
    return render(
        request,
        "crisis/item.html",
        d=work.detail(db, user, item_id),
        methods=labels.METHOD,
        outcomes=labels.OUTCOME,
        reasons=labels.NOT_NEEDED_REASONS,
        rule=rule,
        ucla_items=youth.UCLA_ITEMS,
        ucla_answers=youth.UCLA_ANSWERS,
        ucla_citation=youth.UCLA_CITATION,
        referral_programs=labels.REFERRAL,
        fields=FIELDS,
        link_targets=labels.LINK_TARGET,
        status_code=422 if extra.get("error") else 200,
        **{"error": None, "message": None, **extra},
    )


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(item_id: RecordId, request: Request, db: DbSession, user: CrisisReader) -> Any:
    return _item_page(request, db, user, item_id)


def _validation(exc: ValidationError) -> InvalidInput:
    first = exc.errors()[0]
    where = str(first["loc"][0]) if first["loc"] else ""
    return InvalidInput("값이 올바르지 않습니다", where=FIELDS.get(where, where), example="")


def _apply(db: Any, run: Callable[[], object], again: Callable[[Exception], Any], done: str) -> Any:
    """Apply a posted form and go to ``done``; a bad one shows its page ``again`` with the Korean
    error, and nothing of it is kept."""
    try:
        run()
    except ValidationError as exc:
        return again(_validation(exc))
    except GibonError as exc:
        db.rollback()
        return again(exc)
    return RedirectResponse(done, status_code=303)


@router.post("/items/{item_id}/contacts", response_class=HTMLResponse)
async def contact(item_id: RecordId, request: Request, db: DbSession, user: CrisisWorker) -> Any:
    form = await request.form()
    try:
        at = str(form.get("at") or "")
        data = {k: str(form.get(k) or "") for k in ("method", "outcome", "note")}
        body = ContactIn.model_validate({**data, "at": datetime.fromisoformat(at) if at else None})
        work.add_contact(db, user, item_id, body)
    except ValidationError as exc:
        return _item_page(request, db, user, item_id, error=_validation(exc))
    except (GibonError, ValueError) as exc:
        db.rollback()
        error = (
            exc
            if isinstance(exc, GibonError)
            else InvalidInput("시각 형식이 틀립니다", where="시각")
        )
        return _item_page(request, db, user, item_id, error=error)
    return RedirectResponse(f"/crisis/items/{item_id}", status_code=303)


@router.post("/items/{item_id}/actions", response_class=HTMLResponse)
async def act(item_id: RecordId, request: Request, db: DbSession, user: CrisisWorker) -> Any:
    form = await request.form()
    data = {k: str(v) for k, v in form.items() if str(v) != "" and k != "csrf_token"}
    data["consent"] = "true" if data.get("consent") else "false"
    return _apply(
        db,
        lambda: work.act(db, user, item_id, ActionIn.model_validate(data)),
        lambda e: _item_page(request, db, user, item_id, error=e),
        f"/crisis/items/{item_id}",
    )


@router.post("/items/{item_id}/loneliness", response_class=HTMLResponse)
async def loneliness(item_id: RecordId, request: Request, db: DbSession, user: CrisisWorker) -> Any:
    form = await _form(request)

    def run() -> None:
        item = work.load(db, user, item_id, for_update=True)
        young.record_loneliness(db, user, item, LonelinessIn.model_validate(form))

    return _apply(
        db,
        run,
        lambda e: _item_page(request, db, user, item_id, error=e),
        f"/crisis/items/{item_id}#loneliness",
    )


@router.post("/items/{item_id}/referrals", response_class=HTMLResponse)
async def referral(item_id: RecordId, request: Request, db: DbSession, user: CrisisWorker) -> Any:
    form = await _form(request)

    def run() -> None:
        item = work.load(db, user, item_id, for_update=True)
        young.refer(db, user, item, ReferralIn.model_validate(form))

    return _apply(
        db,
        run,
        lambda e: _item_page(request, db, user, item_id, error=e),
        f"/crisis/items/{item_id}#referrals",
    )


@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request, db: DbSession, user: CrisisReporter) -> Any:
    service.worklist_roles_only(db, user)
    return render(
        request, "crisis/report.html", kinds=labels.REPORTER, form={}, error=None, fields=FIELDS
    )


@router.post("/report", response_class=HTMLResponse)
async def report(request: Request, db: DbSession, user: CrisisReporter) -> Any:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        item_id = intake.receive_report(db, user, ReportIn.model_validate(form))
    except (ValidationError, GibonError) as exc:
        db.rollback()
        error = _validation(exc) if isinstance(exc, ValidationError) else exc
        return render(request, "crisis/report.html", status_code=422, kinds=labels.REPORTER,
                      form=form, error=error, fields=FIELDS)  # fmt: skip
    return RedirectResponse(f"/crisis/items/{item_id}", status_code=303)


@router.get("/quality", response_class=HTMLResponse)
def quality_page(
    request: Request, db: DbSession, user: CrisisQuality, dong: str = Query("", max_length=20)
) -> Any:
    report = service.quality_report(db, user, dong or None)
    return render(request, "crisis/quality.html", report=report, dongs=_dongs(user))


def _monitoring_page(request: Request, db: Any, user: Any, household_id: str, **extra: Any) -> Any:
    return render(
        request,
        "crisis/monitoring.html",
        m=enrol.offer(db, user, household_id),
        fields=FIELDS,
        item_id=request.query_params.get("item", ""),
        status_code=422 if extra.get("error") else 200,
        **{"error": None, "form": {}, **extra},
    )


@router.get("/monitoring/{household_id}", response_class=HTMLResponse)
def monitoring_page(
    household_id: HouseholdId, request: Request, db: DbSession, user: CrisisReader
) -> Any:
    """안부 확인 모니터링: 덜 침해적인 방법부터, 방법별 동의와 철회, 가구별 무활동 기준."""
    return _monitoring_page(request, db, user, household_id)


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}


def _back(household_id: str, request: Request) -> str:
    """The household's monitoring page, keeping the worklist item it was opened from."""
    item = request.query_params.get("item", "")
    query = f"?item={item}" if item.isdigit() else ""
    return f"/crisis/monitoring/{household_id}{query}"


@router.post("/monitoring/{household_id}", response_class=HTMLResponse)
async def monitoring_enrol(
    household_id: HouseholdId, request: Request, db: DbSession, user: CrisisDevices
) -> Any:
    form = await _form(request)
    data: dict[str, Any] = {k: v for k, v in form.items() if v != ""}
    data["consent"] = bool(form.get("consent"))
    return _apply(
        db,
        lambda: enrol.enrol(db, user, household_id, EnrolIn.model_validate(data)),
        lambda e: _monitoring_page(request, db, user, household_id, error=e, form=form),
        _back(household_id, request),
    )


@router.post("/monitoring/{household_id}/withdraw/{device_id}", response_class=HTMLResponse)
def monitoring_withdraw(
    household_id: HouseholdId,
    device_id: DeviceId,
    request: Request,
    db: DbSession,
    user: CrisisDevices,
) -> Any:
    enrol.withdraw(db, user, device_id)
    return RedirectResponse(_back(household_id, request), status_code=303)


@router.post("/monitoring/{household_id}/hours/{device_id}", response_class=HTMLResponse)
async def monitoring_hours(
    household_id: HouseholdId,
    device_id: DeviceId,
    request: Request,
    db: DbSession,
    user: CrisisDevices,
) -> Any:
    form = await _form(request)
    return _apply(
        db,
        lambda: enrol.set_hours(db, user, device_id, HoursIn.model_validate(form)),
        lambda e: _monitoring_page(request, db, user, household_id, error=e),
        _back(household_id, request),
    )


@router.get("/whatif", response_class=HTMLResponse)
def whatif_page(
    request: Request,
    db: DbSession,
    user: CrisisQuality,
    threshold: str = Query("", max_length=4),
    dong: str = Query("", max_length=20),
) -> Any:
    """임계값을 바꾸면: 합성 이력에서 목록에 오를 가구와 찾아낼 위기가구 (저장하지 않음)."""
    current = service.weights_in_force(db).threshold
    error = None
    try:
        wanted = int(threshold) if threshold else current
    except ValueError:
        wanted, error = current, InvalidInput("임계값은 숫자입니다", where="임계값", example="50")
    try:
        result = service.threshold_what_if(db, user, wanted, dong or None)
    except InvalidInput as exc:
        error, result = exc, service.threshold_what_if(db, user, current, dong or None)
    sweep = result["sweep"]
    chart = charts.bars(
        "임계값별 목록에 오른 가구와 찾아낸 위기가구",
        [(f"{o['threshold']}점", [o["households_listed"], o["caught"]]) for o in sweep],
        ["목록에 오른 가구", "찾아낸 위기가구"],
        "가구",
    )
    return render(
        request,
        "crisis/whatif.html",
        r=result,
        chart=chart,
        dongs=_dongs(user),
        error=error,
        status_code=422 if error else 200,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request, db: DbSession, user: CrisisQuality, dong: str = Query("", max_length=20)
) -> Any:
    """동별 열린 항목 지도와 신호 → 연락 → 지원 깔때기 (구 전체와 동별)."""
    from gibon.web import dongmap

    d = service.dashboard(db, user, dong or None)
    can_list = user.role_enum in (Role.district_team, Role.admin, Role.dong_officer)
    svg = dongmap.render(
        {k: float(v["open"]) for k, v in d["by_dong"].items()},
        title="동별 열린 발굴 항목",
        fmt=lambda v: f"{v:,.0f}건",
    )  # no links inside the map (an image role cannot hold links); the table links each dong
    stages = d["stages"]
    total_chart = charts.bars(
        f"{d['dong'] or '관악구 전체'} 신호에서 지원까지",
        [(label, [d["total"][key]]) for key, label in stages],
        ["가구 수"],
        "가구",
    )
    dong_chart = charts.bars(
        "동별 신호에서 지원까지",
        [(name, [row[k] for k, _ in stages]) for name, row in d["by_dong"].items()],
        ["신호 온 가구", "목록", "연락 시도", "연락 닿음", "지원 연계"],
    )
    return render(
        request,
        "crisis/dashboard.html",
        d=d,
        map_svg=Markup(svg),
        total_chart=total_chart,
        dong_chart=dong_chart,
        dongs=_dongs(user),
        can_list=can_list,
    )


def _application_page(request: Request, db: Any, user: Any, app_id: int, **extra: Any) -> Any:
    return render(
        request,
        "crisis/application.html",
        a=apply.view(db, user, app_id),
        decisions={k: v for k, v in labels.APPLICATION.items() if k != "submitted"},
        fields=FIELDS,
        status_code=422 if extra.get("error") else 200,
        **{"error": None, **extra},
    )


@router.get("/applications/{app_id}", response_class=HTMLResponse)
def application_page(app_id: RecordId, request: Request, db: DbSession, user: CrisisReader) -> Any:
    """지원 연계로 연 급여 신청서."""
    return _application_page(request, db, user, app_id)


@router.post("/applications/{app_id}/decision", response_class=HTMLResponse)
async def application_decision(
    app_id: RecordId, request: Request, db: DbSession, user: CrisisWorker
) -> Any:
    form = await _form(request)
    return _apply(
        db,
        lambda: apply.decide(db, user, app_id, DecisionIn.model_validate(form)),
        lambda e: _application_page(request, db, user, app_id, error=e),
        f"/crisis/applications/{app_id}",
    )
