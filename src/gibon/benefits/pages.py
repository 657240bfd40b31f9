"""Korean page: an officer enters a household and sees every program with its explanation."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gibon.benefits import labels, service, view
from gibon.benefits.schemas import parse_household
from gibon.errors import InvalidInput
from gibon.kit import clock, gwanak, problems
from gibon.web.deps import OptionalUser, render

router = APIRouter(include_in_schema=False)

ROWS = 5
MEMBER_FIELDS = (
    "relation",
    "birth_date",
    "sex",
    "disability",
    "earned_income",
    "business_income",
    "pension_income",
    "property_income",
    "other_income",
    "ltc_grade",
)
MONEY = ("earned_income", "business_income", "pension_income", "property_income", "other_income")
ASSETS = ("housing", "financial", "car", "debt")
FLAGS = ("student", "pregnant")


def this_month() -> str:
    """The current month in Seoul (the calculator's default)."""
    return clock.this_month()


def defaults(user: Any) -> dict[str, str]:
    """Today's month and the officer's own dong; a resident starts from the first dong."""
    dong = getattr(user, "dong", None) or ""
    return {"month": this_month(), "dong": dong, "tenure": "monthly_rent", "m0_relation": "head"}


@router.get("/benefits", response_class=HTMLResponse)
def form(request: Request, user: OptionalUser) -> Any:
    return page(request, defaults(user), {}, None)


@router.post("/benefits", response_class=HTMLResponse)
async def submit(request: Request, user: OptionalUser) -> Any:
    data = await request.form()
    flat = {k: str(v) for k, v in data.items()}
    try:
        household = parse_household(to_household(flat))
        result = service.calculate(household, flat.get("month") or this_month())
    except InvalidInput as exc:
        return page(request, flat, _errors(exc), None, 422)
    return page(request, flat, {}, view.result(result))


def _errors(exc: InvalidInput) -> dict[str, str]:
    """The error under the form field's own name (``members.0.x`` is ``m0_x`` on the form)."""
    where = exc.where or "_form"
    label = problems.label_for(where)
    message = exc.message.removeprefix(f"{label}: ") if label else exc.message
    match = re.match(r"members\.(\d+)\.(?:assets\.)?(\w+)$", where)
    if match:
        prefix = "asset_" if ".assets." in where else ""
        where = f"m{match.group(1)}_{prefix}{match.group(2)}"
    elif where.startswith("housing."):
        where = where.removeprefix("housing.")
    if exc.example and exc.example.isdigit():
        message += f" (예: {exc.example})"
    return {where: message}


def page(
    request: Request, form: dict[str, str], errors: dict[str, str], result: Any, status: int = 200
) -> Any:
    return render(
        request,
        "benefits/calculator.html",
        status,
        form=form,
        errors=errors,
        result=result,
        rows=range(ROWS),
        dongs=gwanak.dong_names(),
        BL=labels,
        labels=_form_labels(),
    )


def _form_labels() -> dict[str, str]:
    """On-screen labels by form field name, for the error summary."""
    out = {"month": "급여 월", "dong": "행정동", "tenure": "주거 형태", "deposit": "보증금"}
    out["monthly_rent"] = "월세"
    for i in range(ROWS):
        for key, text in labels.MEMBER_FIELDS.items():
            out[f"m{i}_{key.replace('assets.', 'asset_')}"] = f"구성원 {i + 1}의 {text}"
    return out


def to_household(f: dict[str, str]) -> dict[str, Any]:
    """Form fields → the household JSON contract (blank member rows are skipped)."""
    members: list[dict[str, Any]] = []
    for i in range(ROWS):
        if not f.get(f"m{i}_birth_date"):
            continue
        m: dict[str, Any] = {
            "id": f"구성원{i + 1}",
            "sex": f.get(f"m{i}_sex") or "F",
            "relation": f.get(f"m{i}_relation") or "other",
            "birth_date": f[f"m{i}_birth_date"],
            "disability": f.get(f"m{i}_disability") or "none",
        }
        for k in MONEY:
            m[k] = number(f, f"m{i}_{k}", f"members.{len(members)}.{k}")
        m["assets"] = {
            k: number(f, f"m{i}_asset_{k}", f"members.{len(members)}.assets.{k}") for k in ASSETS
        }
        for k in FLAGS:
            m[k] = f.get(f"m{i}_{k}") == "on"
        if f.get(f"m{i}_ltc_grade"):
            m["ltc_grade"] = f[f"m{i}_ltc_grade"]
        members.append(m)
    if not members:
        raise InvalidInput(
            "가구원을 한 명 이상 입력하세요 (생년월일이 있는 줄만 계산합니다)",
            where="m0_birth_date",
            example="1948-03-01",
        )
    return {
        "dong": f.get("dong", ""),
        "crisis": f.get("crisis") == "on",
        "housing": {
            "tenure": f.get("tenure") or "free",
            "deposit": number(f, "deposit", "housing.deposit"),
            "monthly_rent": number(f, "monthly_rent", "housing.monthly_rent"),
        },
        "members": members,
    }


def number(f: dict[str, str], key: str, where: str) -> int:
    raw = (f.get(key) or "0").replace(",", "").strip() or "0"
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(
            f"숫자로 적어 주세요 (적은 값: {raw})", where=where, example="1500000"
        ) from None
