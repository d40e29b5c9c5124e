"""Full evaluation (fidelity, utility, privacy) on UCI Adult: time per step and scores.

Setup (as in ../shared/PEERS.md): a stratified 80/20 split of adult (seed 42); each
"synthetic" table has the size of the training part and is scored against the 20% holdout.

Synthetic tables:
- real training data (a copy: the fidelity/utility ceiling, the privacy floor);
- independent columns (each column resampled on its own from the training rows);
- uniform noise (each column uniform over the training range / categories);
- SDV GaussianCopula through ``synthstudio_kernel.train`` (unless --no-sdv); its
  sample carries the ledger run id, so the scores are attached to the run (a scratch
  ``SYNTHSTUDIO_HOME`` is used unless one is set);
- a 4x larger table (130k rows) to show that subsampling bounds the time.

Columns: wall-clock seconds of ``evaluate`` in total, the process's CPU seconds (about
what the wall clock reads on an idle machine, since fits use one native thread on 2
cores; on a shared machine the wall clock is pessimistic), seconds per step (first row includes import and
numba-compile costs, so a warm-up evaluation runs first), the three scores, SDMetrics
quality, TSTR AUROC (gradient boosting), DCR ratio (median synthetic DCR / median
holdout DCR), share of synthetic rows closer to train than to holdout, best
membership-inference AUC, the verdicts, and the process's peak RSS. Timings on a shared
CPU are pessimistic.

    python benchmarks/bench_evaluation.py [--no-sdv] [--no-large]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

SEED = 42
TARGET = "income"


def split_adult() -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    from synthstudio_kernel.data import load_sample

    adult = load_sample("adult")
    train, holdout = train_test_split(adult, test_size=0.2, stratify=adult[TARGET], random_state=SEED)
    return train.reset_index(drop=True), holdout.reset_index(drop=True)


def independent_columns(train: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: train[c].to_numpy()[rng.integers(0, len(train), n)] for c in train.columns})


def uniform_noise(train: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    out = {}
    for c in train.columns:
        values = train[c]
        if pd.api.types.is_numeric_dtype(values):
            out[c] = rng.uniform(values.min(), values.max(), n)
        else:
            out[c] = rng.choice(values.dropna().unique(), n)
    return pd.DataFrame(out)


def gaussian_copula(train: pd.DataFrame, n: int) -> tuple[pd.DataFrame, float]:
    """Synth Studio's gaussian-copula (SDV) run: the sample carries its ledger run id."""
    from synthstudio_kernel.training import train as train_model

    start = time.perf_counter()
    model = train_model(train, "gaussian-copula", seed=SEED)
    fitted = time.perf_counter() - start
    return model.sample(n, seed=SEED), fitted


def row(name: str, card: Any, seconds: float, cpu_seconds: float) -> dict[str, Any]:
    d = card.to_dict()
    quality = d["fidelity"]["details"]["quality"]["score"]
    gb = next((m for m in d["utility"]["details"]["models"] if m["family"] == "gradient_boosting"), None)
    privacy = d["privacy"]["details"]
    mia = privacy["membership_inference"] or {}
    t = d["timings"]
    return {
        "table": name,
        "rows": d["data"]["synthetic_rows"],
        "total s": seconds,
        "CPU s": cpu_seconds,
        "fidelity s": t["fidelity"],
        "utility s": t["utility"],
        "privacy s": t["privacy"],
        "fidelity": d["scores"]["fidelity"],
        "utility": d["scores"]["utility"],
        "privacy": d["scores"]["privacy"],
        "quality": quality,
        "AUROC (GB)": gb["tstr"]["roc_auc"] if gb else None,
        "DCR ratio": privacy["dcr"]["ratio_median"],
        "closer share": (privacy["closer_share"] or {}).get("share"),
        "MIA AUC": mia.get("max_auc"),
        "verdicts (int/partner/public)": "/".join(v["status"] for v in d["verdicts"].values()),
        "peak MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def markdown(rows: list[dict[str, Any]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = []
        for key in header:
            value = r[key]
            if value is None:
                cells.append("—")
            elif isinstance(value, float):
                cells.append(
                    f"{value:.0f}" if key == "peak MB" else f"{value:.1f}" if key.endswith(" s") else f"{value:.3f}"
                )
            else:
                cells.append(str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-sdv", action="store_true", help="skip the GaussianCopula row")
    parser.add_argument("--no-large", action="store_true", help="skip the 130k-row row")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if "SYNTHSTUDIO_HOME" not in os.environ:
        os.environ["SYNTHSTUDIO_HOME"] = tempfile.mkdtemp(prefix="synthstudio-bench-")

    from synthstudio_kernel.evaluation import evaluate
    from synthstudio_kernel.evaluation._threads import thread_count

    train, holdout = split_adult()
    n = len(train)
    tables: list[tuple[str, Any]] = [
        ("real training data (copy)", lambda: train.copy()),
        ("independent columns", lambda: independent_columns(train, n)),
        ("uniform noise", lambda: uniform_noise(train, n)),
    ]
    notes = []
    if not args.no_sdv:

        def copula() -> pd.DataFrame:
            frame, fitted = gaussian_copula(train, n)
            notes.append(f"GaussianCopula fit: {fitted:.1f} s (not included in the evaluation time).")
            return frame

        tables.append(("SDV GaussianCopula", copula))

    # Warm-up: imports and Anonymeter's numba compilation happen once per process.
    start = time.perf_counter()
    evaluate(train.head(2_000), independent_columns(train, 2_000), holdout=holdout.head(1_000))
    notes.append(f"Warm-up evaluation (imports, numba compile, 2k rows): {time.perf_counter() - start:.1f} s.")

    rows = []
    for name, make in tables:
        synthetic = make()
        start, cpu = time.perf_counter(), time.process_time()
        card = evaluate(train, synthetic, holdout=holdout, target=TARGET, seed=0)
        rows.append(row(name, card, time.perf_counter() - start, time.process_time() - cpu))
        if card.run["status"] == "found":
            notes.append(f"{name}: scores attached to ledger run {card.run['run_id']}: {card.run['attached']}.")
    if not args.no_large:
        big_train = pd.concat([train] * 4, ignore_index=True)
        synthetic = independent_columns(big_train, len(big_train))
        start, cpu = time.perf_counter(), time.process_time()
        card = evaluate(big_train, synthetic, holdout=holdout, target=TARGET, seed=0)
        rows.append(row("independent columns, train x4", card, time.perf_counter() - start, time.process_time() - cpu))
        used = {(s["step"], s["table"]): s["rows_used"] for s in card.sampling}
        notes.append(
            "Subsample sizes on the x4 table: "
            + ", ".join(f"{step}/{table} {count:,}" for (step, table), count in used.items())
            + "."
        )

    print(f"Adult: {n:,} training rows, {len(holdout):,} holdout rows; {thread_count()} native thread(s) per fit.\n")
    print(markdown(rows))
    print()
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
