from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from gibon.benefits import labels as _benefit_labels  # noqa: F401 - registers the calculator's labels
from gibon.errors import InvalidInput
from gibon.kit import problems


class _Member(BaseModel):
    earned_income: int = Field(ge=0)


class _Household(BaseModel):
    members: list[_Member]


def _errors(raw: object) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        _Household.model_validate(raw)
    return info.value.errors()  # type: ignore[return-value]


def test_a_pydantic_error_names_the_field_by_its_label_and_shows_an_example() -> None:
    found = problems.from_validation(
        _errors({"members": [{"earned_income": 1}, {"earned_income": "x"}]})
    )
    assert found[0].where == "members.1.earned_income"
    assert found[0].sentence() == "구성원 2의 근로소득: 숫자로 적어 주세요 (예: 1500000)"


def test_a_request_location_is_not_part_of_the_field_path() -> None:
    assert problems.path(("body", "members", 0, "earned_income")) == "members.0.earned_income"


def test_every_pydantic_message_becomes_korean_and_english_value_errors_do_not_leak() -> None:
    assert (
        problems.message({"type": "missing", "loc": ("x",), "msg": "Field required"})
        == "꼭 적어야 하는 항목입니다"
    )
    assert (
        problems.message({"type": "some_new_type", "loc": ("x",), "msg": "Input should be"})
        == "값을 확인해 주세요"
    )
    assert (
        problems.message({"type": "value_error", "loc": ("x",), "msg": "Value error, bad"})
        == "값을 확인해 주세요"
    )
    assert (
        problems.message(
            {"type": "value_error", "loc": ("x",), "msg": "Value error, 날짜가 지났습니다"}
        )
        == "날짜가 지났습니다"
    )
    assert (
        problems.message({"type": "less_than_equal", "loc": ("x",), "msg": "", "ctx": {"le": 24}})
        == "24 이하이어야 합니다"
    )


def test_a_gibon_error_keeps_its_message_and_adds_its_example() -> None:
    problem = problems.from_error(
        InvalidInput("숫자로 적어 주세요", where="housing.deposit", example="5000000")
    )
    assert problem.label == "보증금" and problem.message == "숫자로 적어 주세요 (예: 5000000)"
    assert problem.anchor == "f-housing-deposit"


def test_an_unknown_field_has_no_label_rather_than_its_code() -> None:
    assert problems.label_for("no_such_field") == ""
