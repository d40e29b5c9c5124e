"""Utility: train on synthetic, test on real (TSTR) against train on real, test on real (TRTR).

Both models of each family (:mod:`.models`) are scored on the same real test rows: the
holdout when one is given, otherwise a 25 % split of the real table (then the synthetic
data may have been fitted on the test rows, which flatters TSTR; the result says so).

Per family the score is the share of the real data's skill that synthetic data keeps:
classification ``(AUROC_tstr - 0.5) / (AUROC_trtr - 0.5)``, regression
``max(R²_tstr, 0) / R²_trtr``, both clipped to [0, 1]. The utility score is their mean.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ._threads import limited_threads
from ._util import clip01, mean_or_none, num
from .models import MODEL_FAMILIES, ModelFamily, build_pipeline
from .sampling import SampleLimits, SampleLog, subsample
from .tables import EvalTables
from .target import TargetChoice, choose_target, target_values

#: Share of the real table held out for testing when no holdout is given.
TEST_SHARE = 0.25
#: Below this real skill (AUROC - 0.5, or R²) the ratio is too unstable to report as a score.
MIN_REAL_SKILL = 0.05


def utility_report(
    tables: EvalTables, *, target: str | None, limits: SampleLimits, log: SampleLog, seed: int
) -> dict[str, Any]:
    """TSTR vs TRTR for every registered model family on the chosen target."""
    choice = choose_target(tables, target)
    if choice.column is None or choice.task is None:
        return {
            "score": None,
            "summary": "Utility not measured: " + choice.reason,
            "details": {"target": choice.to_dict(), "models": [], "notes": [choice.reason]},
        }
    column, task = choice.column, choice.task
    notes: list[str] = []
    train_real, test, test_label = _real_split(tables, column, task, seed, notes)
    train_real = subsample(train_real, limits.utility_train_rows, seed=seed, log=log, step="utility", table="real")
    test = subsample(test, limits.utility_test_rows, seed=seed + 1, log=log, step="utility", table=test_label)
    synth = _usable(tables, column, tables.synthetic, notes, task, train_real)
    synth = subsample(synth, limits.utility_train_rows, seed=seed + 2, log=log, step="utility", table="synthetic")

    features = [c for c in tables.columns if c != column]
    numeric = [c for c in tables.numeric if c != column]
    categorical = [c for c in tables.categorical if c != column]
    classes = sorted(map(str, target_values(tables, column, train_real).unique())) if task == "classification" else []
    empty = [c for c in numeric if not synth[c].notna().any()]
    if empty:
        notes.append(
            f"{len(empty)} numeric column(s) are entirely missing in the synthetic data; TSTR models ignore them."
        )
    y_test = _labels(test[column], task)

    models = []
    for family in MODEL_FAMILIES.values():
        start = time.perf_counter()
        trtr = _fit_score(family, task, train_real, column, features, numeric, categorical, test, y_test, classes, seed)
        tstr = _fit_score(family, task, synth, column, features, numeric, categorical, test, y_test, classes, seed)
        models.append(_family_record(family, task, trtr, tstr, time.perf_counter() - start, notes))
    score = mean_or_none([m["score"] for m in models])
    primary = "roc_auc" if task == "classification" else "r2"
    details = {
        "target": choice.to_dict(),
        "test_set": test_label,
        "rows": {"train_real": len(train_real), "train_synthetic": len(synth), "test": len(test)},
        "primary_metric": primary,
        "models": models,
        "notes": notes,
    }
    if task == "classification":
        details["classes"] = class_coverage(target_values(tables, column, train_real), synth[column])
    return {"score": score, "summary": _summary(score, choice, models, primary, test_label), "details": details}


def class_coverage(real: pd.Series, synthetic: pd.Series) -> dict[str, Any]:
    """How many of the real target classes the synthetic rows contain (counts and shares only).

    ``rarest_missing_share`` is the real share of the rarest class absent from the synthetic
    rows (None when every class is present): a lost rare class is a common cause of low utility.
    """
    shares = real.astype(str).value_counts(normalize=True)
    present = set(synthetic.astype(str).unique())
    missing = [c for c in shares.index if c not in present]
    return {
        "real": len(shares),
        "synthetic": len(shares) - len(missing),
        "missing": len(missing),
        "rarest_real_share": num(shares.min()) if len(shares) else None,
        "rarest_missing_share": num(min(shares[c] for c in missing)) if missing else None,
    }


def _real_split(
    tables: EvalTables, column: str, task: str, seed: int, notes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    real = _rows_with_target(tables, column, tables.real)
    if tables.holdout is not None:
        holdout = _rows_with_target(tables, column, tables.holdout)
        if len(holdout) >= 2:
            return real, holdout, "holdout"
        notes.append("The holdout has fewer than 2 rows with a target value; a split of the real table was used.")
    from sklearn.model_selection import train_test_split

    labels = real[column].astype(str)
    stratify = labels if task == "classification" and labels.value_counts().min() >= 2 else None
    train, test = train_test_split(real, test_size=TEST_SHARE, random_state=seed, stratify=stratify)
    notes.append(
        "No holdout: models are tested on a 25% split of the real table. The synthetic data may have "
        "been generated from those test rows, so TSTR can be optimistic; pass a holdout for an honest score."
    )
    return train.reset_index(drop=True), test.reset_index(drop=True), "split of real (25%)"


def _rows_with_target(tables: EvalTables, column: str, frame: pd.DataFrame) -> pd.DataFrame:
    keep = target_values(tables, column, frame).index
    return frame.loc[keep].reset_index(drop=True)


def _usable(
    tables: EvalTables, column: str, frame: pd.DataFrame, notes: list[str], task: str, real: pd.DataFrame
) -> pd.DataFrame:
    """Synthetic rows with a target value (and, for classification, a class the real data knows)."""
    rows = _rows_with_target(tables, column, frame)
    if task == "classification":
        known = set(real[column].astype(str).unique())
        mask = rows[column].astype(str).isin(known)
        if not mask.all():
            notes.append(
                f"{int((~mask).sum())} synthetic row(s) with a target class unknown to the real data were left out."
            )
        rows = rows[mask].reset_index(drop=True)
    dropped = len(frame) - len(rows)
    if dropped and task != "classification":
        notes.append(f"{dropped} synthetic row(s) without a target value were left out.")
    return rows


def _labels(values: pd.Series, task: str) -> np.ndarray:
    return values.astype(str).to_numpy() if task == "classification" else values.to_numpy(dtype="float64")


def _fit_score(
    family: ModelFamily,
    task: str,
    train: pd.DataFrame,
    column: str,
    features: list[str],
    numeric: list[str],
    categorical: list[str],
    test: pd.DataFrame,
    y_test: np.ndarray,
    classes: list[str],
    seed: int,
) -> dict[str, Any]:
    y_train = _labels(train[column], task)
    if len(train) < 2 or (task == "classification" and len(set(y_train)) < 2):
        return _constant_scores(task, y_train, y_test, classes)
    numeric = [c for c in numeric if train[c].notna().any()]  # an all-missing feature carries nothing
    if not numeric and not categorical:
        return _constant_scores(task, y_train, y_test, classes)
    model = build_pipeline(family, task, numeric, categorical, seed)
    with warnings.catch_warnings(), limited_threads():
        warnings.simplefilter("ignore")
        model.fit(train[features], y_train)
        if task == "regression":
            return _regression_scores(y_test, model.predict(test[features]))
        proba = _aligned_proba(model, test[features], classes)
    return _classification_scores(y_test, proba, classes)


def _aligned_proba(model: Any, features: pd.DataFrame, classes: list[str]) -> np.ndarray:
    raw = model.predict_proba(features)
    proba = np.zeros((len(features), len(classes)))
    position = {c: i for i, c in enumerate(classes)}
    for j, label in enumerate(model.classes_):
        if str(label) in position:
            proba[:, position[str(label)]] = raw[:, j]
    return proba


def _constant_scores(task: str, y_train: np.ndarray, y_test: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """What a model that always predicts the training majority / mean scores."""
    if task == "regression":
        mean = float(np.mean(y_train)) if len(y_train) else 0.0
        return {**_regression_scores(y_test, np.full(len(y_test), mean)), "constant": True}
    proba = np.zeros((len(y_test), len(classes)))
    if len(y_train):
        values, counts = np.unique(y_train, return_counts=True)
        for value, count in zip(values, counts, strict=True):
            if value in classes:
                proba[:, classes.index(value)] = count / counts.sum()
    return {**_classification_scores(y_test, proba, classes), "constant": True}


def _classification_scores(y_true: np.ndarray, proba: np.ndarray, classes: list[str]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    predicted = np.asarray(classes, dtype=object)[proba.argmax(axis=1)] if len(classes) else y_true
    # Binary: the AUROC of one class (the other's is the same); multiclass: macro one-vs-rest.
    scored = [1] if len(classes) == 2 else range(len(classes))
    aucs = []
    for i in scored:
        positive = y_true == classes[i]
        if 0 < positive.sum() < len(positive):
            aucs.append(roc_auc_score(positive, proba[:, i]))
    return {
        "roc_auc": num(np.mean(aucs)) if aucs else None,
        "f1_macro": num(f1_score(y_true, predicted, average="macro", zero_division=0)),
        "accuracy": num(accuracy_score(y_true, predicted)),
    }


def _regression_scores(y_true: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import mean_absolute_error, r2_score

    return {"r2": num(r2_score(y_true, predicted)), "mae": num(mean_absolute_error(y_true, predicted))}


def _family_record(
    family: ModelFamily, task: str, trtr: dict[str, Any], tstr: dict[str, Any], seconds: float, notes: list[str]
) -> dict[str, Any]:
    metrics = ("roc_auc", "f1_macro", "accuracy") if task == "classification" else ("r2", "mae")
    ratio = {}
    for m in metrics:
        real_value, synth_value = trtr.get(m), tstr.get(m)
        ratio[m] = num(synth_value / real_value) if real_value and synth_value is not None else None
    if tstr.get("constant"):
        notes.append(f"{family.label}: the synthetic data has a single target class, so TSTR is a constant predictor.")
    return {
        "family": family.name,
        "label": family.label,
        "trtr": {m: trtr.get(m) for m in metrics},
        "tstr": {m: tstr.get(m) for m in metrics},
        "ratio": ratio,
        "score": _skill_kept(task, trtr, tstr),
        "seconds": round(seconds, 3),
    }


def _skill_kept(task: str, trtr: dict[str, Any], tstr: dict[str, Any]) -> float | None:
    if task == "classification":
        real, synth = trtr.get("roc_auc"), tstr.get("roc_auc")
        if real is None or synth is None or real - 0.5 < MIN_REAL_SKILL:
            return None
        return clip01((synth - 0.5) / (real - 0.5))
    real, synth = trtr.get("r2"), tstr.get("r2")
    if real is None or synth is None or real < MIN_REAL_SKILL:
        return None
    return clip01(max(synth, 0.0) / real)


def _summary(score: float | None, choice: TargetChoice, models: list[dict[str, Any]], primary: str, test: str) -> str:
    label = {"roc_auc": "AUROC", "r2": "R²"}[primary]
    parts = [
        f"{m['label']}: {label} {_fmt(m['tstr'][primary])} (synthetic) vs {_fmt(m['trtr'][primary])} (real)"
        for m in models
    ]
    head = (
        "Utility not measurable (the real data itself predicts the target poorly)"
        if score is None
        else f"Utility {score:.2f}"
    )
    return f"{head} predicting {choice.column!r} ({choice.task}, tested on the {test}). " + "; ".join(parts) + "."


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
