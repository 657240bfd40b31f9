"""The household JSON contract (issue 3): validated strictly, errors carry the field path."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from gibon.errors import InvalidInput
from gibon.kit import problems

Won = Field(default=0, ge=0, le=10**13)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Assets(Strict):
    housing: int = Won
    deposits: int = Won
    financial: int = Won
    car: int = Won
    debt: int = Won


class Housing(Strict):
    tenure: Literal["owner", "jeonse", "monthly_rent", "public_rental", "free"]
    deposit: int = Won
    monthly_rent: int = Won


class Member(Strict):
    id: str = Field(min_length=1, max_length=64)
    relation: Literal["head", "spouse", "child", "parent", "other"]
    birth_date: dt.date = Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 1, 1))
    sex: Literal["F", "M"]
    disability: Literal["none", "mild", "severe"] = "none"
    pregnant: bool = False
    student: bool = False
    employed: bool | None = None
    earned_income: int = Won
    business_income: int = Won
    pension_income: int = Won
    pension_a_benefit: int | None = Field(default=None, ge=0, le=10**9)
    property_income: int = Won
    other_income: int = Won
    assets: Assets = Field(default_factory=Assets)
    ltc_grade: Literal[1, 2, 3, 4, 5, "1", "2", "3", "4", "5", "cognitive"] | None = None
    conditions: list[str] = Field(default_factory=list)


class Household(Strict):
    id: str | None = None
    dong: str = Field(default="", max_length=40)
    housing: Housing
    members: list[Member] = Field(min_length=1, max_length=30)
    living_alone: bool | None = None
    crisis: bool = False


EXAMPLE = (
    '{"dong": "청룡동", "housing": {"tenure": "monthly_rent", "deposit": 10000000, "monthly_rent": '
    '400000}, "members": [{"id": "a", "relation": "head", "birth_date": "1999-04-01", "sex": "F", '
    '"earned_income": 1500000}]}'
)


_ONE = TypeAdapter(Household)
_MANY = TypeAdapter(list[Household])


def parse_json(body: bytes) -> Household | list[Household]:
    """A JSON body with one household or a list, validated in one pass (pydantic-core)."""
    head = body.lstrip()[:1]
    adapter: Any = _MANY if head == b"[" else _ONE
    try:
        parsed: Household | list[Household] = adapter.validate_json(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        if head == b"[" and loc and isinstance(loc[0], int):
            raise invalid(exc, f"[{loc[0]}]", skip=1) from None
        raise invalid(exc) from None
    check_members(parsed if isinstance(parsed, list) else [parsed], head == b"[")
    return parsed


def check_members(households: list[Household], many: bool) -> None:
    """One head and unique member ids per household (checked in a plain loop, not per field)."""
    for i, h in enumerate(households):
        where = f"[{i}].members" if many else "members"
        ids = [m.id for m in h.members]
        if len(set(ids)) != len(ids):
            raise InvalidInput(
                "가구원 번호(id)가 겹칩니다. 가구원마다 다른 번호를 주세요",
                where=where,
                example=EXAMPLE,
            )
        if sum(m.relation == "head" for m in h.members) != 1:
            raise InvalidInput(
                "가구주는 꼭 한 명이어야 합니다 (관계: 가구주)", where=where, example=EXAMPLE
            )


def parse_household(raw: Any, where: str = "") -> Household:
    try:
        household = Household.model_validate(raw)
    except ValidationError as exc:
        raise invalid(exc, where) from None
    try:
        check_members([household], False)
    except InvalidInput as exc:
        exc.where = f"{where}.members" if where else "members"
        raise
    return household


def invalid(exc: ValidationError, where: str = "", skip: int = 0) -> InvalidInput:
    """The first problem as a Korean sentence naming the field (gibon.kit.problems); all in details."""
    from gibon.benefits import labels  # registers the calculator's field labels

    err = exc.errors()[0]
    path = ".".join(str(x) for x in err["loc"][skip:])
    full = f"{where}.{path}" if where and path else (where or path)
    label = problems.label_for(path) or labels.FIELD_FALLBACK
    return InvalidInput(
        f"{label}: {problems.message(err)}",
        where=full or "household",
        example=EXAMPLE,
        details=[
            {
                "loc": [where, *e["loc"]] if where else list(e["loc"]),
                "label": problems.label_for(problems.path(e["loc"][skip:])),
                "msg": problems.message(e),
                "type": e["type"],
            }
            for e in exc.errors()[:20]
        ],
    )
