"""Small helpers shared by the checks: evidence blocks and finding construction."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date
from typing import Any

from gibon.pharm.context import Context
from gibon.pharm.findings import Finding, periods_json
from gibon.pharm.timeline import Supply, merge_periods

_BY_DATE = operator.attrgetter("dispensed", "row")


def evidence(
    supplies: Iterable[Supply], periods: list[tuple[date, date]] | None = None, **extra: Any
) -> dict[str, Any]:
    items = sorted({(s.row, s.ingredient): s for s in supplies}.values(), key=_BY_DATE)
    rows: dict[int, Supply] = {}
    for s in items:
        if s.row not in rows:
            rows[s.row] = s
    out: dict[str, Any] = {
        "dispensings": [s.evidence() for s in rows.values()],
        "prescribers": sorted({s.prescriber for s in items}),
        "pharmacies": sorted({s.pharmacy for s in items}),
    }
    if periods:
        out["periods"] = periods_json(merge_periods(periods))
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def supplies_for(ctx: Context, ings: Iterable[str]) -> list[Supply]:
    return [s for i in ings for s in ctx.by_ingredient.get(i, [])]


def all_periods(ctx: Context, ings: Iterable[str]) -> list[tuple[date, date]]:
    return [p for i in ings for p in ctx.periods(i)]


def finding(
    category: str,
    severity: str,
    drugs: Iterable[str],
    title: str,
    source: str,
    rule_id: str,
    text: str,
    action: str,
    note: str,
    ev: dict[str, Any],
) -> Finding:
    return Finding(
        category,
        severity,
        sorted(set(drugs)),
        title,
        {"id": rule_id, "source": source, "text": text},
        action,
        note,
        ev,
    )


def names_ko(ctx: Context, ings: Iterable[str]) -> str:
    return "·".join(ctx.kb.ko(i) for i in sorted(set(ings)))
