"""Profiles of tables by reference: exact counts from the engine, the rest from a stated sample.

The result is the same :class:`~synthstudio_kernel.profiling.profile.Profile` as for a
frame. Exact (computed in the engine over every row): the row count; per column the
present, missing and distinct counts; for numeric columns mean, standard deviation,
minimum, maximum, zeros, negatives and whether all values are whole; for categorical and
boolean columns with at most :data:`EXACT_CATEGORY_LIMIT` distinct values the top
categories, the "other" count and the entropy. From a uniform sample of ``sample_rows``
rows drawn in the engine: quantiles, histograms, skewness, kurtosis, text lengths,
datetime ranges, outliers, correlations and duplicate rows.
``Profile.overview["sampling"]`` states the sample size, what is exact, and the 95% bound
on any quantile's rank error (DKW: ``sqrt(ln(2/0.05) / (2·n))``); where the engine estimates
distinct counts (Spark above ``SPARK_EXACT_DISTINCT_ROWS`` rows: HyperLogLog++), it names
those columns and the relative standard error (columns with exact value counts are counted
exactly). ``Profile.sampling_errors`` gives the correlation and Isolation Forest margins as
for frames. The HTML states all of it in the overview. ``to_dict()`` has the same keys as a
frame's profile.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from ..data import ColumnKind
from ..data.queries import MISSING
from ..data.tables import DEFAULT_SAMPLE_ROWS, ColumnFacts, TableRef
from .profile import Profile
from .statistics import CategoricalStats, ColumnStats, NumericStats, entropy_bits
from .warnings import WarningContext, collect_warnings

#: Categorical columns with at most this many distinct values get exact top counts from the engine.
EXACT_CATEGORY_LIMIT = 10_000
#: The statistics that are computed in the engine over every row.
EXACT_FIELDS = ("rows", "count", "missing", "unique", "mean", "std", "min", "max", "zeros", "negatives", "integer")


def dkw_bound(n: int, alpha: float = 0.05) -> float:
    """Half-width of the DKW band: with probability 1 - alpha every sample quantile's rank
    is within this of the true one.

    >>> round(dkw_bound(100_000), 4)
    0.0043
    """
    return math.sqrt(math.log(2 / alpha) / (2 * n)) if n > 0 else 1.0


def profile_table(
    table: TableRef,
    *,
    kinds: Mapping[str, ColumnKind | str] | None = None,
    name: str | None = None,
    seed: int = 0,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    top_k: int = 10,
    **options: Any,
) -> Profile:
    """Profile a table by reference (see the module docstring for what is exact)."""
    from .builder import profile

    if kinds:
        table = table.with_kinds(kinds)
    column_kinds = table.kinds
    sample = table.sample(sample_rows, seed=seed)
    base = profile(sample, kinds=column_kinds, name=name or table.name, seed=seed, top_k=top_k, **options)
    facts = table.column_facts()
    source = table.count_source()
    stats: dict[str, ColumnStats] = {}
    counted: set[str] = set()  # columns whose exact value counts (and so distinct counts) came from the engine
    for column, sampled in base.columns.items():
        exact = _exact(sampled, facts[column])
        few = facts[column].distinct <= EXACT_CATEGORY_LIMIT
        if few and isinstance(exact, CategoricalStats):  # categorical and boolean columns
            exact = _exact_categories(exact, source.value_counts(column), top_k)
            counted.add(column)
        stats[column] = exact
    found = collect_warnings(WarningContext(stats, base.correlations, base.thresholds))
    n_rows = table.n_rows
    missing = sum(s.missing for s in stats.values())
    cells = n_rows * table.n_columns
    overview = {
        **base.overview,
        "missing_cells": missing,
        "missing_cells_share": missing / cells if cells else 0.0,
        # what loading the table into pandas would take, scaled up from the sample
        "memory_bytes": round(int(base.overview["memory_bytes"]) * n_rows / max(len(sample), 1)),
        "fingerprint": table.fingerprint,
        "engine": table.engine,
        "sampling": {
            "sample_rows": len(sample),
            "method": "uniform without replacement, drawn in the engine",
            "seed": seed,
            "exact": [*EXACT_FIELDS, f"top categories (up to {EXACT_CATEGORY_LIMIT} distinct)"],
            "from_sample": [
                "memory_bytes (scaled)",
                "quantiles",
                "histograms",
                "skew",
                "kurtosis",
                "text lengths",
                "datetime ranges",
                "outliers",
                "correlations",
                "duplicate rows",
            ],
            "quantile_rank_error_95": dkw_bound(len(sample)) if len(sample) < n_rows else 0.0,
        },
    }
    estimated = sorted(c for c, f in facts.items() if not f.distinct_exact and c not in counted)
    if estimated:
        rsd = max(f.distinct_rsd or 0.0 for f in facts.values())
        overview["sampling"]["distinct_estimated"] = {"columns": estimated, "relative_std_error": rsd}
    if len(sample) < n_rows:
        overview["duplicate_rows_note"] = f"counted in the {len(sample):,}-row sample"
    sizes = {**base.sample_sizes, "rows": n_rows, "counts": n_rows, "statistics": len(sample)}
    return replace(base, n_rows=n_rows, columns=stats, warnings=found, overview=overview, sample_sizes=sizes)


def _exact(stats: ColumnStats, facts: ColumnFacts) -> ColumnStats:
    common: dict[str, Any] = {
        "rows": facts.rows,
        "count": facts.non_null,
        "missing": facts.missing,
        "unique": facts.distinct,
    }
    if isinstance(stats, NumericStats) and facts.mean is not None:
        return replace(
            stats,
            **common,
            mean=facts.mean,
            std=facts.std,
            min=facts.min,
            max=facts.max,
            zeros=int(facts.zeros or 0),
            negatives=int(facts.negatives or 0),
            integer=bool(facts.integral),
        )
    return replace(stats, **common)


def _exact_categories(stats: CategoricalStats, counts: dict[Any, int], top_k: int) -> CategoricalStats:
    present = {k: c for k, c in counts.items() if k is not MISSING}
    values = np.array(list(present.values()), dtype=np.int64)
    order = sorted(present.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top_k]
    top = tuple((str(k), int(c)) for k, c in order if c > 0)
    total = int(values.sum()) if values.size else 0
    return replace(
        stats,
        unique=int(np.count_nonzero(values)),  # exact, even where the engine's distinct count is an estimate
        top=top,
        other=total - sum(c for _, c in top),
        entropy_bits=entropy_bits(values),
    )
