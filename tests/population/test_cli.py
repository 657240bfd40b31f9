from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import gibon.cli
from gibon import population

runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(gibon.cli.app, ["population", "generate", *args])


def test_generate_writes_both_tables_and_the_calibration_report(tmp_path: Path) -> None:
    out = tmp_path / "pop"
    result = _run("--seed", "1", "--out", str(out), "--scale", "3000")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "calibration.md",
        "households.parquet",
        "persons.parquet",
    ]
    meta = pq.read_schema(out / "persons.parquet").metadata
    assert meta[b"gibon.synthetic"] == b"true" and meta[b"gibon.seed"] == b"1"
    households, persons = population.load_dir(out)
    assert len(persons) == 3000 and households["size"].sum() == 3000
    assert "| 65세 이상 비율 |" in (out / "calibration.md").read_text(encoding="utf-8")


def test_the_same_seed_writes_the_same_people(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert _run("--seed", "5", "--out", str(tmp_path / name), "--scale", "2000").exit_code == 0
    a, b = population.load_dir(tmp_path / "a"), population.load_dir(tmp_path / "b")
    assert a.persons.equals(b.persons) and a.households.equals(b.households)


def test_chunked_generation_writes_every_chunk(tmp_path: Path) -> None:
    result = _run("--seed", "2", "--out", str(tmp_path), "--scale", "5000", "--chunk", "1000")
    assert result.exit_code == 0, result.output
    assert pq.ParquetFile(tmp_path / "persons.parquet").metadata.num_rows == 5000
    assert pq.ParquetFile(tmp_path / "persons.parquet").num_row_groups == 5


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--seed", "-1"], "--seed"),
        (["--seed", "1.5"], "--seed"),
        (["--seed", "abc"], "--seed"),
        (["--seed", "1", "--scale", "mars"], "--scale"),
        (["--seed", "1", "--scale", "0"], "--scale"),
        (["--seed", "1", "--chunk", "10"], "--chunk"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], where: str) -> None:
    result = _run(*args, "--out", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert where in result.output and "예:" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x" / "persons.parquet").exists()


def test_an_unwritable_output_directory_is_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    result = _run("--seed", "1", "--out", str(blocker / "pop"), "--scale", "100")
    assert result.exit_code == 2
    assert "file.txt" in result.output and len(result.output.strip().splitlines()) == 1


def test_a_failure_midway_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run("--seed", "1", "--out", str(tmp_path), "--scale", "1000").exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    from gibon.population import _generate

    real = _generate.build_chunk
    calls = {"n": 0}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(_generate, "build_chunk", failing)
    with pytest.raises(OSError):
        population.write_dir(tmp_path, 9, persons=5000, chunk_persons=1000)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # the old population is intact and no temporary file is left


def test_summary_prints_every_dong_with_its_figures(tmp_path: Path) -> None:
    assert (
        _run("--seed", "1", "--out", str(tmp_path), "--scale", "4000", "--chunk", "1000").exit_code
        == 0
    )
    result = runner.invoke(gibon.cli.app, ["population", "summary", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "신림동" in result.output and "보라매동" in result.output
    missing = runner.invoke(gibon.cli.app, ["population", "summary", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "not found" in missing.output
