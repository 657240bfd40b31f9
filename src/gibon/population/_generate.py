"""Public generation entry points: one population in memory, or chunks streamed."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from gibon.errors import InvalidInput
from gibon.population._alloc import largest_remainder
from gibon.population._build import Offsets, Population, build_chunk
from gibon.population._params import resolve

DEFAULT_CHUNK = 500_000
MAX_SEED = 2**63 - 1


def check_seed(seed: object) -> int:
    if (
        isinstance(seed, bool)
        or not isinstance(seed, int | np.integer)
        or not 0 <= int(seed) <= MAX_SEED
    ):
        raise InvalidInput(
            "seed must be a whole number from 0 to 2^63-1", where="seed", example="--seed 1"
        )
    return int(seed)


def _rng(seed: int, chunk: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(chunk,)))


def chunk_sizes(persons: int, chunk_persons: int) -> list[int]:
    if chunk_persons < 1_000:
        raise InvalidInput(
            "chunks must hold at least 1,000 persons", where="chunk_persons", example="500000"
        )
    n = max(1, -(-persons // chunk_persons))
    return [int(x) for x in largest_remainder(persons, np.ones(n))]


def generate(seed: int, persons: int | None = None, *, profile: str = "gwanak") -> Population:
    """The whole population in memory, deterministic by ``seed`` (the district takes seconds)."""
    prof = resolve(profile, persons)
    return build_chunk(_rng(check_seed(seed), 0), prof, Offsets())


def generate_chunks(
    seed: int,
    persons: int | None = None,
    *,
    profile: str = "gwanak",
    chunk_persons: int = DEFAULT_CHUNK,
) -> Iterator[Population]:
    """Yield (households, persons) chunks; memory is bounded by ``chunk_persons``.

    Each chunk is a calibrated population of its own (exact counts at its size), ids and RRN
    serials continue across chunks, and a single chunk equals :func:`generate`.
    """
    seed = check_seed(seed)
    total = resolve(profile, persons).persons
    offsets = Offsets()
    for i, n in enumerate(chunk_sizes(total, chunk_persons)):
        yield build_chunk(_rng(seed, i), resolve(profile, n), offsets)
