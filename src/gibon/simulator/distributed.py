"""The same chunks on Dask distributed: a local cluster of N workers or an existing scheduler.

Workers compute :class:`Partial` sums per chunk; the client adds them as they complete. The sums
are integers and every metric is derived from the merged sums, so the result equals the
single-process run exactly whatever the order in which chunks finish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl

from gibon.errors import InvalidInput
from gibon.simulator import chunk, sources
from gibon.simulator.partial import Partial

Progress = Callable[[int, int], None]


@contextmanager
def client(workers: int | None, scheduler: str | None, processes: bool = True) -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            c = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise InvalidInput(
                f"cannot reach the Dask scheduler ({exc})",
                where="--scheduler",
                example="--scheduler tcp://10.0.0.5:8786",
            ) from None
        with c:
            yield c
        return
    if workers is None or workers < 1:
        raise InvalidInput("--workers must be at least 1", where="--workers", example="--workers 2")
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,  # type: ignore[no-untyped-call]
    ):
        yield c


def _slice_task(setup: chunk.Setup, s: sources.Slice) -> Partial:
    from gibon.simulator import run

    return run.chunk_from_slice(setup, s)


def _frame_task(setup: chunk.Setup, hh: pl.DataFrame, ps: pl.DataFrame) -> Partial:
    return chunk.simulate_chunk(setup, hh, ps)


def _gather(
    futures: list[Any], sizes: dict[str, int], total: int, progress: Progress | None
) -> Partial:
    from dask.distributed import as_completed

    from gibon.simulator import run

    def arrivals() -> Iterable[tuple[int, Partial]]:
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            part = fut.result()
            yield sizes[fut.key], part
            fut.release()

    return run.merge_stream(arrivals(), total, progress)


def run(
    setup: chunk.Setup,
    plan: list[sources.Slice],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    processes: bool = True,
    progress: Progress | None = None,
) -> Partial:
    with client(workers, scheduler, processes) as c:
        futures = [c.submit(_slice_task, setup, s, pure=False) for s in plan]
        sizes = {f.key: s.households for f, s in zip(futures, plan, strict=True)}
        return _gather(futures, sizes, sum(s.households for s in plan), progress)


def run_frames(
    setup: chunk.Setup,
    parts: list[tuple[pl.DataFrame, pl.DataFrame]],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    processes: bool = True,
    progress: Progress | None = None,
) -> Partial:
    with client(workers, scheduler, processes) as c:
        futures = [c.submit(_frame_task, setup, hh, ps, pure=False) for hh, ps in parts]
        sizes = {f.key: hh.height for f, (hh, _) in zip(futures, parts, strict=True)}
        return _gather(futures, sizes, sum(hh.height for hh, _ in parts), progress)
