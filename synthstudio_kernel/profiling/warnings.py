"""Data-quality warnings: a registry of small rules over the computed statistics.

Messages name columns and aggregate figures, never data values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..data import ColumnKind
from ._json import clean
from .correlations import Correlations
from .statistics import CategoricalStats, ColumnStats, NumericStats


@dataclass(frozen=True)
class Thresholds:
    """When each warning fires (all overridable through ``profile(..., thresholds=...)``)."""

    missing_share: float = 0.2
    strong_correlation: float = 0.9
    high_cardinality: int = 50
    skew: float = 2.0
    identifier_unique_share: float = 0.95
    identifier_min_rows: int = 20

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ProfileWarning:
    code: str
    columns: tuple[str, ...]
    message: str
    value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return clean({"code": self.code, "columns": list(self.columns), "message": self.message, "value": self.value})


@dataclass(frozen=True)
class WarningContext:
    stats: Mapping[str, ColumnStats]
    correlations: Correlations
    thresholds: Thresholds


def constant(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if s.unique == 1:
            yield ProfileWarning(
                "constant", (s.name,), f"{s.name!r} has a single distinct value; it carries no information.", 1.0
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
            )


def heavy_missingness(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if s.missing_share >= ctx.thresholds.missing_share:
            yield ProfileWarning(
                "missing",
                (s.name,),
                f"{s.name!r} is {s.missing_share:.0%} missing ({s.missing} of {s.rows} rows).",
                s.missing_share,
            )


def strong_correlation(ctx: WarningContext) -> Iterable[ProfileWarning]:
    limit = ctx.thresholds.strong_correlation
    for pair in ctx.correlations.pairs():
        strength = pair["strength"]
        if strength is None or strength < limit:
            continue
        measure = {"numeric": "Pearson/Spearman |r|", "categorical": "Cramér's V", "mixed": "η"}[pair["type"]]
        yield ProfileWarning(
            "correlation",
            (pair["a"], pair["b"]),
            f"{pair['a']!r} and {pair['b']!r} are strongly associated ({measure} = {strength:.2f}); "
            "one may be derived from the other.",
            strength,
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
            )


def skewed(ctx: WarningContext) -> Iterable[ProfileWarning]:
    for s in ctx.stats.values():
        if isinstance(s, NumericStats) and s.skew is not None and abs(s.skew) >= ctx.thresholds.skew:
            side = "right" if s.skew > 0 else "left"
            yield ProfileWarning(
                "skew",
                (s.name,),
                f"{s.name!r} is strongly {side}-skewed (skew {s.skew:.1f}); a log or rank transform may help models.",
                s.skew,
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
}


def collect_warnings(ctx: WarningContext) -> list[ProfileWarning]:
    """Run every rule, in registry order."""
    return [warning for rule in RULES.values() for warning in rule(ctx)]
