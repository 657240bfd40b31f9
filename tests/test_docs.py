"""The README's promises stay true: its commands exist, its Make targets exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gibon.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("gibon ")]


def _command_path(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("-")][:2]


@pytest.mark.parametrize("args", _readme_commands(), ids=" ".join)
def test_every_command_in_the_readme_exists(args: list[str]) -> None:
    path = [p for p in _command_path(args) if not p.startswith(("var/", "127."))]
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output


def test_the_readme_shows_the_two_commands_and_make_has_them() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)


def test_every_make_target_the_readme_names_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"\bmake ([a-z][a-z-]*)", README))
    assert targets >= {"run", "test", "bench-deps"}
    assert {t for t in targets if not re.search(rf"^{t}:", makefile, re.M)} == set()


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


READ_ONLY = ("benefits calc", "pharm review", "care deadlines", "visits bench")


@pytest.mark.parametrize(
    "args",
    [a for a in _readme_commands() if " ".join(a[:2]) in READ_ONLY],
    ids=" ".join,
)
def test_the_readmes_read_only_examples_run_as_written(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
