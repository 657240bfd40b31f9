"""Hand-written SVG charts (no script, no CDN): grouped bars by program and bars by decile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

BASE_COLOUR = "#9ecae1"
REFORM_COLOUR = "#08519c"


def won(v: float) -> str:
    """Compact Korean amount: 억 above 100 million won, 만 above ten thousand."""
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.1f}억"
    if abs(v) >= 1e4:
        return f"{v / 1e4:,.0f}만"
    return f"{v:,.0f}"


def grouped_bars(
    rows: Sequence[tuple[str, float, float]], *, title: str, fmt: Callable[[float], str] = won
) -> str:
    """Horizontal bars, baseline and reform for each label."""
    label_w, bar_w, row_h = 170, 380, 34
    top = max([max(b, r) for _, b, r in rows] + [1.0])
    height = 40 + row_h * len(rows)
    parts = [_legend(label_w)]
    for i, (label, base, reform) in enumerate(rows):
        y = 34 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
        )
        for j, (value, colour) in enumerate(((base, BASE_COLOUR), (reform, REFORM_COLOUR))):
            w = bar_w * max(value, 0) / top
            yy = y + j * 13
            parts.append(
                f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="12" fill="{colour}">'
                f"<title>{escape(label)}: {fmt(value)}</title></rect>"
                f'<text x="{label_w + w + 4:.1f}" y="{yy + 10}" class="val">{fmt(value)}</text>'
            )
    return _svg(title, label_w + bar_w + 90, height, "".join(parts))


def _legend(x: int) -> str:
    return (
        f'<rect x="{x}" y="6" width="12" height="12" fill="{BASE_COLOUR}"/>'
        f'<text x="{x + 16}" y="16">현행</text>'
        f'<rect x="{x + 70}" y="6" width="12" height="12" fill="{REFORM_COLOUR}"/>'
        f'<text x="{x + 86}" y="16">개혁안</text>'
    )


def column_bars(
    rows: Sequence[tuple[str, float]], *, title: str, fmt: Callable[[float], str] = won
) -> str:
    """Vertical bars that may be negative (gain by decile), zero line drawn."""
    width, plot_h, col_w = 600, 200, 600 / max(len(rows), 1)
    low = min([v for _, v in rows] + [0.0])
    high = max([v for _, v in rows] + [0.0])
    span = (high - low) or 1.0
    zero = 20 + plot_h * high / span
    parts = [f'<line x1="0" x2="{width}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#555"/>']
    for i, (label, value) in enumerate(rows):
        h = plot_h * abs(value) / span
        y = zero - h if value >= 0 else zero
        x = i * col_w + col_w * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{REFORM_COLOUR}"><title>{escape(label)}: {fmt(value)}</title></rect>'
            f'<text x="{x + col_w * 0.35:.1f}" y="{plot_h + 40}" text-anchor="middle">'
            f"{escape(label)}</text>"
            f'<text x="{x + col_w * 0.35:.1f}" y="{(y - 4) if value >= 0 else (y + h + 12):.1f}" '
            f'text-anchor="middle" class="val">{fmt(value)}</text>'
        )
    return _svg(title, width, plot_h + 50, "".join(parts))


def _svg(title: str, width: float, height: float, body: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="12" font-family="sans-serif"><title>{escape(title)}</title>{body}</svg>'
    )
