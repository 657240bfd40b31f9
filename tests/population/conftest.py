"""The whole synthetic district is generated once per test session (about 2 seconds)."""

from __future__ import annotations

import pytest

from gibon import population
from gibon.population import Population


@pytest.fixture(scope="session")
def district() -> Population:
    return population.generate(seed=1)
