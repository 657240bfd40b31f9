"""Korean pages: the dong worklist, one item worked to an outcome, the report form, quality."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from gibon.access.deps import (
    CrisisLister,
    CrisisQuality,
    CrisisReader,
    CrisisReporter,
    CrisisWorker,
)
from gibon.accounts.models import Role
from gibon.crisis import intake, labels, service, work
from gibon.crisis.schemas import ActionIn, ContactIn, ReportIn
from gibon.errors import GibonError, InvalidInput
from gibon.kit import gwanak
from gibon.web.deps import DbSession, RecordId, render

router = APIRouter(prefix="/crisis", include_in_schema=False)
FIELDS = {"name": "대상 주민 이름", "birth_date": "생년월일", "concern": "걱정되는 점",
          "reporter_name": "제보자 이름", "kind": "제보한 사람", "recheck_on": "재확인 날짜",
          "reason": "비대상 사유", "at": "시각", "action": "처리", "version": "버전"}  # fmt: skip


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
    try:
        work.act(db, user, item_id, ActionIn.model_validate(data))
    except ValidationError as exc:
        return _item_page(request, db, user, item_id, error=_validation(exc))
    except GibonError as exc:
        db.rollback()
        return _item_page(request, db, user, item_id, error=exc)
    return RedirectResponse(f"/crisis/items/{item_id}", status_code=303)


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
