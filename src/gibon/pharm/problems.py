"""One severity per clinical problem across DUR, Beers, STOPP and gibon's own rules (problems.yaml)."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from gibon.pharm.findings import SEVERITIES, SEVERITY_KO, Finding
from gibon.pharm.knowledge import DATA, KnowledgeBase


@cache
def table() -> list[dict[str, Any]]:
    data = yaml.safe_load((DATA / "problems.yaml").read_text(encoding="utf-8"))
    return list(data["problems"])


Index = list[tuple[dict[str, Any], frozenset[str], frozenset[str], frozenset[str]]]


def _index(kb: KnowledgeBase) -> Index:
    """Each problem with its criterion ids, its DUR categories and every drug in its classes."""
    return [
        (
            problem,
            frozenset(problem.get("criteria", ())),
            frozenset(problem.get("dur", ())),
            frozenset(
                name
                for name in kb.drugs
                if any(kb.in_class(name, c) for c in problem.get("classes", ()))
            ),
        )
        for problem in table()
    ]


def harmonise(kb: KnowledgeBase, findings: list[Finding]) -> list[Finding]:
    """Findings of one problem that share a drug take the strictest severity among them."""
    for problem, criteria, dur, class_drugs in kb.derived(_index):
        members = [  # the finding's criterion is listed, or a DUR finding names a class drug
            f
            for f in findings
            if f.criterion.get("id") in criteria
            or (f.category in dur and any(d in class_drugs for d in f.drugs))
        ]
        own = {
            id(f): f.severity for f in members
        }  # each criterion's own grading, before any change
        for f in members:
            same = [g for g in members if set(g.drugs) & set(f.drugs)]
            if len(same) < 2:
                continue
            strictest = min(same, key=lambda g: (SEVERITIES.index(own[id(g)]), g is not f))
            ids = sorted({g.criterion["id"] for g in same})
            f.evidence["severity_basis"] = (
                f"같은 문제({problem['ko']})를 {len(ids)}개 기준이 다룸: {', '.join(ids)} — "
                f"가장 엄격한 {strictest.criterion['id']}의 "
                f"'{SEVERITY_KO[own[id(strictest)]]}'을 따름"
            )
            f.severity = own[id(strictest)]
    return findings
