"""The STOPP/START v3 coverage table in docs/pharm.md, the rules and the cases agree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gibon.pharm.knowledge import kb

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "pharm.md").read_text(encoding="utf-8")
CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
# Criteria per section in STOPP/START v3 (133 STOPP in A-M, 57 START in A-L).
STOPP = {"A": 3, "B": 21, "C": 16, "D": 25, "E": 10, "F": 8, "G": 4, "H": 9, "I": 8, "J": 10}
STOPP |= {"K": 12, "L": 6, "M": 1}
START = {"A": 1, "B": 11, "C": 2, "D": 7, "E": 4, "F": 7, "G": 3, "H": 9, "I": 5, "J": 1}
START |= {"K": 3, "L": 4}
STATUSES = {"encoded", "encoded elsewhere", "needs input", "not automatable"}


def _all_ids() -> list[str]:
    return [f"STOPP {s}{i}" for s, n in STOPP.items() for i in range(1, n + 1)] + [
        f"START {s}{i}" for s, n in START.items() for i in range(1, n + 1)
    ]


def _table() -> dict[str, str]:
    section = DOC.split("## STOPP/START v3 coverage", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| ST")]
    table = {cid.strip(): status.strip() for cid, status in rows}
    assert len(table) == len(rows), "a criterion is listed twice"
    return table


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = kb().criteria["stopp_start"]
    return spec


def _criterion(rule_id: str) -> str:
    return rule_id.split(" (")[0]


def test_the_table_lists_all_190_criteria_once_with_a_known_status() -> None:
    table = _table()
    assert sorted(table) == sorted(_all_ids())
    assert len(_all_ids()) == 190 and sum(STOPP.values()) == 133 and sum(START.values()) == 57
    assert set(table.values()) <= STATUSES


def test_a_criterion_is_encoded_in_the_table_exactly_when_a_rule_carries_its_number() -> None:
    spec, table = _spec(), _table()
    encoded = {_criterion(r["id"]) for r in [*spec["stopp"], *spec["start"]]}
    assert encoded <= set(_all_ids()), "a rule id is not a v3 criterion number"
    assert encoded == {cid for cid, status in table.items() if status == "encoded"}
    for item in spec["not_encoded"]:
        assert table[item["id"]] == item["status"].replace("_", " "), item["id"]
        assert item["reason"], item["id"]
    assert len(spec["not_encoded"]) + len(encoded) == 190


def test_the_counts_in_the_docs_match_the_rules() -> None:
    table = _table()
    n = {s: sum(1 for v in table.values() if v == s) for s in STATUSES}
    assert f"{n['encoded']} of 190 criteria are encoded as rules" in DOC
    assert f"{n['encoded elsewhere']} are covered by other checks" in DOC
    assert f"{n['needs input']} need input gibon does not take" in DOC
    assert f"{n['not automatable']} cannot be decided from dispensings" in DOC


def test_every_encoded_criterion_is_exercised_by_a_case() -> None:
    named: set[str] = set()
    for path in CASES:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        named |= {e.get("criterion", "") for e in case.get("expect", [])}
        named |= {f"STOPP {m}" for m in re.findall(r"STOPP v3 ([A-M]\d+)", case["criteria"])}
        named |= {f"START {m}" for m in re.findall(r"START v3 ([A-L]\d+)", case["criteria"])}
    spec = _spec()
    for rule in [*spec["stopp"], *spec["start"]]:
        assert rule["id"] in named or _criterion(rule["id"]) in named, rule["id"]
