"""Outliers: Tukey's IQR fences and robust z-scores per numeric column (all rows), and an
Isolation Forest over the numeric columns together (on a sample).

* IQR: a value is an outlier outside ``[Q1 - k·IQR, Q3 + k·IQR]`` (k = 1.5).
* Robust z: ``z = (x - median) / (1.4826 · MAD)``; an outlier has ``|z| > 3.5`` (the
  Iglewicz-Hoaglin rule). When MAD is 0 (more than half the values are equal), the
  scale falls back to ``1.2533 · mean absolute deviation`` from the median, and when
  that is 0 too the column has no robust-z outliers.
* Isolation Forest (scikit-learn, imported only when used): anomaly score
  ``s = 2^(-E[h(x)]/c(n))`` from Liu et al. (2008); rows with ``s > 0.6`` are flagged.
  Missing values are imputed with the column median of the sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._json import clean

IQR_K = 1.5
ROBUST_Z_THRESHOLD = 3.5
#: MAD · 1.4826 estimates the standard deviation of normal data.
MAD_TO_SD = 1.4826
#: mean absolute deviation · sqrt(pi / 2) estimates it too (used when MAD is 0).
MEANAD_TO_SD = math.sqrt(math.pi / 2)
IFOREST_THRESHOLD = 0.6
IFOREST_TREES = 100
#: Fewer sampled rows than this and the Isolation Forest is not run.
IFOREST_MIN_ROWS = 50


@dataclass(frozen=True)
class Fence:
    """Lower and upper bounds and how many present values fall outside them."""

    lower: float
    upper: float
    count: int
    share: float

    def to_dict(self) -> dict[str, Any]:
        return {"lower": self.lower, "upper": self.upper, "count": self.count, "share": self.share}


@dataclass(frozen=True)
class ColumnOutliers:
    column: str
    count: int
    iqr: Fence
    iqr_k: float
    robust_z: Fence
    center: float
    scale: float
    scale_kind: str  # "mad", "meanad" or "none"
    z_threshold: float

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {
                "column": self.column,
                "count": self.count,
                "iqr": {**self.iqr.to_dict(), "k": self.iqr_k},
                "robust_z": {
                    **self.robust_z.to_dict(),
                    "threshold": self.z_threshold,
                    "median": self.center,
                    "scale": self.scale,
                    "scale_kind": self.scale_kind,
                },
            }
        )


@dataclass(frozen=True)
class IsolationForestResult:
    """Multivariate outliers among sampled rows (``skipped`` says why when not run)."""

    columns: tuple[str, ...]
    sample_size: int
    count: int
    share: float
    share_ci95: tuple[float, float]
    threshold: float
    n_estimators: int
    seed: int
    drivers: tuple[str, ...] = ()
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {
                "method": "isolation_forest",
                "columns": list(self.columns),
                "sample_size": self.sample_size,
                "count": self.count,
                "share": self.share,
                "share_ci95": list(self.share_ci95),
                "score_threshold": self.threshold,
                "n_estimators": self.n_estimators,
                "seed": self.seed,
                "drivers": list(self.drivers),
                "imputation": "column median",
                "skipped": self.skipped,
            }
        )


# --- univariate --------------------------------------------------------------------


def iqr_fence(x: np.ndarray, k: float = IQR_K, quartiles: tuple[float, float] | None = None) -> Fence:
    """Tukey's fences ``[Q1 - k·IQR, Q3 + k·IQR]`` over finite ``x`` and the count outside."""
    q1, q3 = quartiles if quartiles is not None else (float(np.quantile(x, 0.25)), float(np.quantile(x, 0.75)))
    spread = q3 - q1
    lower, upper = q1 - k * spread, q3 + k * spread
    return _fence(x, lower, upper)


def robust_scale(x: np.ndarray, center: float | None = None) -> tuple[float, float, str]:
    """(median, scale, kind): 1.4826·MAD, else 1.2533·mean absolute deviation, else 0."""
    median = float(np.median(x)) if center is None else center
    dev = np.abs(x - median)
    mad = float(np.median(dev))
    if mad > 0:
        return median, MAD_TO_SD * mad, "mad"
    meanad = float(dev.mean())
    if meanad > 0:
        return median, MEANAD_TO_SD * meanad, "meanad"
    return median, 0.0, "none"


def robust_z_scores(x: np.ndarray) -> np.ndarray:
    """``(x - median) / scale`` (zeros when the scale is 0)."""
    median, scale, _ = robust_scale(x)
    return np.zeros_like(x, dtype=float) if scale == 0 else (x - median) / scale


