"""gibon.pharm: 스마트 방문약료 — a year of dispensings in, findings, a priority and a 약물안전리포트 out.

Public API (pure: no database, no web)::

    from gibon import pharm
    data = pharm.load(Path("patient.json"))        # JSON, CSV or FHIR R4 Bundle; InvalidInput on bad rows
    rv = pharm.review_patient(data)                # findings, metrics, priority (rv.to_dict() is the JSON)
    html = pharm.report_html(rv, "resident")       # or "pharmacist"; pharm.report_pdf(...) for PDF

The visit workflow (models, service, routes, pages) is the web adapter over the same engine.
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "load": ("gibon.pharm.inputs", "load"),
    "from_data": ("gibon.pharm.inputs", "from_data"),
    "review_patient": ("gibon.pharm.review", "review"),  # not "review": that is the submodule
    "Review": ("gibon.pharm.review", "Review"),
    "Finding": ("gibon.pharm.findings", "Finding"),
    "report_html": ("gibon.pharm.report", "html"),
    "report_pdf": ("gibon.pharm.report", "pdf"),
}


def __getattr__(name: str) -> Any:
    # Imported on first use: the CLI and the web app load only what they need.
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'gibon.pharm' has no attribute {name!r}")


__all__ = sorted(_LAZY)
