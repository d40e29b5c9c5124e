"""Profiling speed: Synth Studio's profile() vs ydata-profiling (minimal mode), and import cost.

Run:  python benchmarks/bench_profile.py [--rows 1000000] [--ydata-big-rows 100000] [--repeat 3]

Prints markdown tables:
1. profile time on adult (32,561 x 15) and on a synthetic mixed 1,000,000 x 20 frame
   (first call in the process, which includes importing scikit-learn, and the best of
   ``--repeat`` warm calls), beside ydata-profiling minimal mode on the same frames
   (``--ydata-big-rows N`` runs ydata on an N-row subsample of the big frame instead);
2. import time of ``import synthstudio_kernel`` and of ``%load_ext synthstudio_kernel``
   in fresh subprocesses, and whether torch / sdv / presidio / ydata_profiling got imported.

Figures depend on the machine and its load; on a shared 2-core box they are pessimistic.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

HEAVY = ["torch", "sdv", "presidio_analyzer", "ydata_profiling"]
TARGETS = {"adult": 2.0, "mixed": 20.0}


def make_mixed_frame(rows: int = 1_000_000, seed: int = 0) -> pd.DataFrame:
    """20 columns: 9 numeric (skewed, correlated, with missing values), 2 integer,
    6 categorical (3 to 300 levels, one with missing values), a boolean, a datetime and a
    string identifier."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=rows)
    income = np.exp(rng.normal(10, 0.8, size=rows))
    income[rng.random(rows) < 0.05] = np.nan
    levels = {
        n: np.array([f"{n}_{i:03d}" for i in range(k)], dtype=object)
        for n, k in [("region", 5), ("segment", 3), ("product", 12), ("channel", 7), ("city", 300), ("plan", 4)]
    }

    def pick(name: str, weights_power: float = 1.0) -> np.ndarray:
        k = len(levels[name])
        p = 1.0 / np.arange(1, k + 1) ** weights_power
        return levels[name][rng.choice(k, size=rows, p=p / p.sum())]

    region = pick("region")
    plan = pick("plan")
    plan[rng.random(rows) < 0.1] = None
    frame = pd.DataFrame(
        {
            "customer_id": np.char.add("C", np.arange(rows).astype(str)).astype(object),
            "age": rng.integers(18, 90, size=rows),
            "income": income,
            "score": base,
            "score_linked": 2.0 * base + rng.normal(0, 0.3, size=rows),
            "balance": rng.gamma(2.0, 1500.0, size=rows),
            "tenure_months": rng.poisson(30, size=rows),
            "visits": rng.negative_binomial(2, 0.3, size=rows).astype(float),
            "rating": rng.uniform(1, 5, size=rows).round(1),
            "latency_ms": rng.lognormal(3, 1, size=rows),
            "temperature": rng.normal(20, 5, size=rows),
            "discount": np.where(rng.random(rows) < 0.7, 0.0, rng.uniform(0, 0.5, size=rows)),
            "region": region,
            "segment": pick("segment"),
            "product": pick("product", 1.2),
            "channel": pick("channel"),
            "city": pick("city", 0.8),
            "plan": plan,
            "is_active": rng.random(rows) < 0.8,
            "signup": pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, size=rows), unit="D"),
        }
    )
    return frame


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_ours(frame: pd.DataFrame, repeat: int) -> tuple[float, float, float, dict[str, int]]:
    """(first call in this process, best warm call, a call plus its HTML report, sample sizes)."""
    import synthstudio_kernel as ss

    first = _time(lambda: ss.profile(frame))
    warm = min(_time(lambda: ss.profile(frame)) for _ in range(max(repeat, 1)))
    with_html = _time(lambda: ss.profile(frame).to_html())
    return first, warm, with_html, ss.profile(frame).sample_sizes


def ydata_import() -> float:
    """Seconds to import ydata-profiling (done once, outside the timed runs)."""
    os.environ["YDATA_PROFILING_NO_ANALYTICS"] = "1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _time(lambda: __import__("ydata_profiling"))


