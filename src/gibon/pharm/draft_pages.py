"""The page where a pharmacist enters a visit's dispensings: upload, type, correct, delete, review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from gibon.accounts.models import User
from gibon.errors import Forbidden, GibonError
from gibon.pharm import access, drafts, knowledge, labels, residents, rows
from gibon.pharm.knowledge import products
from gibon.web.deps import DbSession, RecordId, render

router = APIRouter()
Pharmacist = access.Pharmacist
NOTICES = {
    "uploaded": "파일을 읽었습니다. 오류가 있는 행은 빨간 글씨로 표시됩니다 — 고치거나 지우세요.",
    "added": "한 줄을 넣었습니다.",
    "edited": "행을 고쳤습니다.",
    "deleted": "행을 지웠습니다.",
}
EDITABLE = ("date", "drug", "strength", "sig", "days_supply", "quantity", "prescriber", "pharmacy")


def _page(
    request: Request,
    db: DbSession,
    user: User,
    visit_id: int,
    status_code: int = 200,
    **extra: Any,
) -> Any:
    today = date.today()
    current = drafts.view(db, user, visit_id, today)
    query = extra.pop("q", "")
    pick = extra.pop("pick", 0)
    hits = products.search(query) if query else []
    context: dict[str, Any] = {"error": None, "notice": None, "edit": None, "typed": {}, **extra}
    return render(
        request,
        "pharm/dispensings.html",
        status_code,
        d=current,
        visit=current.visit,
        resident=residents.row(current.visit.person, today),
        fields=EDITABLE,
        FIELD_KO={name: labels.field_ko(name) for name in rows.FIELDS},
        EXAMPLE={name: labels.example(name) for name in rows.FIELDS},
        choices=drug_choices(),
        q=query,
        hits=hits,
        picked=hits[pick - 1] if 0 < pick <= len(hits) else None,
        **context,
    )


@cache
def drug_choices() -> list[tuple[str, str]]:
    """Every product and ingredient for the drug field's suggestion list: (value, label)."""
    out = [(p, f"제품 · {ings}") for p, ings in products.table().items()]
    out += [(d.ko, f"성분 · {d.name}") for d in knowledge.kb().drugs.values()]
    return out


@router.get("/visits/{visit_id}/dispensings", response_class=HTMLResponse)
def dispensings_page(
    request: Request,
    visit_id: RecordId,
    db: DbSession,
    user: User = Pharmacist,
    edit: int = 0,
    q: str = "",
    notice: str = "",
    pick: int = 0,
) -> Any:
    shown = NOTICES.get(notice)
    return _page(request, db, user, visit_id, edit=edit or None, q=q[:40], pick=pick, notice=shown)


async def _apply(
    request: Request,
    db: DbSession,
    user: User,
    visit_id: int,
    action: Callable[[dict[str, Any]], str | None],
) -> Any:
    form: dict[str, Any] = {k: v for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        notice = action(form)
    except Forbidden:
        raise
    except GibonError as exc:
        db.rollback()
        typed = {k: str(v) for k, v in form.items() if k in rows.FIELDS}
        edit = form.get("row_id")
        return _page(
            request,
            db,
            user,
            visit_id,
            exc.status,
            error=exc.one_line(),
            typed=typed,
            edit=int(str(edit)) if str(edit or "").isdigit() else None,
        )
    target = f"/pharm/visits/{visit_id}/dispensings"
    if notice == "reviewed":
        target = f"/pharm/visits/{visit_id}"
    elif notice:
        target += f"?notice={notice}"
    return RedirectResponse(target, status_code=303)


def _version(form: dict[str, Any]) -> int | None:
    value = str(form.get("version", ""))
    return int(value) if value.isdigit() else None


@router.post("/visits/{visit_id}/dispensings/upload", response_class=HTMLResponse)
async def upload(
    request: Request, visit_id: RecordId, db: DbSession, user: User = Pharmacist
) -> Any:
    async with request.form() as form:
        file = form.get("file")
        name = file.filename if isinstance(file, UploadFile) and file.filename else "파일"
        content = await file.read() if isinstance(file, UploadFile) else b""
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: (
            "uploaded"
            if drafts.upload(db, user, visit_id, name[:80], content, date.today())
            else None
        ),
    )


@router.post("/visits/{visit_id}/dispensings/rows", response_class=HTMLResponse)
async def add_row(
    request: Request, visit_id: RecordId, db: DbSession, user: User = Pharmacist
) -> Any:
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: "added" if drafts.add_row(db, user, visit_id, f, _version(f)) else None,
    )


@router.post("/visits/{visit_id}/dispensings/rows/{row_id}", response_class=HTMLResponse)
async def edit_row(
    request: Request, visit_id: RecordId, row_id: RecordId, db: DbSession, user: User = Pharmacist
) -> Any:
    return await _apply(
        request,
        db,
        user,
        visit_id,
        lambda f: (
            "edited" if drafts.update_row(db, user, visit_id, row_id, f, _version(f)) else None
        ),
    )


@router.post("/visits/{visit_id}/dispensings/rows/{row_id}/delete", response_class=HTMLResponse)
async def delete_row(
    request: Request, visit_id: RecordId, row_id: RecordId, db: DbSession, user: User = Pharmacist
) -> Any:
    def run(f: dict[str, Any]) -> str:
        drafts.delete_row(db, user, visit_id, row_id, _version(f))
        return "deleted"

    return await _apply(request, db, user, visit_id, run)


@router.post("/visits/{visit_id}/dispensings/review", response_class=HTMLResponse)
async def run_review(
    request: Request, visit_id: RecordId, db: DbSession, user: User = Pharmacist
) -> Any:
    def run(f: dict[str, Any]) -> str:
        drafts.run_review(db, user, visit_id, date.today())
        return "reviewed"

    return await _apply(request, db, user, visit_id, run)
