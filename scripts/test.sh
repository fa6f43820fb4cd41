#!/usr/bin/env bash
# Installs the test tools (and Debian's chromium) and runs every test, browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/python -m pytest -q "$@"
