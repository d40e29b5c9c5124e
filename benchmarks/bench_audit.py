"""Empirical privacy audit of dp-tvae and dp-ctgan with one training run (canary membership).

Follows Steinke, Nasr and Jagielski, "Privacy Auditing with One (1) Training Run"
(NeurIPS 2023), black-box input-space variant:

1. ``m`` canary rows are built to stand out from UCI Adult: every categorical value drawn
   uniformly from the column's categories (combinations that real rows almost never show)
   and every number at one end of the column's public range (extreme but in bounds).
2. Each canary joins the training table independently with probability 1/2 (the auditor's
   coin flips, ``S``); the table is registered under a throwaway ledger and trained on ONCE
   with ``ss.train(..., epsilon=ε, dataset=...)``.
3. The auditor sees only the released model: it draws many synthetic rows and scores each
   canary by how close the synthetic rows come to it (minus the distance to the nearest
   synthetic row, plus a tenth of the mean distance to the 5 nearest to break ties by density;
   mixed distance: categorical mismatch 0/1, numbers scaled by their public range). The ``g`` highest-scoring canaries are guessed IN, the ``g`` lowest
   OUT; the rest abstain.
4. The number of right guesses gives an (ε, δ) lower bound at 95% confidence with the
   paper's Theorem 5.2 (:func:`synthstudio_kernel.privacy.audit.epsilon_lower_bound`). Several
   guess counts may be tried; the confidence is then split between them (Bonferroni), so
   the reported bound keeps its 95%.

The claim is what the model's privacy report says it spent (≤ the requested ε). A lower
bound above the claim would mean that the guarantee is broken: the script then exits 1.
A bound of 0 is the expected outcome for a correct DP implementation at these ε with a
black-box attacker; the audit shows the claim is not contradicted, it cannot prove it tight.

Columns' bounds and category lists are declared public (UCI documents Adult's schema), so
the canaries lie inside the declared domain. The row count is public in our accounting, as
in Opacus; it reveals only how many canaries went in, not which.

    nice python benchmarks/bench_audit.py                                   # the closing-note table
    nice python benchmarks/bench_audit.py --methods dp-tvae --epsilons 3 --canaries 200   # quick look
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

DELTA = 1e-5
CONFIDENCE = 0.95
#: Epochs per method: enough to learn Adult's marginals at these sizes, short enough for ~1-2 min.
DEFAULT_EPOCHS = {"dp-tvae": 10, "dp-ctgan": 3, "tvae": 30, "ctgan": 10}
#: Positive control (no training): the release is the training table itself, the attack's ceiling.
COPY = "copy"
#: Methods without a formal guarantee: audited at "ε = ∞" to show that the attack has power.
NON_DP = ("tvae", "ctgan", "gaussian-copula", COPY)


@dataclass(frozen=True)
class Domain:
    """Adult's public schema: numeric ranges and category lists."""

    numeric: dict[str, tuple[float, float]]
    categories: dict[str, list[Any]]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Domain:
        numeric: dict[str, tuple[float, float]] = {}
        categories: dict[str, list[Any]] = {}
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_numeric_dtype(values):
                numeric[column] = (float(values.min()), float(values.max()))
            else:
                categories[column] = sorted(values.dropna().astype(str).unique())
        return cls(numeric, categories)


def make_canaries(domain: Domain, columns: list[str], m: int, rng: np.random.Generator) -> pd.DataFrame:
    """``m`` distinct rows: uniform categories, every number at the low or high end of its range."""
    data: dict[str, Any] = {}
    for column in columns:
        if column in domain.categories:
            options = domain.categories[column]
            data[column] = [options[i] for i in rng.integers(0, len(options), size=m)]
        else:
            low, high = domain.numeric[column]
            data[column] = np.where(rng.random(m) < 0.5, low, high)
    canaries = pd.DataFrame(data, columns=columns)
    return canaries.drop_duplicates().reset_index(drop=True)


