"""Screen a synthetic population: build each older person's year of dispensings, review, rank."""

from __future__ import annotations

import csv
import io
import multiprocessing
import multiprocessing.context
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from gibon.pharm import synth
from gibon.pharm.knowledge import kb
from gibon.pharm.review import review
from gibon.pharm.schemas import ReviewInput


@dataclass(frozen=True)
class Ranked:
    person_id: str
    age: int | None
    n_ingredients: int
    n_prescribers: int
    n_high: int
    score: float
    drivers: str


def _rank_one(data: ReviewInput) -> Ranked:
    rv = review(data)
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


CHUNK = 250  # people per task handed to a worker process


def _rank_chunk(
    people: list[dict[str, Any]], seed: int, when: date, min_ingredients: int
) -> list[Ranked]:
    """One worker's share: each person's synthetic year reviewed and ranked, filtered."""
    ranked = (_rank_one(synth.review_input(person, seed, when)) for person in people)
    return [r for r in ranked if r.n_ingredients >= min_ingredients]


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it (workers inherit the loaded knowledge base), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run(
    seed: int,
    persons: int,
    min_age: int,
    when: date,
    min_ingredients: int = 0,
    progress: bool = False,
    medical_aid_only: bool = False,
    workers: int = 1,
) -> list[Ranked]:
    """Everyone aged ``min_age``+ with a chronic condition, ranked by priority (highest first).

    With ``workers`` > 1 the people are reviewed in that many processes; each person's review
    depends only on that person, and the ranking is a total order (score, then id), so the result
    is the same list as with one worker.
    """
    people = synth.people(seed, persons, min_age, when)
    if medical_aid_only:
        people = [p for p in people if p["medical_aid"]]
    return rank(people, seed, when, min_ingredients, progress, workers)


def rank(
    people: list[dict[str, Any]],
    seed: int,
    when: date,
    min_ingredients: int = 0,
    progress: bool = False,
    workers: int = 1,
) -> list[Ranked]:
    """These synthetic people's years reviewed and ranked, in ``workers`` processes."""
    chunks = [people[i : i + CHUNK] for i in range(0, len(people), CHUNK)]
    out: list[Ranked] = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("약물 검토", total=len(people))
        if workers <= 1:
            for chunk in chunks:
                out += _rank_chunk(chunk, seed, when, min_ingredients)
                bar.advance(task, len(chunk))
        else:
            kb()  # loaded once here; forked workers share it
            with ProcessPoolExecutor(workers, mp_context=_pool_context()) as pool:
                jobs = [
                    pool.submit(_rank_chunk, chunk, seed, when, min_ingredients) for chunk in chunks
                ]
                for chunk, job in zip(chunks, jobs, strict=True):
                    out += job.result()
                    bar.advance(task, len(chunk))
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
