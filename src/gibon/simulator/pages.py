"""Korean pages: planners pick or upload a reform and read the report; dong officers work the
outreach list and record what came of each contact."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gibon.access import policy
from gibon.access.deps import OutreachReader, OutreachWorker, SimulationReader, SimulationRunner
from gibon.access.policy import Action, Scope
from gibon.benefits import labels as benefit_labels
from gibon.errors import GibonError
from gibon.kit import clock, gwanak
from gibon.simulator import builder, repository, service
from gibon.simulator import reform as reform_mod
from gibon.simulator.models import OUTCOME_LABELS_KO
from gibon.web import filters
from gibon.web.deps import DbSession, render

router = APIRouter(prefix="/simulator", include_in_schema=False)
DEFAULT_MONTH = "2026-06"
BUILD_LABELS = {
    "parameter": "바꿀 값",
    "start": "시행일",
    "value": "새 값",
    "name": "이름",
    "amount": "월 금액",
    "kind": "종류",
    "age_min": "나이 (부터)",
    "age_max": "나이 (까지)",
    "household": "가구 유형",
    "dong": "행정동",
    "income_limit": "소득 기준",
    "take_up": "예상 신청률",
}


def _examples() -> list[dict[str, str]]:
    out = []
    for stem, path in reform_mod.examples().items():
        spec = reform_mod.load(path)
        starts = [str(d)[:7] for dated in spec.overrides.values() for d in dated]
        month = max([DEFAULT_MONTH, *starts]) if starts else DEFAULT_MONTH
        out.append({"id": stem, "name": spec.name, "description": spec.description, "month": month})
    return out


@router.get("", response_class=HTMLResponse)
def index(request: Request, db: DbSession, user: SimulationReader) -> Any:
    """정책 시뮬레이션: 예시를 고르거나 개혁안 YAML을 올려 관악구 전체에 돌려 봅니다."""
    return _index(request, db)


def _index(request: Request, db: Any, status: int = 200, **extra: Any) -> Any:
    extra.setdefault("error", None)
    extra.setdefault("form", {})
    extra.setdefault("built", {})
    extra.setdefault("errors", {})
    return render(
        request,
        "simulator/index.html",
        status,
        examples=_examples(),
        runs=repository.list_runs(db),
        choices=builder.parameter_choices(date.fromisoformat(DEFAULT_MONTH + "-01")),
        household_types={k: v[0] for k, v in builder.HOUSEHOLD_TYPES.items()},
        kinds=builder.KINDS,
        dongs=gwanak.dong_names(),
        build_labels=BUILD_LABELS,
        **extra,
    )


@router.post("/reforms/build", response_class=HTMLResponse)
async def build_reform(request: Request, db: DbSession, user: SimulationRunner) -> Any:
    """개혁안 만들기 (양식): the same YAML as an upload, downloaded or run at once."""
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    month = form.get("month") or DEFAULT_MONTH
    try:
        text, _spec = builder.build(form)
        if form.get("action") == "yaml":
            return Response(
                text.encode("utf-8"),
                media_type="application/yaml; charset=utf-8",
                headers={"content-disposition": 'attachment; filename="reform.yaml"'},
            )
        run = service.run_on_district(db, user, text, None, month, 1)
    except GibonError as exc:
        db.rollback()
        errors = {exc.where or "_form": exc.message}
        return _index(request, db, 422, built=form, errors=errors)
    return RedirectResponse(f"/simulator/runs/{run.id}", status_code=303)


@router.post("/runs", response_class=HTMLResponse)
async def create_run(request: Request, db: DbSession, user: SimulationRunner) -> Any:
    form = await request.form()
    upload = form.get("reform_file")
    text = str(form.get("reform_yaml") or "")
    if upload is not None and hasattr(upload, "read"):
        text = (await upload.read()).decode("utf-8", errors="replace") or text
    example = str(form.get("example") or "") or None
    month = str(form.get("month") or "2026-06")
    try:
        # the whole district's run: in a worker thread, so the server keeps answering
        run = await run_in_threadpool(
            service.run_on_district, db, user, text or None, example, month, 1
        )
    except GibonError as exc:
        return _index(request, db, 422, error=exc, form={"reform_yaml": text, "month": month})
    return RedirectResponse(f"/simulator/runs/{run.id}", status_code=303)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(run_id: int, request: Request, db: DbSession, user: SimulationReader) -> Any:
    return render(request, "simulator/run.html", run=service.get_run(db, run_id))


@router.get("/outreach", response_class=HTMLResponse)
def outreach_page(
    request: Request,
    db: DbSession,
    user: OutreachReader,
    dong: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=10_000),
) -> Any:
    """사각지대 발굴: 받을 수 있는데 받지 않는 것으로 보이는 가구, 놓친 금액이 큰 순서."""
    any_dong = policy.scope_of(user, Action.list, "outreach") is Scope.district
    if not dong and any_dong:
        dong = gwanak.dong_names()[0]  # the district team starts at the first dong
    month = clock.this_month()
    name, total, items = service.outreach_list(
        db, user, dong or None, month=month, limit=30, offset=(page - 1) * 30
    )
    today = datetime.now(filters.SEOUL).date()
    return render(
        request,
        "simulator/outreach.html",
        dong=name,
        total=total,
        items=items,
        contacts=service.outreach_contacts(db, user, items, today),
        page=page,
        pages=max(1, -(-total // 30)),
        outcomes=OUTCOME_LABELS_KO,
        dongs=gwanak.dong_names(),
        BL=benefit_labels,
        any_dong=any_dong,
        month=month,
    )


@router.post("/outreach/{household_id}", response_class=HTMLResponse)
async def record(household_id: str, request: Request, db: DbSession, user: OutreachWorker) -> Any:
    form = await request.form()
    outcome = str(form.get("outcome") or "")
    programs = [str(p) for p in form.getlist("programs")]
    service.record_contact(
        db, user, household_id[:16], outcome, programs, str(form.get("note") or "")
    )
    back = f"/simulator/outreach?dong={user.dong or form.get('dong') or ''}"
    return RedirectResponse(back, status_code=303)
