#!/usr/bin/env bash
# Install everything and start JupyterLab on examples/ (the Synth Studio sidebar is built in).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
exec "$VENV/bin/jupyter" lab --notebook-dir=examples "$@"
