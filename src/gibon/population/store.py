"""Write a population directory atomically, and read one back with validation.

A directory holds persons.parquet, households.parquet and calibration.md. Files are written to
temporary names and renamed only when every chunk has been written, so a failure leaves the old
files (or nothing), never half of a population.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from gibon.errors import InvalidInput
from gibon.kit.files import atomic_path, ensure_writable_dir
from gibon.population import calibration, report, schema
from gibon.population._build import Population
from gibon.population._generate import DEFAULT_CHUNK, check_seed, chunk_sizes, generate_chunks
from gibon.population._params import reference_date, resolve

Progress = Callable[[int, int], None]


def _metadata(seed: int, profile: str, persons: int) -> dict[bytes, bytes]:
    meta = {
        schema.SYNTHETIC_KEY: "true",
        schema.SEED_KEY: str(seed),
        "gibon.profile": profile,
        "gibon.persons": str(persons),
        "gibon.reference_date": reference_date().isoformat(),
        "gibon.note": "synthetic population; not real people. RRNs carry the synthetic mark (gibon.population.rrn)",
    }
    return {k.encode(): v.encode() for k, v in meta.items()}


def _arrow(frame: pl.DataFrame, meta: dict[bytes, bytes]) -> pa.Table:
    table = frame.to_arrow()
    return table.replace_schema_metadata(meta)


def write_dir(
    out: Path,
    seed: int,
    *,
    profile: str = "gwanak",
    persons: int | None = None,
    chunk_persons: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> calibration.Counts:
    """Generate and write DIR/persons.parquet, DIR/households.parquet and DIR/calibration.md."""
    seed = check_seed(seed)
    prof = resolve(profile, persons)
    chunk_sizes(prof.persons, chunk_persons)  # validate before touching the disk
    ensure_writable_dir(out)
    meta = _metadata(seed, profile, prof.persons)
    counts: calibration.Counts | None = None
    writers: dict[str, pq.ParquetWriter] = {}
    with ExitStack() as stack:
        tmp = {
            name: stack.enter_context(atomic_path(out / name))
            for name in ("calibration.md", "households.parquet", "persons.parquet")
        }
        done = 0
        for chunk in generate_chunks(
            seed, prof.persons, profile=profile, chunk_persons=chunk_persons
        ):
            for name, frame in (
                ("households.parquet", chunk.households),
                ("persons.parquet", chunk.persons),
            ):
                table = _arrow(frame, meta)
                if name not in writers:
                    writers[name] = stack.enter_context(
                        pq.ParquetWriter(tmp[name], table.schema, compression="zstd")
                    )
                writers[name].write_table(table)
            counts = calibration.add(
                counts, calibration.measure(chunk.households, chunk.persons, prof)
            )
            done += len(chunk.persons)
            if progress:
                progress(done, prof.persons)
        assert counts is not None
        tmp["calibration.md"].write_text(report.render(counts, prof, seed), encoding="utf-8")
        for w in writers.values():
            w.close()
    return counts


def write_population(out: Path, population: Population, seed: int, profile: str = "gwanak") -> None:
    """Write an in-memory population (from :func:`gibon.population.generate`) atomically."""
    ensure_writable_dir(out)
    prof = resolve(profile, len(population.persons))
    meta = _metadata(seed, profile, prof.persons)
    with ExitStack() as stack:
        for name, frame in (
            ("households.parquet", population.households),
            ("persons.parquet", population.persons),
        ):
            pq.write_table(
                _arrow(frame, meta),
                stack.enter_context(atomic_path(out / name)),
                compression="zstd",
            )
        counts = calibration.measure(population.households, population.persons, prof)
        stack.enter_context(atomic_path(out / "calibration.md")).write_text(
            report.render(counts, prof, seed), encoding="utf-8"
        )


def load_dir(path: Path | str) -> Population:
    """Read and validate a population directory: (households, persons)."""
    root = Path(path)
    if not root.is_dir():
        raise InvalidInput(
            "population directory not found",
            where=str(root),
            example="gibon population generate --seed 1 --out var/population",
        )
    frames = {name: _read(root / name, cols) for name, cols in schema.FILES.items()}
    return Population(frames["households.parquet"], frames["persons.parquet"])


def _read(file: Path, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    example = "gibon population generate --seed 1 --out " + str(file.parent)
    if not file.is_file():
        raise InvalidInput(
            "file missing from the population directory", where=str(file), example=example
        )
    try:
        meta = pq.read_schema(file).metadata or {}
        frame = pl.read_parquet(file)
    except Exception as exc:  # pyarrow and polars raise several error types for damaged files
        raise InvalidInput(
            f"not a readable parquet file ({type(exc).__name__})", where=str(file), example=example
        ) from exc
    if meta.get(schema.SYNTHETIC_KEY.encode()) != b"true":
        # gibon only ever holds synthetic people: refuse tables that do not say they are
        raise InvalidInput(
            f"not marked synthetic (parquet metadata {schema.SYNTHETIC_KEY}=true missing)",
            where=str(file),
            example=example,
        )
    for col, dtype in columns.items():
        if col not in frame.columns:
            raise InvalidInput(f"column {col!r} missing", where=f"{file}:{col}", example=example)
        if frame.schema[col] != dtype:
            raise InvalidInput(
                f"column {col!r} has type {frame.schema[col]}, expected {dtype}",
                where=f"{file}:{col}",
                example=example,
            )
    return frame.select(list(columns))
