#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, types, pytest (unit, integration,
# notebooks under nbval, PostgreSQL ledger, browser tests in headless Chromium) and jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== ruff"
"$VENV/bin/ruff" check synthstudio_kernel tests benchmarks scripts
"$VENV/bin/ruff" format --check synthstudio_kernel tests benchmarks scripts
echo "== mypy (core)"
"$VENV/bin/mypy"

echo "== pytest"
"$PY" -m pytest tests examples --nbval-lax -p no:cacheprovider "$@"
