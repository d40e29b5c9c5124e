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

YARN=(node .yarn/releases/yarn-3.5.0.cjs)
echo "== jest (sidebar logic)"
CI=true "${YARN[@]}" install --immutable >/dev/null
"${YARN[@]}" test --ci

echo "== Chromium (Debian's, for the browser tests)"
bash scripts/chromium.sh

echo "== PostgreSQL (throwaway server on 127.0.0.1 for the ledger tests)"
eval "$(bash scripts/postgres.sh)"
trap 'bash scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT

echo "== pytest"
"$PY" -m pytest tests examples --nbval-lax -p no:cacheprovider "$@"
