"""The district at a glance: population, 65+ share, one-person households, on the dong map."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from gibon import demo
from gibon.residents import service as residents
from gibon.web import dongmap
from gibon.web.deps import DbSession, OptionalUser, render

router = APIRouter()
_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Figure:
    label: str
    get: Callable[[residents.DongFigures], float]
    fmt: Callable[[float], str]


def _pct(v: float) -> str:
    return f"{v * 100:.1f}%"


def _count(v: float) -> str:
    return f"{v:,.0f}"


FIGURES: dict[str, Figure] = {
    "persons": Figure("인구", lambda d: d.persons, _count),
    "share_65plus": Figure("65세 이상 비율", lambda d: d.share_65plus, _pct),
    "share_alone": Figure("1인 가구 비율", lambda d: d.share_alone, _pct),
    "share_semi_basement": Figure("반지하 가구 비율", lambda d: d.share_semi_basement, _pct),
    "households": Figure("가구 수", lambda d: d.households, _count),
}


def figures(request: Request, db: Session) -> list[residents.DongFigures]:
    """District figures, cached briefly per process: they change only when data is reloaded."""
    cached = getattr(request.app.state, "district_cache", None)
    if cached and time.monotonic() - cached[0] < _CACHE_SECONDS:
        return cached[1]  # type: ignore[no-any-return]
    result = residents.district_figures(db, date.today())
    if sum(r.persons for r in result):  # an empty district is still being loaded: ask again
        request.app.state.district_cache = (time.monotonic(), result)
    return result


def demo_loading(request: Request) -> demo.LoadProgress | None:
    """The demo load `gibon serve --load-demo` runs in the background, while it runs."""
    progress = demo.read_progress(demo.progress_file(request.app.state.settings.data_dir))
    return progress if progress is not None and progress.running else None


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    figure: str = Query("share_65plus", description="shading figure"),
) -> Any:
    chosen = FIGURES.get(figure, FIGURES["share_65plus"])
    rows = figures(request, db)
    total = _totals(rows)
    svg = dongmap.render(
        {r.dong: chosen.get(r) for r in rows},
        title=f"관악구 21개 행정동: {chosen.label}",
        fmt=chosen.fmt,
    )
    return render(
        request,
        "home.html",
        rows=rows,
        total=total,
        map_svg=svg,
        figures=FIGURES,
        figure=figure if figure in FIGURES else "share_65plus",
        loading=demo_loading(request),
    )


@router.get("/api/district", tags=["district"])
def district_api(request: Request, db: DbSession) -> dict[str, Any]:
    """Aggregate figures per dong (no personal data)."""
    rows = figures(request, db)
    return {
        "totals": _totals(rows),
        "dongs": [
            {
                "dong": r.dong,
                "persons": r.persons,
                "persons_65plus": r.persons_65plus,
                "households": r.households,
                "living_alone": r.living_alone,
                "semi_basement": r.semi_basement,
            }
            for r in rows
        ],
    }


def _totals(rows: list[residents.DongFigures]) -> dict[str, Any]:
    persons = sum(r.persons for r in rows)
    households = sum(r.households for r in rows)
    return {
        "persons": persons,
        "households": households,
        "share_65plus": sum(r.persons_65plus for r in rows) / persons if persons else 0.0,
        "share_alone": sum(r.living_alone for r in rows) / households if households else 0.0,
    }
