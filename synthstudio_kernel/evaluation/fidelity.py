"""Fidelity: SDMetrics' quality and diagnostic reports, plus our own validity checks.

Numeric columns are ``numerical`` and every other evaluated column ``categorical`` for
SDMetrics, with missing values as their own category (see :mod:`.tables`). The score
is SDMetrics' overall quality score: the mean of Column Shapes (KS / TV complement per
column) and Column Pair Trends (correlation / contingency similarity per pair, over
the pairs whose real association passes SDMetrics' thresholds).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ._util import num
from .sampling import SampleLimits, SampleLog, subsample
from .tables import MISSING, EvalTables

_TABLE = "table"


def sdmetrics_metadata(tables: EvalTables) -> dict[str, Any]:
    """Unified SDMetrics metadata for the evaluated columns."""
    sdtypes = {"numeric": "numerical", "categorical": "categorical"}
    columns = {c: {"sdtype": sdtypes[role]} for c, role in tables.roles.items()}
    return {"tables": {_TABLE: {"columns": columns}}}


def fidelity_report(tables: EvalTables, *, limits: SampleLimits, log: SampleLog, seed: int) -> dict[str, Any]:
    """Quality (score + per-column and per-pair detail) and diagnostics."""
    real = subsample(tables.real, limits.fidelity_rows, seed=seed, log=log, step="fidelity", table="real")
    synth = subsample(
        tables.synthetic, limits.fidelity_rows, seed=seed + 1, log=log, step="fidelity", table="synthetic"
    )
    quality = _quality(real, synth, tables)
    diagnostics = _diagnostics(real, synth, tables)
    score = quality["score"]
    return {
        "score": score,
        "summary": _summary(score, quality, diagnostics),
        "details": {"quality": quality, "diagnostics": diagnostics},
    }


def _quality(real: pd.DataFrame, synth: pd.DataFrame, tables: EvalTables) -> dict[str, Any]:
    from sdmetrics.reports import QualityReport

    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate({_TABLE: real}, {_TABLE: synth}, sdmetrics_metadata(tables), verbose=False)
    properties = {row.Property: num(row.Score) for row in report.get_properties().itertuples()}
    shapes = report.get_details("Column Shapes")
    pairs = report.get_details("Column Pair Trends")
    column_records: list[dict[str, Any]] = [
        {"column": str(r["Column"]), "metric": str(r["Metric"]), "score": num(r["Score"])} for _, r in shapes.iterrows()
    ]
    pair_records = [_pair_record(r) for _, r in pairs.iterrows()]
    sdmetrics_score = num(report.get_score())
    unscored = [c["column"] for c in column_records if c["score"] is None]
    shapes_score = properties.get("Column Shapes")
    if unscored:
        # SDMetrics drops a column it cannot score (e.g. no synthetic value at all); count it as 0.
        shapes_score = sum(float(c["score"] or 0.0) for c in column_records) / len(column_records)
    parts = [v for v in (shapes_score, properties.get("Column Pair Trends")) if v is not None]
    overall = sum(parts) / len(parts) if parts else None
    return {
        "score": 0.0 if overall is None else overall,
        "sdmetrics_score": sdmetrics_score,
        "unscored_columns": unscored,
        "column_shapes": {"score": shapes_score, "columns": column_records},
        "column_pair_trends": {
            "score": properties.get("Column Pair Trends"),
            "pairs_contributing": sum(1 for p in pair_records if p["contributes"]),
            "pairs": pair_records,
        },
        "worst_columns": [c["column"] for c in sorted(column_records, key=_score_key)[:5]],
        "worst_pairs": [p["columns"] for p in sorted(pair_records, key=_score_key) if p["contributes"]][:5],
    }


def _pair_record(row: pd.Series) -> dict[str, Any]:
    meets = row.get("Meets Threshold?")
    return {
        "columns": [str(row["Column 1"]), str(row["Column 2"])],
        "metric": str(row["Metric"]),
        "score": num(row["Score"]),
        "real_correlation": num(row.get("Real Correlation")),
        "synthetic_correlation": num(row.get("Synthetic Correlation")),
        "real_association": num(row.get("Real Association")),
        "contributes": bool(meets) if meets is not None and not pd.isna(meets) else False,
    }


def _diagnostics(real: pd.DataFrame, synth: pd.DataFrame, tables: EvalTables) -> dict[str, Any]:
    from sdmetrics.reports import DiagnosticReport

    report = DiagnosticReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate({_TABLE: real}, {_TABLE: synth}, sdmetrics_metadata(tables), verbose=False)
    properties = {row.Property: num(row.Score) for row in report.get_properties().itertuples()}
    validity = report.get_details("Data Validity")
    adherence = [
        {"column": str(r["Column"]), "metric": str(r["Metric"]), "score": num(r["Score"])}
        for _, r in validity.iterrows()
    ]
    valid_rows, new_categories, out_of_bounds = _row_validity(real, synth, tables)
    return {
        "score": num(report.get_score()),
        "data_validity": properties.get("Data Validity"),
        "data_structure": properties.get("Data Structure"),
        "adherence": adherence,
        "new_categories": new_categories,
        "out_of_bounds": out_of_bounds,
        "missing_rates": _missing_rates(real, synth, tables),
        "row_validity": valid_rows,
        "collapsed_columns": _collapsed(real, synth, tables),
    }


def _row_validity(
    real: pd.DataFrame, synth: pd.DataFrame, tables: EvalTables
) -> tuple[float, list[dict[str, Any]], list[dict[str, Any]]]:
    """Share of synthetic rows whose every value is plausible, and the per-column failures.

    A value is plausible when it is a category seen in the real table, or a number within
    the real column's range (missing allowed only where the real column has missing values).
    """
    valid = np.ones(len(synth), dtype=bool)
    new_categories: list[dict[str, Any]] = []
    out_of_bounds: list[dict[str, Any]] = []
    for col in tables.categorical:
        known = set(real[col].unique())
        seen = set(synth[col].unique())
        unknown = seen - known
        bad = synth[col].isin(unknown).to_numpy() if unknown else np.zeros(len(synth), dtype=bool)
        valid &= ~bad
        new_categories.append(
            {"column": col, "new_categories": len(unknown), "share_of_rows": float(bad.mean()) if len(bad) else 0.0}
        )
    for col in tables.numeric:
        values = synth[col].to_numpy(dtype="float64")
        reference = real[col].to_numpy(dtype="float64")
        finite = reference[~np.isnan(reference)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (-np.inf, np.inf)
        nan = np.isnan(values)
        outside = ~nan & ((values < low) | (values > high))
        bad_missing = nan & (not np.isnan(reference).any())
        valid &= ~(outside | bad_missing)
        out_of_bounds.append(
            {
                "column": col,
                "share_below": float((values[~nan] < low).mean()) if (~nan).any() else 0.0,
                "share_above": float((values[~nan] > high).mean()) if (~nan).any() else 0.0,
                "share_unexpected_missing": float(bad_missing.mean()),
            }
        )
    return (float(valid.mean()) if len(valid) else 0.0), new_categories, out_of_bounds


def _collapsed(real: pd.DataFrame, synth: pd.DataFrame, tables: EvalTables) -> list[str]:
    """Columns that vary in the real table but hold at most one value in the synthetic one."""

    def distinct(frame: pd.DataFrame, col: str) -> int:
        values = frame[col]
        values = values[values != MISSING] if tables.roles[col] == "categorical" else values.dropna()
        return int(values.nunique())

    return [c for c in tables.columns if distinct(real, c) >= 2 and distinct(synth, c) <= 1]


def _missing_rates(real: pd.DataFrame, synth: pd.DataFrame, tables: EvalTables) -> list[dict[str, Any]]:
    def rate(frame: pd.DataFrame, col: str) -> float:
        if tables.roles[col] == "categorical":
            return float((frame[col] == MISSING).mean())
        return float(frame[col].isna().mean())

    return [{"column": c, "real": rate(real, c), "synthetic": rate(synth, c)} for c in tables.columns]


def _summary(score: float, quality: dict[str, Any], diagnostics: dict[str, Any]) -> str:
    shapes = quality["column_shapes"]["score"]
    trends = quality["column_pair_trends"]["score"]
    parts = [f"Quality {score:.2f}"]
    if shapes is not None:
        parts.append(f"column shapes {shapes:.2f}")
    if trends is not None:
        parts.append(f"pair trends {trends:.2f}")
    text = ", ".join(parts) + f"; {diagnostics['row_validity']:.0%} of synthetic rows are fully valid."
    if quality["unscored_columns"]:
        text += f" {len(quality['unscored_columns'])} column(s) have no synthetic values and count as 0."
    return text


def _score_key(record: dict[str, Any]) -> float:
    value = record.get("score")
    return math.inf if value is None else float(value)
