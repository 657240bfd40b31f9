"""Reform files: the examples load, and every kind of mistake says where and what is close."""

from __future__ import annotations

import pytest

from gibon import simulator
from gibon.errors import InvalidInput


def _error(text: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        simulator.parse_reform(text)
    return info.value


def test_the_three_example_reforms_load_and_build() -> None:
    examples = simulator.examples()
    assert len(examples) == 3
    for path in examples.values():
        reform = simulator.load_reform(path)
        assert reform.name and reform.description


def test_an_unknown_parameter_names_the_closest_valid_ones() -> None:
    err = _error("name: x\noverrides:\n  nbls.selection_rate.livelihod: {2026-07-01: 0.35}\n")
    assert "nbls.selection_rate.livelihood" in err.message
    assert err.where == "overrides.nbls.selection_rate.livelihod"


def test_an_unknown_tax_parameter_names_the_closest_tax_parameter() -> None:
    err = _error("name: x\noverrides:\n  taxes.health_insurance.rat: {2026-07-01: 0.08}\n")
    assert "taxes.health_insurance.rate" in err.message


def test_an_override_before_the_parameter_exists_is_refused() -> None:
    err = _error("name: x\noverrides:\n  nbls.selection_rate.livelihood: {2020-01-01: 0.35}\n")
    assert "2026-01-01" in err.message


def test_a_rate_written_as_a_percentage_is_refused_as_the_wrong_unit() -> None:
    err = _error("name: x\noverrides:\n  nbls.selection_rate.livelihood: {2026-07-01: 35}\n")
    assert "0.35" in err.message


def test_a_rule_that_does_not_parse_is_refused_with_its_place() -> None:
    err = _error(
        "name: x\nprograms:\n  - {id: bad, name_ko: 나쁨, eligible: 'age >= ', amount: '1'}\n"
    )
    assert "parse" in err.message
    assert "bad" in (err.where or "")


def test_an_unknown_variable_in_a_new_program_names_the_closest_variables() -> None:
    err = _error(
        "name: x\nprograms:\n  - {id: p1, name_ko: 가, entity: person, eligible: 'agee >= 19',"
        " amount: '1'}\n"
    )
    assert "age" in err.message


def test_an_unknown_top_level_key_names_the_allowed_keys() -> None:
    err = _error("name: x\noverride: {}\n")
    assert "overrides" in err.message


def test_a_take_up_outside_zero_to_one_is_refused() -> None:
    err = _error(
        "name: x\nprograms:\n  - {id: p1, name_ko: 가, eligible: 'size >= 1', amount: '1',"
        " take_up: 90}\n"
    )
    assert "0.9" in err.message or "between 0 and 1" in err.message


def test_yaml_that_does_not_parse_gives_the_line() -> None:
    err = _error("name: x\noverrides: [\n")
    assert "3행" in (err.where or "")  # the line, in Korean
