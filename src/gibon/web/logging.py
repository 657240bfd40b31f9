"""The server's logs carry no personal data: no query strings, no resident or phone numbers.

Query strings may hold a name, a resident number or a search (``/care?q=…`` from an old
bookmark), so the access log writes the path only; any resident-number- or phone-shaped digits
left in a path or a message are masked. ``gibon serve`` passes ``LOG_CONFIG`` to uvicorn.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

RRN = re.compile(r"(?<!\d)\d{6}[-\s]?[1-8]\d{6}(?!\d)")
PHONE = re.compile(r"(?<!\d)0\d{1,2}[-\s.]?\d{3,4}[-\s.]?\d{4}(?!\d)")
MASK = "[가림]"


def redact(text: str) -> str:
    return PHONE.sub(MASK, RRN.sub(MASK, text))


def path_only(target: str) -> str:
    """``/care?q=...`` -> ``/care?…``: the path, and whether a query string was there."""
    path, _, query = target.partition("?")
    return redact(path) + ("?…" if query else "")


class PrivateDataFilter(logging.Filter):
    """Drops query strings from uvicorn's access lines and masks numbers in every message."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, target, version, status = args
            record.args = (client, method, path_only(str(target)), version, status)
            return True
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with ``PrivateDataFilter`` on every handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["private"] = {"()": PrivateDataFilter}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("private")
    return config


LOG_CONFIG = log_config()
