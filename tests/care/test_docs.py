"""docs/care.md stays true: every care and audit API path is documented, and nothing else is."""

from __future__ import annotations

import re
from pathlib import Path

from gibon.app import create_app
from gibon.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "care.md"
CARE = re.compile(r"^/api/(cases|conferences|providers|referrals|followups|audit)\b")


def _normal(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_care_api_path_is_in_docs_and_every_documented_path_exists(tmp_path):
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_key_file=tmp_path / "k")
    )
    served = {_normal(p) for p in app.openapi()["paths"] if CARE.match(p)}
    documented = {
        _normal(p) for p in re.findall(r"`(/api/[^`\s]+)`", DOC.read_text(encoding="utf-8"))
    }
    documented = {p for p in documented if CARE.match(p)}
    assert served - documented == set(), "undocumented"
    assert documented - served == set(), "documented but not served"
