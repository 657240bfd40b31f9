"""The day page's stop list and map, rendered once per (revision, professional, actions recorded).

Fifty professionals open the day at the same moment, each reading the same stops again and
again. What the list shows depends only on the plan revision (a stored plan never changes; a
re-plan is a new row), on whose route it is, and on the actions recorded on it, all three read
from the database on every opening: so the key names all three, an action or a re-plan makes a
new key, and nothing stale can be served. What must differ on every opening is filled in per
request: each form's fresh idempotency key (a reused one would answer the next action as a
duplicate) and the viewer's own CSRF token.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from html import escape
from uuid import uuid4

from markupsafe import Markup
from sqlalchemy.orm import Session

from gibon.visits import field, labels
from gibon.web import dongmap
from gibon.web.deps import templates

_KEY = "\x00form-key\x00"  # cannot occur in escaped page text
_CSRF = "\x00csrf-field\x00"
_SIZE = 512  # professionals x revisions a worker keeps

Key = tuple[object, ...]
_RENDERED: OrderedDict[Key, tuple[list[str], str]] = OrderedDict()
_GUARD = threading.Lock()


def stops(
    db: Session, view: field.DayView, csrf_field: Callable[[], Markup]
) -> tuple[Markup, Markup]:
    """The stop list (with fresh form keys and this viewer's CSRF field) and the map. The CSRF
    field is asked for only when there is a form to put it in (asking creates the token)."""
    parts, svg = _cached(db, view)
    fresh = [parts[0]]
    for part in parts[1:]:
        fresh.append(uuid4().hex)
        fresh.append(part)
    html = "".join(fresh)
    if len(parts) > 1:
        html = html.replace(_CSRF, str(csrf_field()))
    return Markup(html), Markup(svg)


def _key(db: Session, view: field.DayView) -> Key:
    url = str(db.get_bind().engine.url)
    return (url, view.plan.id, view.plan.created_at, view.professional, tuple(view.events))


def _cached(db: Session, view: field.DayView) -> tuple[list[str], str]:
    key = _key(db, view)
    with _GUARD:
        found = _RENDERED.get(key)
        if found is not None:
            _RENDERED.move_to_end(key)
            return found
    html = templates.env.get_template("visits/_stops.html").render(
        view=view,
        reasons=labels.MISS_REASONS,
        new_key=lambda: _KEY,
        csrf_field=lambda: Markup(_CSRF),
    )
    made = (html.split(_KEY), stops_map(view) if view.stops else "")
    with _GUARD:
        _RENDERED[key] = made
        while len(_RENDERED) > _SIZE:
            _RENDERED.popitem(last=False)
    return made


def stops_map(view: field.DayView) -> str:
    """The day's stops numbered on the dong map, zoomed to the route (inline SVG, no tiles)."""
    proj = dongmap.projection()
    base = proj.xy(*view.base)
    points = [proj.xy(s.lat, s.lon) for s in view.stops]
    xs, ys = zip(*[base, *points], strict=True)
    pad = max(40.0, (max(xs) - min(xs)) * 0.12, (max(ys) - min(ys)) * 0.12)
    x0, y0 = min(xs) - pad, min(ys) - pad
    w, h = max(xs) - x0 + pad, max(ys) - y0 + pad
    r = max(w, h) / 28
    dongs = "".join(
        f'<path d="{d}" fill="#f4f4f4" stroke="#777" vector-effect="non-scaling-stroke"/>'
        for d in dongmap.dong_paths().values()
    )
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in [base, *points, base])
    marks = "".join(
        f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#0b3d91" stroke="#fff" '
        f'stroke-width="{r / 6:.1f}"/><text x="{x:.1f}" y="{y + r * 0.38:.1f}" '
        f'font-size="{r * 1.1:.1f}" text-anchor="middle" fill="#fff" font-weight="700">'
        f"{s.number}</text><title>{s.number}. {escape(s.name)}</title></g>"
        for s, (x, y) in zip(view.stops, points, strict=True)
    )
    home = (
        f'<rect x="{base[0] - r * 0.8:.1f}" y="{base[1] - r * 0.8:.1f}" width="{r * 1.6:.1f}" '
        f'height="{r * 1.6:.1f}" fill="#b00020"><title>출발지</title></rect>'
    )
    return (
        f'<svg class="stops-map" viewBox="{x0:.1f} {y0:.1f} {w:.1f} {h:.1f}" role="img" '
        f'aria-label="오늘 방문 순서 지도 ({len(view.stops)}곳)" xmlns="http://www.w3.org/2000/svg">'
        f'{dongs}<polyline points="{line}" fill="none" stroke="#0b3d91" stroke-width="3" '
        f'vector-effect="non-scaling-stroke" stroke-dasharray="6 4"/>{home}{marks}</svg>'
    )
