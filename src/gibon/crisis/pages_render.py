"""The quality report as a standalone HTML file (for ``gibon crisis quality --format html``)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from gibon.web.deps import TEMPLATES_DIR


def quality_html(report: dict[str, Any]) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"])
    )
    return env.get_template("crisis/quality_file.html").render(report=report)
