"""Per-column statistics, one summarizer per column kind (a registry, not an if-chain).

Everything here is computed on all rows, vectorized with numpy; only the length
statistics of free-text and identifier columns use a sample (stated in ``sampled``).
Skewness and kurtosis are the bias-adjusted sample estimates pandas reports
(Fisher-Pearson G1 and excess kurtosis G2).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..data import ColumnKind
from ._json import clean, num
from .encoding import Codes, Encoded

#: Quantiles reported for numeric columns (linear interpolation, as pandas does).
QUANTILES: dict[str, float] = {"p05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "p95": 0.95}
#: Left out, like min and max, by ``to_dict(include_values=False)``.
TAIL_QUANTILES = frozenset({"p05", "p95"})
HISTOGRAM_BINS = 20
#: Rows whose lengths are measured for text and identifier columns.
TEXT_SAMPLE_ROWS = 50_000


@dataclass(frozen=True)
class ColumnStats:
    """What every column reports: counts of present, missing and distinct values."""

    name: str
    kind: ColumnKind
    rows: int
    count: int
    missing: int
    unique: int

    @property
    def missing_share(self) -> float:
        return self.missing / self.rows if self.rows else 0.0

    @property
    def unique_share(self) -> float:
        """Distinct values per present value (1.0: every value differs)."""
        return self.unique / self.count if self.count else 0.0

    def to_dict(self, include_values: bool = True) -> dict[str, Any]:
        """JSON-safe record; ``include_values=False`` drops labels, minima and maxima."""
        base = {
            "name": self.name,
            "kind": self.kind.value,
            "count": self.count,
            "missing": self.missing,
            "missing_share": self.missing_share,
            "unique": self.unique,
            "unique_share": self.unique_share,
        }
        return clean({**base, **self._details(include_values)})

    def _details(self, include_values: bool) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class NumericStats(ColumnStats):
    mean: float | None
    std: float | None
    min: float | None
    max: float | None
    quantiles: dict[str, float | None]
    skew: float | None
    kurtosis: float | None
    zeros: int
    negatives: int
    integer: bool
    histogram_counts: tuple[int, ...]
    histogram_edges: tuple[float, ...]

    @property
    def iqr(self) -> float | None:
        q1, q3 = self.quantiles.get("q25"), self.quantiles.get("q75")
        return None if q1 is None or q3 is None else q3 - q1

    def _details(self, include_values: bool) -> dict[str, Any]:
        # Tail quantiles sit next to the extremes (in small tables they are single rows'
        # values), so they go with min and max when values are left out.
        quantiles = {k: v for k, v in self.quantiles.items() if include_values or k not in TAIL_QUANTILES}
        details: dict[str, Any] = {
            "mean": self.mean,
            "std": self.std,
            **quantiles,
            "iqr": self.iqr,
            "skew": self.skew,
            "kurtosis": self.kurtosis,
            "zeros": self.zeros,
            "negatives": self.negatives,
            "integer": self.integer,
            "histogram": {"counts": list(self.histogram_counts)},
        }
        if include_values:
            details.update(min=self.min, max=self.max)
            details["histogram"]["edges"] = list(self.histogram_edges)
        return details


@dataclass(frozen=True)
class CategoricalStats(ColumnStats):
    top: tuple[tuple[str, int], ...]
    other: int
    entropy_bits: float

    @property
    def mode_share(self) -> float:
        return self.top[0][1] / self.count if self.top and self.count else 0.0

    def _details(self, include_values: bool) -> dict[str, Any]:
        details: dict[str, Any] = {
            "top_counts": [count for _, count in self.top],
            "other_count": self.other,
            "mode_share": self.mode_share,
            "entropy_bits": self.entropy_bits,
        }
        if include_values:
            details["top"] = [{"value": label, "count": count} for label, count in self.top]
        return details


@dataclass(frozen=True)
class DatetimeStats(ColumnStats):
    min: str | None
    max: str | None
    span_days: float | None
    unparsed: int

    def _details(self, include_values: bool) -> dict[str, Any]:
        details: dict[str, Any] = {"span_days": self.span_days, "unparsed": self.unparsed}
        if include_values:
            details.update(min=self.min, max=self.max)
        return details


@dataclass(frozen=True)
class TextStats(ColumnStats):
    """Identifier and free-text columns: no categories, only lengths (on a sample)."""

    length_mean: float | None
    length_min: int | None
    length_max: int | None
    words_mean: float | None
    sampled: int = field(default=0)

    def _details(self, include_values: bool) -> dict[str, Any]:
        return {
            "length_mean": self.length_mean,
            "length_min": self.length_min,
            "length_max": self.length_max,
            "words_mean": self.words_mean,
            "sampled_rows": self.sampled,
        }


@dataclass(frozen=True)
class StatsContext:
    """What the summarizers share: the encoded columns, a seeded RNG and options."""

    encoded: Encoded
    rng: np.random.Generator
    top_k: int = 10


# --- pure numerics (hand-checkable) -----------------------------------------------


def moments(x: np.ndarray) -> tuple[float | None, float | None, float | None, float | None]:
    """Mean, sample std (ddof=1), skewness G1 and excess kurtosis G2 of finite ``x``.

    Skewness needs 3 values and kurtosis 4; a constant column has skew and kurtosis 0.
    """
    n = x.size
    if n == 0:
        return None, None, None, None
    mean = float(x.mean())
    if n == 1:
        return mean, None, None, None
    dev = x - mean
    dev2 = dev * dev
    m2 = float(dev2.mean())
    std = math.sqrt(m2 * n / (n - 1))
    if m2 <= 1e-14 * max(1.0, mean * mean):
        return mean, std, 0.0 if n > 2 else None, 0.0 if n > 3 else None
    m3 = float((dev2 * dev).mean())
    m4 = float((dev2 * dev2).mean())
    skew = None
    if n > 2:
        skew = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    kurt = None
    if n > 3:
        g2 = m4 / (m2 * m2) - 3.0
        kurt = ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3))
    return mean, std, skew, kurt


def entropy_bits(counts: np.ndarray) -> float:
    """Shannon entropy (bits) of a count vector."""
    total = counts.sum()
    if total <= 0:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log2(p)).sum())


# --- summarizers --------------------------------------------------------------------


def summarize_numeric(name: str, series: pd.Series, ctx: StatsContext) -> NumericStats:
    values = ctx.encoded.numeric[name]
    x = values[~np.isnan(values)]
    mean, std, skew, kurt = moments(x)
    if x.size:
        qs = np.quantile(x, [0.0, *QUANTILES.values(), 1.0])
        lo, hi = float(qs[0]), float(qs[-1])
        quantiles: dict[str, float | None] = {k: float(q) for k, q in zip(QUANTILES, qs[1:-1], strict=True)}
        unique = len(pd.unique(x))
        counts, edges = np.histogram(x, bins=min(HISTOGRAM_BINS, max(unique, 1)))
        integer = bool(np.all(np.mod(x, 1) == 0))
    else:
        lo = hi = None  # type: ignore[assignment]
        quantiles = dict.fromkeys(QUANTILES)
        unique, counts, edges, integer = 0, np.zeros(0, int), np.zeros(0), False
    return NumericStats(
        name=name,
        kind=ColumnKind.NUMERIC,
        rows=values.size,
        count=int(x.size),
        missing=int(values.size - x.size),
        unique=unique,
        mean=num(mean),
        std=num(std),
        min=lo,
        max=hi,
        quantiles=quantiles,
        skew=num(skew),
        kurtosis=num(kurt),
        zeros=int((x == 0).sum()),
        negatives=int((x < 0).sum()),
        integer=integer,
        histogram_counts=tuple(int(c) for c in counts),
        histogram_edges=tuple(float(e) for e in edges),
    )


def summarize_categorical(name: str, series: pd.Series, ctx: StatsContext) -> CategoricalStats:
    codes: Codes = ctx.encoded.categories[name]
    present = codes.codes[codes.codes >= 0]
    counts = np.bincount(present, minlength=codes.n_levels)
    order = np.argsort(-counts, kind="stable")[: ctx.top_k]
    top = tuple((str(codes.labels[i]), int(counts[i])) for i in order if counts[i] > 0)
    return CategoricalStats(
        name=name,
        kind=ColumnKind.CATEGORICAL,
        rows=codes.codes.size,
        count=int(present.size),
        missing=int(codes.codes.size - present.size),
        unique=int((counts > 0).sum()),
        top=top,
        other=int(present.size - sum(c for _, c in top)),
        entropy_bits=entropy_bits(counts),
    )


def summarize_boolean(name: str, series: pd.Series, ctx: StatsContext) -> CategoricalStats:
    return replace(summarize_categorical(name, series, ctx), kind=ColumnKind.BOOLEAN)


def summarize_datetime(name: str, series: pd.Series, ctx: StatsContext) -> DatetimeStats:
    parsed = _as_datetime(series)
    present = parsed.dropna()
    lo, hi = (present.min(), present.max()) if len(present) else (None, None)
    return DatetimeStats(
        name=name,
        kind=ColumnKind.DATETIME,
        rows=len(series),
        count=len(present),
        missing=len(series) - len(present),
        unique=int(present.nunique()),
        min=None if lo is None else lo.isoformat(),
        max=None if hi is None else hi.isoformat(),
        span_days=None if lo is None else (hi - lo) / pd.Timedelta(days=1),
        unparsed=int(parsed.isna().sum() - series.isna().sum()),
    )


def summarize_text(name: str, series: pd.Series, ctx: StatsContext, kind: ColumnKind = ColumnKind.TEXT) -> TextStats:
    present = series.dropna()
    lengths: pd.Series | None = None
    words = None
    sampled = 0
    if len(present) and not ptypes.is_numeric_dtype(series.dtype):
        if len(present) > TEXT_SAMPLE_ROWS:
            positions = np.sort(ctx.rng.choice(len(present), TEXT_SAMPLE_ROWS, replace=False))
            present_sample = present.iloc[positions]
        else:
            present_sample = present
        text = present_sample.astype(str)
        sampled = len(text)
        lengths = text.map(len)
        if kind is ColumnKind.TEXT:
            words = float(text.map(lambda value: len(value.split())).mean())
    return TextStats(
        name=name,
        kind=kind,
        rows=len(series),
        count=len(present),
        missing=len(series) - len(present),
        unique=int(present.nunique()),
        length_mean=None if lengths is None else float(lengths.mean()),
        length_min=None if lengths is None else int(lengths.min()),
        length_max=None if lengths is None else int(lengths.max()),
        words_mean=words,
        sampled=sampled,
    )


def summarize_identifier(name: str, series: pd.Series, ctx: StatsContext) -> TextStats:
    return summarize_text(name, series, ctx, kind=ColumnKind.IDENTIFIER)


Summarizer = Callable[[str, pd.Series, StatsContext], ColumnStats]

#: column kind -> summarizer
SUMMARIZERS: dict[ColumnKind, Summarizer] = {
    ColumnKind.NUMERIC: summarize_numeric,
    ColumnKind.CATEGORICAL: summarize_categorical,
    ColumnKind.BOOLEAN: summarize_boolean,
    ColumnKind.DATETIME: summarize_datetime,
    ColumnKind.TEXT: summarize_text,
    ColumnKind.IDENTIFIER: summarize_identifier,
}


def column_statistics(
    columns: list[tuple[str, pd.Series]], kinds: dict[str, ColumnKind], ctx: StatsContext
) -> dict[str, ColumnStats]:
    """Statistics of every column, keyed by name, in table order."""
    return {name: SUMMARIZERS[kinds[name]](name, series, ctx) for name, series in columns}


def _as_datetime(series: pd.Series) -> pd.Series:
    if ptypes.is_datetime64_any_dtype(series.dtype):
        return series
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(series, errors="coerce")
