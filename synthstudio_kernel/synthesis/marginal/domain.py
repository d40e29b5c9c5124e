"""The discrete domain of a marginal model: public or DP-estimated cells for every column.

Each modelled column becomes one attribute of the graphical model:

- numeric / datetime: bounds (declared, or a noisy power-of-two histogram), then a noisy
  *fine* histogram inside them (unit bins for integers with a small range, so point masses
  such as 0 survive; bins laid out over the busy powers of two in proportion to their noisy
  counts for positive columns with DP bounds; uniform or log-spaced bins otherwise). Fine bins
  are merged into about ``bins`` *coarse* bins of similar noisy mass (post-processing); the
  coarse bins are the model's cells, the fine histogram is their one-way measurement, and a
  value is drawn back by picking a fine bin in proportion to its noisy count, then a point
  uniformly inside it (integers stay integers), or from a decaying tail in a thin outermost
  bin. DP bounds leave empty fine bins at the ends, trimmed by :func:`trim_support`; declared
  bounds are the column's range and keep their ends;
- categorical / boolean: declared categories (booleans are declared by their dtype) are
  measured as they are; otherwise noisy counts of every value found, released only above
  the partition-selection threshold ``τ``, the rest folded into one ``other`` cell.

All reads go through a :class:`~synthstudio_kernel.data.queries.CountSource`; all noise
comes from the run's :class:`~synthstudio_kernel.privacy.randomness.NoiseSource`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from ...data import ColumnKind, Dataset
from ...data.queries import MISSING, BinEncoder, CategoryEncoder, CountSource, category_key
from ...errors import ConfigError, PrivacyError
from ...privacy.accounting import Mechanism
from ...privacy.preprocessing import MISSING_SIGMAS, bounds_sigmas, checked_declarations
from ...privacy.randomness import NoiseSource
from .estimation import Measurement

#: Label of the cell that takes categories under the threshold.
OTHER = "other"
#: Inside a busy block, the outermost power-of-two bin over this many σ sets the bound (at 2 σ,
#: one of the three empty bins a block of four can hold passed 7% of the time: bounds 2^3 too wide).
BOUNDS_EDGE_SIGMAS = 3.0
#: The bin just outside that bound joins it over this many σ: one power of two too wide only
#: coarsens the fine bins, whose own support trims the empty ones, while too narrow clips a thin tail.
BOUNDS_ADJACENT_SIGMAS = 1.5
#: ... and the bin just above the top bound over this many σ: a top one power of two too wide
#: costs little (fine bins follow the counts, a thin top bin is drawn as a decaying tail), while
#: a clipped tail moves the column's whole range (insurance's charges over 2^15 at ε = 1: 2 runs
#: in 16 scored 0.78 and 0.82 at 1.5 σ, none under 0.867 at 1 σ).
BOUNDS_ADJACENT_HIGH_SIGMAS = 1.0
#: Further bins join that one over this many σ (a thin tail over two powers of two).
BOUNDS_CHAIN_SIGMAS = 2.0
#: Integer columns whose range has at most this many values get one fine bin per value (when
#: the rows allow it): enough for DP bounds up to 2^9, so that a bound one power of two too wide
#: never smears a point mass (40 hours a week) over a wide fine bin.
MAX_UNIT_BINS = 520
#: Fine histogram bins of other numeric columns.
FINE_BINS = 64
#: Inside a block of fine bins that passed the false-edge test, the support's top runs on from
#: its clear edge over the wide bins next to it that hold this many σ: a thin tail next to busy bins
#: is more likely data than noise (at the per-depth threshold of 2.6–3 σ alone, german_credit's
#: ages over 48 were kept in 31% of draws).
SUPPORT_KEEP_SIGMAS = 1.0
#: The lowest power of two of the DP bounds stays in the support when its two measurements
#: together clear this many σ (see :func:`lowest_busy_bin`).
LOW_BIN_SIGMAS = 3.0
#: Non-empty fine bins that always stay coarse cells of their own (see :func:`coarse_groups`).
MIN_COARSE_CELLS = 16
#: A released cell whose noisy count stays under this many σ is treated as empty (post-processing;
#: missing-value cells: ``MISSING_SIGMAS``).
EMPTY_SIGMAS = 3.0
#: Chance that noise alone stretches a column's support past its data, over all its fine bins.
EDGE_FALSE_RATE = 0.01
#: Fine bins hold about this many noise σ of rows on average (public: rows and σ are planned).
ROWS_PER_FINE_BIN = 3.0
_POW_MIN, _POW_MAX = -10, 62

NUMERIC_KINDS = (ColumnKind.NUMERIC, ColumnKind.DATETIME)
CATEGORICAL_KINDS = (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)

Spend = Callable[[Mechanism], None]


@dataclass(frozen=True)
class ColumnSpec:
    """How one column is modelled, decided from the schema and declared metadata only."""

    column: str
    role: str  # "numeric" | "categorical" | "identifier" | "dropped"
    dtype: str
    datetime: bool = False
    integer: bool = False
    public_bounds: tuple[float, float] | None = None
    public_categories: tuple[Any, ...] | None = None

    @property
    def needs_bounds(self) -> bool:
        return self.role == "numeric" and self.public_bounds is None

    @property
    def thresholded(self) -> bool:
        return self.role == "categorical" and self.public_categories is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "bounds": "public" if self.public_bounds else ("dp" if self.role == "numeric" else None),
            "categories": "public" if self.public_categories is not None else ("dp" if self.thresholded else None),
        }


def column_specs(
    dataset: Dataset,
    *,
    public_bounds: Mapping[str, Sequence[Any]] | None = None,
    categories: Mapping[str, Sequence[Any]] | None = None,
) -> tuple[ColumnSpec, ...]:
    """One spec per column, from kinds, dtypes and what the user declared public."""
    public_bounds, categories = checked_declarations(dataset, public_bounds, categories)
    specs = []
    for column in dataset.columns:
        kind = dataset.kinds[column]
        dtype = dataset.dtype_of(column)
        name = str(dtype)
        if column in categories:
            specs.append(
                ColumnSpec(column, "categorical", name, public_categories=_declared(column, categories[column]))
            )
        elif kind in NUMERIC_KINDS:
            is_dt = kind is ColumnKind.DATETIME
            bounds = _bounds(column, public_bounds[column], is_dt) if column in public_bounds else None
            integer = bool(pd.api.types.is_integer_dtype(dtype))
            specs.append(ColumnSpec(column, "numeric", name, datetime=is_dt, integer=integer, public_bounds=bounds))
        elif column in public_bounds:
            raise ConfigError(f"Bounds were declared for column {column!r}, which is {kind.value}, not numeric.")
        elif pd.api.types.is_bool_dtype(dtype):
            specs.append(ColumnSpec(column, "categorical", name, public_categories=(False, True)))
        elif kind in CATEGORICAL_KINDS:
            specs.append(ColumnSpec(column, "categorical", name))
        elif kind is ColumnKind.IDENTIFIER:
            specs.append(ColumnSpec(column, "identifier", name))
        else:
            specs.append(ColumnSpec(column, "dropped", name))
    return tuple(specs)


def _declared(column: str, values: Any) -> tuple[Any, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | set | frozenset | np.ndarray):
        raise ConfigError(f"categories[{column!r}] must be a list of values.")
    keys = tuple(dict.fromkeys(category_key(v) for v in values))
    if not keys:
        raise ConfigError(f"categories[{column!r}] is empty.")
    return keys


def _bounds(column: str, raw: Sequence[Any], datetime: bool) -> tuple[float, float]:
    try:
        low, high = (float(pd.Timestamp(v).value) / 1e9 if datetime else float(v) for v in raw)
    except (TypeError, ValueError):
        raise ConfigError(f"public_bounds[{column!r}] must be a pair (low, high).") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise ConfigError(f"public_bounds[{column!r}] must be finite with low < high.")
    return (low, high)


# --- codecs: cells <-> values (released state) ---------------------------------------------
@dataclass
class NumericCodec:
    """Coarse bins (the model's cells) over fine bins with noisy counts; the last cell is missing."""

    column: str
    fine_edges: tuple[float, ...]
    groups: tuple[int, ...]  # fine-bin index where each coarse bin starts (plus the end)
    fine_counts: tuple[float, ...]  # noisy fine counts (post-processed, >= 0)
    integer: bool
    datetime: bool
    dtype: str
    bounds_source: str
    empty: tuple[int, ...] = ()  # cells the model must never produce (structural zeros)
    tails: bool = False  # the outermost kept fine bins hold decaying tails (DP bounds)

    @property
    def encoder(self) -> BinEncoder:
        edges = tuple(self.fine_edges[i] for i in self.groups)
        return BinEncoder(self.column, edges, datetime=self.datetime)

    @property
    def size(self) -> int:
        return len(self.groups)  # coarse bins + missing

    def decode(self, codes: np.ndarray, rng: np.random.Generator) -> pd.Series:
        n_coarse = len(self.groups) - 1
        edges = np.asarray(self.fine_edges)
        counts = np.asarray(self.fine_counts)
        values = np.full(len(codes), np.nan)
        tails = self.tail_lengths()
        for cell in np.unique(codes):
            if cell >= n_coarse:
                continue
            rows = np.flatnonzero(codes == cell)
            start, end = self.groups[cell], self.groups[cell + 1]
            weights = counts[start:end] + 1e-9 * np.diff(edges[start : end + 1]) / (edges[end] - edges[start])
            fine = start + rng.choice(end - start, size=len(rows), p=weights / weights.sum())
            low, high = edges[fine], edges[fine + 1]
            if self.integer:
                lo, hi = np.ceil(low), np.maximum(np.ceil(high) - 1, np.ceil(low))
                values[rows] = np.floor(lo + rng.random(len(rows)) * (hi - lo + 1))
            else:
                values[rows] = low + rng.random(len(rows)) * (high - low)
            for bin_, (side, length) in tails.items():
                at = rows[fine == bin_]
                if len(at):
                    values[at] = self._tail_draws(bin_, side, length, len(at), rng)
        return _to_dtype(pd.Series(values, name=self.column), self.dtype, self.datetime, self.integer)

    def tail_lengths(self) -> dict[int, tuple[str, float]]:
        """Fine bins drawn as decaying tails, with their decay lengths: the first and the last
        kept bin, when its density is under its inner neighbour's. The density starts at the
        neighbour's and decays over (bin count / neighbour density), so a thin edge bin such as
        ages 64-128 holding 25 rows of ages 64-75 is not drawn evenly up to 127."""
        counts = np.asarray(self.fine_counts)
        kept = np.flatnonzero(counts > 0)
        if not self.tails or len(kept) < 2:
            return {}
        out: dict[int, tuple[str, float]] = {}
        for outer, inner, side in ((kept[0], kept[0] + 1, "low"), (kept[-1], kept[-1] - 1, "high")):
            width, inner_density = self._width(outer), counts[inner] / self._width(inner)
            if width > 1 and inner_density > 0 and counts[outer] / width < inner_density:
                out[int(outer)] = (side, float(counts[outer] / inner_density))
        return out

    def _width(self, bin_: int) -> float:
        low, high = self.fine_edges[bin_], self.fine_edges[bin_ + 1]
        return float(math.ceil(high) - math.ceil(low)) if self.integer else float(high - low)

    def _tail_draws(self, bin_: int, side: str, length: float, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws in fine bin ``bin_`` from an exponential density decaying away from the
        inner edge with ``length``, truncated to the bin."""
        width = self._width(bin_)
        depth = -length * np.log1p(-rng.random(n) * -np.expm1(-width / length))
        low, high = self.fine_edges[bin_], self.fine_edges[bin_ + 1]
        if self.integer:
            first, last = math.ceil(low), math.ceil(high) - 1
            steps = np.minimum(np.floor(depth), last - first)
            return first + steps if side == "high" else last - steps
        return low + depth if side == "high" else high - depth

    def summary(self) -> dict[str, Any]:
        return {"bounds": self.bounds_source, "fine_bins": len(self.fine_edges) - 1, "cells": self.size}


@dataclass
class CategoricalCodec:
    """Categories (declared or released above the threshold), then one ``other`` cell."""

    column: str
    values: tuple[Any, ...]
    dtype: str
    source: str
    other_value: Any
    empty: tuple[int, ...] = ()  # cells the model must never produce (structural zeros)

    @property
    def encoder(self) -> CategoryEncoder:
        return CategoryEncoder(self.column, self.values)

    @property
    def size(self) -> int:
        return len(self.values) + 1

    def decode(self, codes: np.ndarray, rng: np.random.Generator) -> pd.Series:
        table = np.empty(len(self.values) + 1, dtype=object)
        for i, v in enumerate(self.values):
            table[i] = None if v is MISSING else v
        table[-1] = self.other_value
        series = pd.Series(table[np.asarray(codes, dtype=np.int64)], name=self.column)
        return _to_dtype(series, self.dtype, False, False)

    def code_of(self, value: Any) -> int | None:
        key = category_key(value)
        for i, v in enumerate(self.values):
            if v == key and type(v) is type(key):
                return i
        for i, v in enumerate(self.values):
            if str(v) == str(key):
                return i
        return None

    def summary(self) -> dict[str, Any]:
        return {"categories": self.source, "count": len(self.values), "cells": self.size}


Codec = NumericCodec | CategoricalCodec


def _to_dtype(series: pd.Series, dtype: str, datetime: bool, integer: bool) -> pd.Series:
    """The column back in its original dtype (nullable integers when missing values were drawn)."""
    target: Any = dtype
    if datetime:
        out = pd.to_datetime(series.astype(float) * 1e9, unit="ns", errors="coerce")
        return out.astype(target) if dtype.startswith("datetime64") else out
    if integer and series.isna().any():
        target = "Int64" if dtype.startswith("int") else dtype
    try:
        return series.astype(target)
    except (TypeError, ValueError):
        return series


# --- releasing the domain (this is where the rows are first counted) ------------------------
@dataclass(frozen=True)
class DomainBudget:
    """Noise of the domain releases, fixed by the plan."""

    sigma_bounds: float
    sigma_one_way: float
    selection_delta: float  # per thresholded column
    threshold: float  # τ = 1 + σ Φ⁻¹(1 − δ_sel) at the regular one-way noise
    bins: int  # coarse bins per numeric column
    target: str | None = None
    sigma_target: float = 0.0  # one-way noise of the target (smaller: its rare classes must survive)
    selection_z: float = 0.0  # Φ⁻¹(1 − δ_sel)

    def sigma_for(self, column: str) -> float:
        return self.sigma_target if column == self.target and self.sigma_target > 0 else self.sigma_one_way

    def threshold_for(self, column: str) -> float:
        """τ of one column: a key absent from a neighbouring table already has count 1."""
        return 1.0 + self.sigma_for(column) * self.selection_z


def release_domain(
    specs: Sequence[ColumnSpec],
    source: CountSource,
    budget: DomainBudget,
    noise: NoiseSource,
    spend: Spend,
) -> tuple[dict[str, Codec], list[Measurement]]:
    """Bounds, category sets and one-way measurements of every modelled column."""
    codecs: dict[str, Codec] = {}
    measurements: list[Measurement] = []
    for spec in specs:
        if spec.role == "numeric":
            codec, m = _release_numeric(spec, source, budget, noise, spend)
        elif spec.role == "categorical":
            codec, m = _release_categorical(spec, source, budget, noise, spend)  # type: ignore[assignment]
        else:
            continue
        codecs[spec.column] = codec
        measurements.append(m)
    return codecs, measurements


def _pow2_edges() -> tuple[float, ...]:
    positive = [2.0**k for k in range(_POW_MIN, _POW_MAX + 1)]
    return tuple([-p for p in reversed(positive)] + [0.0] + positive)


def _release_numeric(
    spec: ColumnSpec, source: CountSource, budget: DomainBudget, noise: NoiseSource, spend: Spend
) -> tuple[NumericCodec, Measurement]:
    busy_range: tuple[np.ndarray, np.ndarray] | None = None
    if spec.public_bounds is not None:
        low, high = spec.public_bounds
        bounds_source = "public"
    else:
        edges = _pow2_edges()
        counts = source.marginal([BinEncoder(spec.column, edges, datetime=spec.datetime)])[:-1]
        noisy = counts + noise.normal(len(counts), budget.sigma_bounds)
        spend(Mechanism(f"bounds:{spec.column}", budget.sigma_bounds))
        # Bonferroni over every block tested (three widths per bin): a bound set by noise alone
        # (e.g. 2^40 for a column of hours) would leave the whole column in one fine bin. Inside
        # a block the bound is generous (a thin tail beyond the busy bins is kept): one power of
        # two too wide only coarsens the fine bins, whose own support trims the empty ones, while
        # one too narrow clips the tail (the charges of insurance's smokers above 2^15).
        z = bounds_sigmas(3 * len(noisy))
        adjacent = (BOUNDS_ADJACENT_SIGMAS, BOUNDS_ADJACENT_HIGH_SIGMAS)
        busy = block_edges(noisy, budget.sigma_bounds, z, (1, 2, 4), BOUNDS_EDGE_SIGMAS, adjacent, edges.index(0.0))
        if busy is None:
            raise PrivacyError(
                f"Too few rows to estimate the range of numeric column {spec.column!r} under DP at this epsilon; "
                "declare public_bounds for it or raise epsilon."
            )
        low, high = float(edges[busy[0]]), float(edges[busy[1] + 1])
        if low > 0:  # post-processing: a positive column starts at 0 (a thin low tail may hide below)
            busy_range = (np.asarray(edges[busy[0] : busy[1] + 2]), np.clip(noisy[busy[0] : busy[1] + 1], 0.0, None))
            low = 0.0
        bounds_source = "dp"
    one_way = budget.sigma_for(spec.column)
    # About three noise σ of rows per fine bin on average: finer bins would only hold noise.
    max_bins = int(np.clip(source.n_rows / (ROWS_PER_FINE_BIN * one_way), 8, MAX_UNIT_BINS))
    fine = fine_edges(low, high, integer=spec.integer, max_bins=max_bins, busy=busy_range)
    encoder = BinEncoder(spec.column, fine, datetime=spec.datetime)
    counts = source.marginal([encoder])
    noisy = counts + noise.normal(len(counts), one_way)
    spend(Mechanism(f"one-way:{spec.column}", one_way))
    # Declared bounds are the column's range, as declared categories are its values: its ends
    # stay (a thin edge such as Adult's 35 ages of 90 is 1.3 σ at ε = 1, below any safe cut).
    if spec.public_bounds is None:
        first = lowest_busy_bin(fine, busy_range, noisy[:-1], one_way, budget.sigma_bounds)
        kept = trim_support(noisy[:-1], one_way, lenient_bins(fine, spec.integer), first)
    else:
        kept = np.clip(noisy[:-1], 0.0, None)
    groups = coarse_groups(kept, budget.bins)
    coarse = np.array([noisy[a:b].sum() for a, b in itertools.pairwise(groups)] + [noisy[-1]])
    sigma = one_way * np.sqrt(np.array([*np.diff(groups), 1], dtype=float))
    support = [kept[a:b].sum() > 0 for a, b in itertools.pairwise(groups)]
    empty = [i for i, ok in enumerate(support) if not ok]
    if noisy[-1] < MISSING_SIGMAS * one_way + 1:
        empty.append(len(groups) - 1)  # no missing values to speak of
    if len(empty) >= len(groups):
        empty = [len(groups) - 1]
    codec = NumericCodec(
        column=spec.column,
        fine_edges=tuple(float(e) for e in fine),
        groups=tuple(int(g) for g in groups),
        fine_counts=tuple(float(c) for c in kept),
        integer=spec.integer,
        datetime=spec.datetime,
        dtype=spec.dtype,
        bounds_source=bounds_source,
        empty=tuple(empty),
        tails=bounds_source == "dp",
    )
    return codec, Measurement((spec.column,), coarse, sigma, f"one-way:{spec.column}")


def block_edges(
    noisy: np.ndarray,
    sigma: float,
    sigmas: float,
    widths: Sequence[int],
    edge_sigmas: float = BOUNDS_EDGE_SIGMAS,
    adjacent_sigmas: tuple[float, float] | None = None,
    zero_bin: int | None = None,
) -> tuple[int, int] | None:
    """Outermost bins of the first block, from either side, whose noisy sum clears
    ``sigmas·σ·sqrt(width)``: thin tails count once enough neighbours add up (None: no block does).

    Inside the block the edge is its outermost bin over ``edge_sigmas``·σ; the bins just outside
    that edge join it, one after the other: the first over ``adjacent_sigmas``·σ (below, above),
    the next ones over ``BOUNDS_CHAIN_SIGMAS``·σ, and never across ``zero_bin`` (the bin that
    starts at 0: a column of zeros and positives must not turn signed). A chain, not one bin:
    insurance's 92 and 102 rows over 2^14 and 2^15 were cut at 2^15 when the block's clear edge
    sat at 2^13."""
    csum = np.concatenate([[0.0], np.cumsum(noisy)])
    n = len(noisy)

    def first(order: range, left: bool) -> int | None:
        for i in order:
            for w in widths:
                a, b = (i, i + w) if left else (i - w + 1, i + 1)
                if a >= 0 and b <= n and csum[b] - csum[a] >= sigmas * sigma * math.sqrt(w):
                    inside = np.flatnonzero(noisy[a:b] >= edge_sigmas * sigma)
                    if len(inside) == 0:
                        return a + w // 2
                    edge = int(a + (inside[0] if left else inside[-1]))
                    step, joined = (-1 if left else 1), 0
                    while adjacent_sigmas is not None and 0 <= edge + step < n:
                        crosses = (left and edge == zero_bin) or (not left and edge + step == zero_bin)
                        need = adjacent_sigmas[0 if left else 1] if joined == 0 else BOUNDS_CHAIN_SIGMAS
                        if crosses or noisy[edge + step] < need * sigma:
                            break
                        edge, joined = edge + step, joined + 1
                    return edge
        return None

    low = first(range(n), True)
    if low is None:
        return None
    high = first(range(n - 1, -1, -1), False)
    assert high is not None
    return low, high


def edge_sigmas(position: int, bins: int) -> float:
    """How many σ a fine bin ``position`` bins in from the scanned range's end must clear to
    be the edge of the support.

    The false-edge chance is spent from the outside in (``EDGE_FALSE_RATE``/2^(k+1) at the
    k-th bin, never more than a Bonferroni share over all ``bins``), so that noise alone moves
    an edge past the data with chance at most about ``2·EDGE_FALSE_RATE``, while a thin tail
    that sits right at the end of tight (declared or estimated) bounds needs little evidence.
    """
    spent = max(EDGE_FALSE_RATE / 2.0 ** min(position + 1, 60), EDGE_FALSE_RATE / (3 * max(bins, 1)))
    return float(NormalDist().inv_cdf(1.0 - spent))


def support_edges(noisy: np.ndarray, sigma: float, lenient: np.ndarray | None = None) -> tuple[int, int] | None:
    """First and last fine bin of the support: scanning from each end, the first block of
    one, two or four bins whose noisy sum clears :func:`edge_sigmas`·σ·sqrt(width) at the
    block's outer end, moved inwards to its first bin that clears :func:`edge_sigmas`·σ on its
    own; at the top, then outwards again, inside the block, over the ``lenient`` bins next to it
    that clear ``SUPPORT_KEEP_SIGMAS``·σ: a thin upper tail continues its column, while a bin of
    noise beyond a gap does not. The low end stays strict: a synthetic range that starts below
    the data moves every binned comparison of the column, more than one that starts a little
    high (german_credit's ages from 16 instead of 20: three pairs 0.85 -> 0.76). None: no block."""
    n = len(noisy)
    csum = np.concatenate([[0.0], np.cumsum(noisy)])

    def scan(from_left: bool) -> int | None:
        for k in range(n):
            for w in (1, 2, 4):
                a, b = (k, k + w) if from_left else (n - k - w, n - k)
                if a < 0 or b > n:
                    continue
                if csum[b] - csum[a] < edge_sigmas(k, n) * sigma * math.sqrt(w):
                    continue
                order = range(a, b) if from_left else range(b - 1, a - 1, -1)
                edge = next(
                    (j for j in order if noisy[j] >= edge_sigmas(j if from_left else n - 1 - j, n) * sigma), a + w // 2
                )
                while not from_left and edge < b - 1 and lenient is not None and lenient[edge + 1]:
                    if noisy[edge + 1] < SUPPORT_KEEP_SIGMAS * sigma:
                        break
                    edge += 1
                return edge
        return None

    low, high = scan(True), scan(False)
    if low is None or high is None or high < low:
        return None  # thresholds differ by depth, so the two scans need not agree on noise
    return low, high


def lenient_bins(fine: Sequence[float], integer: bool) -> np.ndarray:
    """Fine bins that may end the support at ``SUPPORT_KEEP_SIGMAS``: those that span more than
    one value (a thin tail of a smooth column spreads over them; a code such as education-num
    ends sharply, so a unit bin past it is noise)."""
    edges = np.asarray(fine, dtype=float)
    return np.diff(np.ceil(edges)) > 1 if integer else np.ones(len(edges) - 1, dtype=bool)


def lowest_busy_bin(
    fine: Sequence[float],
    busy: tuple[np.ndarray, np.ndarray] | None,
    noisy: np.ndarray,
    sigma: float,
    sigma_bounds: float,
) -> int | None:
    """Last fine bin inside the lowest power of two of the bounds' busy range, when the two
    measurements of that power of two (its noisy count in the bounds, the sum of its noisy fine
    counts), combined by inverse variance, clear ``LOW_BIN_SIGMAS`` of their joint σ; else None.

    Post-processing of two released measurements: the support's low end never passes that bin.
    Alone, each fine bin must clear about 3 σ, and german_credit's 68 durations of 4 to 7 months
    (2.8 σ at σ = 24.5) were cut in about half the runs (kept in 77% with this test); a power of
    two that joined the bounds on noise alone (1.5 σ) passes the joint test about twice in 100."""
    if busy is None:
        return None
    edges = np.asarray(fine, dtype=float)
    first = int(np.searchsorted(edges, busy[0][0]))
    last = int(np.searchsorted(edges, busy[0][1])) - 1
    if last < first or last >= len(noisy):
        return None
    width = last - first + 1
    w_bounds, w_fine = 1.0 / sigma_bounds**2, 1.0 / (width * sigma**2)
    joint = (busy[1][0] * w_bounds + float(np.sum(noisy[first : last + 1])) * w_fine) / (w_bounds + w_fine)
    return last if joint >= LOW_BIN_SIGMAS / math.sqrt(w_bounds + w_fine) else None


def trim_support(
    noisy: np.ndarray, sigma: float, lenient: np.ndarray | None = None, low_cap: int | None = None
) -> np.ndarray:
    """Noisy fine counts with the empty bins zeroed (post-processing).

    The support runs between :func:`support_edges`; outside it everything is zero (no values
    beyond the data: a false edge changes a column's range, which every binned comparison of
    the column depends on), inside it negative counts are zero. ``low_cap``: a bin known to hold
    rows (:func:`lowest_busy_bin`), which the support's low end never passes.
    """
    edges = support_edges(noisy, sigma, lenient)
    if edges is None:
        return np.where(noisy >= sigma, noisy, 0.0)
    low, high = edges
    if low_cap is not None:
        low = min(low, low_cap)
    kept = np.clip(noisy, 0.0, None)
    kept[:low] = 0.0
    kept[high + 1 :] = 0.0
    return kept


def fine_edges(
    low: float,
    high: float,
    *,
    integer: bool,
    max_bins: int = FINE_BINS,
    busy: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[float, ...]:
    """Fine bin edges inside ``[low, high]``: integer-aligned for integers (unit bins when the
    range is small), log-spaced for long positive ranges, uniform otherwise; at most ``max_bins``.

    ``busy``: the power-of-two edges of the range where the DP bounds found the rows (above
    ``low``) and their noisy counts. The range below gets two bins, ``[low, start/2)`` and
    ``[start/2, start)`` (a thin low tail, such as insurance's charges from 1,121 under a busy
    range from 2,048, keeps a bin of its own instead of being drawn from 0), and the others go
    to the power-of-two bins in proportion to their counts (post-processing), so that the fine
    bins sit where the rows are: spread from 0, ten bins left german_credit's amounts in four."""
    if integer:
        low, high = math.floor(low), math.ceil(high)
        values = int(high - low + 1)
        if values <= max(max_bins, 2):
            return tuple(float(v) for v in range(int(low), int(high) + 2))
    bins = max(min(max_bins, FINE_BINS), 2)
    span = high - low
    if busy is not None and low < busy[0][0] / 2 and bins > len(busy[1]) + 1:
        start = busy[0][0]
        edges = np.concatenate([[low, start / 2], busy_layout(busy[0], busy[1], bins - 2)])
    elif low >= -1 and span > 1000 and span / max(abs(low), 1.0) > 10:
        edges = low + np.expm1(np.linspace(0.0, math.log1p(span), bins + 1))
    else:
        edges = np.linspace(low, high, bins + 1)
    edges[0], edges[-1] = low, high
    if integer:
        edges = np.unique(np.ceil(edges))
        if len(edges) < 2:
            edges = np.array([low, low + 1.0])
    return tuple(float(e) for e in edges)


def busy_layout(edges: np.ndarray, counts: np.ndarray, bins: int) -> np.ndarray:
    """``bins`` bins over the power-of-two bins ``edges``: one in each, the rest in proportion
    to the noisy ``counts`` (largest remainders), evenly spaced inside each power of two."""
    k = len(counts)
    total = float(np.sum(counts))
    share = np.asarray(counts, dtype=float) / total * (bins - k) if total > 0 else np.zeros(k)
    alloc = 1 + np.floor(share).astype(int)
    alloc[np.argsort(-(share - np.floor(share)), kind="stable")[: bins - int(alloc.sum())]] += 1
    parts = [np.linspace(edges[i], edges[i + 1], alloc[i] + 1)[:-1] for i in range(k)]
    return np.concatenate([*parts, [edges[-1]]])


def coarse_groups(counts: np.ndarray, bins: int) -> list[int]:
    """Start index of each coarse bin (plus the end): runs of fine bins with similar mass;
    a fine bin heavier than a coarse bin's share stays alone (a point mass). Up to
    ``max(1.5·bins, MIN_COARSE_CELLS)`` non-empty fine bins stay cells of their own (codes
    such as education-num keep a cell per value); more are merged, since every cell of the
    model shares the noise of each multi-way measurement (insurance's charges in 22 cells
    instead of 9 cost its smoker × charges relation)."""
    n = len(counts)
    total = float(counts.sum())
    small = n <= max(int(1.5 * bins), 40)
    if total <= 0:
        return list(range(n + 1)) if small else [round(i * n / bins) for i in range(bins + 1)]
    if small and np.count_nonzero(counts > 0) <= max(int(1.5 * bins), MIN_COARSE_CELLS):
        return list(range(n + 1))
    share = total / bins
    starts, acc = [0], 0.0
    for i, c in enumerate(counts):
        if c >= share and acc > 0 and i > starts[-1]:
            starts.append(i)
            acc = 0.0
        acc += c
        if acc >= share and i + 1 < n:
            starts.append(i + 1)
            acc = 0.0
    starts.append(n)
    return sorted(set(starts))


def _release_categorical(
    spec: ColumnSpec, source: CountSource, budget: DomainBudget, noise: NoiseSource, spend: Spend
) -> tuple[CategoricalCodec, Measurement]:
    sigma = budget.sigma_for(spec.column)
    if spec.public_categories is not None:
        values = list(spec.public_categories)
        if MISSING not in values:
            values.append(MISSING)
        encoder = CategoryEncoder(spec.column, tuple(values))
        counts = source.marginal([encoder])
        noisy = counts + noise.normal(len(counts), sigma)
        spend(Mechanism(f"one-way:{spec.column}", sigma))
        floor = MISSING_SIGMAS * sigma + 1
        empty = [len(values) - 1] if noisy[len(values) - 1] < floor and MISSING not in spec.public_categories else []
        if noisy[-1] < floor:
            empty.append(len(values))
        codec = CategoricalCodec(
            spec.column, tuple(values), spec.dtype, "public", _other_value(spec, values), tuple(empty)
        )
        return codec, Measurement((spec.column,), noisy, sigma, f"one-way:{spec.column}")
    counts_by_key = source.value_counts(spec.column)
    keys = list(counts_by_key)
    exact = np.array([counts_by_key[k] for k in keys], dtype=float)
    noisy = exact + noise.normal(len(keys), sigma)
    spend(Mechanism(f"categories:{spec.column}", sigma, selection_delta=budget.selection_delta))
    keep = np.flatnonzero(noisy >= budget.threshold_for(spec.column))
    keep = keep[np.argsort(-noisy[keep], kind="stable")]
    values = [keys[i] for i in keep]
    kept = noisy[keep]
    # The "other" cell is not released; the estimator infers it from the public row count.
    y = np.concatenate([kept, [0.0]])
    cell_sigma = np.concatenate([np.full(len(kept), sigma), [np.inf]])
    # Post-processing with the public row count: an "other" cell that is clearly empty stays empty.
    left = source.n_rows - float(kept.sum())
    clear = bool(values) and left < EMPTY_SIGMAS * sigma * math.sqrt(len(values))
    codec = CategoricalCodec(
        spec.column, tuple(values), spec.dtype, "dp", _other_value(spec, values), (len(values),) if clear else ()
    )
    return codec, Measurement((spec.column,), y, cell_sigma, f"one-way:{spec.column}")


def _other_value(spec: ColumnSpec, values: Sequence[Any]) -> Any:
    """What the ``other`` cell becomes in samples: ``"other"`` for text columns, else missing."""
    if spec.dtype in ("object", "string", "str") or spec.dtype.startswith("string"):
        return OTHER
    return None
