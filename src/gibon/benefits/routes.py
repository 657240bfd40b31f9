"""JSON API: every program for one household or a list (the same contract as the CLI)."""

from __future__ import annotations

import io
import json
from typing import Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from gibon.access import policy
from gibon.access.deps import BatchCalculator
from gibon.access.policy import Action
from gibon.accounts.models import User
from gibon.benefits import service, tables
from gibon.benefits.schemas import EXAMPLE, Household, parse_json
from gibon.errors import InvalidInput, NotAuthenticated
from gibon.web.deps import OptionalUser
from gibon.web.ratelimit import RateLimiter, client_key

router = APIRouter(prefix="/api/benefits", tags=["benefits"])

MAX_BATCH = 20_000
MAX_ANONYMOUS = 5  # households per request without sign-in; more is batch work and needs a role
ANONYMOUS_PER_MINUTE = 30  # requests per client address per minute without sign-in
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


def calculator_limiter(request: Request) -> RateLimiter:
    """The app's limiter for anonymous calculations (one per app, so tests get their own)."""
    state = request.app.state
    if not hasattr(state, "calculator_limiter"):
        state.calculator_limiter = RateLimiter(ANONYMOUS_PER_MINUTE, 60.0)
    limiter: RateLimiter = state.calculator_limiter
    return limiter


@router.post("/calculate", openapi_extra=BODY_SCHEMA)
async def calculate(
    request: Request,
    user: OptionalUser,
    month: str = Query("2026-06", pattern=r"^\d{4}-\d{2}$", description="급여 월 YYYY-MM"),
    explain: bool = Query(True, description="단계별 설명 포함"),
) -> Response:
    """One household → one result; a list → a list of results in the same order.

    Without sign-in: at most 5 households per request and 30 requests a minute per client
    (429 after); a longer list needs a role allowed batch work. The work runs in a worker
    thread, so the server keeps answering others meanwhile.
    """
    if user is None:
        calculator_limiter(request).hit(client_key(request))
    body = await request.body()
    content = await run_in_threadpool(_calculate, user, body, month, explain)
    return Response(content, media_type="application/json")


def _check_batch_size(user: User | None, households: int) -> None:
    if not 1 <= households <= MAX_BATCH:
        raise InvalidInput(
            f"목록에는 1~{MAX_BATCH:,}가구를 넣으세요", where="body", example=f"[{EXAMPLE}]"
        )
    if households <= MAX_ANONYMOUS:
        return
    if user is None:
        raise NotAuthenticated(
            f"로그인하지 않으면 한 번에 {MAX_ANONYMOUS}가구까지 계산합니다. "
            "더 많은 가구는 로그인한 담당자만 계산할 수 있습니다",
            where="body",
        )
    policy.check(user, Action.compute, "benefits_batch")


def _calculate(user: User | None, body: bytes, month: str, explain: bool) -> str:
    """Parse (straight from bytes), check the size against the user's rights, compute."""
    if not body.strip():
        raise InvalidInput("본문이 비었습니다", where="body", example=EXAMPLE)
    parsed = parse_json(body)
    many = isinstance(parsed, list)
    batch = parsed if isinstance(parsed, list) else [parsed]
    _check_batch_size(user, len(batch))
    if explain:
        results = service.calculate_many(batch, month, explain=True)
        content = json.dumps(results if many else results[0], ensure_ascii=False)
    else:
        texts = service.calculate_json(batch, month)
        content = "[" + ", ".join(texts) + "]" if many else texts[0]
    return content


@router.post("/population")
async def population(
    user: BatchCalculator,
    households: UploadFile = File(..., description="households.parquet (gibon.population 계약)"),
    persons: UploadFile = File(..., description="persons.parquet"),
    month: str = Query("2026-06", pattern=r"^\d{4}-\d{2}$"),
) -> Response:
    """The columnar batch path: two parquet files in, one parquet row per household out."""
    raw_households, raw_persons = await households.read(), await persons.read()
    content = await run_in_threadpool(_population, raw_households, raw_persons, month)
    return Response(content, media_type="application/vnd.apache.parquet")


def _population(raw_households: bytes, raw_persons: bytes, month: str) -> bytes:
    hh = tables.read_parquet(raw_households, "households")
    ps = tables.read_parquet(raw_persons, "persons")
    tables.check(hh, ps)
    result = service.calculate_population(hh, ps, month)
    buf = io.BytesIO()
    result.write_parquet(buf, compression="lz4")
    return buf.getvalue()


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
