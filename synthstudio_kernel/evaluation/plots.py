"""Plots for the scorecard: per-column distributions, association differences, DCR histograms.

Plots are drawn from *aggregates* computed once at evaluation time (:func:`plot_data`):
histogram densities over the real 1st–99th percentile range (so extremes are not shown),
category shares where categories with fewer than :data:`MIN_LABEL_COUNT` real rows are
pooled into "other", association matrices and binned distances. Rendering uses
matplotlib's object API with the Agg canvas (no pyplot, no global backend change) and
returns base64 PNG strings ready for ``<img src="data:image/png;base64,...">``.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import numpy as np
import pandas as pd

from .sampling import SampleLimits, SampleLog, subsample
from .tables import EvalTables

#: Categories with fewer real rows than this are pooled (their labels never appear).
MIN_LABEL_COUNT = 10
MAX_CATEGORIES_SHOWN = 12
BINS = 30
MAX_COLUMNS_PLOTTED = 40
REAL_COLOR = "#4C72B0"
SYNTH_COLOR = "#DD8452"
HOLDOUT_COLOR = "#55A868"


def plot_data(
    tables: EvalTables, distances: dict[str, Any] | None, *, limits: SampleLimits, log: SampleLog, seed: int
) -> dict[str, Any]:
    """Aggregates behind every plot (kept out of ``Scorecard.to_dict``)."""
    real = subsample(tables.real, limits.plot_rows, seed=seed, log=log, step="plots", table="real")
    synth = subsample(tables.synthetic, limits.plot_rows, seed=seed + 1, log=log, step="plots", table="synthetic")
    columns = tables.columns[:MAX_COLUMNS_PLOTTED]
    return {
        "distributions": [_distribution(real[c], synth[c], tables.roles[c]) | {"column": c} for c in columns],
        "columns_not_plotted": max(0, len(tables.columns) - MAX_COLUMNS_PLOTTED),
        "association": {
            "columns": tables.columns,
            "real": association_matrix(real, tables).tolist(),
            "synthetic": association_matrix(synth, tables).tolist(),
        },
        "dcr": _dcr_histogram(distances),
    }


def _distribution(real: pd.Series, synth: pd.Series, role: str) -> dict[str, Any]:
    if role == "numeric":
        r = real.dropna().to_numpy(dtype="float64")
        s = synth.dropna().to_numpy(dtype="float64")
        if r.size == 0:
            return {"role": role, "edges": [], "real": [], "synthetic": []}
        low, high = np.percentile(r, [1, 99])
        if not high > low:
            low, high = float(r.min()), float(r.max()) if r.max() > r.min() else float(r.min()) + 1.0
        edges = np.linspace(low, high, BINS + 1)
        return {
            "role": role,
            "edges": edges.tolist(),
            "real": _density(np.clip(r, low, high), edges),
            "synthetic": _density(np.clip(s, low, high), edges) if s.size else [0.0] * BINS,
        }
    counts = real.value_counts()
    labels = [str(v) for v, n in counts.items() if n >= MIN_LABEL_COUNT][:MAX_CATEGORIES_SHOWN]
    real_share = real.value_counts(normalize=True)
    synth_share = synth.value_counts(normalize=True)
    r_values = [float(real_share.get(v, 0.0)) for v in labels]
    s_values = [float(synth_share.get(v, 0.0)) for v in labels]
    return {
        "role": role,
        "labels": [*labels, "other"],
        "real": [*r_values, max(0.0, 1.0 - sum(r_values))],
        "synthetic": [*s_values, max(0.0, 1.0 - sum(s_values))],
    }


def _density(values: np.ndarray, edges: np.ndarray) -> list[float]:
    counts, _ = np.histogram(values, bins=edges)
    total = counts.sum()
    return (counts / total).tolist() if total else [0.0] * (len(edges) - 1)


def association_matrix(frame: pd.DataFrame, tables: EvalTables) -> np.ndarray:
    """Pairwise association: Pearson r (numeric pairs), Cramér's V (categorical pairs),
    correlation ratio η (mixed pairs). Diagonal 1; NaN where undefined."""
    columns = tables.columns
    n = len(columns)
    out = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            value = _association(
                frame[columns[i]], frame[columns[j]], tables.roles[columns[i]], tables.roles[columns[j]]
            )
            out[i, j] = out[j, i] = value
    return out


def _association(a: pd.Series, b: pd.Series, role_a: str, role_b: str) -> float:
    if role_a == "numeric" and role_b == "numeric":
        both = pd.concat([a, b], axis=1).dropna()
        if len(both) < 3 or both.iloc[:, 0].std() == 0 or both.iloc[:, 1].std() == 0:
            return math.nan
        return float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1])
    if role_a == "categorical" and role_b == "categorical":
        return _cramers_v(a, b)
    numbers, groups = (a, b) if role_a == "numeric" else (b, a)
    return _correlation_ratio(numbers, groups)


def _cramers_v(a: pd.Series, b: pd.Series) -> float:
    table = pd.crosstab(a, b).to_numpy(dtype="float64")
    total = table.sum()
    if total == 0 or min(table.shape) < 2:
        return math.nan
    expected = table.sum(axis=1, keepdims=True) @ table.sum(axis=0, keepdims=True) / total
    chi2 = float(((table - expected) ** 2 / np.where(expected > 0, expected, 1)).sum())
    return math.sqrt(chi2 / (total * (min(table.shape) - 1)))


def _correlation_ratio(numbers: pd.Series, groups: pd.Series) -> float:
    frame = pd.DataFrame({"x": numbers, "g": groups}).dropna()
    if len(frame) < 3 or frame["x"].var() == 0:
        return math.nan
    means = frame.groupby("g")["x"].agg(["mean", "count"])
    between = float((means["count"] * (means["mean"] - frame["x"].mean()) ** 2).sum())
    total = float(((frame["x"] - frame["x"].mean()) ** 2).sum())
    return math.sqrt(between / total) if total > 0 else math.nan


def _dcr_histogram(distances: dict[str, Any] | None) -> dict[str, Any] | None:
    if not distances or distances.get("synthetic") is None:
        return None
    synth = np.asarray(distances["synthetic"], dtype="float64")
    hold = None if distances.get("holdout") is None else np.asarray(distances["holdout"], dtype="float64")
    top = max(float(synth.max(initial=0)), float(hold.max(initial=0)) if hold is not None else 0.0, 1e-6)
    edges = np.linspace(0.0, top, BINS + 1)
    return {
        "edges": edges.tolist(),
        "synthetic": _density(synth, edges),
        "holdout": None if hold is None else _density(hold, edges),
    }


# --- rendering ------------------------------------------------------------------------------


def render_all(data: dict[str, Any]) -> dict[str, str]:
    """Every plot as a base64 PNG, by name ("distributions", "association", "dcr")."""
    images = {"distributions": render_distributions(data["distributions"])}
    association = data.get("association")
    if association and len(association["columns"]) >= 2:
        images["association"] = render_association(association)
    if data.get("dcr"):
        images["dcr"] = render_dcr(data["dcr"])
    return images


def render_distributions(distributions: list[dict[str, Any]], per_row: int = 4) -> str:
    """Real vs synthetic per column: density histograms (numeric) or shares of rows
    (categorical), each with labelled axes."""
    from matplotlib.figure import Figure

    per_row = max(1, min(per_row, len(distributions) or 1))
    rows = max(1, math.ceil(len(distributions) / per_row))
    fig = Figure(figsize=(4.0 * per_row, 2.8 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, per_row, squeeze=False)).ravel()
    for ax, item in zip(axes, distributions, strict=False):
        if item["role"] == "numeric" and item.get("edges"):
            edges = np.asarray(item["edges"])
            centers, width = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
            ax.bar(centers, item["real"], width=width, alpha=0.55, color=REAL_COLOR, label="real")
            ax.step(
                edges, [*item["synthetic"], item["synthetic"][-1]], where="post", color=SYNTH_COLOR, label="synthetic"
            )
            ax.set_ylabel("density", fontsize=7)
            ax.set_xlabel(f"{_short(item['column'], 30)} (1st–99th percentile of real)", fontsize=7)
        elif item["role"] == "categorical":
            x = np.arange(len(item["labels"]))
            ax.bar(x - 0.2, item["real"], width=0.4, color=REAL_COLOR, label="real")
            ax.bar(x + 0.2, item["synthetic"], width=0.4, color=SYNTH_COLOR, label="synthetic")
            ax.set_xticks(x, [_short(label) for label in item["labels"]], rotation=60, ha="right", fontsize=7)
            ax.set_ylabel("share of rows", fontsize=7)
        ax.set_title(_short(item["column"], 30), fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in axes[len(distributions) :]:
        ax.set_visible(False)
    if distributions:
        axes[0].legend(fontsize=7)
    return _png(fig)


def render_association(association: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    columns = association["columns"]
    diff = np.abs(
        np.asarray(association["real"], dtype="float64") - np.asarray(association["synthetic"], dtype="float64")
    )
    size = max(4.0, 0.35 * len(columns) + 2.0)
    fig = Figure(figsize=(size + 1.0, size), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(np.ma.masked_invalid(diff), vmin=0.0, vmax=1.0, cmap="Reds")
    ax.set_xticks(range(len(columns)), [_short(c, 18) for c in columns], rotation=90, fontsize=7)
    ax.set_yticks(range(len(columns)), [_short(c, 18) for c in columns], fontsize=7)
    ax.set_title("|association(real) − association(synthetic)|", fontsize=9)
    fig.colorbar(image, ax=ax, shrink=0.8)
    return _png(fig)


def render_dcr(dcr: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    edges = np.asarray(dcr["edges"])
    fig = Figure(figsize=(6.0, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.step(
        edges, [*dcr["synthetic"], dcr["synthetic"][-1]], where="post", color=SYNTH_COLOR, label="synthetic → train"
    )
    if dcr.get("holdout") is not None:
        ax.step(
            edges, [*dcr["holdout"], dcr["holdout"][-1]], where="post", color=HOLDOUT_COLOR, label="holdout → train"
        )
    ax.set_xlabel("distance to closest training record", fontsize=8)
    ax.set_ylabel("share of rows", fontsize=8)
    ax.set_title("Distance to closest record (DCR)", fontsize=9)
    ax.legend(fontsize=8)
    return _png(fig)


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(text: str, limit: int = 14) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
