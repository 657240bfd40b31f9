"""A small synthetic district (4,000 persons), written once per session as a population directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from gibon import population

SMALL = 4000


@pytest.fixture(scope="session")
def small_population() -> population.Population:
    return population.generate(seed=11, persons=SMALL)


@pytest.fixture(scope="session")
def population_dir(
    tmp_path_factory: pytest.TempPathFactory, small_population: population.Population
) -> Path:
    out = tmp_path_factory.mktemp("population")
    population.write_population(out, small_population, seed=11)
    return out
