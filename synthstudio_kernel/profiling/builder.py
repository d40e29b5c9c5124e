"""``profile(df)``: validate, encode once, then run statistics, outliers, correlations and warnings."""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..assistant.memory import remember
from ..data import ColumnKind, Dataset, as_dataset
from ..data.tables import by_reference, in_memory
from ..errors import ConfigError
from .correlations import CORRELATION_SAMPLE, compute_correlations
from .encoding import Encoded, columns, encode
from .outliers import IFOREST_THRESHOLD, ColumnOutliers, column_outliers, isolation_forest
from .profile import Profile
from .statistics import ColumnStats, NumericStats, StatsContext, TextStats, column_statistics
from .warnings import Thresholds, WarningContext, collect_warnings

#: Rows the Isolation Forest is fitted on and scores.
OUTLIER_SAMPLE = 10_000


def profile(
    data: pd.DataFrame | Dataset | Any,
    *,
    kinds: Mapping[str, ColumnKind | str] | None = None,
    name: str | None = None,
    seed: int = 0,
    correlation_sample: int = CORRELATION_SAMPLE,
    outlier_sample: int = OUTLIER_SAMPLE,
    top_k: int = 10,
    thresholds: Thresholds | None = None,
    bias_correction: bool = True,
    iforest_threshold: float = IFOREST_THRESHOLD,
) -> Profile:
    """Profile a table: per-column statistics, outliers, correlations and warnings.

    ``data`` may also be a table by reference (``ss.table(...)``): counts are then exact
    from the engine and the rest comes from a stated sample (see :mod:`.tables`).
    ``data`` is validated (empty tables, duplicate names, unsupported dtypes... raise
    DataError) and its column kinds inferred; ``kinds`` overrides some of them.
    Statistics and univariate outliers use every row; correlations use a uniform
    sample of ``correlation_sample`` rows and the Isolation Forest ``outlier_sample``
    rows (``Profile.sample_sizes`` states what was used). ``seed`` makes the samples
    reproducible; a sample size of 0 means all rows.
    """
    started = time.perf_counter()
    _check_options(correlation_sample=correlation_sample, outlier_sample=outlier_sample, top_k=top_k)
    table = by_reference(data)
    if table is not None:  # a DuckDB or Spark table: exact counts in the engine, the rest on a sample
        from .tables import profile_table

        return profile_table(
            table,
            kinds=kinds,
            name=name,
            seed=seed,
            top_k=top_k,
            correlation_sample=correlation_sample,
            outlier_sample=outlier_sample,
            thresholds=thresholds,
            bias_correction=bias_correction,
            iforest_threshold=iforest_threshold,
        )
    dataset = as_dataset(in_memory(data), kinds, name=name)
    # Extreme magnitudes may overflow the moments; such results become None, silently.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = _profile(
            dataset,
            started=started,
            seed=seed,
            correlation_sample=correlation_sample,
            outlier_sample=outlier_sample,
            top_k=top_k,
            thresholds=thresholds,
            bias_correction=bias_correction,
            iforest_threshold=iforest_threshold,
        )
    remember("profile", result)
    return result


