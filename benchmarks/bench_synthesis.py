"""Synthesis speed and quality: Synth Studio's non-DP methods beside SDV called directly.

Run:  python benchmarks/bench_synthesis.py [--epochs 10] [--sample-rows 10000]
                                             [--quality-rows 5000] [--repeat 2] [--methods gaussian-copula,ctgan,tvae]

On adult (a stratified 80/20 split on income, seed 42, as in PEERS.md), for each method:

- fit time through ``ss.train`` (everything: column kinds, fingerprint, SDV metadata,
  epoch hooks, the ledger record) beside SDV's own synthesizer given the same metadata
  (``Metadata.detect_from_dataframes`` with the sdtypes overridden the same way) and the
  same parameters and the same global seed; the overhead column is (ours - SDV) / SDV,
  best of ``--repeat`` runs;
- sampling ``--sample-rows`` rows: time and throughput (rows/s), ours beside SDV's;
- SDMetrics QualityReport (column shapes + column-pair trends) of ``--quality-rows``
  synthetic rows against the 20% holdout (numbers numerical, the rest categorical,
  missing values as their own category).

The two sides run alternately in the same process. On a shared 2-core machine timings are
pessimistic and noisy; neural methods at a few epochs are far from their best quality.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

os.environ.setdefault("SYNTHSTUDIO_HOME", tempfile.mkdtemp(prefix="bench-synthesis-"))

import synthstudio_kernel as ss
from synthstudio_kernel.synthesis import registry
from synthstudio_kernel.synthesis.sdtypes import TABLE, plan_for
from synthstudio_kernel.synthesis.seeding import seeded

SEED = 0
SDV_CLASSES = {
    "gaussian-copula": "GaussianCopulaSynthesizer",
    "ctgan": "CTGANSynthesizer",
    "tvae": "TVAESynthesizer",
}


def split(frame: pd.DataFrame, seed: int = 42) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified 80/20 split on income."""
    rng = np.random.default_rng(seed)
    test_index: list[int] = []
    for _, group in frame.groupby("income", dropna=False):
        chosen = rng.choice(group.index.to_numpy(), size=round(0.2 * len(group)), replace=False)
        test_index.extend(chosen.tolist())
    test = frame.loc[sorted(test_index)]
    return frame.drop(index=test.index).reset_index(drop=True), test.reset_index(drop=True)


def method_params(method: str, epochs: int) -> dict[str, Any]:
    return {} if method == "gaussian-copula" else {"epochs": epochs}


def sdv_direct(method: str, train: pd.DataFrame, params: dict[str, Any], device: str = "cpu") -> Any:
    """SDV on its own: detect metadata, give the columns the same sdtypes as ours, fit."""
    from sdv import single_table
    from sdv.metadata import Metadata

    metadata = Metadata.detect_from_dataframes({TABLE: train}, infer_keys=None)
    for column, entry in plan_for(ss.Dataset.from_frame(train)).metadata["tables"][TABLE]["columns"].items():
        metadata.update_column(column, table_name=TABLE, **entry)
    cls = getattr(single_table, SDV_CLASSES[method])
    extra = {"enable_gpu": device == "cuda"} if method != "gaussian-copula" else {}
    synthesizer = cls(metadata, **params, **extra)
    # The same global seed as ss.train(seed=0): both sides do the same random work (e.g. the
    # mixture models' initialisation, whose convergence time depends on it).
    with seeded(SEED, with_torch=True):
        synthesizer.fit({TABLE: train})
    return synthesizer


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        result = fn()
    return time.perf_counter() - started, result


