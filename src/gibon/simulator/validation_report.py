"""The validation report: a Korean Markdown table and a chart of simulated against official."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from gibon.simulator import charts
from gibon.simulator.validation import Row

UNITS = {
    "share": "비율",
    "index": "지수",
    "ratio": "배",
    "persons": "명",
    "households": "가구",
    "won_year": "원/년",
}


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f} %"
    if unit == "index":
        return f"{value:.3f}"
    if unit == "ratio":
        return f"{value:.2f}배"
    if unit == "won_year":
        return f"{value / 1e12:,.2f}조원" if abs(value) >= 1e12 else f"{charts.won(int(value))}원"
    return f"{value:,.0f}{UNITS[unit]}"


def gap(row: Row) -> str:
    if row.gap is None:
        return "—"
    if row.unit == "share":
        return f"{row.gap * 100:+.1f}%p"
    if row.unit in ("index", "ratio"):
        return f"{row.gap:+.3f}"
    return f"{(row.relative_gap or 0) * 100:+.1f} %"


def tolerance(row: Row) -> str:
    if row.tolerance is None:
        return "—"
    if row.unit == "share":
        return f"±{row.tolerance * 100:.1f}%p"
    if row.unit in ("index", "ratio"):
        return f"±{row.tolerance:.3f}"
    return f"±{row.tolerance * 100:.0f} %"


def markdown(rows: Sequence[Row], deciles: Sequence[float], header: str) -> str:
    lines = [
        header,
        "",
        "| 지표 | 시뮬레이션 (±표준오차) | 공식 수치 | 기준 | 차이 | 허용 | 판정 | 출처 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        sim = f"{figure(r.simulated, r.unit)} (±{figure(r.se, r.unit)})"
        official = figure(r.official, r.unit) + (" (추정)" if r.status == "estimate" else "")
        lines.append(
            f"| {r.label} | {sim} | {official} | {r.year} | {gap(r)} | {tolerance(r)} "
            f"| {r.verdict} | {r.cite} |"
        )
    lines += [
        "",
        "소득 10분위 점유율 (균등화 처분가능소득, 시뮬레이션; 공식 분위 점유율은 아직 싣지 않음):",
        "",
    ]
    lines.append("| " + " | ".join(f"{k + 1}분위" for k in range(len(deciles))) + " |")
    lines.append("|" + "---|" * len(deciles))
    lines.append("| " + " | ".join(f"{d * 100:.1f} %" for d in deciles) + " |")
    return "\n".join(lines) + "\n"


def chart_svg(rows: Sequence[Row]) -> str:
    """Simulated ÷ official per row on a scale from 0 to 2 (1 = agreement), hand-written SVG."""
    shown = [r for r in rows if r.official]
    label_w, plot_w, row_h = 260, 360, 26
    x1 = label_w + plot_w / 2
    parts = [
        f'<line x1="{x1}" x2="{x1}" y1="24" y2="{30 + row_h * len(shown)}" stroke="#222"/>',
        f'<text x="{x1}" y="16" text-anchor="middle">1 = 공식 수치와 일치</text>',
    ]
    for i, r in enumerate(shown):
        ratio = min(max(r.simulated / (r.official or 1), 0.0), 2.0)
        y = 30 + i * row_h
        x = label_w + plot_w * ratio / 2
        left, width = min(x, x1), abs(x - x1)
        title = f"{r.label}: 시뮬레이션 {figure(r.simulated, r.unit)}, 공식 {figure(r.official, r.unit)}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
            f"{escape(r.label.split(' (')[0])}</text>"
            f'<rect x="{left:.1f}" y="{y + 3}" width="{max(width, 1.5):.1f}" height="16" '
            f'fill="{_color(r)}"><title>{escape(title)}</title></rect>'
            f'<text x="{label_w + plot_w + 6}" y="{y + 14}" class="val">×{ratio:.2f}</text>'
        )
    height = 40 + row_h * len(shown)
    return (
        f'<svg class="chart" viewBox="0 0 {label_w + plot_w + 60} {height}" role="img" '
        f'aria-label="시뮬레이션 기준선 ÷ 공식 수치" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="12" font-family="sans-serif"><title>시뮬레이션 기준선 ÷ 공식 수치</title>'
        f"{''.join(parts)}</svg>"
    )


def _color(row: Row) -> str:
    return {"허용 범위 안": "#2b8a3e", "허용 범위 밖": "#c92a2a"}.get(row.verdict, "#868e96")
