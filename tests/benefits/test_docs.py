"""docs/benefits.md stays true: its commands exist and its example program loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import gibon.benefits as benefits
from gibon.cli import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "benefits.md").read_text(encoding="utf-8")
COMMANDS = [line.split()[1:3] for line in re.findall(r"^gibon benefits [a-z]+", DOC, re.M)]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_in_the_docs_exists(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output


def test_the_example_program_in_the_docs_loads_and_pays() -> None:
    block = re.search(r"```yaml\n(id: elderly_care_voucher.*?)```", DOC, re.S)
    assert block is not None
    program = yaml.safe_load(block.group(1))
    system = benefits.load_system(extra_programs=[program])
    elder = {
        "housing": {"tenure": "owner"},
        "members": [{"id": "a", "relation": "head", "birth_date": "1950-01-01", "sex": "F"}],
    }
    got = next(
        p
        for p in benefits.calculate(elder, system=system)["programs"]
        if p["id"] == "elderly_care_voucher"
    )
    assert (got["eligible"], got["amount"], got["kind"]) == (True, 174850, "voucher")
