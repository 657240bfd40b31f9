"""The text of a PDF as WeasyPrint writes it (Flate streams, hex glyph strings, ToUnicode maps),
so a test can check what a downloaded PDF says without a PDF library."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_TRIPLE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in _STREAM.findall(pdf):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _unicode(hexcode: bytes) -> str:
    return bytes.fromhex(hexcode.decode()).decode("utf-16-be", errors="replace")


def text(pdf: bytes) -> str:
    """Every glyph string of every page, mapped through the fonts' ToUnicode tables."""
    streams = _streams(pdf)
    glyphs: dict[bytes, str] = {}
    for s in streams:
        for block in _BFCHAR.findall(s):
            for code, uni in _PAIR.findall(block):
                glyphs[code.upper()] = _unicode(uni)
        for block in _BFRANGE.findall(s):
            for lo, hi, uni in _TRIPLE.findall(block):
                start, end, base = int(lo, 16), int(hi, 16), int(uni, 16)
                for i in range(end - start + 1):
                    glyphs[f"{start + i:0{len(lo)}X}".encode()] = chr(base + i)
    width = len(next(iter(glyphs), b"0000"))
    words = []
    for s in streams:
        if b"beginbfchar" in s or b"beginbfrange" in s:
            continue
        for run in _HEX.findall(s):
            code = run.upper()
            words.append(
                "".join(glyphs.get(code[i : i + width], "") for i in range(0, len(code), width))
            )
    return "".join(words)
