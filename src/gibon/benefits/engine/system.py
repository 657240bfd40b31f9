"""A tax-benefit system: dated parameters, input variables, rule variables and programs."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from gibon.benefits.engine import parameters as params
from gibon.benefits.engine import rules
from gibon.benefits.engine.expressions import compile_formula
from gibon.benefits.engine.inputs import INPUTS
from gibon.errors import InvalidInput

PACKAGE = Path(__file__).resolve().parent.parent
PARAMETERS = PACKAGE / "parameters" / "kr_2026.yaml"
PROGRAMS = PACKAGE / "programs"


class System:
    def __init__(
        self,
        tree: params.ParameterTree,
        programs: list[rules.Program],
        variables: list[rules.Variable],
        inputs: dict[str, tuple[str, str, str]] | None = None,
    ) -> None:
        self.parameters = tree
        self.programs = programs
        self.variables: dict[str, rules.Variable] = {
            n: rules.Variable(name=n, entity=e, type=t, label=label)
            for n, (e, t, label) in (inputs or INPUTS).items()
        }
        for v in variables:
            if v.name in self.variables:
                raise InvalidInput(
                    f"variable '{v.name}' is defined twice",
                    where=f"{v.program or 'variables'}.{v.name}",
                    example=f"{v.name}_2",
                )
            self.variables[v.name] = v
        self._resolved: dict[dt.date, dict[str, params.Value]] = {}
        self._bounds: dict[dt.date, dict[str, Any]] = {}
        self._deps: dict[str, tuple[set[str], set[str]]] = {}
        self._static: dict[dt.date, dict[int, Any]] = {}
        self._compile()

    # Resolver protocol used by the compiler
    def entity_of(self, name: str) -> str | None:
        v = self.variables.get(name)
        return v.entity if v else None

    def parameter_kind(self, dotted: str) -> str | None:
        if dotted in self.parameters.leaves:
            return "leaf"
        return "node" if dotted in self.parameters.nodes else None

    def close_names(self, name: str) -> list[str]:
        if name.startswith("p."):
            pool = ["p." + n for n in [*self.parameters.leaves, *self.parameters.nodes]]
        else:
            pool = list(self.variables)
        return difflib.get_close_matches(name, pool, n=3, cutoff=0.5)

    def _compile(self) -> None:
        for v in self.variables.values():
            if v.formula is not None:
                where = f"{v.program or 'variables'}.{v.name}.formula"
                v.compiled = compile_formula(v.formula, v.entity, self, where)
        for prog in self.programs:
            for name in prog.explain:
                if name not in self.variables:
                    close = self.close_names(name)
                    raise InvalidInput(
                        f"program {prog.id} explains unknown variable '{name}'",
                        where=f"{prog.id}.explain",
                        example=close[0] if close else None,
                    )
        self._check_cycles()

    def _check_cycles(self) -> None:
        state: dict[str, int] = {}

        def visit(name: str, path: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise InvalidInput(
                    "rules depend on each other in a circle: " + " → ".join([*path, name]),
                    where=name,
                )
            state[name] = 1
            c = self.variables[name].compiled
            for dep in sorted(c.variables) if c else []:
                visit(dep, [*path, name])
            state[name] = 2

        for name in self.variables:
            visit(name, [])

    def program(self, pid: str) -> rules.Program:
        for p in self.programs:
            if p.id == pid:
                return p
        close = difflib.get_close_matches(pid, [p.id for p in self.programs], n=3)
        raise InvalidInput(
            f"unknown program '{pid}'",
            where="program",
            example=close[0] if close else self.programs[0].id,
        )

    def resolved(self, month: dt.date) -> dict[str, params.Value]:
        """Every parameter the rules use, as in force on the first day of ``month``."""
        if month not in self._resolved:
            used: set[str] = set()
            for v in self.variables.values():
                if v.compiled:
                    for dotted in v.compiled.parameters:
                        used.update(self._leaves_under(dotted))
            self._resolved[month] = {n: self.parameters.leaf(n).at(month) for n in sorted(used)}
        return self._resolved[month]

    @property
    def entities(self) -> dict[str, str]:
        if not hasattr(self, "_entities"):
            self._entities = {n: v.entity for n, v in self.variables.items()}
        return self._entities

    def static_cache(self, month: dt.date) -> dict[int, Any]:
        return self._static.setdefault(month, {})

    def parameter_bounds(self, month: dt.date) -> dict[str, Any]:
        """Each parameter as ``(value, None)``, or its range when unconfirmed (see interval)."""
        if month not in self._bounds:
            out: dict[str, Any] = {}
            for name, v in self.resolved(month).items():
                out[name] = (
                    (v.value, None) if v.usable else params.bounds(self.parameters.leaf(name), v)
                )
            self._bounds[month] = out
        return self._bounds[month]

    def leaves_under(self, dotted: str) -> list[str]:
        """The parameter leaves named by ``dotted`` (itself, or every leaf of a group)."""
        return self._leaves_under(dotted)

    def _leaves_under(self, dotted: str) -> list[str]:
        if dotted in self.parameters.leaves:
            return [dotted]
        return [n for n in self.parameters.leaves if n.startswith(dotted + ".")]

    def dependencies(self, name: str) -> tuple[set[str], set[str]]:
        """All variables and parameters that ``name`` reads, directly or not."""
        if name in self._deps:
            return self._deps[name]
        seen: set[str] = set()
        prm: set[str] = set()
        stack = [name]
        while stack:
            cur = stack.pop()
            if cur in seen:
                continue
            seen.add(cur)
            c = self.variables[cur].compiled
            if c:
                stack.extend(c.variables)
                for d in c.parameters:
                    prm.update(self._leaves_under(d))
        self._deps[name] = (seen, prm)
        return seen, prm


def load_system(
    overrides: Any = None,
    extra_programs: Any = None,
    parameters_path: Path | None = None,
    programs_dir: Path | None = None,
    inputs: dict[str, tuple[str, str, str]] | None = None,
) -> System:
    """The built-in system, optionally reformed.

    ``overrides``: ``{"dotted.name": {"2026-07-01": 0.35}}`` or a list of
    ``{"name": ..., "from": ..., "value": ...}``.
    ``extra_programs``: program mappings (as in ``programs/*.yaml``), YAML text or file paths.
    ``parameters_path``, ``programs_dir`` and ``inputs`` build another country's system with the
    same engine (see benchmarks/benefits_openfisca.py).
    """
    tree = _base_tree(parameters_path)
    for name, start, value in _override_items(overrides):
        params.override(tree, name, start, value)
    programs, variables = rules.load_dir(programs_dir or PROGRAMS)
    ids = {p.id for p in programs}
    for i, raw in enumerate(_program_docs(extra_programs)):
        prog, vs = rules.parse_program(raw, f"extra_programs[{i}]", builtin=False)
        if prog is None:
            raise InvalidInput(
                "an extra program needs an id",
                where=f"extra_programs[{i}]",
                example="id: youth_basic_income",
            )
        if prog.id in ids:
            raise InvalidInput(
                f"program id '{prog.id}' already exists",
                where=f"extra_programs[{i}].id",
                example=f"{prog.id}_reform",
            )
        ids.add(prog.id)
        programs.append(prog)
        variables += vs
    return System(tree, programs, variables, inputs)


_BASE: dict[Path, params.ParameterTree] = {}


def _base_tree(path: Path | None) -> params.ParameterTree:
    path = path or PARAMETERS
    if path not in _BASE:
        _BASE[path] = params.load(path)
    return _BASE[path].copy()


def _override_items(overrides: Any) -> Iterable[tuple[str, Any, Any]]:
    if not overrides:
        return []
    if isinstance(overrides, Mapping):
        out = []
        for name, dated in overrides.items():
            if not isinstance(dated, Mapping):
                raise InvalidInput(
                    "an override maps dates to values",
                    where=f"overrides.{name}",
                    example=f"{name}: {{2026-07-01: 0.35}}",
                )
            out += [(str(name), start, value) for start, value in dated.items()]
        return out
    items = []
    for i, o in enumerate(overrides):
        missing = {"name", "from", "value"} - set(o)
        if missing:
            raise InvalidInput(
                f"override needs {sorted(missing)}",
                where=f"overrides[{i}]",
                example="{name: nbls.selection_rate.livelihood, from: 2026-07-01, value: 0.35}",
            )
        items.append((str(o["name"]), o["from"], o["value"]))
    return items


def _program_docs(extra: Any) -> list[Any]:
    if not extra:
        return []
    if isinstance(extra, Mapping | str | Path):
        extra = [extra]
    docs = []
    for item in extra:
        if isinstance(item, Path):
            item = item.read_text(encoding="utf-8")
        if isinstance(item, str):
            try:
                item = yaml.safe_load(item)
            except yaml.YAMLError as exc:
                raise InvalidInput(
                    f"program YAML does not parse: {exc}", where="extra_programs"
                ) from None
        docs.append(item)
    return docs
