"""JSON API: every program for one household or a list (the same contract as the CLI)."""

from __future__ import annotations

import io
import json
from typing import Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from gibon.benefits import service, tables
from gibon.benefits.schemas import EXAMPLE, Household, parse_json
from gibon.errors import InvalidInput

router = APIRouter(prefix="/api/benefits", tags=["benefits"])

MAX_BATCH = 20_000
BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Household"},
                        {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Household"},
                            "minItems": 1,
                            "maxItems": MAX_BATCH,
                        },
                    ]
                }
            }
        },
    }
}


@router.post("/calculate", openapi_extra=BODY_SCHEMA)
async def calculate(
    request: Request,
    month: str = Query("2026-06", pattern=r"^\d{4}-\d{2}$", description="급여 월 YYYY-MM"),
    explain: bool = Query(True, description="단계별 설명 포함"),
) -> Response:
    """One household → one result; a list → a list of results in the same order.

    The body is validated straight from bytes (pydantic-core), and the answer written with
    ``json.dumps``: this is the batch path, so it skips FastAPI's per-object encoder.
    """
    body = await request.body()
    if not body.strip():
        raise InvalidInput("body is empty", where="body", example=EXAMPLE)
    parsed = parse_json(body)
    many = isinstance(parsed, list)
    batch = parsed if isinstance(parsed, list) else [parsed]
    if not batch or len(batch) > MAX_BATCH:
        raise InvalidInput(
            f"a list needs 1 to {MAX_BATCH:,} households", where="body", example=f"[{EXAMPLE}]"
        )
    if explain:
        results = service.calculate_many(batch, month, explain=True)
        content = json.dumps(results if many else results[0], ensure_ascii=False)
    else:
        texts = service.calculate_json(batch, month)
        content = "[" + ", ".join(texts) + "]" if many else texts[0]
    return Response(content, media_type="application/json")


@router.post("/population")
async def population(
    households: UploadFile = File(..., description="households.parquet (gibon.population 계약)"),
    persons: UploadFile = File(..., description="persons.parquet"),
    month: str = Query("2026-06", pattern=r"^\d{4}-\d{2}$"),
) -> Response:
    """The columnar batch path: two parquet files in, one parquet row per household out."""
    hh = tables.read_parquet(await households.read(), "households")
    ps = tables.read_parquet(await persons.read(), "persons")
    tables.check(hh, ps)
    result = service.calculate_population(hh, ps, month)
    buf = io.BytesIO()
    result.write_parquet(buf, compression="lz4")
    return Response(buf.getvalue(), media_type="application/vnd.apache.parquet")


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


@router.get("/example", response_model=Household)
def example() -> Household:
    """A valid household body for POST /calculate (and the schema it follows)."""
    return Household.model_validate_json(EXAMPLE)
