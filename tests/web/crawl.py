"""What a new user reading gibon's pages must never see, found by walking the pages in Chromium.

Used by tests/web/test_crawl.py and runnable by hand against a running server:
``PYTHONPATH=src:. python -m tests.web.crawl http://127.0.0.1:8000``.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import gibon
from tests.browser import launch_chromium

ROLES = ("admin", "district", "sillim", "doctor", "pharmacist", "provider", "analyst")

# Words that are English on purpose: names of things, units, formats, abbreviations used in
# Korean offices, and the licences credited in the footer.
ALLOWED_ENGLISH = re.compile(
    r"gibon|SGIS|CC BY[\d. ]*|Apache-2\.0|vuski/admdongkor|Seoul|Gwanak|PDF|CSV|Excel|xlsx|"
    r"YAML|FHIR|JSON|API|ADL|IADL|K-ADL|K-IADL|eGFR|CrCl|PHQ-\d|KDIGO|Beers|STOPP|START|"
    r"OR-Tools|PyVRP|OpenStreetMap|OSRM|Cockcroft-Gault|CKD-EPI|ATC|DUR|HIRA|NHIS|KST|GIS|"
    r"mg|mL|kg|km|min|h|g|L|dL|m|cm|x",
)
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){2,}\b")
KEY_VALUE = re.compile(r"\b[a-z_]{2,}=\S")
PY_REPR = re.compile(r"\[\s*'[^']*'|\{\s*'[^']*'\s*:|\(\s*'[^']*',")
UNICODE_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}")
PY_CONSTANT = re.compile(r"(?<![A-Za-z_])(None|True|False)(?![A-Za-z_])")
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\d\d:\d\d(:\d\d)?\s*(UTC|\+00:00|Z\b)")


def gibon_enum_values() -> frozenset[str]:
    """Every code value of gibon's own enums that looks like a code (has an underscore)."""
    for info in pkgutil.walk_packages(gibon.__path__, "gibon."):
        if ".migrations" in info.name or info.name.endswith(("server_cli", "__main__")):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:
            continue
    values: set[str] = set()
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith("gibon."):
            continue
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, enum.Enum)
                and obj.__module__ == module.__name__
            ):
                values.update(str(m.value) for m in obj if "_" in str(m.value))
    return frozenset(values)


@dataclass
class Finding:
    url: str
    role: str
    kind: str
    text: str

    def __str__(self) -> str:
        return f"[{self.role}] {self.url}: {self.kind}: {self.text!r}"


@dataclass
class Report:
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# Visible text without <code>, <pre>, <cite> (a source named in its own language), scripts,
# styles and hidden elements.
VISIBLE_TEXT_JS = """() => {
  const skip = new Set(['CODE','PRE','CITE','SCRIPT','STYLE','NOSCRIPT','TEMPLATE','KBD','SAMP']);
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE || skip.has(node.tagName)) return;
    const style = getComputedStyle(node);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    if (node.tagName === 'SELECT') { out.push(' '); }
    for (const child of node.childNodes) walk(child);
    out.push('\\n');
  };
  walk(document.body);
  const attrs = [...document.querySelectorAll('[title],[placeholder],[aria-label]')]
    .map(e => [e.getAttribute('title'), e.getAttribute('placeholder'), e.getAttribute('aria-label')].join('\\n'));
  return out.join('') + '\\n' + attrs.join('\\n');
}"""


