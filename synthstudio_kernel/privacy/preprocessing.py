"""Differentially private preprocessing: column bounds, value histograms and category sets.

Everything a DP synthesizer learns about a column *before* DP-SGD comes from here:
either declared public metadata (``public_bounds={"age": (17, 90)}``,
``categories={"sex": ["female", "male"]}``) or Gaussian-noised statistics whose cost is
accounted. Each release is a histogram in which one row changes one cell by one, so every
release has L2 sensitivity 1 and all releases share one noise multiplier ``σ_pre``:

- numeric / datetime columns: (a) bounds, unless declared: a noisy histogram over fixed
  power-of-two bins, keeping the outermost bins whose noisy count clears ``4 σ_pre``;
  (b) point masses ("spikes", such as 0 in a capital-gain column or missing values):
  noisy counts of the exact values, released only above a threshold ``τ`` (partition
  selection); (c) a noisy histogram of the values inside the bounds, from which DP
  quantiles and the CDF are derived.
- categorical / boolean columns: noisy counts; over declared (or boolean) categories as
  is, otherwise thresholded at ``τ``: categories under the threshold fold into ``"other"``.

Preprocessing takes ``DEFAULT_PREPROCESSING_SHARE`` (10%) of the target ε by default; the
thresholded releases take a total-variation slack ``δ_sel`` (see ``accounting.rdp``).
Identifier columns are never read (fresh keys are generated); free-text columns are left out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from ..data import ColumnKind, Dataset
from ..data.queries import MISSING, numeric_values
from ..data.queries import category_key as _key
from ..errors import ConfigError, PrivacyError
from .accounting import CalibrationError, Mechanism, RDPAccountant, calibrate_gaussian
from .randomness import NoiseSource

#: Share of the target ε spent on preprocessing unless the caller says otherwise.
DEFAULT_PREPROCESSING_SHARE = 0.10
#: Share of δ (times e^-ε) given to the thresholded releases.
SELECTION_DELTA_SHARE = 0.10
#: Bounds: a power-of-two bin must clear this many noise standard deviations ...
BOUNDS_SIGMAS = 4.0
#: ... and more where needed so that noise alone sets a bound far outside the data with at most
#: this chance over the whole scan (at 4 σ for each of 146 bins, about one undeclared column in
#: 200 got a bound such as -2^40 for positive values). The marginal methods' bounds use it too.
BOUNDS_FALSE_RATE = 1e-5
#: A column's missing-value cell, released as a noisy count, stays empty under this many σ (+ 1):
#: at 3 σ, one complete column in about 700 came back with 2-10% missing values, which breaks
#: code that never needed to handle them. The marginal methods use it too.
MISSING_SIGMAS = 4.5
#: Power-of-two bins a numeric column's values typically spread over (for the row check).
BOUNDS_SPREAD = 4.0
#: Histogram bins whose noisy count stays under this many σ are treated as empty.
EMPTY_BIN_SIGMAS = 3.0
#: At most this many exact values per numeric column are modelled as point masses.
MAX_SPIKES = 64
#: Histogram resolution: between these many bins, about one per ``BIN_ROWS_PER_SIGMA · σ`` rows.
MIN_BINS, MAX_BINS, BIN_ROWS_PER_SIGMA = 16, 64, 5.0
#: Power-of-two bin edges used to find bounds: ±2^k for k in this range, plus 0.
_POW_MIN, _POW_MAX = -10, 62
#: Label of the bucket that takes categories under the threshold.
OTHER = "other"

NUMERIC_KINDS = (ColumnKind.NUMERIC, ColumnKind.DATETIME)
CATEGORICAL_KINDS = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)


# --- the plan: how much noise, computed from the schema only -----------------------------
@dataclass(frozen=True)
class ColumnPlan:
    """How one column is preprocessed; decided from its kind and the declared metadata."""

    column: str
    role: str  # "numeric" | "categorical" | "identifier" | "dropped"
    datetime: bool = False
    public_bounds: tuple[float, float] | None = None
    public_categories: tuple[Any, ...] | None = None

    @property
    def releases(self) -> int:
        """Gaussian releases this column needs."""
        if self.role == "numeric":
            return (0 if self.public_bounds else 1) + 2
        if self.role == "categorical":
            return 1
        return 0

    @property
    def thresholded(self) -> int:
        """Releases over an unknown domain (partition selection)."""
        if self.role == "numeric":
            return 1
        if self.role == "categorical":
            return 0 if self.public_categories is not None else 1
        return 0


@dataclass(frozen=True)
class PreprocessingPlan:
    """Noise for all preprocessing releases, fixed before any data value is read."""

    columns: tuple[ColumnPlan, ...]
    n_rows: int
    noise_multiplier: float
    selection_delta: float
    epsilon_budget: float

    @property
    def releases(self) -> int:
        return sum(c.releases for c in self.columns)

    @property
    def n_thresholded(self) -> int:
        return sum(c.thresholded for c in self.columns)

    @property
    def threshold(self) -> float:
        """Noisy count a key from an unknown domain must reach to be released."""
        if self.n_thresholded == 0:
            return 0.0
        from scipy.stats import norm

        # A key absent from the neighbouring table has count 1 here, so the noisy count must
        # clear 1 + σ·Φ⁻¹(1 − δ_sel/k) for the release to exceed δ_sel/k with probability ≤ δ_sel/k.
        per_release = self.selection_delta / self.n_thresholded
        return float(1.0 + self.noise_multiplier * norm.isf(per_release))

    @property
    def rows_needed_for_bounds(self) -> float:
        """Rows below which the DP range of an undeclared numeric column is mostly noise.

        A bin at the edge of the range must clear ``BOUNDS_SIGMAS`` σ; values usually spread over
        a few power-of-two bins, so about ``BOUNDS_SPREAD`` times that many rows are needed.
        """
        if not any(c.role == "numeric" and c.public_bounds is None for c in self.columns):
            return 0.0
        return BOUNDS_SPREAD * BOUNDS_SIGMAS * self.noise_multiplier

    def mechanisms(self) -> list[Mechanism]:
        if self.releases == 0:
            return []
        return [
            Mechanism(
                "preprocessing",
                self.noise_multiplier,
                1.0,
                self.releases,
                self.selection_delta,
            )
        ]

    def epsilon(self, *, delta: float) -> float:
        """ε of preprocessing on its own at ``delta`` (0 when everything is public)."""
        if self.releases == 0:
            return 0.0
        return RDPAccountant.of(self.mechanisms()).epsilon(delta=delta)

    def public_metadata(self) -> dict[str, Any]:
        """What was declared public (column names and declared bounds; no data values)."""
        return {
            "row_count": True,
            "bounds": {c.column: list(c.public_bounds) for c in self.columns if c.public_bounds},
            "categories": sorted(c.column for c in self.columns if c.public_categories is not None),
            "boolean_columns": sorted(
                c.column for c in self.columns if c.role == "categorical" and c.public_categories == (False, True)
            ),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "releases": self.releases,
            "thresholded_releases": self.n_thresholded,
            "noise_multiplier": float(self.noise_multiplier),
            "selection_delta": float(self.selection_delta),
            "threshold": self.threshold,
            "epsilon_budget": float(self.epsilon_budget),
            "columns": {c.column: c.role for c in self.columns},
            "public": self.public_metadata(),
        }


def checked_declarations(
    dataset: Dataset,
    public_bounds: Mapping[str, Sequence[Any]] | None,
    categories: Mapping[str, Sequence[Any]] | None,
) -> tuple[dict[str, Sequence[Any]], dict[str, Sequence[Any]]]:
    """The declared public bounds and categories, refused when they name unknown columns or both."""
    bounds, cats = dict(public_bounds or {}), dict(categories or {})
    unknown = sorted((set(bounds) | set(cats)) - set(dataset.columns))
    if unknown:
        raise ConfigError(f"Public metadata given for unknown column(s): {', '.join(map(repr, unknown))}.")
    both = sorted(set(bounds) & set(cats))
    if both:
        raise ConfigError(f"Give either bounds or categories for a column, not both: {', '.join(map(repr, both))}.")
    return bounds, cats


def column_plans(
    dataset: Dataset,
    *,
    public_bounds: Mapping[str, Sequence[Any]] | None = None,
    categories: Mapping[str, Sequence[Any]] | None = None,
) -> tuple[ColumnPlan, ...]:
    """Decide each column's role from its kind and the declared public metadata."""
    public_bounds, categories = checked_declarations(dataset, public_bounds, categories)
    plans = []
    for column in dataset.columns:
        kind = dataset.kinds[column]
        if column in categories:
            plans.append(ColumnPlan(column, "categorical", public_categories=_declared_categories(column, categories)))
        elif kind in NUMERIC_KINDS:
            bounds = _declared_bounds(column, public_bounds[column], kind) if column in public_bounds else None
            plans.append(ColumnPlan(column, "numeric", datetime=kind is ColumnKind.DATETIME, public_bounds=bounds))
        elif column in public_bounds:
            raise ConfigError(f"Bounds were declared for column {column!r}, which is {kind.value}, not numeric.")
        elif kind is ColumnKind.BOOLEAN and pd.api.types.is_bool_dtype(dataset.frame[column].dtype):
            # A bool dtype's domain is part of the schema: public, no threshold needed.
            plans.append(ColumnPlan(column, "categorical", public_categories=(False, True)))
        elif kind in CATEGORICAL_KINDS:
            plans.append(ColumnPlan(column, "categorical"))
        elif kind is ColumnKind.IDENTIFIER:
            plans.append(ColumnPlan(column, "identifier"))
        else:
            plans.append(ColumnPlan(column, "dropped"))
    return tuple(plans)


