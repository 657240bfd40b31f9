"""Write a population directory atomically, and read one back with validation.

A directory holds persons.parquet, households.parquet and calibration.md. Files are written to
temporary names and renamed only when every chunk has been written, so a failure leaves the old
files (or nothing), never half of a population.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
                writers[name].write_table(table, row_group_size=max(len(table), 1))  # one per chunk
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
    root = _root(path)
    frames = {name: _read(root / name, cols) for name, cols in schema.FILES.items()}
    return Population(frames["households.parquet"], frames["persons.parquet"])


def iter_dir(path: Path | str) -> Iterator[Population]:
    """Stream a population directory chunk by chunk (one parquet row group of each file).

    A directory written by :func:`write_dir` holds one row group per generated chunk in both
    files, so each yielded pair is whole households with their members and memory stays bounded
    (use this for ``--scale korea``). A directory with unaligned row groups is read whole.
    """
    root = _root(path)
    for name, cols in schema.FILES.items():
        _check(root / name, cols)
    hf, pf = pq.ParquetFile(root / "households.parquet"), pq.ParquetFile(root / "persons.parquet")
    if hf.num_row_groups != pf.num_row_groups:
        yield load_dir(root)
        return
    for i in range(hf.num_row_groups):
        chunk = Population(
            _frame(hf.read_row_group(i), _columns("households.parquet")),
            _frame(pf.read_row_group(i), _columns("persons.parquet")),
        )
        ids = chunk.households["household_id"]
        owners = chunk.persons["household_id"]
        if len(ids) and (owners[0] != ids[0] or owners[-1] != ids[-1]):
            raise InvalidInput(
                f"row group {i} of persons does not match the households' row group",
                where=str(root / "persons.parquet"),
                example="gibon population generate --seed 1 --out " + str(root),
            )
        yield chunk


def _columns(name: str) -> dict[str, pl.DataType]:
    return {**schema.FILES[name], **schema.OPTIONAL[name]}


def _frame(table: pa.Table, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.select([c for c in columns if c in frame.columns])


def _root(path: Path | str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise InvalidInput(
            "population directory not found",
            where=str(root),
            example="gibon population generate --seed 1 --out var/population",
        )
    return root


def _example(file: Path) -> str:
    return "gibon population generate --seed 1 --out " + str(file.parent)


def _check(file: Path, columns: dict[str, pl.DataType]) -> None:
    """The file exists, is parquet, says it is synthetic and has the contract's columns."""
    if not file.is_file():
        raise InvalidInput(
            "file missing from the population directory", where=str(file), example=_example(file)
        )
    try:
        arrow_schema = pq.read_schema(file)
    except Exception as exc:  # pyarrow raises several error types for damaged files
        raise InvalidInput(
            f"not a readable parquet file ({type(exc).__name__})",
            where=str(file),
            example=_example(file),
        ) from exc
    if (arrow_schema.metadata or {}).get(schema.SYNTHETIC_KEY.encode()) != b"true":
        # gibon only ever holds synthetic people: refuse tables that do not say they are
        raise InvalidInput(
            f"not marked synthetic (parquet metadata {schema.SYNTHETIC_KEY}=true missing)",
            where=str(file),
            example=_example(file),
        )
    found = pl.from_arrow(arrow_schema.empty_table())
    assert isinstance(found, pl.DataFrame)
    for col, dtype in columns.items():
        if col not in found.columns:
            raise InvalidInput(
                f"column {col!r} missing", where=f"{file}:{col}", example=_example(file)
            )
        if found.schema[col] != dtype:
            raise InvalidInput(
                f"column {col!r} has type {found.schema[col]}, expected {dtype}",
                where=f"{file}:{col}",
                example=_example(file),
            )


def _read(file: Path, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    _check(file, columns)
    present = pq.read_schema(file).names
    wanted = [c for c in {**columns, **schema.OPTIONAL[file.name]} if c in present]
    try:
        frame = pl.read_parquet(file, columns=wanted)
    except Exception as exc:  # damaged pages behind a readable footer
        raise InvalidInput(
            f"not a readable parquet file ({type(exc).__name__})",
            where=str(file),
            example=_example(file),
        ) from exc
    return frame
