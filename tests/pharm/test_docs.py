"""docs/pharm.md stays true: every category and every rule count it states matches the code."""

from __future__ import annotations

from pathlib import Path

from gibon.pharm.findings import CATEGORY_KO
from gibon.pharm.knowledge import kb

DOC = (Path(__file__).resolve().parents[2] / "docs" / "pharm.md").read_text(encoding="utf-8")


def test_every_category_is_documented_with_its_criterion() -> None:
    rows = [line.split("|")[1] for line in DOC.splitlines() if line.startswith("| ")]
    named = {word.strip() for cell in rows for word in cell.split("/")}
    assert {c for c in CATEGORY_KO if c != "unknown_drug"} <= named


def test_rule_counts_in_the_docs_match_the_knowledge_base() -> None:
    c = kb().criteria
    assert f"{len(c['beers']['rules'])} rules, age ≥ 65" in DOC
    assert (
        f"{len(c['stopp_start']['stopp'])} STOPP and {len(c['stopp_start']['start'])} START rules"
        in DOC
    )
    assert f"{len(kb().drugs)} ingredients" in DOC


def test_every_rule_has_a_citation_and_text() -> None:
    c = kb().criteria
    rules = [
        *c["beers"]["rules"],
        *c["stopp_start"]["stopp"],
        *c["stopp_start"]["start"],
        *c["interactions"]["rules"],
        *c["renal"]["rules"],
        *c["cascades"]["rules"],
        *c["dose_rules"]["elderly_max"],
        *c["dose_rules"]["weekly_only"],
    ]
    for r in rules:
        assert r["text"] and (r.get("source") or r.get("table") or r.get("section")), r["id"]
    assert len({r["id"] for r in rules}) == len(rules)


def test_the_number_of_cases_in_the_docs_is_true() -> None:
    cases = list((Path(__file__).parent / "cases").glob("*.yaml"))
    assert f"holds {len(cases)} expert-style cases" in DOC


def test_the_example_command_in_the_docs_runs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import gibon.cli

    example = Path(__file__).resolve().parents[2] / "src/gibon/data/pharm/example_patient.json"
    assert "gibon pharm review src/gibon/data/pharm/example_patient.json --format html" in DOC
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        gibon.cli.app, ["pharm", "review", str(example), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "약물안전리포트" in out.read_text(encoding="utf-8")