def _declared_bounds(column: str, raw: Sequence[Any], kind: ColumnKind) -> tuple[float, float]:
    try:
        low, high = (_to_number(v, kind) for v in raw)
    except (TypeError, ValueError):
        raise ConfigError(f"public_bounds[{column!r}] must be a pair (low, high).") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise ConfigError(f"public_bounds[{column!r}] must be finite with low < high.")
    return (low, high)


def _to_number(value: Any, kind: ColumnKind) -> float:
    if kind is ColumnKind.DATETIME:
        return float(pd.Timestamp(value).value) / 1e9
    return float(value)


def _declared_categories(column: str, categories: Mapping[str, Sequence[Any]]) -> tuple[Any, ...]:
    values = categories[column]
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | set | frozenset | np.ndarray):
        raise ConfigError(f"categories[{column!r}] must be a list of values.")
    keys = tuple(dict.fromkeys(_key(v) for v in values))
    if not keys:
        raise ConfigError(f"categories[{column!r}] is empty.")
    return keys


def selection_delta_for(*, delta: float, target_epsilon: float) -> float:
    """Total-variation slack given to thresholded releases: a tenth of δ, times e^-ε."""
    return SELECTION_DELTA_SHARE * delta * math.exp(-min(target_epsilon, 700.0))


