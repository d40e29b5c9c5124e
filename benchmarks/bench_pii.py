"""PII scan speed and accuracy: prints a markdown table.

    python benchmarks/bench_pii.py [--rows 1000000] [--repeat 3]

"cold" runs in a fresh Python process and includes importing presidio and building the
engine; "warm" is a second scan in the same process (median of --repeat). Targets (issue 3):
adult ≤ 3 s, a 1,000,000-row frame ≤ 15 s, customer_data column precision/recall ≥ 0.95.
Timings on a shared machine are pessimistic.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.pii import scan_pii

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "customer_data.labels.json"

_COLD = """
import time, sys
from synthstudio_kernel.data import load_sample
frame = load_sample({name!r})
t = time.perf_counter()
import synthstudio_kernel as ss
ss.scan_pii(frame)
print(time.perf_counter() - t)
"""


def cold_seconds(name: str) -> float:
    out = subprocess.run([sys.executable, "-c", _COLD.format(name=name)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def warm_seconds(frame: pd.DataFrame, repeat: int) -> tuple[float, object]:
    times, report = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        report = scan_pii(frame)
        times.append(time.perf_counter() - start)
    return statistics.median(times), report


def million_rows(n: int) -> pd.DataFrame:
    """customer_data tiled to ``n`` rows, with id and email made unique again."""
    base = load_sample("customer_data")
    reps = -(-n // len(base))
    frame = pd.concat([base] * reps, ignore_index=True).iloc[:n].copy()
    frame["id"] = np.arange(1, n + 1)
    frame["email"] = [f"user{i}@example.com" for i in range(n)]
    frame["amount"] = np.random.default_rng(0).lognormal(4, 1, size=n).round(2)
    return frame


def precision_recall(report: object) -> tuple[float, float]:
    labels = json.loads(LABELS.read_text())
    predicted = {v.column: v.entity for v in report}  # type: ignore[attr-defined]
    detected = [c for c, e in predicted.items() if e]
    hits = [c for c in detected if labels.get(c) == predicted[c]]
    return len(hits) / max(len(detected), 1), len([c for c in labels if predicted.get(c) == labels[c]]) / len(labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = []
    for name in ("adult", "customer_data", "german_credit", "insurance"):
        frame = load_sample(name)
        cold = cold_seconds(name)
        warm, report = warm_seconds(frame, args.repeat)
        extra = ""
        if name == "customer_data":
            p, r = precision_recall(report)
            extra = f"precision {p:.2f}, recall {r:.2f}"
        rows.append((name, f"{len(frame):,} × {frame.shape[1]}", cold, warm, report, extra))

    big = million_rows(args.rows)
    warm, report = warm_seconds(big, 1)
    rows.append(("customer_data tiled + unique id/email", f"{len(big):,} × {big.shape[1]}", None, warm, report, ""))
    adult = load_sample("adult")
    tiled = pd.concat([adult] * -(-args.rows // len(adult)), ignore_index=True).iloc[: args.rows]
    warm, tiled_report = warm_seconds(tiled, 1)
    rows.append(("adult tiled", f"{len(tiled):,} × {tiled.shape[1]}", None, warm, tiled_report, ""))

    print("| table | rows × cols | cold s | warm s | direct | quasi | rows sampled / column | notes |")
    print("|---|---|---|---|---|---|---|---|")
    for name, shape, cold, warm, report, extra in rows:
        cold_text = f"{cold:.2f}" if cold is not None else "—"
        print(
            f"| {name} | {shape} | {cold_text} | {warm:.2f} | {len(report.direct)} | {len(report.quasi)} | "  # type: ignore[attr-defined]
            f"{report.rows_sampled:,} | {extra} |"  # type: ignore[attr-defined]
        )
    print()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); {report.confidence_statement()}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
