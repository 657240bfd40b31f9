from __future__ import annotations

import os
from pathlib import Path

import pytest

from gibon.errors import InvalidInput
from gibon.kit.files import ensure_writable_dir, write_text_atomic


def test_an_atomic_write_gets_the_usual_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_text_atomic(target, "<p>ok</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert target.read_text() == "<p>ok</p>"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old")
    from gibon.kit.files import atomic_path

    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_a_directory_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InvalidInput) as info:
        ensure_writable_dir(blocker / "sub")
    assert info.value.where == str(blocker / "sub")
