"""Where chunks come from: a population directory read in household-aligned slices, or frames.

A plan is a list of small, picklable slices (row offsets into households.parquet and
persons.parquet), so any process that can see the files reads its own slice: the single-process
stream and the Dask workers read exactly the same chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from gibon.errors import InvalidInput

# Columns the simulator never needs (identifying text), left unread to save memory.
SKIP = ("name", "rrn")
EXAMPLE = "gibon population generate --seed 1 --out var/population"


@dataclass(frozen=True)
class Slice:
    directory: str
    household_offset: int
    households: int
    person_offset: int
    persons: int


def plan(directory: Path, chunk_households: int) -> list[Slice]:
    """Cut the population into slices of about ``chunk_households`` whole households."""
    hh_file, p_file = _files(directory)
    try:
        sizes = pl.scan_parquet(hh_file).select("size").collect()["size"].to_numpy()
        persons = pl.scan_parquet(p_file).select(pl.len()).collect().item()
    except Exception as exc:  # polars raises several error types for damaged files
        raise InvalidInput(
            f"cannot read the population ({type(exc).__name__})",
            where=str(directory),
            example=EXAMPLE,
        ) from exc
    if int(sizes.sum()) != persons:
        raise InvalidInput(
            f"households' sizes add up to {int(sizes.sum())} but persons.parquet "
            f"has {persons} rows",
            where=str(p_file),
            example=EXAMPLE,
        )
    starts = np.r_[0, np.cumsum(sizes)]
    out = []
    for lo in range(0, len(sizes), max(1, chunk_households)):
        hi = min(lo + chunk_households, len(sizes))
        out.append(
            Slice(str(directory), lo, hi - lo, int(starts[lo]), int(starts[hi] - starts[lo]))
        )
    return out


def _files(directory: Path) -> tuple[Path, Path]:
    hh, p = directory / "households.parquet", directory / "persons.parquet"
    for f in (hh, p):
        if not f.is_file():
            raise InvalidInput(
                "file missing from the population directory", where=str(f), example=EXAMPLE
            )
    return hh, p


def read(s: Slice) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One slice's households and persons; refuses files whose persons are not in household order."""
    root = Path(s.directory)
    hh = pl.scan_parquet(root / "households.parquet").slice(s.household_offset, s.households)
    p = pl.scan_parquet(root / "persons.parquet")
    keep = [c for c in p.collect_schema().names() if c not in SKIP]
    households = hh.collect()
    persons = p.select(keep).slice(s.person_offset, s.persons).collect()
    if not persons["household_id"].is_in(households["household_id"].implode()).all():
        raise InvalidInput(
            "persons.parquet is not in the households' order (each household's "
            "members must follow each other, households in file order)",
            where=str(root / "persons.parquet"),
            example=EXAMPLE,
        )
    return households, persons


def frame_slices(
    households: pl.DataFrame, persons: pl.DataFrame, chunk_households: int
) -> list[tuple[pl.DataFrame, pl.DataFrame]]:
    """In-memory frames cut into household-aligned chunks (persons may be in any order)."""
    if households.height <= chunk_households:
        return [(households, persons)]
    out = []
    for lo in range(0, households.height, chunk_households):
        hh = households.slice(lo, chunk_households)
        out.append((hh, persons.filter(pl.col("household_id").is_in(hh["household_id"].implode()))))
    return out
