from __future__ import annotations

import os
from pathlib import Path

import pytest

from gibon.errors import InvalidInput, TooLarge
from gibon.kit import files
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


def test_a_cp949_file_is_detected_and_read(tmp_path: Path) -> None:
    path = tmp_path / "household.json"
    path.write_bytes('{"dong": "청룡동"}'.encode("cp949"))
    assert files.read_input_json(path, example="{}") == {"dong": "청룡동"}


def test_a_declared_euc_kr_file_is_read_and_a_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("관악구".encode("euc-kr"))
    assert files.read_input_text(path, encoding="euc-kr", example="") == "관악구"
    path.write_bytes("\ufeff관악구".encode())
    assert files.read_input_text(path, example="") == "관악구"


def test_a_file_in_no_known_encoding_names_the_line_and_the_option(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{\n"a": "\x80\xff"}')
    with pytest.raises(InvalidInput) as caught:
        files.read_input_text(path, example="")
    assert caught.value.where == f"{path}:2"
    assert "--encoding" in caught.value.message


def test_an_unknown_encoding_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("a")
    with pytest.raises(InvalidInput) as caught:
        files.read_input_text(path, encoding="klingon", example="")
    assert caught.value.where == "--encoding"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(3 * files.MB)  # sparse: nothing is written
    with pytest.raises(TooLarge) as caught:
        files.read_input_text(path, max_bytes=files.MB, example="")
    assert "너무 큽니다" in caught.value.message
    assert caught.value.status == 413