def encode(frame: pd.DataFrame, domain: Domain) -> tuple[np.ndarray, np.ndarray]:
    """Numbers scaled to [0, 1] by the public range; categories as integer codes (-1: unknown)."""
    numeric = np.column_stack(
        [
            (pd.to_numeric(frame[c], errors="coerce").to_numpy(float) - lo) / max(hi - lo, 1e-12)
            for c, (lo, hi) in domain.numeric.items()
        ]
    )
    codes = np.column_stack(
        [
            pd.Categorical(frame[c].astype(str), categories=cats).codes.astype(np.int16)
            for c, cats in domain.categories.items()
        ]
    )
    return np.nan_to_num(numeric, nan=0.5), codes


def membership_scores(
    canaries: pd.DataFrame, synthetic: pd.DataFrame, domain: Domain, neighbours: int = 5, chunk: int = 50
) -> np.ndarray:
    """Per canary: minus (distance to the nearest synthetic row + 0.1 × mean distance to the ``neighbours`` nearest)."""
    can_num, can_cat = encode(canaries, domain)
    syn_num, syn_cat = encode(synthetic, domain)
    scores = np.empty(len(canaries))
    for start in range(0, len(canaries), chunk):
        stop = start + chunk
        dist = np.abs(can_num[start:stop, None, :] - syn_num[None, :, :]).sum(axis=2)
        dist += (can_cat[start:stop, None, :] != syn_cat[None, :, :]).sum(axis=2)
        nearest = np.sort(np.partition(dist, neighbours - 1, axis=1)[:, :neighbours], axis=1)
        # The nearest row dominates (an exact copy scores 0); the next ones break ties by density.
        scores[start:stop] = -(nearest[:, 0] + 0.1 * nearest.mean(axis=1))
    return scores


