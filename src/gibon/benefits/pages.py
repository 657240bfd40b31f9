"""Korean page: an officer enters a household and sees every program with its explanation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gibon.benefits import service
from gibon.benefits.schemas import parse_household
from gibon.errors import InvalidInput
from gibon.kit import gwanak
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


@router.get("/benefits", response_class=HTMLResponse)
def form(request: Request, user: OptionalUser) -> Any:
    return page(
        request, {"month": "2026-06", "tenure": "monthly_rent", "m0_relation": "head"}, {}, None
    )


@router.post("/benefits", response_class=HTMLResponse)
async def submit(request: Request, user: OptionalUser) -> Any:
    data = await request.form()
    flat = {k: str(v) for k, v in data.items()}
    try:
        household = parse_household(to_household(flat))
        result = service.calculate(household, flat.get("month") or "2026-06")
    except InvalidInput as exc:
        return page(request, flat, {exc.where or "form": exc.message}, None, 422)
    return page(request, flat, {}, result)


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
    )


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
        raise InvalidInput("가구원을 한 명 이상 입력하세요", where="members", example="1980-01-01")
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
            f"숫자(원)로 입력하세요: {raw!r}", where=where, example="1500000"
        ) from None
