#!/usr/bin/env bash
# Install the Debian packages gibon's tests and reports need, when they are missing.
# chromium: browser tests (Playwright drives /usr/bin/chromium; no browser download works here)
# chromium-l10n: Chromium's own controls (date fields, file button) in Korean in tests and screenshots
# fonts-nanum: Korean glyphs in the PDF medication reports (WeasyPrint)
# libpango-1.0-0 libpangoft2-1.0-0: WeasyPrint's text layout
set -euo pipefail
# axe-core (npm registry, pinned in tests/web/axe/package.json): accessibility checks in the crawl test.
axe="$(dirname "$0")/../tests/web/axe"
if [ ! -f "$axe/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null; then
  npm install --prefix "$axe" --no-audit --no-fund --silent || echo "axe-core not installed" >&2
fi
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/lib/chromium/locales/ko.pak ] || need+=(chromium-l10n)
fc-list :lang=ko 2>/dev/null | grep -q . || need+=(fonts-nanum)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} — install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 0
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
