"""Form posts for each step of a case; errors come back next to their fields, in Korean."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from gibon.access.deps import CaseWorker, FollowUpWorker, ReferralEditor
from gibon.care import forms
from gibon.care._schema_base import Id
from gibon.care.assessments import service as steps
from gibon.care.assessments.schemas import (
    AssessmentCreate,
    DecisionCreate,
    DecisionNotice,
    ScreeningCreate,
)
from gibon.care.cases import closing, service
from gibon.care.cases.pages import render_case
from gibon.care.cases.schemas import CaseClose, CaseIntake, CaseReopen, ConsentChange
from gibon.care.plans import service as plans
from gibon.care.plans.schemas import ConferenceCreate, PlanCreate, PlanNotice
from gibon.care.records import service as records
from gibon.care.records.schemas import DocumentCheckCreate, InfoRequestCreate
from gibon.care.referrals import service as referrals
from gibon.care.referrals.schemas import (
    FollowUpCreate,
    FollowUpDone,
    ReferralCreate,
    ReferralUpdate,
)
from gibon.errors import Conflict, Forbidden, GibonError
from gibon.web import flash
from gibon.web.deps import DbSession

M = TypeVar("M", bound=BaseModel)

router = APIRouter(prefix="/care", include_in_schema=False)


@dataclass(frozen=True)
class StepForm:
    schema: type[BaseModel]
    run: Callable[..., Any]
    lists: frozenset[str] = frozenset()
    with_case_id: bool = False
    checkboxes: frozenset[str] = frozenset()  # fields sent as several ticked boxes


STEPS: dict[str, StepForm] = {
    "screen": StepForm(ScreeningCreate, steps.screen),
    "assess": StepForm(
        AssessmentCreate,
        steps.assess,
        frozenset(
            {
                "data.medical.conditions",
                "data.housing.hazards",
                "data.income.benefits",
                "data.needs.priorities",
            }
        ),
    ),
    "decide": StepForm(DecisionCreate, steps.decide),
    "plan": StepForm(PlanCreate, plans.add_plan, frozenset({"goals"})),
    "conference": StepForm(
        ConferenceCreate, lambda db, u, _c, b: plans.hold_conference(db, u, b), with_case_id=True
    ),
    "refer": StepForm(
        ReferralCreate, lambda db, u, _c, b: referrals.offer(db, u, b), with_case_id=True
    ),
    "followup": StepForm(
        FollowUpCreate, lambda db, u, _c, b: referrals.schedule(db, u, b), with_case_id=True
    ),
    "close": StepForm(CaseClose, closing.close_case),
    "reopen": StepForm(CaseReopen, closing.reopen_case),
    "intake": StepForm(CaseIntake, service.update_intake),
    "decision_notice": StepForm(DecisionNotice, steps.notify_decision),
    "notice": StepForm(PlanNotice, plans.notify),
    "consent": StepForm(ConsentChange, service.give_consent),
    "withdraw": StepForm(ConsentChange, service.withdraw_consent),
    "info_request": StepForm(
        InfoRequestCreate, records.log_info_request, checkboxes=frozenset({"items"})
    ),
    "document": StepForm(DocumentCheckCreate, records.check_document),
}
StepName = Literal[
    "screen",
    "assess",
    "decide",
    "plan",
    "conference",
    "refer",
    "followup",
    "close",
    "reopen",
    "intake",
    "decision_notice",
    "notice",
    "consent",
    "withdraw",
    "info_request",
    "document",
]


@router.post("/cases/{case_id}/{step}", response_class=HTMLResponse)
async def post_step(
    request: Request, case_id: Id, step: StepName, db: DbSession, user: CaseWorker
) -> Any:
    spec = STEPS[step]
    data = await request.form()
    flat = forms.flatten(data, spec.lists)
    for name in spec.checkboxes:
        flat[name] = [str(v) for v in data.getlist(name)]
    if spec.with_case_id:
        flat["case_id"] = case_id
    _drop_unticked_plan_approval(step, flat)
    _drop_blank_settle(flat)
    body, errors = forms.parse(spec.schema, flat)
    conflict = None
    if body is not None:
        try:
            spec.run(db, user, case_id, body)
            return _see_other(f"/care/cases/{case_id}#{step}")
        except Forbidden:
            raise
        except GibonError as exc:
            db.rollback()  # nothing half-saved
            errors = forms.from_error(exc)
            if isinstance(exc, Conflict):
                conflict = exc.details
                flat.pop("version", None)
                flat.pop("based_on", None)
    status = 409 if conflict else 422
    return render_case(
        request,
        db,
        user,
        case_id,
        status,
        errors=errors,
        form=flat,
        active=step,
        conflict=conflict,
    )


def _drop_unticked_plan_approval(step: str, flat: dict[str, Any]) -> None:
    """Conference form: approve only when ticked; blank participant rows are not participants."""
    if step == "conference" and flat.get("approve") != "true":
        flat.pop("approve_plan", None)
    flat.pop("approve", None)
    for key in [k for k in flat if k.startswith("participants.") and k.endswith(".agency")]:
        if not flat.get(key.removesuffix(".agency") + ".name"):
            flat.pop(key)


def _drop_blank_settle(flat: dict[str, Any]) -> None:
    """Closing form: a row left at '— 선택 —' is sent without ``how`` and counts as not settled."""
    for key in [k for k in flat if k.startswith("settle.") and k.endswith(".how")]:
        if not flat.get(key):
            stem = key.removesuffix(".how")
            for part in ("kind", "id", "how"):
                flat.pop(f"{stem}.{part}", None)


@router.post("/referrals/{referral_id}", response_class=HTMLResponse)
async def post_referral(
    request: Request,
    referral_id: Id,
    db: DbSession,
    user: ReferralEditor,
    back: str = Form("/care/referrals", max_length=100),
) -> Any:
    """A referral answered: accept, decline (reason), start, end (outcome)."""
    return await _small_form(
        request,
        db,
        ReferralUpdate,
        lambda b: referrals.update_referral(db, user, referral_id, b),
        back,
        f"referral-{referral_id}",
    )


@router.post("/followups/{followup_id}/done", response_class=HTMLResponse)
async def post_followup_done(
    request: Request,
    followup_id: Id,
    db: DbSession,
    user: FollowUpWorker,
    back: str = Form("/care/followups", max_length=100),
) -> Any:
    return await _small_form(
        request,
        db,
        FollowUpDone,
        lambda b: referrals.complete(db, user, followup_id, b),
        back,
        f"followup-{followup_id}",
    )


async def _small_form(
    request: Request,
    db: Session,
    schema: type[M],
    action: Callable[[M], object],
    back: str,
    form_id: str,
) -> Any:
    """Validate a one-row form, apply it, and go back; or go back to the same row with what was
    wrong, in Korean, and what was typed (web.flash)."""
    flat = forms.flatten(await request.form())
    flat.pop("back", None)
    body, errors = forms.parse(schema, flat)
    if body is not None:
        try:
            action(body)
            return _see_other(_safe(back))
        except Forbidden:
            raise
        except GibonError as exc:
            db.rollback()
            errors = forms.from_error(exc)
    flash.keep(request, form_id, errors, flat)
    return _see_other(_safe(back).split("#")[0] + f"#{form_id}")


def _see_other(target: str) -> RedirectResponse:
    """After a saved form: DbSession commits before this answer is sent (handler scope)."""
    return RedirectResponse(target, status_code=303)


def _safe(target: str) -> str:
    return target if target.startswith("/care") else "/care"
