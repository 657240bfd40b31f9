"""What if: a life event (a job, a move, a baby) applied to a copy of the household and
recomputed through the benefits engine; nothing is stored, the read is audited."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from gibon.benefits import service as benefits
from gibon.benefits import view as benefits_view
from gibon.errors import InvalidInput
from gibon.kit import gwanak
from gibon.window import plain, service

EVENTS = {
    "job": "일을 시작하면 (한 달 번 돈)",
    "move": "이사하면 (새 집의 월세·보증금·동)",
    "baby": "아기가 태어나면",
}
MAX_WON = 100_000_000


@dataclass(frozen=True)
class Event:
    kind: str
    income: int = 0
    rent: int = 0
    deposit: int = 0
    dong: str = ""


@dataclass(frozen=True)
class Change:
    name: str
    now: plain.Entitlement
    then: plain.Entitlement
    difference: int  # won a month, cash and vouchers only

    @property
    def changed(self) -> bool:
        return (self.now.state, self.now.amount_text) != (self.then.state, self.then.amount_text)


def parse(kind: str, income: str, rent: str, deposit: str, dong: str) -> Event:
    if kind not in EVENTS:
        raise InvalidInput(
            "어떤 일이 생기는지 골라 주세요", where="생활 변화", example="일을 시작하면"
        )
    if kind == "job":
        return Event(kind, income=_won(income, "한 달 번 돈", "1800000"))
    if kind == "move":
        if dong not in gwanak.dong_names():
            raise InvalidInput("이사할 동을 골라 주세요", where="동", example="신림동")
        return Event(
            kind,
            rent=_won(rent, "월세", "400000"),
            deposit=_won(deposit, "보증금", "5000000"),
            dong=dong,
        )
    return Event(kind)


def _won(text: str, field: str, example: str) -> int:
    cleaned = text.replace(",", "").replace("원", "").strip()
    if not cleaned.isdigit() or int(cleaned) > MAX_WON:
        raise InvalidInput(
            f"‘{field}’은 원 단위 숫자로 적어 주세요 (1억 원까지)", where=field, example=example
        )
    return int(cleaned)


def apply(data: dict[str, Any], event: Event, subject_id: str, today: dt.date) -> dict[str, Any]:
    """A copy of the engine input with the event applied."""
    out = copy.deepcopy(data)
    if event.kind == "job":
        me = next(m for m in out["members"] if m["id"] == subject_id)
        me["employed"], me["earned_income"] = True, event.income
    elif event.kind == "move":
        out["dong"] = event.dong
        out["housing"] = {
            "tenure": "monthly_rent",
            "deposit": event.deposit,
            "monthly_rent": event.rent,
        }
    else:
        out["members"].append(
            {"id": "baby", "relation": "child", "birth_date": today.isoformat(), "sex": "F"}
        )
        out["living_alone"] = False
    return out


def compare(h: service.Home, event: Event, month: str, today: dt.date) -> list[Change]:
    data = service.benefits_input(h)
    before = _results(data, month)
    after = _results(apply(data, event, h.person.id, today), month)
    return [Change(b.name, b, a, _cash(a) - _cash(b)) for b, a in zip(before, after, strict=True)]


def _results(data: dict[str, Any], month: str) -> list[plain.Entitlement]:
    result = benefits.calculate(data, month)
    return [plain.entitlement(p, benefits_view.program(p)) for p in result["programs"]]


def _cash(e: plain.Entitlement) -> int:
    return e.amount if e.state == plain.YES else 0
