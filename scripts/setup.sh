#!/usr/bin/env bash
# Installs the project into .venv (pinned versions from pyproject.toml). Idempotent.
# Usage: bash scripts/setup.sh [test]   — "test" adds the test tools and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extra=""
[ "${1:-}" = "test" ] && extra="[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
# Browser tests: Debian's chromium; print tests: pdftoppm (poppler-utils) and zbarimg (zbar-tools);
# accessibility and HTML checks: npm (fetches the pinned axe-core and vnu-jar into .cache/npm on
# first use, see tests/conftest.py) and java (runs vnu.jar).
if [ "${1:-}" = "test" ]; then
  missing=""
  command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null || missing="$missing chromium"
  command -v pdftoppm >/dev/null || missing="$missing poppler-utils"
  command -v zbarimg >/dev/null || missing="$missing zbar-tools"
  command -v npm >/dev/null || missing="$missing nodejs npm"
  command -v java >/dev/null || missing="$missing default-jre-headless"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "Cài gói Debian cho kiểm thử:$missing"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "Cần các gói Debian cho kiểm thử: sudo apt-get install$missing" >&2
      exit 1
    fi
  fi
fi
