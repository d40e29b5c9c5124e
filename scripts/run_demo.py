"""Run the example notebooks headless; they write synthetic data and reports to out/.

The demo uses its own privacy ledger (out/state/), reset on each run, so that
running it again does not spend a real dataset's budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ["quickstart.ipynb", "dp_walkthrough.ipynb", "compliance.ipynb"]  # compliance writes out/compliance/


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="output folder (default: out/)")
    parser.add_argument("notebooks", nargs="*", default=NOTEBOOKS, help="notebooks under examples/ to run")
    args = parser.parse_args()

    out = args.out.resolve()
    state = out / "state"
    shutil.rmtree(state, ignore_errors=True)
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    os.environ["SYNTHSTUDIO_HOME"] = str(state)
    os.environ["SYNTHSTUDIO_OUT_DIR"] = str(out)

    for name in args.notebooks:
        path = ROOT / "examples" / name
        if not path.exists():
            print(f"skipping {name}: not found", file=sys.stderr)
            continue
        started = time.perf_counter()
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        nbformat.write(notebook, out / "notebooks" / name)
        print(f"ran {name} in {time.perf_counter() - started:.1f}s")

    print(f"\nOutputs in {out}:")
    for item in sorted(p for p in out.rglob("*") if p.is_file() and state not in p.parents):
        print(f"  {item.relative_to(out)}  ({item.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