def plan_preprocessing(
    dataset: Dataset,
    *,
    target_epsilon: float,
    delta: float,
    share: float = DEFAULT_PREPROCESSING_SHARE,
    public_bounds: Mapping[str, Sequence[Any]] | None = None,
    categories: Mapping[str, Sequence[Any]] | None = None,
) -> PreprocessingPlan:
    """Fix the preprocessing noise so that it costs ``share · target_epsilon`` on its own.

    ``share=1`` spends everything on preprocessing (the independent-marginals baseline).
    """
    if not 0 < share <= 1:
        raise ConfigError(f"preprocessing_share must be in (0, 1], got {share!r}.")
    plans = column_plans(dataset, public_bounds=public_bounds, categories=categories)
    releases = sum(p.releases for p in plans)
    thresholded = sum(p.thresholded for p in plans)
    selection = selection_delta_for(delta=delta, target_epsilon=target_epsilon) if thresholded else 0.0
    budget = share * target_epsilon
    if releases == 0:
        return PreprocessingPlan(plans, dataset.n_rows, 1.0, 0.0, 0.0)
    try:
        sigma = calibrate_gaussian(
            target_epsilon=budget, delta=delta, count=releases, label="preprocessing", selection_delta=selection
        )
    except CalibrationError:
        raise PrivacyError(
            "The preprocessing share of epsilon is too small for any noise level; raise epsilon or "
            "preprocessing_share, or declare public_bounds/categories."
        ) from None
    return PreprocessingPlan(plans, dataset.n_rows, sigma, selection, budget)


