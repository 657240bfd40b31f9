"""JSON API: /api/simulator — reforms, runs on the district (aggregates), outreach and contacts."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query

from gibon.access.deps import OutreachReader, OutreachWorker, SimulationReader, SimulationRunner
from gibon.simulator import reform as reform_mod
from gibon.simulator import repository, service
from gibon.simulator.schemas import (
    ContactCreate,
    ContactRead,
    OutreachPage,
    ReformExample,
    RunCreate,
    RunListItem,
    RunRead,
)
from gibon.web.deps import DbSession

router = APIRouter(prefix="/api/simulator", tags=["simulator"])


@router.get("/reforms", response_model=list[ReformExample])
def reforms(user: SimulationReader) -> list[ReformExample]:
    """The bundled example reforms."""
    out = []
    for stem, path in reform_mod.examples().items():
        spec = reform_mod.load(path)
        out.append(
            ReformExample(
                id=stem,
                name=spec.name,
                description=spec.description,
                reform_yaml=path.read_text(encoding="utf-8"),
            )
        )
    return out


@router.post("/runs", response_model=RunRead, status_code=201)
def create_run(body: RunCreate, db: DbSession, user: SimulationRunner) -> RunRead:
    """Run a reform (an example or uploaded YAML) against the baseline on the whole district."""
    run = service.run_on_district(db, user, body.reform_yaml, body.example, body.month, body.seed)
    return RunRead.model_validate(run)


@router.get("/runs", response_model=list[RunListItem])
def list_runs(db: DbSession, user: SimulationReader) -> list[RunListItem]:
    return [RunListItem.model_validate(r) for r in repository.list_runs(db)]


@router.get("/runs/{run_id}", response_model=RunRead)
def read_run(run_id: int, db: DbSession, user: SimulationReader) -> RunRead:
    return RunRead.model_validate(service.get_run(db, run_id))


@router.get("/outreach", response_model=OutreachPage)
def outreach(
    db: DbSession,
    user: OutreachReader,
    dong: str | None = Query(None, max_length=20),
    month: str | None = Query(
        None, pattern=r"^\d{4}-\d{2}$", description="기준 월 YYYY-MM (기본: 이번 달)"
    ),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> OutreachPage:
    """Households of your dong likely entitled but not receiving, with the engine's explanation."""
    name, total, items = service.outreach_list(
        db, user, dong, month=month, limit=limit, offset=offset
    )
    return OutreachPage(dong=name, total=total, items=[asdict(i) for i in items])


@router.post("/outreach/{household_id}/contacts", response_model=ContactRead, status_code=201)
def record_contact(
    household_id: str, body: ContactCreate, db: DbSession, user: OutreachWorker
) -> ContactRead:
    contact = service.record_contact(
        db, user, household_id[:16], body.outcome.value, body.programs, body.note
    )
    return ContactRead.model_validate(contact)


@router.get("/outreach/{household_id}/contacts", response_model=list[ContactRead])
def list_contacts(household_id: str, db: DbSession, user: OutreachReader) -> list[ContactRead]:
    return [ContactRead.model_validate(c) for c in service.contacts(db, user, household_id[:16])]
