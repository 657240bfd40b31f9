"""JSON API: every program for one household or a list (the same contract as the CLI)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query

from gibon.benefits import service
from gibon.benefits.schemas import EXAMPLE
from gibon.errors import InvalidInput

router = APIRouter(prefix="/api/benefits", tags=["benefits"])

MAX_BATCH = 20_000


@router.post("/calculate")
def calculate(
    payload: Any = Body(..., description="가구 하나 (object) 또는 가구 목록 (array)"),
    month: str = Query("2026-06", pattern=r"^\d{4}-\d{2}$", description="급여 월 YYYY-MM"),
    explain: bool = Query(True, description="단계별 설명 포함"),
) -> Any:
    """One household → one result; a list → a list of results in the same order."""
    if isinstance(payload, list):
        if not payload or len(payload) > MAX_BATCH:
            raise InvalidInput(
                f"a list needs 1 to {MAX_BATCH:,} households", where="body", example=f"[{EXAMPLE}]"
            )
        return service.calculate_many(payload, month, explain=explain)
    if not isinstance(payload, dict):
        raise InvalidInput(
            "body must be a household object or a list of them", where="body", example=EXAMPLE
        )
    return service.calculate(payload, month, explain=explain)


@router.get("/programs")
def programs() -> list[dict[str, Any]]:
    """The programs in force, with their legal references."""
    system = service.default_system()
    return [
        {
            "id": p.id,
            "name_ko": p.name_ko,
            "kind": p.kind,
            "references": p.references,
            "note": p.note,
        }
        for p in service.programs(system)
    ]
