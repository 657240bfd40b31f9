"""Run a reform against the baseline: in memory, streamed from a directory, or on Dask workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl

from gibon import benefits
from gibon.benefits.engine import inputs
from gibon.simulator import chunk, result, sources, takeup
from gibon.simulator import reform as reform_mod
from gibon.simulator.partial import Partial

Progress = Callable[[int, int], None]
MERGE_EVERY = 8
CHUNK_HOUSEHOLDS = 300_000  # the district (about 252,000 households) in one chunk


def merge_stream(
    parts: Iterable[tuple[int, Partial]], total: int, progress: Progress | None = None
) -> Partial:
    """Add partials as they arrive, a few at a time, so memory stays bounded."""
    merged: Partial | None = None
    pending: list[Partial] = []
    done = 0
    for households, part in parts:
        pending.append(part)
        done += households
        if len(pending) >= MERGE_EVERY:
            merged = Partial.merge([merged, *pending] if merged else pending)
            pending = []
        if progress:
            progress(done, total)
    rest = [merged, *pending] if merged else pending
    if not rest:
        raise ValueError("no chunks to merge")
    return Partial.merge(rest)


def _local_frames(
    setup: chunk.Setup, frames: list[tuple[pl.DataFrame, pl.DataFrame]]
) -> Iterable[tuple[int, Partial]]:
    for hh, ps in frames:
        yield hh.height, chunk.simulate_chunk(setup, hh, ps)


def _local_slices(setup: chunk.Setup, plan: list[sources.Slice]) -> Iterable[tuple[int, Partial]]:
    for s in plan:
        yield s.households, chunk_from_slice(setup, s)


def chunk_from_slice(setup: chunk.Setup, s: sources.Slice) -> Partial:
    hh, ps = sources.read(s)
    return chunk.simulate_chunk(setup, hh, ps)


def simulate(
    reform: reform_mod.Reform,
    *,
    population: Path | None = None,
    frames: tuple[pl.DataFrame, pl.DataFrame] | None = None,
    month: str | dt.date = "2026-06",
    take_up: takeup.TakeUp | None = None,
    seed: int = 1,
    chunk_households: int = CHUNK_HOUSEHOLDS,
    workers: int | None = None,
    scheduler: str | None = None,
    processes: bool = True,
    progress: Progress | None = None,
) -> result.Result:
    """Baseline and ``reform`` over a population (a directory or in-memory frames)."""
    start = inputs.month_start(month)
    setup = chunk.make_setup(reform, start, take_up or takeup.load(), seed)
    notices = _notices(reform, start)
    if population is not None:
        plan = sources.plan(population, chunk_households)
        total = sum(s.households for s in plan)
        if workers or scheduler:
            from gibon.simulator import distributed

            partial = distributed.run(
                setup,
                plan,
                workers=workers,
                scheduler=scheduler,
                processes=processes,
                progress=progress,
            )
        else:
            partial = merge_stream(_local_slices(setup, plan), total, progress)
    elif frames is not None:
        parts = sources.frame_slices(frames[0], frames[1], chunk_households)
        total = frames[0].height
        if workers or scheduler:
            from gibon.simulator import distributed

            partial = distributed.run_frames(
                setup,
                parts,
                workers=workers,
                scheduler=scheduler,
                processes=processes,
                progress=progress,
            )
        else:
            partial = merge_stream(_local_frames(setup, parts), total, progress)
    else:
        raise ValueError("give population= or frames=")
    meta = _meta(reform, start, seed, population, workers, scheduler)
    return result.build(partial, meta, _programs(setup), notices)


def _programs(setup: chunk.Setup) -> list[tuple[str, str, str, float]]:
    system, _ = reform_mod.scenario(setup.reform)
    names = {p.id: p.name_ko for p in system.programs}
    rules = setup.rules()
    return [
        (pid, names[pid], kind, rules.rule(pid).rate)
        for pid, kind in zip(setup.programs, setup.kinds, strict=True)
    ]


def _notices(reform: reform_mod.Reform, month: dt.date) -> list[str]:
    out = []
    for name, dated in reform.overrides.items():
        later = sorted(d for d in dated if dt.date.fromisoformat(str(d)[:10]) > month)
        if later and len(later) == len(dated):
            out.append(
                f"{name}: 변경은 {later[0]}부터 적용되어 {month:%Y-%m}에는 아직 효력이 없습니다 "
                f"(--month {later[0][:7]}로 실행하세요)"
            )
    return out


def _meta(
    reform: reform_mod.Reform,
    month: dt.date,
    seed: int,
    population: Path | None,
    workers: int | None,
    scheduler: str | None,
) -> dict[str, Any]:
    return {
        "reform": reform.name,
        "description": reform.description,
        "month": f"{month:%Y-%m}",
        "seed": seed,
        "population": str(population) if population else "in memory",
        "engine": f"dask scheduler {scheduler}"
        if scheduler
        else (f"dask local cluster, {workers} workers" if workers else "single process"),
        "benefit_programs": list(benefits.PROGRAM_IDS),
        "reform_programs": reform.program_ids,
    }
