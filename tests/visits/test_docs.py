"""docs/visits.md stays true: its validation codes and CLI commands are the ones the code has."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from gibon.visits import cli

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "visits.md").read_text(encoding="utf-8")
SOURCES = "\n".join(
    p.read_text(encoding="utf-8") for p in (ROOT / "src" / "gibon" / "visits").rglob("*.py")
)


def test_every_reason_code_in_the_code_is_documented_and_every_documented_one_exists() -> None:
    in_code = set(re.findall(r'VisitError\(\s*"([a-z_]+)"', SOURCES))
    in_code |= set(re.findall(r'return\s*\(?\s*"([a-z_]+)",', SOURCES))
    in_code |= set(re.findall(r'"(no_capacity|max_visits|partner_unavailable)"', SOURCES))
    table = DOC.split("### Validation report")[1].split("## Travel time")[0]
    documented = set(re.findall(r"`([a-z_]+)`", table))
    assert in_code <= documented, in_code - documented
    assert len(in_code) == 11
    assert documented - {"InvalidInput", "unscheduled", "preferred", "address_problem"} == in_code


def test_every_gibon_visits_command_in_the_docs_exists() -> None:
    commands = set(re.findall(r"^gibon visits (\w+)", DOC, re.M))
    assert commands == {"demo", "plan", "replan", "week", "bench"}
    for command in commands:
        assert CliRunner().invoke(cli.app, [command, "--help"]).exit_code == 0
