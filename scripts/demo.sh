#!/usr/bin/env bash
# Install everything, then run the example notebooks headless on real data; outputs land in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
"$PY" scripts/run_demo.py "$@"
