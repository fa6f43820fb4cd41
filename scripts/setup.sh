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
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Cài chromium (Debian) cho các kiểm thử trình duyệt…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Cần chromium cho kiểm thử trình duyệt: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
