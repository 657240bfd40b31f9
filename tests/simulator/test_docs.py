"""The docs and the data files stay true to each other."""

from __future__ import annotations

from pathlib import Path

from gibon import benefits, simulator
from gibon.simulator import taxes

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"


def test_every_benefit_program_has_a_documented_take_up_and_no_other() -> None:
    rules = simulator.load_take_up()
    assert set(rules.programs) == set(benefits.PROGRAM_IDS)
    text = DOC.read_text(encoding="utf-8")
    for pid in benefits.PROGRAM_IDS:
        assert pid in text, pid


def test_every_example_reform_is_named_in_the_docs() -> None:
    text = DOC.read_text(encoding="utf-8")
    for stem in simulator.examples():
        assert stem in text, stem


def test_every_tax_parameter_carries_a_reference() -> None:
    missing = [n for n, leaf in taxes.tax_tree().leaves.items() if not leaf.references]
    assert missing == []
