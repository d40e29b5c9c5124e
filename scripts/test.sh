#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, types, jest, pytest (unit, integration,
# notebooks under nbval, PostgreSQL ledger, Spark tables, browser tests in headless Chromium).
# Every stage runs; the script fails at the end if any stage failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

failed=()
stage() {
  local name=$1
  shift
  echo "== $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}
YARN=(node .yarn/releases/yarn-3.5.0.cjs)

stage "ruff lint" "$VENV/bin/ruff" check synthstudio_kernel tests benchmarks scripts
stage "ruff format" "$VENV/bin/ruff" format --check synthstudio_kernel tests benchmarks scripts
stage "mypy (core)" "$VENV/bin/mypy"
stage "yarn install" env CI=true "${YARN[@]}" install --immutable
stage "jest (sidebar logic)" "${YARN[@]}" test --ci

echo "== Java and pyspark (the Spark tables tests)"
bash scripts/spark.sh
echo "== Chromium (Debian's, for the browser tests)"
bash scripts/chromium.sh
echo "== PostgreSQL (throwaway server on 127.0.0.1 for the ledger tests)"
eval "$(bash scripts/postgres.sh)"
trap 'bash scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT

stage "pytest" "$PY" -m pytest tests examples --nbval-lax -p no:cacheprovider "$@"

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "All stages passed."
