#!/usr/bin/env bash
# Create .venv and install Synth Studio with its test tools. Idempotent: a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if ! command -v python3.11 >/dev/null 2>&1 && ! python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  echo "Synth Studio needs Python 3.11 (the CPU build of torch 2.13.0 is made for it)." >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  echo "Synth Studio builds its JupyterLab sidebar with Node.js >= 20.19; install it first (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
PYTHON=$(command -v python3.11 || command -v python3)
[ -x "$PY" ] || "$PYTHON" -m venv "$VENV"

stamp="$VENV/.synthstudio-installed"
inputs=$(ls pyproject.toml requirements/constraints.txt package.json yarn.lock 2>/dev/null || true)
want=$( (cat $inputs; find labextension/src labextension/style -type f -exec cat {} + 2>/dev/null) | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
# The build hook skips an existing build: drop it so that changed sidebar sources are rebuilt.
rm -rf synthstudio_kernel/labextension
"$PY" -m pip install -q --upgrade "pip>=24"
# torch first: the CPU build on disk. A bare 'torch' would pull a multi-GB CUDA build.
"$PY" -m pip install -q "torch==2.13.0"
"$PY" -m pip install -q -c requirements/constraints.txt -e ".[test]"
echo "$want" > "$stamp"
