"""Server-side SVG charts of the crisis pages (no script, no CDN): horizontal bars, scaled to
the widest value, labelled in Korean, readable at 390 px (the viewBox scales to the page)."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

COLOURS = ("#1f5fa8", "#e07b00", "#2e7d32", "#8e24aa", "#c62828")


def bars(
    title: str,
    rows: list[tuple[str, list[int]]],
    series: list[str],
    unit: str = "",
) -> Markup:
    """One group of bars per row (one bar per series), with a legend and the values written."""
    top = max((v for _, vals in rows for v in vals), default=0) or 1
    label_w, bar_w, bar_h, gap = 110, 230, 14, 8
    group_h = bar_h * len(series) + gap
    legend_h = 22
    height = legend_h + group_h * len(rows) + 6
    out = [
        f'<svg class="chart" viewBox="0 0 {label_w + bar_w + 70} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    x = 0
    for i, name in enumerate(series):
        out.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>'
        )
        out.append(f'<text x="{x + 14}" y="13" font-size="11">{escape(name)}</text>')
        x += 16 + 12 * len(name) + 10
    for r, (label, vals) in enumerate(rows):
        y0 = legend_h + r * group_h
        mid = y0 + (bar_h * len(series)) / 2 + 4
        out.append(f'<text x="0" y="{mid:.0f}" font-size="11">{escape(label)}</text>')
        for i, v in enumerate(vals):
            w = max(bar_w * v / top, 1 if v else 0)
            y = y0 + i * bar_h
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)} {escape(series[i])} '
                f"{v:,}{escape(unit)}</title></rect>"
            )
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="10">'
                f"{v:,}{escape(unit)}</text>"
            )
    out.append("</svg>")
    return Markup("".join(out))
