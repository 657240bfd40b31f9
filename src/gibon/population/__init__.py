"""gibon's synthetic population: households and persons of Gwanak-gu (or Korea), never real people.

Public API::

    from gibon import population
    households, persons = population.generate(seed=1)            # the district, in seconds
    for chunk in population.generate_chunks(seed=1, profile="korea"):  # 51 M persons, streamed
        ...
    households, persons = population.load_dir("var/population")   # validated read
    for households, persons in population.iter_dir("var/korea"):  # streamed read, chunk by chunk
        ...
    population.is_synthetic_rrn("900131-1960005")
    population.reference_date()   # the day the ages describe (31 December 2024)

Column contract: ``gibon.population.schema.PERSONS`` and ``HOUSEHOLDS``. Sources: docs/data.md.
"""

from __future__ import annotations

from gibon.population._build import Population
from gibon.population._generate import DEFAULT_CHUNK, generate, generate_chunks
from gibon.population._params import reference_date
from gibon.population.rrn import is_synthetic_rrn, is_valid_rrn
from gibon.population.store import iter_dir, load_dir, write_dir, write_population
from gibon.population.summary import by_dong

__all__ = [
    "DEFAULT_CHUNK",
    "Population",
    "by_dong",
    "generate",
    "generate_chunks",
    "is_synthetic_rrn",
    "is_valid_rrn",
    "iter_dir",
    "load_dir",
    "reference_date",
    "write_dir",
    "write_population",
]
