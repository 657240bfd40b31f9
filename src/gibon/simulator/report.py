"""The run's outputs: an HTML report with charts and the dong map, tables as Parquet and CSV.

Every file is written atomically (a reader sees the old file or the new one, never half).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gibon.kit.files import ensure_writable_dir, write_atomic, write_text_atomic
from gibon.simulator import charts, chunk, groups
from gibon.simulator.result import Result
from gibon.web import dongmap

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"


def context(res: Result) -> dict[str, Any]:
    """Everything the report template shows: aggregates only, never a household."""
    costed = res.programs.filter(pl.col("kind").is_in(list(chunk.COSTED)))
    cost_rows = [
        (r["name_ko"], r["base_cost"], r["reform_cost"]) for r in costed.iter_rows(named=True)
    ]
    dec_rows = [
        (f"{r['decile']}분위", r["mean_gain_per_household"] or 0.0)
        for r in res.deciles.iter_rows(named=True)
    ]
    return {
        "meta": res.meta,
        "notices": res.notices,
        "totals": res.totals(),
        "cost_change": int(res.programs["change_cost"].sum()),
        "programs": list(res.programs.iter_rows(named=True)),
        "distribution": {k: v.as_dict() for k, v in res.distribution.items()},
        "deciles": list(res.deciles.iter_rows(named=True)),
        "groups": _groups(res),
        "cost_chart": charts.grouped_bars(cost_rows, title="프로그램별 월 비용 (현행 대 개혁안)"),
        "decile_chart": charts.column_bars(
            dec_rows, title="소득 10분위별 가구당 월 평균 이득 (원)", fmt=lambda v: f"{v:,.0f}"
        ),
        "dong_map": _dong_map(res),
        "type_labels": groups.HOUSEHOLD_TYPES,
        "dimension_labels": groups.DIMENSIONS,
        "won": charts.won,
    }


def _groups(res: Result) -> list[dict[str, Any]]:
    return list(res.groups.filter(pl.col("dimension") != "district").iter_rows(named=True))


def _dong_map(res: Result) -> str:
    """Households receiving a reform program (or any changed program) per dong, on the map."""
    changed = res.programs.filter(
        (pl.col("reform_recipients") != pl.col("base_recipients"))
        | (pl.col("reform_cost") != pl.col("base_cost"))
    )["program"].to_list()
    rows = res.breakdown.filter((pl.col("dimension") == "dong") & pl.col("program").is_in(changed))
    per_dong = rows.group_by("group").agg(pl.col("reform_recipients").sum())
    values = {g: float(v) for g, v in per_dong.iter_rows()}
    title = "동별 수급 가구 (개혁으로 달라진 프로그램)" if changed else "동별 수급 가구 (변화 없음)"
    return dongmap.render(values, title=title, fmt=lambda v: f"{v:,.0f}가구")


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["won"] = charts.won
    env.filters["pct"] = lambda v: f"{v * 100:.2f} %"
    return env


def render_html(res: Result) -> str:
    return environment().get_template("simulator/report_file.html").render(**context(res))


def write(res: Result, out: Path) -> list[Path]:
    """report.html, summary.json and every table as .parquet and .csv in ``out``."""
    ensure_writable_dir(out)
    written = []
    for name, table in res.tables().items():
        for ext, writer in (("parquet", table.write_parquet), ("csv", table.write_csv)):
            path = out / f"{name}.{ext}"
            write_atomic(path, lambda tmp, w=writer: w(tmp))  # type: ignore[misc]
            written.append(path)
    summary = {
        "meta": res.meta,
        "notices": res.notices,
        "totals": res.totals(),
        "cost_change": int(res.programs["change_cost"].sum()),
        "distribution": {k: v.as_dict() for k, v in res.distribution.items()},
    }
    write_text_atomic(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2))
    write_text_atomic(out / "report.html", render_html(res))
    return [*written, out / "summary.json", out / "report.html"]


def table_csv(table: pl.DataFrame) -> str:
    return table.write_csv()