def audit(
    scores: np.ndarray, included: np.ndarray, guess_counts: list[int], delta: float, rng: np.random.Generator
) -> dict[str, Any]:
    """Best bound over the guess counts, each at confidence 1 − 0.05 / len(guess_counts)."""
    from synthstudio_kernel.privacy.audit import epsilon_lower_bound

    m = len(scores)
    # Ties broken at random so that equal scores carry no hidden order.
    order = np.lexsort((rng.random(m), scores))  # ascending score
    confidence = 1 - (1 - CONFIDENCE) / len(guess_counts)
    best: dict[str, Any] = {"guesses": 0, "correct": 0, "epsilon_lb": 0.0}
    for g in guess_counts:
        g = min(g, m // 2)
        guessed_in, guessed_out = order[m - g :], order[:g]
        correct = int(included[guessed_in].sum() + (~included[guessed_out]).sum())
        bound = epsilon_lower_bound(canaries=m, guesses=2 * g, correct=correct, delta=delta, confidence=confidence)
        key = (bound, correct / (2 * g))
        if best["guesses"] == 0 or key > (best["epsilon_lb"], best["correct"] / best["guesses"]):
            best = {"guesses": 2 * g, "correct": correct, "epsilon_lb": bound}
    return best


def run_one(
    method: str,
    epsilon: float | None,
    base: pd.DataFrame,
    domain: Domain,
    args: argparse.Namespace,
    index: int,
) -> dict[str, Any]:
    import synthstudio_kernel as ss

    rng = np.random.default_rng([args.seed, index])  # the auditor's coins and canaries, not DP noise
    canaries = make_canaries(domain, list(base.columns), args.canaries, rng)
    included = rng.random(len(canaries)) < 0.5
    table = pd.concat([base, canaries[included]], ignore_index=True)
    table = table.sample(frac=1.0, random_state=int(rng.integers(2**31))).reset_index(drop=True)
    for column in base.columns:  # keep Adult's dtypes (canaries' numbers are exact integers)
        table[column] = table[column].astype(base[column].dtype)

    epochs = 0 if method == COPY else args.epochs if args.epochs is not None else DEFAULT_EPOCHS.get(method)
    train_params: dict[str, Any] = {} if epochs is None else {"epochs": epochs, "batch_size": args.batch_size}
    started = time.perf_counter()
    if method == COPY:
        # Positive control: a "synthesizer" that releases its training rows verbatim.
        synthetic = table
        claimed, delta, fit_s = math.inf, DELTA, 0.0
    elif epsilon is None:
        model = ss.train(table, method=method, **train_params)
        fit_s = time.perf_counter() - started
        synthetic = model.sample(args.samples)
        claimed, delta = math.inf, DELTA
    else:
        name = f"audit-{method}-{epsilon:g}-{index}"
        ss.register_dataset(table, name, total_epsilon=epsilon + 1.0)
        model = ss.train(
            table,
            method=method,
            epsilon=epsilon,
            delta=DELTA,
            dataset=name,
            public_bounds={c: list(b) for c, b in domain.numeric.items()},
            categories=domain.categories,
            **train_params,
        )
        fit_s = time.perf_counter() - started
        report = model.privacy_report().to_dict()
        claimed, delta = float(report["epsilon"]), float(report["delta"])
        synthetic = model.sample(args.samples)
    scores = membership_scores(canaries, synthetic, domain)
    result = audit(scores, included, args.guesses, delta, rng)
    return {
        "method": method,
        "epsilon": epsilon,
        "claimed": claimed,
        "delta": delta,
        "canaries": len(canaries),
        "included": int(included.sum()),
        "epochs": epochs,
        "fit_s": fit_s,
        **result,
    }


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| method | ε asked | ε claimed (δ) | epochs | canaries (in) | guesses | correct | ε lower bound (95%) | fit s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        asked = "—" if r["epsilon"] is None else f"{r['epsilon']:g}"
        claimed = "∞ (no DP)" if math.isinf(r["claimed"]) else f"{r['claimed']:.3f} ({r['delta']:.0e})"
        epochs = r["epochs"] or "—"
        lines.append(
            f"| {r['method']} | {asked} | {claimed} | {epochs} "
            f"| {r['canaries']} ({r['included']}) | {r['guesses']} | {r['correct']} | {r['epsilon_lb']:.3f} "
            f"| {r['fit_s']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--methods",
        nargs="+",
        default=[COPY, "dp-tvae", "dp-ctgan"],
        help=f"DP methods run at every ε; {', '.join(NON_DP)} run once as controls ({COPY}: no training)",
    )
    parser.add_argument("--epsilons", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument("--canaries", type=int, default=1000, help="m: canary rows, each in with probability 1/2")
    parser.add_argument(
        "--guesses",
        type=int,
        nargs="+",
        default=[25, 50, 100],
        help="g: guess the g top-scored canaries IN and the g bottom OUT (several: Bonferroni-corrected)",
    )
    parser.add_argument("--samples", type=int, default=20000, help="synthetic rows the auditor draws")
    parser.add_argument("--epochs", type=int, default=None, help="epochs for every method (default per method)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rows", type=int, default=None, help="subsample adult first (quick checks)")
    parser.add_argument("--seed", type=int, default=0, help="the auditor's randomness (canaries, coin flips)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    args = parser.parse_args(argv)

    # A throwaway ledger: the audit must not spend anyone's real budget.
    os.environ["SYNTHSTUDIO_HOME"] = tempfile.mkdtemp(prefix="synthstudio-bench-audit-")
    os.environ.pop("SYNTHSTUDIO_DB_URL", None)
    import torch

    torch.set_num_threads(args.threads)
    import synthstudio_kernel as ss

    base = ss.load_sample("adult")
    if args.rows is not None and args.rows < len(base):
        base = base.sample(args.rows, random_state=args.seed).reset_index(drop=True)
    domain = Domain.of(base)
    print(
        f"adult: {len(base)} rows + canaries; delta={DELTA:g}; {args.samples} synthetic rows per audit",
        file=sys.stderr,
    )

    rows: list[dict[str, Any]] = []
    jobs: list[tuple[str, float | None]] = []
    for method in args.methods:
        jobs += [(method, None)] if method in NON_DP else [(method, eps) for eps in args.epsilons]
    for index, (method, eps) in enumerate(jobs):
        row = run_one(method, eps, base, domain, args, index)
        rows.append(row)
        print(
            f"{method} ε={eps}: {row['correct']}/{row['guesses']} right, lower bound "
            f"{row['epsilon_lb']:.3f} (claimed {row['claimed']:.3f}), {row['fit_s']:.0f} s",
            file=sys.stderr,
        )
    print(table(rows))
    broken = [r for r in rows if r["epsilon_lb"] > r["claimed"]]
    if broken:
        print(
            "AUDIT FAILED: the empirical lower bound exceeds the claimed ε for "
            + ", ".join(f"{r['method']} at ε={r['epsilon']:g}" for r in broken),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