def bench_ydata(frame: pd.DataFrame) -> tuple[float, float]:
    """ydata-profiling minimal mode: (description only, description + HTML report)."""
    from ydata_profiling import ProfileReport

    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):  # its progress bars
        warnings.simplefilter("ignore")
        describe = _time(lambda: ProfileReport(frame, minimal=True, progress_bar=False).get_description())
        html = _time(lambda: ProfileReport(frame, minimal=True, progress_bar=False).to_html())
    return describe, html


def import_cost() -> list[tuple[str, float, list[str]]]:
    """Median of 3 fresh-process timings for the import and for %load_ext."""
    cases = {
        "import synthstudio_kernel": "import synthstudio_kernel",
        "%load_ext synthstudio_kernel (incl. IPython shell)": (
            "from IPython.core.interactiveshell import InteractiveShell\n"
            "shell = InteractiveShell.instance()\n"
            "t1 = time.perf_counter()\n"
            "shell.run_line_magic('load_ext', 'synthstudio_kernel')\n"
        ),
    }
    out = []
    for label, body in cases.items():
        code = (
            "import time, json, sys\n"
            "t0 = time.perf_counter(); t1 = t0\n"
            f"{body}\n"
            "t2 = time.perf_counter()\n"
            f"print(json.dumps([t2 - t0, t2 - t1, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
        )
        runs = []
        for _ in range(3):
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
        runs.sort(key=lambda r: r[0])
        total, step, heavy = runs[1]
        out.append((label, total, heavy))
        if "load_ext" in label:
            out.append(("  of which %load_ext itself", step, heavy))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the mixed frame")
    parser.add_argument(
        "--ydata-big-rows",
        type=int,
        default=0,
        help="run ydata on a subsample of this many rows of the mixed frame (0: all rows)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="warm runs of ours (best is reported)")
    parser.add_argument("--skip-ydata", action="store_true")
    args = parser.parse_args()

    from synthstudio_kernel.data import load_sample

    frames = {"adult": load_sample("adult"), "mixed": make_mixed_frame(args.rows)}
    cpu = platform.processor() or platform.machine()
    print(f"Machine: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}\n")
    print(
        "| data | rows x cols | tool | first call s | warm s (best of n) "
        "| call + HTML report s | target | rows used (corr / IForest) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, frame in frames.items():
        first, warm, with_html, sizes = bench_ours(frame, args.repeat)
        target = TARGETS[label]
        verdict = "ok" if warm <= target else "MISSED"
        samples = f"{sizes['correlations']:,} / {sizes['isolation_forest']:,}"
        print(
            f"| {label} | {_shape(frame)} | synthstudio profile() | {first:.2f} | {warm:.2f} | {with_html:.2f} "
            f"| ≤ {target:.0f} s {verdict} | {samples} |"
        )
    if not args.skip_ydata:
        y_import = ydata_import()
        for label, frame in frames.items():
            note = "all rows"
            if label == "mixed" and 0 < args.ydata_big_rows < len(frame):
                frame = frame.sample(n=args.ydata_big_rows, random_state=0)
                note = f"subsample of {len(frame):,} rows (full frame too slow)"
            describe, html = bench_ydata(frame)
            print(
                f"| {label} | {_shape(frame)} | ydata-profiling minimal | {describe:.2f} | — | {html:.2f} | — | {note} |"
            )
        print(
            f"\nydata-profiling's import ({y_import:.2f} s) is outside its timings. Its minimal mode computes "
            "no correlations, duplicates or multivariate outliers; ours does."
        )
    print("Our first call includes importing scikit-learn for the Isolation Forest.\n")

    print("| step (fresh process, median of 3) | seconds | torch / sdv / presidio / ydata_profiling imported |")
    print("|---|---|---|")
    for label, seconds, heavy in import_cost():
        print(f"| {label} | {seconds:.3f} | {', '.join(heavy) or 'none'} |")


def _shape(frame: pd.DataFrame) -> str:
    return f"{frame.shape[0]:,} x {frame.shape[1]}"


if __name__ == "__main__":
    main()
