"""Data-quality warnings: a registry of small rules over the computed statistics.

Messages name columns and aggregate figures, never data values, and each names the threshold
that made it fire (``ProfileWarning.threshold``). The rules cover what ydata-profiling alerts
on: duplicates, zeros, high correlation, high cardinality, imbalance, missing share, outlier
share, constant columns, skew (never for binary columns) and likely identifiers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ..data import ColumnKind
from ._json import clean
from .correlations import Correlations
from .statistics import CategoricalStats, ColumnStats, NumericStats


@dataclass(frozen=True)
class Thresholds:
    """When each warning fires (all overridable through ``profile(..., thresholds=...)``)."""

    missing_share: float = 0.05
    strong_correlation: float = 0.5
    high_cardinality: int = 50
    skew: float = 2.0
    identifier_unique_share: float = 0.95
    identifier_min_rows: int = 20
    duplicate_share: float = 0.0
    zeros_share: float = 0.1
    imbalance: float = 0.5
    outlier_share: float = 0.05

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ProfileWarning:
    code: str
    columns: tuple[str, ...]
    message: str
    value: float | None = None
    threshold: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {
                "code": self.code,
                "columns": list(self.columns),
                "message": self.message,
                "value": self.value,
                "threshold": self.threshold,
            }
        )


@dataclass(frozen=True)
class WarningContext:
    stats: Mapping[str, ColumnStats]
    correlations: Correlations
    thresholds: Thresholds
    rows: int = 0
    duplicate_rows: int = 0
    outliers: Mapping[str, Any] = field(default_factory=dict)


def _binary(s: ColumnStats) -> bool:
    return s.unique <= 2


def constant(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if s.unique == 1:
            yield ProfileWarning(
                "constant",
                (s.name,),
                f"{s.name!r} has a single distinct value; it carries no information.",
                1.0,
                "1 distinct value",
            )


def likely_identifier(ctx: WarningContext) -> Iterable[ProfileWarning]:
    # Numeric keys are recognised by the kind inference (distinct integers, named or
    # ordered like a key); distinct measurements such as amounts are not identifiers.
    t = ctx.thresholds
    for s in ctx.stats.values():
        near_unique = (
            s.kind is ColumnKind.CATEGORICAL
            and s.count >= t.identifier_min_rows
            and s.unique_share >= t.identifier_unique_share
        )
        if s.kind is ColumnKind.IDENTIFIER or near_unique:
            yield ProfileWarning(
                "identifier",
                (s.name,),
                f"{s.name!r} looks like an identifier ({s.unique_share:.0%} distinct values); "
                "drop it or replace it before synthesis, it is excluded from correlations.",
                s.unique_share,
                f"≥ {t.identifier_unique_share:.0%} distinct",
            )


def heavy_missingness(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if s.missing and s.missing_share > ctx.thresholds.missing_share:
            yield ProfileWarning(
                "missing",
                (s.name,),
                f"{s.name!r} is {s.missing_share:.1%} missing ({s.missing:,} of {s.rows:,} rows).",
                s.missing_share,
                f"> {ctx.thresholds.missing_share:.0%} missing",
            )


def strong_correlation(ctx: WarningContext) -> Iterable[ProfileWarning]:
    limit = ctx.thresholds.strong_correlation
    for pair in ctx.correlations.pairs():
        strength = pair["strength"]
        if strength is None or strength < limit:
            continue
        measure = {"numeric": "Pearson/Spearman |r|", "categorical": "Cramér's V", "mixed": "η"}[pair["type"]]
        how = (
            "almost determine each other; one may be derived from the other"
            if strength >= 0.9
            else "are highly associated; a synthesizer must keep this dependence"
        )
        yield ProfileWarning(
            "correlation",
            (pair["a"], pair["b"]),
            f"{pair['a']!r} and {pair['b']!r} {how} ({measure} = {strength:.2f}).",
            strength,
            f"{measure} ≥ {limit:g}",
        )


def high_cardinality(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if isinstance(s, CategoricalStats) and s.unique > ctx.thresholds.high_cardinality:
            yield ProfileWarning(
                "cardinality",
                (s.name,),
                f"{s.name!r} has {s.unique} categories; rare categories are hard to synthesize "
                "(and may identify people); consider grouping them.",
                float(s.unique),
                f"> {ctx.thresholds.high_cardinality} categories",
            )


def skewed(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if not isinstance(s, NumericStats) or _binary(s) or s.skew is None or abs(s.skew) < ctx.thresholds.skew:
            continue
        side = "right" if s.skew > 0 else "left"
        positive = s.min is not None and s.min >= 0 and s.skew > 0
        advice = "a log transform (log1p) may help models" if positive else "a rank or quantile transform may help"
        yield ProfileWarning(
            "skew",
            (s.name,),
            f"{s.name!r} is strongly {side}-skewed (skew {s.skew:.1f}); {advice}.",
            s.skew,
            f"|skew| ≥ {ctx.thresholds.skew:g}",
        )


def duplicates(ctx: WarningContext) -> Iterable[ProfileWarning]:
    share = ctx.duplicate_rows / ctx.rows if ctx.rows else 0.0
    if ctx.duplicate_rows and share > ctx.thresholds.duplicate_share:
        yield ProfileWarning(
            "duplicates",
            (),
            f"The table has {ctx.duplicate_rows:,} duplicate row(s) ({share:.1%}); a synthesizer learns them "
            "as extra weight, and exact copies raise the privacy risk.",
            share,
            f"> {ctx.thresholds.duplicate_share:.0%} duplicate rows",
        )


def zeros(ctx: WarningContext) -> Iterable[ProfileWarning]:
    limit = ctx.thresholds.zeros_share
    for s in ctx.stats.values():
        if not isinstance(s, NumericStats) or _binary(s) or not s.count:
            continue
        share = s.zeros / s.count
        if share > limit:
            yield ProfileWarning(
                "zeros",
                (s.name,),
                f"{s.name!r} is zero in {share:.1%} of rows ({s.zeros:,}); check that 0 is a value, not a "
                "missing marker, and that the synthesizer keeps the spike.",
                share,
                f"> {limit:.0%} zeros",
            )


def imbalance(ctx: WarningContext) -> Iterable[ProfileWarning]:
    limit = ctx.thresholds.imbalance
    for s in ctx.stats.values():
        if not isinstance(s, CategoricalStats) or s.unique < 2 or s.kind is ColumnKind.IDENTIFIER:
            continue
        score = 1.0 - s.entropy_bits / math.log2(s.unique)
        if score > limit:
            yield ProfileWarning(
                "imbalance",
                (s.name,),
                f"{s.name!r} is imbalanced (1 − normalised entropy = {score:.2f}; the most common category "
                f"holds {s.mode_share:.0%}); rare categories are hard to synthesize and to evaluate.",
                score,
                f"1 − entropy / log2(categories) > {limit:g}",
            )


def outlier_share(ctx: WarningContext) -> Iterable[ProfileWarning]:
    limit = ctx.thresholds.outlier_share
    for name, result in ctx.outliers.items():
        fence: Any = getattr(result, "iqr", None)
        share = getattr(fence, "share", None)
        stats = ctx.stats.get(name)
        if fence is None or share is None or share <= limit or (stats is not None and _binary(stats)):
            continue
        yield ProfileWarning(
            "outliers",
            (name,),
            f"{name!r} has {share:.1%} of rows outside the IQR fences ({fence.count:,} rows, "
            f"k = {result.iqr_k:g}); consider clipping bounds before DP training.",
            share,
            f"> {limit:.0%} outside Q1 − {result.iqr_k:g}·IQR … Q3 + {result.iqr_k:g}·IQR",
        )


Rule = Callable[[WarningContext], Iterable[ProfileWarning]]

#: warning code -> rule; add a rule here to add a warning.
RULES: dict[str, Rule] = {
    "constant": constant,
    "identifier": likely_identifier,
    "missing": heavy_missingness,
    "correlation": strong_correlation,
    "cardinality": high_cardinality,
    "skew": skewed,
    "duplicates": duplicates,
    "zeros": zeros,
    "imbalance": imbalance,
    "outliers": outlier_share,
}


def collect_warnings(ctx: WarningContext) -> list[ProfileWarning]:
    """Run every rule, in registry order."""
    return [warning for rule in RULES.values() for warning in rule(ctx)]
