"""Take-up: who of the eligible actually receives a program, deterministic by seed.

Each (household, program) gets a uniform draw from a stable hash of (seed, household_id, program);
the household receives the program when it is eligible and the draw is below the program's rate.
The draw depends on nothing else, so a household's outcome is the same in every chunk, worker and
scenario: a reform that raises an amount reaches the same households as before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from gibon.errors import InvalidInput

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "simulator" / "take_up.yaml"
_M64 = (1 << 64) - 1


@dataclass(frozen=True)
class Rule:
    rate: float
    status: str = "assumption"
    note: str = ""


@dataclass(frozen=True)
class TakeUp:
    programs: dict[str, Rule]
    default: Rule
    sources: list[str] = field(default_factory=list)

    def rule(self, program: str) -> Rule:
        return self.programs.get(program, self.default)

    def with_programs(self, extra: dict[str, Rule]) -> TakeUp:
        return TakeUp({**self.programs, **extra}, self.default, self.sources)


def load(path: Path | None = None) -> TakeUp:
    """The documented defaults, with ``path`` (same format) overriding any program it names."""
    base = _parse(_read(DEFAULTS), str(DEFAULTS.name))
    if path is None:
        return base
    extra = _parse(_read(path), str(path), partial=True)
    default = extra.default if extra.default.status != "_unset" else base.default
    return TakeUp({**base.programs, **extra.programs}, default, [*base.sources, str(path)])


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(
            f"cannot read take-up file ({exc.strerror})",
            where=str(path),
            example="--take-up take_up.yaml",
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"take-up file is not valid YAML: {exc}", where=str(path)) from None


def _parse(raw: Any, where: str, partial: bool = False) -> TakeUp:
    if not isinstance(raw, dict) or not set(raw) <= {"default", "programs"}:
        raise InvalidInput(
            "a take-up file has 'programs' (and optionally 'default')",
            where=where,
            example="programs: {livelihood: {rate: 0.8}}",
        )
    programs = {
        str(k): parse_rule(v, f"{where}: programs.{k}")
        for k, v in (raw.get("programs") or {}).items()
    }
    if "default" in raw:
        default = parse_rule(raw["default"], f"{where}: default")
    else:
        default = Rule(1.0, status="_unset") if partial else Rule(1.0)
    return TakeUp(programs, default, [where])


def parse_rule(raw: Any, where: str) -> Rule:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = {"rate": raw}
    if not isinstance(raw, dict) or "rate" not in raw:
        raise InvalidInput("a take-up entry needs a rate", where=where, example="{rate: 0.8}")
    unknown = set(raw) - {"rate", "status", "note"}
    if unknown:
        raise InvalidInput(
            f"unknown keys {sorted(unknown)}",
            where=where,
            example="{rate: 0.8, status: assumption, note: why}",
        )
    rate = raw["rate"]
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
        raise InvalidInput(
            f"rate must be a share between 0 and 1, got {rate!r} (80 % is 0.8)",
            where=f"{where}.rate",
            example="0.8",
        )
    return Rule(float(rate), str(raw.get("status", "override")), str(raw.get("note", "")))


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    out: np.ndarray = x ^ (x >> np.uint64(31))
    return out


def _key(text: str) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big"))


def household_keys(ids: pl.Series, seed: int) -> np.ndarray:
    """A stable 64-bit key per household id: digits parsed when ids end in a number, else hashed."""
    digits = ids.str.extract(r"(\d{1,18})$", 1)
    # The prefix key includes the id's length, so "H01" and "H001" differ.
    prefix = ids.str.replace(r"\d{1,18}$", "") + "#" + ids.str.len_chars().cast(pl.String)
    uniques = prefix.unique().to_list()
    if digits.null_count() == 0 and len(uniques) <= 64:
        mapping = {u: int(_key(u)) for u in uniques}
        prefix_key = prefix.replace_strict(mapping, return_dtype=pl.UInt64).to_numpy()
        base = digits.cast(pl.UInt64).to_numpy() ^ prefix_key
    else:
        base = np.array([_key(s) for s in ids.to_list()], dtype=np.uint64)
    salt = _splitmix(np.full(len(ids), np.uint64(seed & _M64), dtype=np.uint64))
    return _splitmix(base ^ salt)


def draws(keys: np.ndarray, program: str) -> np.ndarray:
    """Uniform [0, 1) per household for one program."""
    mixed = _splitmix(keys ^ np.full(len(keys), _key(program), dtype=np.uint64))
    return (mixed >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
