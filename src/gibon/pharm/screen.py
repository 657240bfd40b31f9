"""Screen a synthetic population: build each older person's year of dispensings, review, rank."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from gibon.pharm import inputs, synth
from gibon.pharm.review import review


@dataclass(frozen=True)
class Ranked:
    person_id: str
    age: int | None
    n_ingredients: int
    n_prescribers: int
    n_high: int
    score: float
    drivers: str


def _rank_one(data: dict[str, Any]) -> Ranked:
    rv = review(inputs.from_data(data))
    m = rv.metrics
    drivers = ", ".join(d["label"] for d in rv.priority["drivers"][:3])
    return Ranked(
        str(rv.ctx.patient.id),
        rv.ctx.age,
        m["n_ingredients"],
        m["n_prescribers"],
        sum(1 for f in rv.findings if f.severity == "high"),
        rv.priority["score"],
        drivers,
    )


def run(
    seed: int,
    persons: int,
    min_age: int,
    when: date,
    min_ingredients: int = 0,
    progress: bool = False,
    medical_aid_only: bool = False,
) -> list[Ranked]:
    """Everyone aged ``min_age``+ with a chronic condition, ranked by priority (highest first)."""
    people = synth.people(seed, persons, min_age, when)
    if medical_aid_only:
        people = [p for p in people if p["medical_aid"]]
    out: list[Ranked] = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("약물 검토", total=len(people))
        for person in people:
            r = _rank_one(synth.history(person, seed, when))
            if r.n_ingredients >= min_ingredients:
                out.append(r)
            bar.advance(task)
    return sorted(out, key=lambda r: (-r.score, r.person_id))


def print_table(rows: list[Ranked]) -> None:
    table = Table(title="방문 우선순위 (synthetic)")
    for col in ("순위", "대상자", "나이", "성분", "처방기관", "높음", "점수", "주요 요인"):
        table.add_column(col)
    for i, r in enumerate(rows, 1):
        table.add_row(
            str(i),
            r.person_id,
            str(r.age),
            str(r.n_ingredients),
            str(r.n_prescribers),
            str(r.n_high),
            f"{r.score:.1f}",
            r.drivers,
        )
    Console().print(table)


def to_csv(rows: list[Ranked]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        ["rank", "person_id", "age", "n_ingredients", "n_prescribers", "n_high", "score", "drivers"]
    )
    for i, r in enumerate(rows, 1):
        w.writerow(
            [i, r.person_id, r.age, r.n_ingredients, r.n_prescribers, r.n_high, r.score, r.drivers]
        )
    return buf.getvalue()
