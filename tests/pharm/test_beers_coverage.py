"""The AGS Beers 2023 coverage table in docs/pharm.md and the rule data say the same thing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gibon.pharm.knowledge import kb

DOC = (Path(__file__).resolve().parents[2] / "docs" / "pharm.md").read_text(encoding="utf-8")
SECTION = DOC.split("## AGS Beers 2023 coverage", 1)[1].split("\n## ", 1)[0]
ROW = re.compile(r"^\| (T[2-7]-\d\d) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| (.+) \|$")
STATUSES = {"encoded", "partly", "needs input", "not encoded"}


def _rows() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for line in SECTION.splitlines():
        m = ROW.match(line)
        if m:
            item, summary, checked, status, rest = (g.strip() for g in m.groups())
            assert item not in rows, f"{item} is listed twice"
            rows[item] = {"summary": summary, "checked": checked, "status": status, "rest": rest}
    return rows


def _item_rules() -> dict[str, dict[str, Any]]:
    c = kb().criteria
    return {r["id"]: r for r in [*c["beers"]["rules"], *c["renal"]["rules"]] if "item" in r}


def test_every_row_has_a_known_status_and_says_what_it_was_checked_against() -> None:
    rows = _rows()
    assert len([i for i in rows if i.startswith("T5-")]) == 12
    assert len([i for i in rows if i.startswith("T6-")]) == 24
    for item, row in rows.items():
        assert row["status"] in STATUSES, item
        assert set(row["checked"].replace(",", " ").split()) <= {"A", "B", "C", "D"}, item
        assert row["rest"], item


def test_every_rule_with_an_item_is_listed_in_its_row_and_nowhere_else() -> None:
    rows = _rows()
    for rule_id, rule in _item_rules().items():
        row = rows.get(rule["item"])
        assert row is not None, f"{rule_id}: row {rule['item']} missing from docs/pharm.md"
        assert f"`{rule_id}`" in row["rest"], f"{rule_id} not named in row {rule['item']}"
        assert row["status"] in {"encoded", "partly"}, rule_id


def test_every_rule_a_row_names_exists_and_belongs_to_that_row() -> None:
    rules = _item_rules()
    dose_ids = {r["id"] for r in kb().criteria["dose_rules"]["elderly_max"]}
    for item, row in _rows().items():
        named = re.findall(r"`([a-z0-9-]+)`", row["rest"])
        if row["status"] in {"needs input", "not encoded"}:
            assert not named, item
            assert not [r for r in rules.values() if r["item"] == item], item
            continue
        if not item.startswith("T7-"):
            assert named, f"{item} is {row['status']} but names no rule"
        for rule_id in named:
            assert rule_id in dose_ids or rules[rule_id]["item"] == item, (item, rule_id)


def test_table_7_rows_are_exactly_the_class_the_rules_read() -> None:
    listed = set()
    for item, row in _rows().items():
        if item.startswith("T7-"):
            names = row["rest"].split(" (")[0]
            listed |= {n.strip() for n in names.split(",")}
    assert listed == set(kb().classes["beers_t7_anticholinergic"]["drugs"])


def test_beers_rules_cite_their_table_and_table_6_rules_cite_beers() -> None:
    c = kb().criteria
    for r in c["beers"]["rules"]:
        assert r["table"].startswith(f"Table {r['item'][1]}") or r["item"].startswith("T5"), r["id"]
    for r in c["renal"]["rules"]:
        if "item" in r:
            assert "AGS Beers 2023 Table 6" in r["source"], r["id"]
