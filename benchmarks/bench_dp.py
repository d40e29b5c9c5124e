"""DP synthesizers side by side on UCI Adult: quality, utility and speed.

Setup (as in ../shared/PEERS.md): a stratified 80/20 split of adult (seed 42); each
method trains on the 80% and samples as many rows; scores use the 20% holdout.

- quality: SDMetrics QualityReport (column shapes + column-pair trends) of the synthetic
  rows against the holdout; numeric columns ``numerical``, the rest ``categorical``,
  missing values as their own category;
- AUROC: train-synthetic-test-real, ``income`` > 50K, one-hot + HistGradientBoosting,
  scored on the holdout;
- fit s (whole ``train`` call, DP preprocessing and accounting included) and s/epoch
  (median time between epoch events).

Methods: dp-ctgan and dp-tvae at each ε (δ = 1e-5), their non-DP twins ctgan and tvae
(SDV, through the same registry) at the same epochs and batch size, the marginal methods
dp-mst and dp-aim (dp-aim with the table's target named), and the independent-marginals
baseline at the same ε (every column sampled on its own from the same kind of DP
marginals, with the whole ε). Timings on a shared CPU are pessimistic. ``--isolate`` runs
every method in a forked process and reports its peak resident memory (the parent's
imported libraries included, as in the peers' figures).

Small tables (``--table german_credit`` or ``insurance``): the same split and scorer, with
``default`` = 2 (bad credit) and ``smoker`` = yes as the classification targets.

    python benchmarks/bench_dp.py                      # full run (~15-20 min on 2 cores)
    python benchmarks/bench_dp.py --rows 5000 --epochs 3   # quick check
    python benchmarks/bench_dp.py --methods marginals dp-mst dp-aim --isolate   # marginal methods only
    python benchmarks/bench_dp.py --table german_credit --epsilons 1 --methods marginals dp-mst dp-aim
    python benchmarks/bench_dp.py --methods dp-aim dp-aim+codebook --repeats 3 --isolate

Measured 2026-12-02 (2 shared cores, ``--isolate``; quality / AUROC, mean (range) of 3 runs on
Adult, 20 on the small tables with the codebook, 10 without). Adult ε = 3: dp-aim+codebook 0.982
(0.979-0.983) / 0.909, dp-aim 0.978 / 0.908, dp-mst 0.964 / 0.829, independent marginals 0.867 /
0.531, real 0.986 / 0.930. Adult ε = 1: dp-aim+codebook 0.977 (0.975-0.978) / 0.894, dp-aim 0.923
(0.900-0.937) / 0.896, dp-mst 0.923 / 0.832, independent 0.856 / 0.494. Without the codebook a
run scores about 0.934 when it loses the 41 rows with education-num 1 (and every age over 75),
0.967 in the one run of ten that kept them. dp-aim fits in 8-14 s within 0.46 GB; in one earlier
run dp-tvae scored 0.903 / 0.897 and dp-ctgan 0.888 / 0.836 at ε = 3.
german_credit ε = 1: dp-aim+codebook 0.860 (0.846-0.874) / 0.624, dp-mst+codebook 0.848
(0.824-0.866) / 0.533, dp-aim 0.754 / 0.625, dp-mst 0.767 / 0.569, independent 0.717 / 0.494
(real 0.921 / 0.768). The mean clears 0.85, single runs do not always: 12 of 40 runs of an
earlier check scored under it, the noise on 800 rows at ε = 1 being what it is.
insurance ε = 1: dp-aim 0.897 (0.865-0.923) / 0.864, dp-mst 0.897 (0.864-0.933) / 0.921,
independent 0.828 / 0.533 (real 0.902 / 0.994).

How the scorer reads a table (sdmetrics 0.32): column-pair trends average only the pairs whose
real association clears a threshold (Cramér's V > 0.3, |Pearson r| > 0.5; 14 of german_credit's
210 pairs on its 200-row holdout), and each numeric column is cut into 10 equal-width bins over
its *own* range, separately in the real and the synthetic rows. A synthetic range that starts a
few units too low therefore moves every bin of the column: 15 ages under 16 in 800 rows took
german_credit's three age pairs from about 0.8 to 0.45.

A method name ending in ``+codebook`` declares the table's published codebook public
(``synthstudio_kernel.data.sample_codebook``: category lists from the table's documentation,
never from its rows), as a user who knows their schema would.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from typing import Any

import pandas as pd

TARGET = "income"
POSITIVE = ">50K"
DELTA = 1e-5
SEED = 42
#: Classification target and its positive class per bundled table.
TABLES = {"adult": ("income", ">50K"), "german_credit": ("default", "2"), "insurance": ("smoker", "yes")}
#: What the marginal methods are told (the target for dp-aim's workload).
MARGINAL_PARAMS: dict[str, dict[str, Any]] = {"dp-mst": {}, "dp-aim": {"target": None}}
#: A method name ending in this declares the table's published codebook public (``sample_codebook``).
CODEBOOK_SUFFIX = "+codebook"
TABLE = "adult"


def split_adult(rows: int | None, table: str = "adult") -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    from synthstudio_kernel.data import load_sample

    df = load_sample(table)
    if rows is not None and rows < len(df):
        df = df.sample(rows, random_state=SEED).reset_index(drop=True)
    train, holdout = train_test_split(df, test_size=0.2, stratify=df[TARGET], random_state=SEED)
    return train.reset_index(drop=True), holdout.reset_index(drop=True)


def _for_scoring(frame: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if column in numeric:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), "<missing>").astype(str)
    return out


def quality(real: pd.DataFrame, synthetic: pd.DataFrame, numeric: list[str]) -> float:
    from sdmetrics.reports.single_table import QualityReport

    metadata = {"columns": {c: {"sdtype": "numerical" if c in numeric else "categorical"} for c in real.columns}}
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(_for_scoring(real, numeric), _for_scoring(synthetic, numeric), metadata, verbose=False)
    return float(report.get_score())


def tstr_auroc(synthetic: pd.DataFrame, holdout: pd.DataFrame, numeric: list[str]) -> float:
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    y_train = (synthetic[TARGET].astype(str) == POSITIVE).to_numpy()
    if y_train.all() or not y_train.any():
        return 0.5  # one class only: no ranking at all
    features = [c for c in synthetic.columns if c != TARGET]
    categorical = [c for c in features if c not in numeric]
    encode = ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical)], remainder="passthrough"
    )
    model = make_pipeline(encode, HistGradientBoostingClassifier(random_state=SEED))
    x_train = _for_scoring(synthetic[features], numeric)
    x_test = _for_scoring(holdout[features], numeric)
    model.fit(x_train, y_train)
    y_test = (holdout[TARGET].astype(str) == POSITIVE).to_numpy()
    return float(roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]))


class EpochClock:
    """Epoch callback recording when each epoch ended (and ε spent, for DP methods)."""

    def __init__(self) -> None:
        self.stamps: list[float] = []
        self.epsilons: list[float | None] = []

    def __call__(self, event: Any) -> None:
        self.stamps.append(float(event.elapsed_s))
        self.epsilons.append(event.epsilon)

    def seconds_per_epoch(self) -> float | None:
        gaps = [b - a for a, b in zip(self.stamps, self.stamps[1:], strict=False)]
        return statistics.median(gaps) if gaps else None


#: DP-TVAE with the network of SDV's TVAE (its defaults are smaller): the like-for-like epoch cost.
TVAE_SIZE = {"compress_dims": (128, 128), "decompress_dims": (128, 128), "embedding_dim": 128, "learning_rate": 1e-3}


def run_method(
    method: str, epsilon: float | None, train: pd.DataFrame, holdout: pd.DataFrame, epochs: int, batch: int
) -> dict[str, Any]:
    import synthstudio_kernel as ss

    clock = EpochClock()
    privacy: dict[str, Any] = {}
    params: dict[str, Any] = {"epochs": epochs, "batch_size": batch}
    if method == "dp-tvae-tvae-size":
        method = "dp-tvae"
        params.update(TVAE_SIZE)
    codebook = method.endswith(CODEBOOK_SUFFIX)
    method = method.removesuffix(CODEBOOK_SUFFIX)
    if method in MARGINAL_PARAMS:
        params = {k: (TARGET if k == "target" else v) for k, v in MARGINAL_PARAMS[method].items()}
    elif len(train) < 5000 and epsilon is not None:
        params["force"] = True  # DP-SGD methods refuse small tables at low ε unless forced
    if codebook:  # the table's published schema, declared public (it is not read from the rows)
        from synthstudio_kernel.data import sample_codebook

        book = sample_codebook(TABLE)
        params.update(categories=book["categories"], public_bounds=book["public_bounds"])
    if epsilon is not None:
        params.update(epsilon=epsilon, delta=DELTA, dataset="adult-train")
    started = time.perf_counter()
    model = ss.train(train, method=method, seed=SEED, callbacks=[clock], **params)
    fit_s = time.perf_counter() - started
    if epsilon is not None:
        report = model.privacy_report().to_dict()
        privacy = {"epsilon_spent": report["epsilon"], "noise_multiplier": report["noise_multiplier"]}
        if method in MARGINAL_PARAMS:
            facts = model.synthesizer.privacy
            privacy["rounds"] = facts["rounds"]
            privacy["cliques"] = len(facts["cliques"])
    synthetic = model.sample(len(train), seed=SEED)
    return {"fit_s": fit_s, "s_per_epoch": clock.seconds_per_epoch(), "synthetic": synthetic, **privacy}


def run_marginals(epsilon: float, train: pd.DataFrame) -> dict[str, Any]:
    from synthstudio_kernel.synthesis.dp.marginals import IndependentMarginals

    started = time.perf_counter()
    model = IndependentMarginals(epsilon=epsilon, delta=DELTA, seed=SEED).fit(train)
    fit_s = time.perf_counter() - started
    return {
        "fit_s": fit_s,
        "s_per_epoch": None,
        "synthetic": model.sample(len(train), seed=SEED),
        "epsilon_spent": model.epsilon_spent,
    }


def run_job(
    name: str,
    eps: float | None,
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    numeric: list[str],
    epochs: int,
    batch: int,
) -> dict[str, Any]:
    """Train, sample and score one method; the peak RSS of this process in MB."""
    import resource

    try:
        if name.startswith("real"):
            result: dict[str, Any] = {"fit_s": None, "s_per_epoch": None, "synthetic": train}
        elif name == "marginals":
            assert eps is not None
            result = run_marginals(eps, train)
        else:
            result = run_method(name, eps, train, holdout, epochs, batch)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        synthetic = result.pop("synthetic")
        result["quality"] = quality(holdout, synthetic, numeric)
        result["auroc"] = tstr_auroc(synthetic, holdout, numeric)
    except Exception as exc:  # report and go on with the other methods
        result = {"error": f"{type(exc).__name__}: {exc}"}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epsilons", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument("--epochs", type=int, default=30, help="epochs of every neural method (DP and non-DP)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rows", type=int, default=None, help="subsample adult first (quick checks)")
    parser.add_argument(
        "--methods",
        nargs="+",
        default=[
            "marginals",
            "dp-mst",
            "dp-aim",
            "dp-aim+codebook",
            "dp-tvae",
            "dp-ctgan",
            "tvae",
            "ctgan",
            "dp-tvae-tvae-size",
        ],
        help="what to run; dp-tvae-tvae-size is DP-TVAE with TVAE's own network (like-for-like epoch cost)",
    )
    parser.add_argument("--table", default="adult", choices=sorted(TABLES), help="bundled table to split and score")
    parser.add_argument("--isolate", action="store_true", help="run each method in a forked process (peak RSS)")
    parser.add_argument("--repeats", type=int, default=1, help="runs per DP job (mean and range are reported)")
    parser.add_argument("--json", default=None, help="also write the results to this JSON file")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (1 by default: on a shared, oversubscribed CPU more threads spin and slow everything)",
    )
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)

    os.environ.setdefault("SYNTHSTUDIO_HOME", tempfile.mkdtemp(prefix="synthstudio-bench-dp-"))
    import synthstudio_kernel as ss
    from synthstudio_kernel.data import ColumnKind, as_dataset

    global TARGET, POSITIVE, TABLE
    TARGET, POSITIVE = TABLES[args.table]
    TABLE = args.table
    train, holdout = split_adult(args.rows, args.table)
    numeric = as_dataset(train).columns_of(ColumnKind.NUMERIC)
    budget = args.repeats * (len(args.methods) + 1) * sum(args.epsilons) + 1  # every DP job, each repeat
    ss.register_dataset(train, "adult-train", total_epsilon=budget)
    print(
        f"{args.table}: {len(train)} training rows, {len(holdout)} holdout rows; epochs={args.epochs}, "
        f"batch={args.batch_size}, delta={DELTA:g}",
        file=sys.stderr,
    )

    jobs: list[tuple[str, float | None]] = [("real training data (ceiling)", None)]
    for eps in args.epsilons:
        dp = ("marginals", "dp-mst", "dp-aim", "dp-tvae", "dp-ctgan")
        jobs += [(m, eps) for m in args.methods if m.removesuffix(CODEBOOK_SUFFIX) in dp]
    jobs += [(m, None) for m in args.methods if m in ("tvae", "ctgan")]
    if "dp-tvae-tvae-size" in args.methods:
        jobs.append(("dp-tvae-tvae-size", max(args.epsilons)))

    rows: list[dict[str, Any]] = []
    for name, eps in jobs:
        label = {
            "marginals": "independent noisy marginals",
            "dp-tvae-tvae-size": "dp-tvae, TVAE-size network (128,128)/128",
        }.get(name, name.replace(CODEBOOK_SUFFIX, ", codebook declared public"))
        print(f"-- {label} eps={eps}", file=sys.stderr, flush=True)
        job = (name, eps, train, holdout, numeric, args.epochs, args.batch_size)
        runs = []
        for _ in range(1 if name.startswith("real") else args.repeats):
            if args.isolate:
                import multiprocessing

                with multiprocessing.get_context("fork").Pool(1) as pool:
                    runs.append(pool.apply(run_job, job))
            else:
                runs.append(run_job(*job))
        rows.append({"method": label, "epsilon": eps, **summarise(runs)})
        print(json.dumps(rows[-1], default=str), file=sys.stderr, flush=True)

    print(render(rows, args))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"settings": vars(args), "rows": rows}, handle, indent=2, default=str)
    return 0


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from repeated runs: means, and the range of quality and AUROC."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    out = dict(ok[-1])
    for key in ("fit_s", "quality", "auroc", "peak_mb", "epsilon_spent"):
        values = [r[key] for r in ok if r.get(key) is not None]
        if values:
            out[key] = statistics.fmean(values)
            if key in ("quality", "auroc") and len(values) > 1:
                out[f"{key}_range"] = (min(values), max(values))
    out["runs"] = len(ok)
    if len(ok) < len(runs):
        out["failed_runs"] = len(runs) - len(ok)
    return out


def _scored(r: dict[str, Any], key: str) -> str:
    low_high = r.get(f"{key}_range")
    return f"{r[key]:.3f}" + (f" ({low_high[0]:.3f}–{low_high[1]:.3f})" if low_high else "")


#: The peers' recorded figures on Adult (quality / AUROC at ε = 1 / 3), from ../shared/PEERS.md.
PEERS = (
    "smartnoise MST (mbi sampler) 0.966 / 0.749 and 0.959 / 0.668; MST i.i.d. sampler 0.968 / 0.835 and "
    "0.972 / 0.856; smartnoise AIM 0.981 / 0.759 and 0.987 / 0.746 (478-546 s, 5.4 GB); smartnoise DP-CTGAN "
    "(ε = 3) 0.675 / 0.806; real training data 0.986 / 0.930."
)


def _num(value: Any, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def render(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        f"{args.table}, stratified 80/20 split (seed {SEED}); δ = {DELTA:g}; {args.epochs} epochs, batch "
        f"{args.batch_size}; quality and AUROC ({TARGET} = {POSITIVE}) on the holdout; {args.threads} torch thread(s) "
        "on a shared CPU (timings pessimistic); peak MB = peak RSS of the process that ran the method; "
        f"{args.repeats} run(s) per DP job: mean (min–max).",
        "",
        "| method | ε | ε spent | noise σ | fit s | s/epoch | quality | AUROC (GB) | peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        eps = "∞" if r["epsilon"] is None else f"{r['epsilon']:g}"
        if r["method"].startswith("real"):
            eps = "—"
        if "error" in r:
            lines.append(f"| {r['method']} | {eps} | error: {r['error']} | | | | | | |")
            continue
        lines.append(
            f"| {r['method']} | {eps} | {_num(r.get('epsilon_spent'), '.3f')} | {_num(r.get('noise_multiplier'), '.3f')} "
            f"| {_num(r['fit_s'], '.1f')} | {_num(r['s_per_epoch'], '.2f')} | {_scored(r, 'quality')} | {_scored(r, 'auroc')} "
            f"| {_num(r.get('peak_mb'), '.0f')} |"
        )
    lines += ["", "Peers (../shared/PEERS.md, Adult, same split and scorer): " + PEERS]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