# --- the released statistics ---------------------------------------------------------------
@dataclass
class NumericStats:
    """DP statistics of one numeric column (all of it is a DP output or declared public)."""

    column: str
    bounds: tuple[float, float]
    bounds_source: str  # "public" | "dp"
    spikes: list[Any]  # exact values (floats or MISSING) modelled as point masses
    spike_counts: list[float]  # noisy counts of the spikes
    edges: list[float]  # histogram bin edges (in value space)
    counts: list[float]  # noisy histogram counts of the non-spike values, post-processed
    integer: bool = False
    datetime: bool = False
    dtype: str = "float64"

    @property
    def continuous_count(self) -> float:
        return float(sum(self.counts))

    def quantiles(self, probs: Sequence[float]) -> np.ndarray:
        """DP quantiles of the non-spike values (piecewise-linear inverse CDF)."""
        return inverse_cdf(np.asarray(self.edges), np.asarray(self.counts), np.asarray(probs, dtype=float))


@dataclass
class CategoricalStats:
    """DP statistics of one categorical column: the kept categories and their noisy counts."""

    column: str
    categories: list[Any]
    counts: list[float]
    source: str  # "public" | "dp"
    has_other: bool
    dtype: str = "object"


@dataclass
class DPMetadata:
    """Everything preprocessing released, plus the plan that priced it."""

    plan: PreprocessingPlan
    numeric: dict[str, NumericStats] = field(default_factory=dict)
    categorical: dict[str, CategoricalStats] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)  # column -> dtype
    dropped: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def mechanisms(self) -> list[Mechanism]:
        return self.plan.mechanisms()

    def frequencies(self, column: str) -> np.ndarray:
        """Noisy category frequencies of a categorical column (a distribution)."""
        stats = self.categorical[column]
        return normalise(np.asarray(stats.counts, dtype=float))

    def summary(self) -> dict[str, Any]:
        """JSON-safe description without any data value: sources and sizes per column."""
        return {
            "numeric": {
                c: {"bounds": s.bounds_source, "spikes": len(s.spikes), "bins": len(s.counts)}
                for c, s in self.numeric.items()
            },
            "categorical": {
                c: {"source": s.source, "categories": len(s.categories), "other": s.has_other}
                for c, s in self.categorical.items()
            },
            "identifiers": sorted(self.identifiers),
            "dropped": list(self.dropped),
        }


def normalise(counts: np.ndarray) -> np.ndarray:
    """Clip negatives and normalise to a distribution (uniform if nothing is left)."""
    counts = np.clip(np.asarray(counts, dtype=float), 0, None)
    total = counts.sum()
    if total <= 0:
        return np.full(len(counts), 1.0 / max(len(counts), 1))
    return counts / total


