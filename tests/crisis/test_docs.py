"""docs/crisis.md stays true: its commands exist, its figures match the data files."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gibon.cli import app
from gibon.crisis import indicators, synth

DOC = (Path(__file__).resolve().parents[2] / "docs" / "crisis.md").read_text(encoding="utf-8")


def _commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", DOC, re.S)
    lines = [line.split("#")[0].strip() for b in blocks for line in b.splitlines()]
    return [shlex.split(line)[1:3] for line in lines if line.startswith("gibon ")]


@pytest.mark.parametrize("args", _commands(), ids=" ".join)
def test_every_command_in_the_crisis_doc_exists(args: list[str]) -> None:
    assert CliRunner().invoke(app, [*args, "--help"]).exit_code == 0


def test_the_doc_states_the_weights_in_force() -> None:
    w = indicators.default_weights()
    assert f"threshold {w.threshold}" in DOC and f"urgent {w.urgent}" in DOC
    assert f"half-life {w.half_life_days}" in DOC and f"window {w.window_days}" in DOC
    assert f"{w.min_attempts} attempts" in DOC


def test_the_doc_states_the_synthetic_rates_in_the_data_file() -> None:
    rates = synth.rates()
    assert f"{rates['smart_plug']['households']['value']}" in DOC
    assert f"{rates['smart_plug']['false_alerts_per_household_month']['value']}" in DOC
    assert f"{round(rates['national_list']['not_needed_share']['value'] * 100)} %" in DOC


def test_the_doc_states_the_monitoring_order_and_the_suggestion_rule() -> None:
    from gibon.crisis import monitoring

    order = " → ".join(m.label for m in monitoring.methods())
    assert order in DOC
    conf = monitoring._suggest_conf()
    assert f"the {conf['percentile']}th percentile" in DOC
    assert f"over {conf['history_days']} days" in DOC
    assert f"{conf['min_hours']}–{conf['max_hours']} h" in DOC
