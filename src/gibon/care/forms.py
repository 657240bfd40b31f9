"""HTML forms: flat field names -> nested data -> the API's pydantic schemas, errors in Korean.

A field named ``data.adl.dressing`` fills ``{"data": {"adl": {"dressing": ...}}}``; the same
dotted path names the error, so each message is shown next to its own field.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from gibon.errors import GibonError
from gibon.kit import problems
from gibon.web import csrf

M = TypeVar("M", bound=BaseModel)


def korean(error: dict[str, Any]) -> str:
    """One translator for the whole app (gibon.kit.problems)."""
    return problems.message(error)


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1, "a.c.0.d": 2}`` -> ``{"a": {"b": 1, "c": [{"d": 2}]}}`` (empty values dropped)."""
    root: dict[str, Any] = {}
    for key, value in flat.items():
        if value in ("", None):
            continue
        node: Any = root
        parts = key.split(".")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt: Any = value if last else ([] if parts[i + 1].isdigit() else {})
            if isinstance(node, list):
                idx = int(part)
                while len(node) <= idx:
                    node.append(None)
                node[idx] = nxt if node[idx] is None or last else node[idx]
                node = node[idx]
            else:
                node = (
                    node.setdefault(part, nxt) if not last else node.__setitem__(part, nxt) or nxt
                )
    nested: dict[str, Any] = _compact(root)
    return nested


def _compact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value if v is not None]
    return value


def flatten(form: FormData, lists: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Last value wins (a hidden ``false`` before a checkbox); ``lists`` fields split by line."""
    out: dict[str, Any] = {}
    for key in form:
        if key == csrf.FIELD:  # checked before the handler runs; not part of any schema
            continue
        value = form.getlist(key)[-1]
        if isinstance(value, str):
            value = value.strip()
            if key in lists:
                out[key] = [v.strip() for v in value.replace(",", "\n").splitlines() if v.strip()]
                continue
        out[key] = value
    return out


def parse(model: type[M], flat: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    try:
        return model.model_validate(nest(flat)), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"]) or "_form"
            errors.setdefault(where, korean(e))  # type: ignore[arg-type]
        return None, errors


def from_error(exc: GibonError) -> dict[str, str]:
    message = exc.message + (
        f" (예: {exc.example})" if exc.example and exc.where != "version" else ""
    )
    return {exc.where or "_form": message, "_form": exc.message}
