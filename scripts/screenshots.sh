#!/usr/bin/env bash
# Refresh the README's screenshots (docs/screenshots/) from the browser test that takes them
# (tests/ui/test_panels.py: every panel and the sidebar in Light and Dark, checked by axe-core).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
./scripts/setup.sh
bash scripts/chromium.sh
[ -f node_modules/axe-core/axe.min.js ] || CI=true node .yarn/releases/yarn-3.5.0.cjs install
SYNTHSTUDIO_UPDATE_SCREENSHOTS=1 "$PY" -m pytest tests/ui/test_panels.py -q "$@"
ls -l docs/screenshots/
