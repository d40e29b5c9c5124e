#!/usr/bin/env bash
# Create .venv and install Synth Studio with its test tools. Idempotent: a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if ! command -v python3.11 >/dev/null 2>&1 && ! python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  echo "Synth Studio needs Python 3.11 (the CPU build of torch 2.13.0 is made for it)." >&2
  exit 1
fi
PYTHON=$(command -v python3.11 || command -v python3)
[ -x "$PY" ] || "$PYTHON" -m venv "$VENV"

stamp="$VENV/.synthstudio-installed"
inputs=$(ls pyproject.toml requirements/constraints.txt package.json yarn.lock 2>/dev/null || true)
want=$(cat $inputs | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
"$PY" -m pip install -q --upgrade "pip>=24"
# torch first: the CPU build on disk. A bare 'torch' would pull a multi-GB CUDA build.
"$PY" -m pip install -q "torch==2.13.0"
"$PY" -m pip install -q -c requirements/constraints.txt -e ".[test]"
echo "$want" > "$stamp"
