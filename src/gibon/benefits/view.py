"""The calculator's result as people read it: one verdict per program, said the same way in the
summary, the explanation and the total.

A program whose result depends on an unconfirmed value or a missing input is "판단 보류"
everywhere: not "아니오 · 0" in one place and "대상: 예" in another. The engine's lower bound is
not shown as the answer; the range is, with what would settle it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gibon.benefits import labels

PENDING = "판단 보류"


@dataclass(frozen=True)
class ProgramView:
    id: str
    name: str
    kind: str
    verdict: str  # 대상 / 대상 아님 / 판단 보류
    amount: int
    amount_text: str
    pending: bool
    settle: list[str]
    steps: list[dict[str, Any]]
    references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ResultView:
    month: str
    programs: list[ProgramView]
    total: int
    pending_count: int
    pending_upper: int


def program(p: dict[str, Any]) -> ProgramView:
    pending = not p["determined"]
    settle = _settle(p["explanation"])
    steps = [_step(s, pending) for s in p["explanation"] if not _is_waiting(s)]
    if pending:
        low, high = _amount_range(p)
        amount_text = f"{PENDING} ({low:,}원 ~ {high:,}원)" if high else PENDING
        verdict = PENDING
    else:
        amount_text = f"{p['amount']:,}원"
        verdict = "대상" if p["eligible"] else "대상 아님"
    return ProgramView(
        p["id"],
        p["name_ko"],
        labels.KIND.get(p["kind"], "기타"),
        verdict,
        0 if pending else int(p["amount"]),
        amount_text,
        pending,
        settle,
        steps,
        list(p.get("references") or []),
    )


def result(r: dict[str, Any]) -> ResultView:
    views = [program(p) for p in r["programs"]]
    counted = {p["id"] for p in r["programs"] if p["kind"] in ("cash", "voucher")}
    total = sum(v.amount for v in views if v.id in counted)
    pending = [v for v in views if v.pending and v.id in counted]
    upper = sum(_amount_range(p)[1] for p in r["programs"] if p["id"] in {v.id for v in pending})
    return ResultView(r["month"], views, total, len([v for v in views if v.pending]), upper)


def _is_waiting(step: dict[str, Any]) -> bool:
    return str(step.get("label", "")).startswith(PENDING)


def _settle(steps: list[dict[str, Any]]) -> list[str]:
    """What would settle a pending program: unconfirmed legal values and missing inputs."""
    out: list[str] = []
    for s in steps:
        if _is_waiting(s):
            for item in s.get("value") or []:
                kind, _, what = str(item).partition(": ")
                what = what.rsplit(" (", 1)[0] if what.endswith(")") and "_" in what else what
                if kind.startswith("미확정"):
                    out.append(f"{what} — 고시에서 확정되지 않은 값입니다(확인되면 판단)")
                else:
                    out.append(f"{what} — 입력하면 판단할 수 있습니다")
    return out


def _step(s: dict[str, Any], pending: bool) -> dict[str, Any]:
    variable = str(s.get("variable", ""))
    final = variable.endswith(("__eligible", "__amount"))
    if pending and final:
        shown = dict(s)
        shown["value"] = PENDING
        shown.pop("range", None)
        if variable.endswith("__amount") and isinstance(s.get("range"), list):
            shown["value"] = f"{PENDING} ({s['range'][0]:,}원 ~ {s['range'][1]:,}원)"
        shown["determined"] = False
        return shown
    return s


def _amount_range(p: dict[str, Any]) -> tuple[int, int]:
    for s in p["explanation"]:
        if str(s.get("variable", "")).endswith("__amount"):
            rng = s.get("range")
            if isinstance(rng, list) and len(rng) == 2:
                return int(rng[0]), int(rng[1])
            value = s.get("value")
            if isinstance(value, int):
                return value, value
    return 0, 0