def problems_in(text: str, enum_values: frozenset[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        cleaned = ALLOWED_ENGLISH.sub(" ", line)
        for kind, pattern in (
            ("English sentence", ENGLISH_SENTENCE),
            ("key=value", KEY_VALUE),
            ("Python repr", PY_REPR),
            ("\\uXXXX escape", UNICODE_ESCAPE),
            ("None/True/False", PY_CONSTANT),
            ("UTC timestamp", UTC_TIME),
        ):
            match = pattern.search(cleaned if kind == "English sentence" else line)
            if match:
                found.append((kind, line[:160]))
        for word in re.findall(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", line):
            if word in enum_values:
                found.append(("raw enum value", f"{word} in {line[:120]}"))
    return found


AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""


def accessibility(page: Any, axe_source: str | None) -> list[str]:
    """Serious or critical axe-core violations on the loaded page (axe from npm, not a CDN)."""
    if not axe_source:
        return []
    page.add_script_tag(content=axe_source)
    found: list[str] = page.evaluate(AXE_RUN)
    return found


def check_page(
    page: Any, url: str, who: str, enum_values: frozenset[str], axe_source: str | None
) -> list[Finding]:
    """Every rule on the page now loaded in ``page``."""
    out = [
        Finding(url, who, kind, snippet)
        for kind, snippet in problems_in(page.evaluate(VISIBLE_TEXT_JS), enum_values)
    ]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        out.append(Finding(url, who, "horizontal scroll at 390 px", f"{overflow}px"))
    out.extend(Finding(url, who, "accessibility", v) for v in accessibility(page, axe_source))
    return out


ERROR_PAGE = 99  # a page asked for on purpose (a bad id): not counted against its kind's bound


def sign_in(page: Any, base: str, username: str) -> None:
    from gibon.demo import DEMO_PASSWORD

    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


# An <a> inside an SVG (a dong map's link) has an SVGAnimatedString for .href: resolve its
# attribute against the page instead.
HREFS = (
    "els => els.map(e => typeof e.href === 'string' ? e.href"
    " : new URL(e.getAttribute('href'), document.baseURI).href)"
)


def same_site(base: str, href: str) -> bool:
    return urlsplit(href).netloc == urlsplit(base).netloc


SKIP_PATHS = re.compile(
    r"/logout|/static/|\.(pdf|ics|csv|xlsx|yaml|json)(\?|$)|format=(pdf|csv|xlsx)|/export|/api/|/docs|/openapi"
)


def crawl_role(
    context: Any,
    base: str,
    role: str | None,
    enum_values: frozenset[str],
    limit: int = 60,
    extra: tuple[str, ...] = (),
    axe_source: str | None = None,
) -> Report:
    """Sign in as ``role``, visit its menu and the pages linked from them (at most ``limit``)."""
    report = Report()
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    if role:
        sign_in(page, base, role)
    page.goto(base + "/")
    menu = [
        urljoin(base, h)
        for h in page.eval_on_selector_all(
            "header nav a", "els => els.map(e => e.getAttribute('href'))"
        )
    ]
    queue: deque[tuple[str, int]] = deque(
        [*((base + p, ERROR_PAGE) for p in extra), *((u, 0) for u in [base + "/", *menu])]
    )
    seen: set[str] = set()
    per_prefix: dict[str, int] = {}
    who = role or "visitor"
    while queue and len(report.visited) < limit:
        url, depth = queue.popleft()
        key = url.split("#")[0]
        if key in seen or SKIP_PATHS.search(urlsplit(key).path + "?" + urlsplit(key).query):
            continue
        # Bound lists of similar pages (one case, one plan, one page of a list is like the next).
        prefix = re.sub(r"\d+", "N", urlsplit(key).path) + ("?" if urlsplit(key).query else "")
        if depth != ERROR_PAGE and per_prefix.get(prefix, 0) >= 3:
            continue
        per_prefix[prefix] = per_prefix.get(prefix, 0) + 1
        seen.add(key)
        try:
            response = page.goto(key, timeout=120_000)
        except Exception as exc:
            if "Download is starting" in str(exc):
                continue
            raise
        report.visited.append(key)
        if response is not None and response.status >= 500:
            report.findings.append(Finding(key, who, "server error", str(response.status)))
        content_type = response.headers.get("content-type", "") if response else ""
        if "json" in content_type:
            report.findings.append(Finding(key, who, "raw JSON instead of a page", key))
        if "html" not in content_type:
            continue
        report.findings.extend(check_page(page, key, who, enum_values, axe_source))
        if depth < 2:  # the menu and the pages linked from it
            for href in page.eval_on_selector_all("main a[href]", HREFS):
                if same_site(base, href):
                    queue.append((href.split("#")[0], depth + 1))
    page.close()
    return report


def main(base: str, roles: tuple[str, ...] = ROLES) -> int:
    from playwright.sync_api import sync_playwright

    enum_values = gibon_enum_values()
    axe_source = AXE.read_text(encoding="utf-8") if AXE.exists() else None
    total = 0
    with sync_playwright() as pw:
        browser = launch_chromium(pw, ["--no-sandbox"])
        for role in (None, *roles):
            context = browser.new_context(locale="ko-KR")
            report = crawl_role(context, base, role, enum_values, axe_source=axe_source)
            for finding in report.findings:
                print(finding)
            print(
                f"# {role or 'visitor'}: {len(report.visited)} pages, {len(report.findings)} findings"
            )
            total += len(report.findings)
            context.close()
        browser.close()
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], tuple(sys.argv[2:]) or ROLES))