def robust_z_fence(
    x: np.ndarray, threshold: float = ROBUST_Z_THRESHOLD, center: float | None = None
) -> tuple[Fence, float, float, str]:
    """Bounds ``median ± threshold·scale``, the count outside, and the center/scale used."""
    median, scale, kind = robust_scale(x, center)
    fence = _fence(x, median - threshold * scale, median + threshold * scale)
    if scale == 0:
        fence = Fence(median, median, 0, 0.0)
    return fence, median, scale, kind


def column_outliers(
    name: str,
    values: np.ndarray,
    *,
    quartiles: tuple[float, float] | None = None,
    median: float | None = None,
    k: float = IQR_K,
    threshold: float = ROBUST_Z_THRESHOLD,
) -> ColumnOutliers | None:
    """Both univariate rules for one column (None when it has no present values)."""
    x = values[~np.isnan(values)]
    if x.size == 0:
        return None
    z_fence, center, scale, kind = robust_z_fence(x, threshold, median)
    return ColumnOutliers(
        column=name,
        count=int(x.size),
        iqr=iqr_fence(x, k, quartiles),
        iqr_k=k,
        robust_z=z_fence,
        center=center,
        scale=scale,
        scale_kind=kind,
        z_threshold=threshold,
    )


def _fence(x: np.ndarray, lower: float, upper: float) -> Fence:
    outside = int(np.count_nonzero((x < lower) | (x > upper)))
    return Fence(float(lower), float(upper), outside, outside / x.size if x.size else 0.0)


# --- multivariate ------------------------------------------------------------------


def isolation_forest(
    numeric: dict[str, np.ndarray],
    *,
    seed: int = 0,
    threshold: float = IFOREST_THRESHOLD,
    n_estimators: int = IFOREST_TREES,
) -> IsolationForestResult:
    """Fit an Isolation Forest on the (already sampled) numeric columns and count rows above ``threshold``."""
    columns = tuple(name for name, v in numeric.items() if _varies(v))
    n = len(next(iter(numeric.values()))) if numeric else 0
    skipped = None
    if len(columns) < 2:
        skipped = "needs at least 2 non-constant numeric columns"
    elif n < IFOREST_MIN_ROWS:
        skipped = f"needs at least {IFOREST_MIN_ROWS} rows"
    if skipped:
        return IsolationForestResult(columns, n, 0, 0.0, (0.0, 0.0), threshold, n_estimators, seed, skipped=skipped)

    from sklearn.ensemble import IsolationForest  # heavy: imported only when profiling runs

    matrix = np.column_stack([_impute_median(numeric[c]) for c in columns])
    forest = IsolationForest(n_estimators=n_estimators, random_state=seed).fit(matrix)
    scores = -forest.score_samples(matrix)  # the paper's anomaly score s in (0, 1]
    flagged = scores > threshold
    count = int(flagged.sum())
    share = count / n
    return IsolationForestResult(
        columns=columns,
        sample_size=n,
        count=count,
        share=share,
        share_ci95=wilson_interval(count, n),
        threshold=threshold,
        n_estimators=n_estimators,
        seed=seed,
        drivers=_drivers(matrix, flagged, columns),
    )


def wilson_interval(count: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion ``count / n`` (sound near 0 and 1)."""
    if n <= 0:
        return 0.0, 1.0
    p = count / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, center - half), min(1.0, center + half)


def _varies(values: np.ndarray) -> bool:
    present = values[~np.isnan(values)]
    return present.size > 1 and bool(present.min() < present.max())


def _impute_median(values: np.ndarray) -> np.ndarray:
    missing = np.isnan(values)
    if not missing.any():
        return values
    filled = values.copy()
    filled[missing] = np.nanmedian(values)
    return filled


def _drivers(matrix: np.ndarray, flagged: np.ndarray, columns: tuple[str, ...], top: int = 3) -> tuple[str, ...]:
    """Columns whose values are most extreme (mean |robust z|) among the flagged rows."""
    if not flagged.any():
        return ()
    strength = []
    for j in range(matrix.shape[1]):
        median, scale, _ = robust_scale(matrix[:, j])
        z = np.abs(matrix[flagged, j] - median) / scale if scale > 0 else np.zeros(int(flagged.sum()))
        strength.append(float(z.mean()))
    order = np.argsort(strength)[::-1][:top]
    return tuple(columns[j] for j in order)