def _profile(
    dataset: Dataset,
    *,
    started: float,
    seed: int,
    correlation_sample: int,
    outlier_sample: int,
    top_k: int,
    thresholds: Thresholds | None,
    bias_correction: bool,
    iforest_threshold: float,
) -> Profile:
    timings: dict[str, float] = {}
    clock = _Clock(timings, started)
    kinds_ = dict(dataset.kinds)
    cols = columns(dataset)
    encoded = encode(dataset)
    rng = np.random.default_rng(seed)
    clock.lap("validate_encode")

    stats = column_statistics(cols, kinds_, StatsContext(encoded, rng, top_k))
    clock.lap("statistics")

    outliers = _univariate(encoded, stats)
    forest_rows = _sample_rows(dataset.n_rows, outlier_sample, rng)
    forest = isolation_forest(
        {n: v for n, v in _take(encoded, forest_rows).numeric.items()}, seed=seed, threshold=iforest_threshold
    )
    clock.lap("outliers")

    corr_rows = _sample_rows(dataset.n_rows, correlation_sample, rng)
    constant = {n: "constant: a single distinct value" for n, s in stats.items() if s.unique <= 1}
    correlations = compute_correlations(
        _take(encoded, corr_rows), kinds_, exclude=constant, bias_correction=bias_correction
    )
    clock.lap("correlations")

    limits = thresholds or Thresholds()
    overview = _overview(dataset, stats)
    context = WarningContext(
        stats,
        correlations,
        limits,
        dataset.n_rows,
        int(overview["duplicate_rows"]),  # type: ignore[call-overload]
        outliers,
    )
    found = collect_warnings(context)
    clock.lap("warnings_overview")
    timings["total"] = sum(timings.values())

    text_rows = [s.sampled for s in stats.values() if isinstance(s, TextStats) and s.sampled]
    sample_sizes = {
        "rows": dataset.n_rows,
        "statistics": dataset.n_rows,
        "univariate_outliers": dataset.n_rows,
        "isolation_forest": forest.sample_size,
        "correlations": correlations.sample_size,
    }
    if text_rows:
        sample_sizes["text_lengths"] = max(text_rows)
    return Profile(
        name=dataset.name,
        n_rows=dataset.n_rows,
        n_columns=dataset.n_columns,
        kinds=kinds_,
        columns=stats,
        outliers=outliers,
        multivariate=forest,
        correlations=correlations,
        warnings=found,
        sample_sizes=sample_sizes,
        overview=overview,
        thresholds=limits,
        seed=seed,
        timings=timings,
        _frame=dataset.frame,
    )


def _check_options(**values: int) -> None:
    for option, value in values.items():
        minimum = 1 if option == "top_k" else 0
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigError(f"{option} must be an integer >= {minimum}, got {value!r}.")


def _univariate(encoded: Encoded, stats: dict[str, ColumnStats]) -> dict[str, ColumnOutliers]:
    out: dict[str, ColumnOutliers] = {}
    for name, values in encoded.numeric.items():
        s = stats[name]
        q = s.quantiles if isinstance(s, NumericStats) else {}
        quartiles = (q["q25"], q["q75"]) if q.get("q25") is not None and q.get("q75") is not None else None
        result = column_outliers(name, values, quartiles=quartiles, median=q.get("median"))  # type: ignore[arg-type]
        if result is not None:
            out[name] = result
    return out


def _sample_rows(n: int, size: int, rng: np.random.Generator) -> np.ndarray | None:
    """Sorted positions of a uniform sample without replacement, or None for all rows."""
    if size <= 0 or n <= size:
        return None
    return np.sort(rng.choice(n, size=size, replace=False))


def _take(encoded: Encoded, rows: np.ndarray | None) -> Encoded:
    return encoded if rows is None else encoded.take(rows)


def _overview(dataset: Dataset, stats: dict[str, ColumnStats]) -> dict[str, object]:
    frame = dataset.frame
    cells = dataset.n_rows * dataset.n_columns
    missing = sum(s.missing for s in stats.values())
    row_hashes = pd.util.hash_pandas_object(frame, index=False)
    duplicates = int(row_hashes.duplicated().sum())
    return {
        "missing_cells": missing,
        "missing_cells_share": missing / cells if cells else 0.0,
        "duplicate_rows": duplicates,
        "duplicate_rows_share": duplicates / dataset.n_rows if dataset.n_rows else 0.0,
        "memory_bytes": int(frame.memory_usage(deep=True, index=False).sum()),
        "kind_counts": {k.value: len(dataset.columns_of(k)) for k in ColumnKind if dataset.columns_of(k)},
        "fingerprint": dataset.fingerprint,
    }


class _Clock:
    def __init__(self, timings: dict[str, float], started: float) -> None:
        self._timings = timings
        self._last = started

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self._timings[name] = round(now - self._last, 4)
        self._last = now
