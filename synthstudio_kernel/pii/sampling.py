"""Per-column samples: a seeded random sample of non-null rows, turned into distinct strings with
their row counts, plus exact whole-column facts (non-null count, distinct count, numeric range).

Odd values never crash a scan: bytes are decoded as UTF-8 where possible, very long strings are
cut, and objects that are not text (lists, dicts, custom objects) are counted and skipped.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

#: Default rows sampled per column.
DEFAULT_SAMPLE_SIZE = 1_000
#: Longest cell looked at, in characters (longer values are cut; the cut is counted).
MAX_CELL_CHARS = 2_000
#: Whole-column distinct counts are exact up to this many rows, estimated on a sample above it.
MAX_EXACT_ROWS = 2_000_000
Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for a proportion (``(0, 1)`` when ``n`` is 0).

    >>> lo, hi = wilson_interval(1000, 1000)
    >>> round(lo, 4), hi
    (0.9962, 1.0)
    """
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def max_half_width(n: int) -> float:
    """The widest half-width a 95% Wilson interval can have with ``n`` rows (at p = 0.5)."""
    lo, hi = wilson_interval(n // 2, n) if n > 0 else (0.0, 1.0)
    return (hi - lo) / 2


@dataclass
class ColumnSample:
    """What a scan looks at for one column. Holds raw values: never exported as is."""

    name: str
    family: str  # integer | float | boolean | datetime | timedelta | string | numeric-text | mixed | binary | empty
    n_rows: int
    n_non_null: int
    n_distinct: int
    distinct_exact: bool
    values: list[str] = field(repr=False)  # distinct sampled values, as text
    counts: list[int] = field(repr=False)  # rows of the sample holding each value
    n_sampled: int = 0  # non-null rows sampled
    numbers: np.ndarray | None = field(default=None, repr=False)  # sampled values as floats, numeric columns
    min_value: float | None = None
    max_value: float | None = None
    integral: bool = False  # every number is a whole number
    monotonic: bool = False
    consecutive: bool = False
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> sampled rows skipped
    truncated: int = 0

    @property
    def n_text(self) -> int:
        """Sampled rows that have a text form (non-skipped)."""
        return int(sum(self.counts))

    @property
    def whole_numbers(self) -> bool:
        """Whole numbers: an integer column, or a float one holding only whole values (ints with NaN)."""
        return self.family == "integer" or (self.family == "float" and self.integral)

    @property
    def distinct_share(self) -> float:
        return self.n_distinct / self.n_non_null if self.n_non_null else 0.0

    @property
    def mean_tokens(self) -> float:
        """Row-weighted mean number of whitespace-separated words."""
        total = self.n_text
        if not total:
            return 0.0
        return sum(len(v.split()) * c for v, c in zip(self.values, self.counts, strict=True)) / total

    @property
    def mean_length(self) -> float:
        total = self.n_text
        if not total:
            return 0.0
        return sum(len(v) * c for v, c in zip(self.values, self.counts, strict=True)) / total


def _as_text(value: object) -> tuple[str | None, str | None]:
    """``(text, None)`` or ``(None, reason it was skipped)``."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool | np.bool_):
        return str(bool(value)), None
    if isinstance(value, int | np.integer):
        return str(int(value)), None
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isinf(f):
            return None, "infinite number"
        return (str(int(f)) if f.is_integer() and abs(f) < 1e18 else repr(f)), None
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            return bytes(value).decode("utf-8"), None
        except UnicodeDecodeError:
            return None, "binary (not UTF-8) value"
    if isinstance(value, pd.Timestamp | _dt.datetime | _dt.date | _dt.time):
        return value.isoformat(), None
    if isinstance(value, decimal.Decimal):
        return str(value), None
    return None, f"{type(value).__name__} object"


def _family(series: pd.Series, sampled: pd.Series) -> str:
    dtype = series.dtype
    if ptypes.is_bool_dtype(dtype):
        return "boolean"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "datetime"
    if ptypes.is_timedelta64_dtype(dtype):
        return "timedelta"
    if ptypes.is_integer_dtype(dtype):
        return "integer"
    if ptypes.is_float_dtype(dtype):
        return "float"
    if len(sampled) == 0:
        return "empty"
    kinds = Counter(
        "string"
        if isinstance(v, str)
        else "binary"
        if isinstance(v, bytes | bytearray | memoryview)
        else "number"
        if isinstance(v, int | float | np.integer | np.floating | decimal.Decimal) and not isinstance(v, bool)
        else "datetime"
        if isinstance(v, pd.Timestamp | _dt.datetime | _dt.date)
        else "other"
        for v in sampled
    )
    if len(kinds) == 1:
        kind = next(iter(kinds))
        return {"number": "numeric-text", "other": "mixed"}.get(kind, kind)
    return "mixed"


def _is_null(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def sample_column(
    series: pd.Series,
    *,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    seed: int = 0,
    name: str | None = None,
) -> ColumnSample:
    """Sample ``series`` and gather whole-column facts."""
    column = str(series.name) if name is None else name
    n_rows = len(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    try:
        mask = series.notna().to_numpy()
    except (TypeError, ValueError):
        mask = np.array([not _is_null(v) for v in series], dtype=bool)
    if series.dtype == object or ptypes.is_string_dtype(series.dtype):
        # a CSV read with keep_default_na=False holds gaps as "" or spaces: score non-empty cells only
        mask &= ~np.array([isinstance(v, str) and not v.strip() for v in series.tolist()], dtype=bool)
    non_null = series[mask]
    n_non_null = len(non_null)
    rng = np.random.default_rng(seed)
    if n_non_null > sample_size:
        positions = rng.choice(n_non_null, size=sample_size, replace=False)  # random order
        sampled = non_null.iloc[positions]
    else:
        sampled = non_null
    family = _family(series, sampled)
    n_distinct, exact = _distinct(non_null, rng)

    counts: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    truncated = 0
    for value in sampled.tolist():
        text, why = _as_text(value)
        if text is None:
            skipped[why or "unknown"] += 1
            continue
        if len(text) > MAX_CELL_CHARS:
            text = text[:MAX_CELL_CHARS]
            truncated += 1
        counts[text] += 1

    sample = ColumnSample(
        name=column,
        family=family,
        n_rows=n_rows,
        n_non_null=n_non_null,
        n_distinct=n_distinct,
        distinct_exact=exact,
        values=list(counts),
        counts=list(counts.values()),
        n_sampled=len(sampled),
        skipped=dict(skipped),
        truncated=truncated,
    )
    if family in ("integer", "float") and n_non_null:
        _numeric_facts(sample, non_null, sampled)
    return sample


def _distinct(non_null: pd.Series, rng: np.random.Generator) -> tuple[int, bool]:
    subset, exact = non_null, True
    if len(non_null) > MAX_EXACT_ROWS:
        subset = non_null.iloc[np.sort(rng.choice(len(non_null), size=MAX_EXACT_ROWS, replace=False))]
        exact = False
    try:
        return int(subset.nunique(dropna=True)), exact
    except TypeError:  # unhashable values (lists, dicts): count their text forms
        return int(subset.map(repr).nunique()), exact


def _numeric_facts(sample: ColumnSample, non_null: pd.Series, sampled: pd.Series) -> None:
    values = non_null.to_numpy(dtype="float64")
    finite = values[np.isfinite(values)]
    if not len(finite):
        return
    sample.numbers = sampled.to_numpy(dtype="float64")
    sample.min_value = float(finite.min())
    sample.max_value = float(finite.max())
    sample.integral = bool(np.all(np.mod(finite, 1) == 0))
    if sample.integral:
        sample.monotonic = bool(non_null.is_monotonic_increasing) and sample.n_distinct == sample.n_non_null
        span = sample.max_value - sample.min_value + 1
        sample.consecutive = sample.n_distinct == sample.n_non_null and span == sample.n_non_null
