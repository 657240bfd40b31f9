"""Rules as small declarative units: a variable has an entity, a type, a Korean label, a legal
reference and a formula; a program names its eligibility and amount and the steps it explains."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gibon.benefits.engine.expressions import ENTITIES, Compiled
from gibon.errors import InvalidInput

TYPES = ("int", "bool", "float", "int32", "float32")
KINDS = ("cash", "voucher", "in_kind", "service_limit", "flag")
# what counts in a household's monthly total: money and vouchers, not service limits or flags
COUNTED = ("cash", "voucher")


@dataclass
class Variable:
    name: str
    entity: str
    type: str
    label: str
    reference: str = ""
    formula: str | None = None  # None for inputs
    program: str = ""
    compiled: Compiled | None = None


@dataclass
class Program:
    id: str
    name_ko: str
    references: list[str]
    eligible: str  # household variable names
    amount: str
    explain: list[str] = field(default_factory=list)
    note: str = ""
    builtin: bool = True
    kind: str = "cash"  # cash | voucher | in_kind | service_limit | flag
    # the person-level bool variable saying who counts as a recipient in caseloads ("" = every
    # member of an eligible household, as 기초생활보장 counts 수급자)
    recipients: str = ""


def parse_program(raw: Any, where: str, builtin: bool) -> tuple[Program | None, list[Variable]]:
    """One YAML document: an optional program plus the variables it defines."""
    if not isinstance(raw, dict):
        raise InvalidInput(
            "a program file must be a mapping", where=where, example="id: youth_basic_income"
        )
    known = {
        "id",
        "name_ko",
        "references",
        "entity",
        "eligible",
        "amount",
        "explain",
        "variables",
        "note",
        "label",
        "kind",
        "recipients",
    }
    extra = set(raw) - known
    if extra:
        raise InvalidInput(
            f"unknown keys {sorted(extra)}", where=where, example=f"allowed keys: {sorted(known)}"
        )
    variables = [
        _variable(name, spec, f"{where}.variables.{name}", raw.get("id", ""))
        for name, spec in (raw.get("variables") or {}).items()
    ]
    if "id" not in raw:
        return None, variables
    return _program(raw, where, builtin, variables)


def _program(
    raw: dict[str, Any], where: str, builtin: bool, variables: list[Variable]
) -> tuple[Program, list[Variable]]:
    pid = str(raw["id"])
    if not pid.isidentifier():
        raise InvalidInput(
            f"program id '{pid}' must be a lowercase identifier",
            where=f"{where}.id",
            example="youth_basic_income",
        )
    for key in ("name_ko", "eligible", "amount"):
        if key not in raw:
            raise InvalidInput(
                f"program {pid} needs '{key}'",
                where=f"{where}.{key}",
                example="amount: where(age >= 19 and age <= 34, 100000, 0)",
            )
    entity = raw.get("entity", "household")
    if entity not in ("person", "household"):
        raise InvalidInput(
            f"entity must be person or household, not {entity!r}",
            where=f"{where}.entity",
            example="person",
        )
    refs = raw.get("references") or []
    label = raw["name_ko"]
    ref = refs[0] if refs else ""
    elig, amt = f"{pid}__eligible", f"{pid}__amount"

    def derived(name: str, entity: str, vtype: str, what: str, formula: str) -> Variable:
        return Variable(
            name=name,
            entity=entity,
            type=vtype,
            label=f"{label} {what}",
            reference=ref,
            formula=formula,
            program=pid,
        )

    if entity == "person":
        person_elig, person_amt = f"{pid}__person_eligible", f"{pid}__person_amount"
        variables += [
            derived(person_elig, "person", "bool", "대상 (개인)", str(raw["eligible"])),
            derived(
                person_amt,
                "person",
                "int",
                "금액 (개인)",
                f"where({person_elig}, {raw['amount']}, 0)",
            ),
            derived(elig, "household", "bool", "대상", f"hh_any({person_elig})"),
            derived(amt, "household", "int", "월 금액", f"hh_sum({person_amt})"),
        ]
    else:
        variables += [
            derived(elig, "household", "bool", "대상", str(raw["eligible"])),
            derived(amt, "household", "int", "월 금액", f"where({elig}, {raw['amount']}, 0)"),
        ]
    kind = str(raw.get("kind", "cash"))
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {KINDS}", where=f"{where}.kind", example="cash")
    return Program(
        id=pid,
        name_ko=label,
        references=[str(r) for r in refs],
        eligible=elig,
        amount=amt,
        explain=[str(x) for x in raw.get("explain") or []],
        note=str(raw.get("note", "")),
        builtin=builtin,
        kind=kind,
        recipients=f"{pid}__person_eligible"
        if entity == "person"
        else str(raw.get("recipients", "")),
    ), variables


def _variable(name: str, spec: Any, where: str, program: str) -> Variable:
    if not str(name).isidentifier():
        raise InvalidInput(
            f"variable name '{name}' is not an identifier", where=where, example="youth_income"
        )
    if isinstance(spec, str):
        spec = {"formula": spec}
    if not isinstance(spec, dict) or "formula" not in spec:
        raise InvalidInput(
            "a variable needs a formula",
            where=where,
            example="{entity: person, type: int, label: 월 금액, formula: '100000'}",
        )
    entity = spec.get("entity", "household")
    vtype = spec.get("type", "int")
    if entity not in ENTITIES:
        raise InvalidInput(
            f"entity must be one of {ENTITIES}", where=f"{where}.entity", example="person"
        )
    if vtype not in TYPES:
        raise InvalidInput(f"type must be one of {TYPES}", where=f"{where}.type", example="int")
    return Variable(
        name=str(name),
        entity=entity,
        type=vtype,
        label=str(spec.get("label", name)),
        reference=str(spec.get("reference", "")),
        formula=str(spec["formula"]),
        program=program,
    )


def load_dir(path: Path, builtin: bool = True) -> tuple[list[Program], list[Variable]]:
    programs: list[Program] = []
    variables: list[Variable] = []
    for f in sorted(path.glob("*.yaml")):
        try:
            raw = yaml.safe_load(f.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InvalidInput(f"YAML does not parse: {exc}", where=f.name) from None
        prog, vs = parse_program(raw, f.name, builtin)
        variables += vs
        if prog:
            programs.append(prog)
    return programs, variables
