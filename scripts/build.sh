#!/usr/bin/env bash
# Installs what the portal needs and builds it from data/ into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m generator build
