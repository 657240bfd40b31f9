"""A reform: a YAML file with a name, a description, dated parameter overrides and new programs.

Overrides name benefit parameters (as in ``gibon.benefits``) or tax parameters (prefixed
``taxes.``); new programs are written in the benefit engine's own rule language, plus two
simulator key, ``take_up`` (the share of eligible households that receive it). Every mistake is an ``InvalidInput`` naming the place
and the closest valid names.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gibon import benefits
from gibon.benefits.engine import parameters
from gibon.errors import InvalidInput
from gibon.kit import files
from gibon.simulator import takeup, taxes

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "simulator" / "reforms"
TOP_KEYS = {"name", "description", "references", "overrides", "programs"}
SIM_KEYS = {"take_up"}
TAX_PREFIX = "taxes."
# A reform is a few kilobytes of YAML; a bigger file is refused before the YAML parser sees it
# (a 16 MB file once kept `gibon simulate` parsing for minutes).
MAX_REFORM_BYTES = files.MB
EXAMPLE = "name: 관악 청년기본소득\ndescription: ...\noverrides: {}\nprograms: []"


@dataclass(frozen=True)
class Reform:
    name: str
    description: str
    references: tuple[str, ...] = ()
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    programs: tuple[dict[str, Any], ...] = ()
    take_up: dict[str, takeup.Rule] = field(default_factory=dict)

    def key(self) -> str:
        """A stable text of everything that changes results (workers cache systems by it)."""
        return json.dumps(
            {"o": self.overrides, "p": list(self.programs)},
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )

    @property
    def program_ids(self) -> list[str]:
        return [str(p["id"]) for p in self.programs]


def examples() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))}


def load(path: Path, encoding: str | None = None) -> Reform:
    text = files.read_input_text(
        path,
        encoding=encoding,
        max_bytes=MAX_REFORM_BYTES,
        example="gibon simulate reform.yaml --population var/population",
    )
    return parse_text(text, path.name)


def parse_text(text: str, where: str = "reform") -> Reform:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" {mark.line + 1}행" if mark is not None else ""
        raise InvalidInput(
            f"개혁안이 YAML 형식에 맞지 않습니다 ({getattr(exc, 'problem', exc)})",
            where=f"{where}{line}",
            example=EXAMPLE,
        ) from None
    reform = parse(raw, where)
    validate(reform)
    return reform


def parse(raw: Any, where: str = "reform") -> Reform:
    if not isinstance(raw, dict):
        raise InvalidInput(
            "개혁안은 name, description, overrides, programs 항목으로 이루어집니다",
            where=where,
            example=EXAMPLE,
        )
    _check_keys(raw, TOP_KEYS, where)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(
            "개혁안 이름(name)을 적어 주세요", where=f"{where}.name", example="관악 청년기본소득"
        )
    overrides = _overrides(raw.get("overrides") or {}, f"{where}.overrides")
    programs, rates = _programs(raw.get("programs") or [], f"{where}.programs")
    refs = raw.get("references") or []
    return Reform(
        name.strip(),
        str(raw.get("description") or "").strip(),
        tuple(str(r) for r in refs),
        overrides,
        tuple(programs),
        rates,
    )


def _check_keys(raw: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in raw:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=3, cutoff=0.5)
            hint = f" (비슷한 이름: {', '.join(close)})" if close else ""
            raise InvalidInput(
                f"알 수 없는 항목 '{key}'입니다{hint}",
                where=f"{where}.{key}",
                example=f"쓸 수 있는 항목: {', '.join(sorted(allowed))}",
                details={"closest": close},
            )


def _overrides(raw: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise InvalidInput(
            "overrides는 매개변수 이름마다 {시행일: 값}을 적습니다",
            where=where,
            example="nbls.selection_rate.livelihood: {2026-07-01: 0.35}",
        )
    out: dict[str, dict[str, Any]] = {}
    for name, dated in raw.items():
        if not isinstance(dated, dict) or not dated:
            raise InvalidInput(
                "매개변수 변경에는 시행일과 값이 필요합니다",
                where=f"{where}.{name}",
                example=f"{name}: {{2026-07-01: 0.35}}",
            )
        out[str(name)] = {str(k): v for k, v in dated.items()}
    return out


def _programs(raw: Any, where: str) -> tuple[list[dict[str, Any]], dict[str, takeup.Rule]]:
    if not isinstance(raw, list):
        raise InvalidInput(
            "programs는 급여 목록이어야 합니다",
            where=where,
            example="programs: [{id: youth_basic_income, name_ko: ..., ...}]",
        )
    programs, rates = [], {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidInput(
                "급여 하나는 id, name_ko 같은 항목의 묶음이어야 합니다",
                where=f"{where}[{i}]",
                example="{id: youth_basic_income, name_ko: 청년기본소득, ...}",
            )
        sim = {k: item[k] for k in SIM_KEYS if k in item}
        program = {k: v for k, v in item.items() if k not in SIM_KEYS}
        if sim:
            rule = {"rate": sim["take_up"], "status": "reform"}
            rates[str(program.get("id"))] = takeup.parse_rule(rule, f"{where}[{i}]")
        programs.append(program)
    return programs, rates


def split_overrides(reform: Reform) -> tuple[dict[str, Any], dict[str, Any]]:
    """(benefit overrides, tax overrides without the prefix)."""
    ben = {k: v for k, v in reform.overrides.items() if not k.startswith(TAX_PREFIX)}
    tax = {k[len(TAX_PREFIX) :]: v for k, v in reform.overrides.items() if k.startswith(TAX_PREFIX)}
    return ben, tax


def parameter_names() -> list[str]:
    return [
        *benefits.default_system().parameters.leaves,
        *(TAX_PREFIX + n for n in taxes.tax_tree().leaves),
    ]


_KINDS = {"parameter": "매개변수", "variable": "변수", "program": "급여"}


def unknown(kind: str, name: str, valid: list[str], where: str) -> InvalidInput:
    """An error naming the closest valid names."""
    close = difflib.get_close_matches(name, sorted(valid), n=3, cutoff=0.5)
    hint = f" (비슷한 이름: {', '.join(close)})" if close else ""
    return InvalidInput(
        f"알 수 없는 {_KINDS.get(kind, kind)} '{name}'입니다{hint}",
        where=where,
        example=close[0] if close else (min(valid) if valid else None),
        details={"closest": close},
    )


def _check_names(reform: Reform) -> None:
    known = parameter_names()
    for name in reform.overrides:
        if name not in known:
            raise unknown("parameter", name, known, f"overrides.{name}")


def validate(reform: Reform) -> None:
    """Build both systems once, so every error surfaces before a run starts."""
    _check_names(reform)
    scenario(reform)


_CACHE: dict[str, tuple[benefits.System, parameters.ParameterTree]] = {}


def scenario(reform: Reform) -> tuple[benefits.System, parameters.ParameterTree]:
    """The reformed benefit system and tax parameters, built once per process (and worker)."""
    key = reform.key()
    if key not in _CACHE:
        if len(_CACHE) >= 8:
            _CACHE.clear()
        _CACHE[key] = _build(reform)
    return _CACHE[key]


def _build(reform: Reform) -> tuple[benefits.System, parameters.ParameterTree]:
    ben, tax = split_overrides(reform)
    system = benefits.load_system(
        overrides=ben or None, extra_programs=list(reform.programs) or None
    )
    tree = taxes.tax_tree()
    for name, dated in tax.items():
        for start, value in dated.items():
            parameters.override(tree, name, start, value)
    return system, tree


BASELINE = Reform("기준선 (현행 제도)", "2026년 현행 제도")