def inverse_cdf(edges: np.ndarray, counts: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Piecewise-linear inverse of the histogram CDF at ``probs`` in [0, 1]."""
    cdf = np.concatenate([[0.0], np.cumsum(normalise(counts))])
    probs = np.clip(probs, 0.0, 1.0)
    return np.interp(probs, cdf, edges)


def cdf(edges: np.ndarray, counts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Histogram CDF (piecewise linear) at ``values``."""
    cum = np.concatenate([[0.0], np.cumsum(normalise(counts))])
    return np.interp(values, edges, cum)


def run_preprocessing(dataset: Dataset, plan: PreprocessingPlan, *, noise: NoiseSource) -> DPMetadata:
    """Release every statistic in ``plan`` from ``dataset`` (this is where the data is read)."""
    if dataset.n_rows != plan.n_rows:
        raise PrivacyError("The preprocessing plan was made for a different number of rows; plan again.")
    meta = DPMetadata(plan=plan, columns=list(dataset.columns))
    sigma = plan.noise_multiplier
    threshold = plan.threshold
    for column_plan in plan.columns:
        series = dataset.frame[column_plan.column]
        if column_plan.role == "numeric":
            meta.numeric[column_plan.column] = _numeric_stats(series, column_plan, sigma, threshold, noise)
        elif column_plan.role == "categorical":
            meta.categorical[column_plan.column] = _categorical_stats(series, column_plan, sigma, threshold, noise)
        elif column_plan.role == "identifier":
            meta.identifiers[column_plan.column] = str(series.dtype)
        else:
            meta.dropped.append(column_plan.column)
    return meta


def _numeric_stats(
    series: pd.Series, plan: ColumnPlan, sigma: float, threshold: float, noise: NoiseSource
) -> NumericStats:
    values = numeric_values(series, datetime=plan.datetime)
    present = values[~np.isnan(values)]
    if plan.public_bounds is not None:
        bounds, source = plan.public_bounds, "public"
    else:
        bounds, source = _dp_bounds(present, sigma, noise), "dp"
    low, high = bounds
    clipped = np.clip(present, low, high)
    # (b) spikes: exact values (missing included) with noisy counts over the threshold.
    keys, key_counts = _value_counts(np.where(np.isnan(values), np.nan, np.clip(values, low, high)))
    noisy = key_counts + noise.normal(len(key_counts), sigma)
    keep = np.flatnonzero(noisy >= threshold)
    keep = keep[np.argsort(-noisy[keep], kind="stable")][:MAX_SPIKES]
    spikes = [keys[i] for i in keep]
    spike_counts = [float(noisy[i]) for i in keep]
    # (c) histogram of the values inside the bounds, minus the released spikes.
    edges = _bin_edges(low, high, n_bins=_n_bins(len(values), sigma))
    hist = np.histogram(clipped, bins=edges)[0].astype(float)
    hist = hist + noise.normal(len(hist), sigma)
    for value, count in zip(spikes, spike_counts, strict=True):
        if value is MISSING:
            continue
        index = min(int(np.searchsorted(edges, value, side="right")) - 1, len(hist) - 1)
        hist[max(index, 0)] -= count
    hist[hist < EMPTY_BIN_SIGMAS * sigma] = 0.0
    integer = bool(pd.api.types.is_integer_dtype(series.dtype))
    return NumericStats(
        column=plan.column,
        bounds=(float(low), float(high)),
        bounds_source=source,
        spikes=spikes,
        spike_counts=spike_counts,
        edges=[float(e) for e in edges],
        counts=[float(c) for c in hist],
        integer=integer,
        datetime=plan.datetime,
        dtype=str(series.dtype),
    )


def _category_counts(series: pd.Series) -> dict[Any, float]:
    """Exact count of every value (missing values under ``MISSING``), in first-seen order."""
    counts: dict[Any, float] = {}
    for value, count in series.value_counts(dropna=False, sort=False).items():
        key = _key(value)
        counts[key] = counts.get(key, 0.0) + float(count)
    return counts


def _value_counts(values: np.ndarray) -> tuple[list[Any], np.ndarray]:
    counts = pd.Series(values).value_counts(dropna=False, sort=False)
    keys = [MISSING if (isinstance(k, float) and math.isnan(k)) else float(k) for k in counts.index]
    return keys, counts.to_numpy(dtype=float)


def _pow2_edges() -> np.ndarray:
    positive = [2.0**k for k in range(_POW_MIN, _POW_MAX + 1)]
    return np.array([-p for p in reversed(positive)] + [0.0] + positive)


def bounds_sigmas(tests: int) -> float:
    """σ a power-of-two bin must clear to set a bound when ``tests`` bins (or blocks) are tested:
    ``BOUNDS_SIGMAS``, or the Bonferroni share of ``BOUNDS_FALSE_RATE`` if that is stricter."""
    return max(BOUNDS_SIGMAS, NormalDist().inv_cdf(1.0 - BOUNDS_FALSE_RATE / max(tests, 1)))


def _dp_bounds(values: np.ndarray, sigma: float, noise: NoiseSource) -> tuple[float, float]:
    """Bounds from a noisy histogram over power-of-two bins: the outermost bins over
    :func:`bounds_sigmas` (noise alone passes it somewhere with chance ``BOUNDS_FALSE_RATE``),
    then the bins next to them, one by one, over ``BOUNDS_SIGMAS`` (a thin edge of the data)."""
    edges = _pow2_edges()
    clipped = np.clip(values, edges[0], np.nextafter(edges[-1], 0))
    hist = np.histogram(clipped, bins=edges)[0].astype(float)
    noisy = hist + noise.normal(len(hist), sigma)
    busy = np.flatnonzero(noisy > bounds_sigmas(len(noisy)) * sigma)
    if len(busy) == 0:
        # Post-processing of the noisy histogram: the busiest bin. validate_config refuses
        # tables too small for this to be useful before any data is read.
        busy = np.array([int(np.argmax(noisy))])
    low, high = int(busy[0]), int(busy[-1])
    while low > 0 and noisy[low - 1] > BOUNDS_SIGMAS * sigma:
        low -= 1
    while high < len(noisy) - 1 and noisy[high + 1] > BOUNDS_SIGMAS * sigma:
        high += 1
    return float(edges[low]), float(edges[high + 1])


def _n_bins(n_rows: int, sigma: float) -> int:
    return int(np.clip(round(n_rows / (BIN_ROWS_PER_SIGMA * sigma)), MIN_BINS, MAX_BINS))


def _bin_edges(low: float, high: float, *, n_bins: int) -> np.ndarray:
    """Uniform edges, or log-spaced from ``low`` when the range spans orders of magnitude."""
    span = high - low
    if low >= 0 and span > 1000 and span / max(abs(low), 1.0) > 10:
        edges = low + np.expm1(np.linspace(0.0, math.log1p(span), n_bins + 1))
    else:
        edges = np.linspace(low, high, n_bins + 1)
    edges[0], edges[-1] = low, high
    return edges


def _categorical_stats(
    series: pd.Series, plan: ColumnPlan, sigma: float, threshold: float, noise: NoiseSource
) -> CategoricalStats:
    counts = _category_counts(series)
    if plan.public_categories is not None:
        domain = list(plan.public_categories)
        if MISSING not in domain:
            domain.append(MISSING)
        inside = [float(counts.get(k, 0)) for k in domain]
        exact = np.array([*inside, float(len(series)) - sum(inside)])
        noisy = exact + noise.normal(len(exact), sigma)
        # Post-processing: the missing and "other" cells stay only if clearly non-empty.
        keep_missing = noisy[len(domain) - 1] > MISSING_SIGMAS * sigma + 1 or MISSING in plan.public_categories
        categories = domain if keep_missing else domain[:-1]
        kept = list(noisy[: len(categories)])
        has_other = bool(noisy[-1] > EMPTY_BIN_SIGMAS * sigma)
        if has_other:
            kept.append(float(noisy[-1]))
        return CategoricalStats(
            plan.column, categories, [max(c, 0.0) for c in kept], "public", has_other, str(series.dtype)
        )
    keys = list(counts)
    noisy = np.array([counts[k] for k in keys], dtype=float) + noise.normal(len(keys), sigma)
    keep = np.flatnonzero(noisy >= threshold)
    keep = keep[np.argsort(-noisy[keep], kind="stable")]
    categories = [keys[i] for i in keep]
    kept_counts = [float(noisy[i]) for i in keep]
    other = max(float(len(series)) - float(sum(kept_counts)), 0.0)  # the row count is public
    return CategoricalStats(plan.column, categories, [*kept_counts, other], "dp", True, str(series.dtype))