def quality(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    from sdmetrics.reports import QualityReport

    columns = {}
    prepared_real, prepared_synth = real.copy(), synthetic[real.columns].copy()
    for column in real.columns:
        if pd.api.types.is_numeric_dtype(real[column]):
            columns[column] = {"sdtype": "numerical"}
        else:
            columns[column] = {"sdtype": "categorical"}
            prepared_real[column] = real[column].astype(object).fillna("(missing)").astype(str)
            prepared_synth[column] = synthetic[column].astype(object).fillna("(missing)").astype(str)
    report = QualityReport()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(
            {TABLE: prepared_real}, {TABLE: prepared_synth}, {"tables": {TABLE: {"columns": columns}}}, verbose=False
        )
    return float(report.get_score())


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    adult = ss.load_sample("adult")
    train, test = split(adult)
    rows: list[dict[str, Any]] = []
    for method in args.methods:
        params = method_params(method, args.epochs)
        device = args.device if method != "gaussian-copula" else "cpu"
        # Warm-up (imports, first torch calls) on a slice, untimed.
        warm = train.head(300)
        short = {**params, **({"epochs": 1} if params else {})}
        timed(lambda: ss.train(warm, method, seed=SEED, device=device, **short))  # noqa: B023
        timed(lambda: sdv_direct(method, warm, short, device))  # noqa: B023
        ours_fit, sdv_fit = [], []
        model = direct = None
        for attempt in range(args.repeat):
            # Alternate who goes first so that drifting machine load hits both sides.
            for side in ("ours", "sdv") if attempt % 2 == 0 else ("sdv", "ours"):
                if side == "ours":
                    seconds, model = timed(lambda: ss.train(train, method, seed=SEED, device=device, **params))  # noqa: B023
                    ours_fit.append(seconds)
                else:
                    seconds, direct = timed(lambda: sdv_direct(method, train, params, device))  # noqa: B023
                    sdv_fit.append(seconds)
        assert model is not None and direct is not None
        ours_sample, synthetic = timed(lambda: model.sample(args.sample_rows))  # noqa: B023
        sdv_sample, _ = timed(lambda: direct.sample(args.sample_rows))  # noqa: B023
        score = quality(test, synthetic.sample(min(args.quality_rows, len(synthetic)), random_state=0))
        rows.append(
            {
                "method": method,
                "settings": ", ".join(f"{k}={v}" for k, v in {**params, "device": device}.items()),
                "fit_ours": min(ours_fit),
                "fit_sdv": min(sdv_fit),
                "sample_ours": ours_sample,
                "sample_sdv": sdv_sample,
                "quality": score,
            }
        )
        print(f"... {method} done", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        f"adult: {int(32_561 * 0.8):,} training rows (80/20 split, seed 42); sampling {args.sample_rows:,} rows; "
        f"quality on {args.quality_rows:,} synthetic rows vs the 20% holdout; best of {args.repeat} fit(s); "
        f"{platform.machine()}, {os.cpu_count()} CPU(s), torch {_torch_threads()} thread(s), "
        f"neural methods on {args.device}",
        "",
        "| method | settings | fit s (ours) | fit s (SDV) | overhead | sample s (ours) | sample s (SDV) "
        "| rows/s (ours) | SDMetrics quality |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        overhead = (r["fit_ours"] - r["fit_sdv"]) / r["fit_sdv"] * 100
        lines.append(
            f"| {r['method']} | {r['settings']} | {r['fit_ours']:.2f} | {r['fit_sdv']:.2f} | {overhead:+.1f}% "
            f"| {r['sample_ours']:.2f} | {r['sample_sdv']:.2f} | {args.sample_rows / r['sample_ours']:,.0f} "
            f"| {r['quality']:.3f} |"
        )
    return "\n".join(lines)


def _torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=10, help="epochs for ctgan and tvae")
    parser.add_argument("--sample-rows", type=int, default=10_000)
    parser.add_argument("--quality-rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=2, help="fits per side; the best is reported")
    parser.add_argument("--methods", type=lambda s: s.split(","), default=list(SDV_CLASSES))
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="for ctgan and tvae (both sides)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    args = parser.parse_args(argv)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    unknown = [m for m in args.methods if m not in registry.available()]
    if unknown:
        parser.error(f"unknown methods: {', '.join(unknown)}")
    print(table(run(args), args))


if __name__ == "__main__":
    main()
