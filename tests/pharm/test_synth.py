"""The synthetic years: the screen's shortcuts draw and build exactly what the plain code would."""

from __future__ import annotations

import random
from datetime import date

from gibon.pharm import context, synth, timeline
from gibon.pharm.knowledge import kb


def test_between_draws_what_randint_draws_from_the_same_stream() -> None:
    plain, fast = random.Random("1:P1"), random.Random("1:P1")
    for low, high in [(1, 3), (0, 40), (5, 40), (0, 330), (1, 2), (7, 7)] * 200:
        assert synth._between(fast, low, high) == plain.randint(low, high)
    assert fast.random() == plain.random()  # and leaves the stream where randint leaves it


def test_a_supply_is_built_with_exactly_the_fields_of_the_dataclass() -> None:
    person = {
        "person_id": "P00000001",
        "birth_date": date(1944, 5, 1),
        "sex": "F",
        "conditions": ["I10", "E11", "M17"],
        "living_alone": True,
        "medical_aid": False,
    }
    ctx = context.build(synth.review_input(person, 1, date(2026, 3, 1)), kb())
    assert ctx.supplies
    for s in ctx.supplies:
        assert tuple(s.__dict__) == timeline._FIELDS
