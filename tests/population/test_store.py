from __future__ import annotations

import tracemalloc
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from gibon import population
from gibon.errors import InvalidInput


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pop")
    population.write_population(out, population.generate(seed=1, persons=2_000), seed=1)
    return out


def test_load_dir_returns_the_population_that_was_written(saved: Path) -> None:
    households, persons = population.load_dir(saved)
    again = population.generate(seed=1, persons=2_000)
    assert persons.equals(again.persons) and households.equals(again.households)


def test_a_missing_directory_or_file_is_named(saved: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        population.load_dir(tmp_path / "nowhere")
    (tmp_path / "households.parquet").write_bytes((saved / "households.parquet").read_bytes())
    with pytest.raises(InvalidInput) as err:
        population.load_dir(tmp_path)
    assert err.value.where is not None and err.value.where.endswith("persons.parquet")


def test_a_corrupt_parquet_file_is_refused(saved: Path, tmp_path: Path) -> None:
    (tmp_path / "households.parquet").write_bytes(b"PAR1 this is not parquet")
    (tmp_path / "persons.parquet").write_bytes((saved / "persons.parquet").read_bytes())
    with pytest.raises(InvalidInput, match="not a readable parquet") as err:
        population.load_dir(tmp_path)
    assert "households.parquet" in str(err.value.where)


def _rewrite(src: Path, dst: Path, drop: str | None = None, synthetic: bool = True) -> None:
    table = pq.read_table(src)
    if drop:
        table = table.drop_columns([drop])
    meta = dict(table.schema.metadata or {})
    if not synthetic:
        meta.pop(b"gibon.synthetic")
    pq.write_table(table.replace_schema_metadata(meta), dst)


def test_a_table_not_marked_synthetic_is_refused(saved: Path, tmp_path: Path) -> None:
    _rewrite(saved / "persons.parquet", tmp_path / "persons.parquet", synthetic=False)
    (tmp_path / "households.parquet").write_bytes((saved / "households.parquet").read_bytes())
    with pytest.raises(InvalidInput, match="not marked synthetic") as err:
        population.load_dir(tmp_path)
    assert str(err.value.where).endswith("persons.parquet")


def test_a_missing_column_is_named(saved: Path, tmp_path: Path) -> None:
    _rewrite(saved / "persons.parquet", tmp_path / "persons.parquet", drop="rrn")
    (tmp_path / "households.parquet").write_bytes((saved / "households.parquet").read_bytes())
    with pytest.raises(InvalidInput) as err:
        population.load_dir(tmp_path)
    assert str(err.value.where).endswith("persons.parquet:rrn")


def _peak_while_streaming(chunks: int, chunk_persons: int) -> int:
    tracemalloc.start()
    try:
        for chunk in population.generate_chunks(
            seed=1, persons=chunks * chunk_persons, chunk_persons=chunk_persons
        ):
            del chunk
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_memory_does_not_grow_with_the_number_of_chunks() -> None:
    few = _peak_while_streaming(2, 4_000)
    many = _peak_while_streaming(8, 4_000)
    assert many < few * 1.3


def test_iter_dir_streams_whole_households_chunk_by_chunk(tmp_path: Path) -> None:
    population.write_dir(tmp_path, 5, persons=5_000, chunk_persons=1_000)
    chunks = list(population.iter_dir(tmp_path))
    assert len(chunks) == 5
    for households, persons in chunks:
        assert set(persons["household_id"]) == set(households["household_id"])
        assert households["size"].sum() == len(persons)
    whole = population.load_dir(tmp_path)
    assert pl.concat([c.persons for c in chunks]).equals(whole.persons)


def test_iter_dir_reads_a_single_table_population_whole(saved: Path) -> None:
    (chunk,) = population.iter_dir(saved)
    assert len(chunk.persons) == 2_000


def test_a_korea_profile_directory_reports_national_targets(tmp_path: Path) -> None:
    population.write_dir(tmp_path, 1, profile="korea", persons=20_000, chunk_persons=5_000)
    text = (tmp_path / "calibration.md").read_text(encoding="utf-8")
    assert "profile: `korea`" in text and "| 65세 이상 비율 | 19.98 % | 19.98 %" in text
    assert pq.read_schema(tmp_path / "households.parquet").metadata[b"gibon.profile"] == b"korea"


def test_by_dong_sums_chunks_to_the_same_figures_as_the_whole(tmp_path: Path) -> None:
    population.write_dir(tmp_path, 2, persons=6_000, chunk_persons=2_000)
    streamed = population.by_dong(population.iter_dir(tmp_path))
    whole = population.by_dong([population.load_dir(tmp_path)])
    assert streamed.equals(whole)
    assert streamed["persons"].sum() == 6_000 and len(streamed) == 21
    assert streamed["dong"][0] == "보라매동"  # official code order
