"""Count queries: the one narrow interface through which marginal DP methods read rows.

A marginal method never sees a row. It asks a :class:`CountSource` for

- ``marginal(encoders)``: the exact contingency table (group-by counts) of a few columns,
  each column mapped to cells by a public :class:`Encoder` (bins for numbers, a list of
  known categories for the rest), as a dense array of shape ``(e.size for e in encoders)``;
- ``value_counts(column)``: exact counts of each distinct value of one column (for
  partition selection over an unknown domain, where only noisy counts above a threshold
  are released).

Both return *exact* counts: the caller adds the noise (from the secure source) before
anything leaves the privacy layer. :class:`PandasCountSource` is the default; DuckDB and
Spark sources implement the same protocol by translating an encoder into SQL / column
expressions from its public fields only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd


class Missing:
    """Marker for the missing-value category (a singleton that survives pickling)."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING = Missing()


def category_key(value: Any) -> Any:
    """Hashable category key: NaN/None/NaT become ``MISSING``; numpy scalars become Python."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, np.generic):
        return value.item()
    return value


def numeric_values(series: pd.Series, *, datetime: bool = False) -> np.ndarray:
    """A numeric or datetime column as floats (datetimes in seconds since the epoch), NaN for missing."""
    if datetime:
        parsed = pd.to_datetime(series, errors="coerce", format="mixed") if series.dtype == object else series
        stamps = pd.DatetimeIndex(parsed)
        if stamps.tz is not None:
            stamps = stamps.tz_convert("UTC").tz_localize(None)
        values = stamps.as_unit("ns").asi8.astype(float) / 1e9  # asi8 counts in the index's own unit
        values[np.asarray(stamps.isna())] = np.nan
        return values
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


# --- encoders: public maps from values to cells ------------------------------------------
@dataclass(frozen=True)
class BinEncoder:
    """Numbers to bins: values are clipped into ``[edges[0], edges[-1]]`` and fall into
    ``bisect_right(edges, v) - 1`` (the last bin is closed on both sides); missing values
    go to the extra cell ``n_bins``."""

    column: str
    edges: tuple[float, ...]
    datetime: bool = False

    def __post_init__(self) -> None:
        edges = np.asarray(self.edges, dtype=float)
        if len(edges) < 2 or not np.all(np.isfinite(edges)) or np.any(np.diff(edges) <= 0):
            raise ValueError("bin edges must be finite and strictly increasing (at least two)")

    @property
    def n_bins(self) -> int:
        return len(self.edges) - 1

    @property
    def size(self) -> int:
        return self.n_bins + 1

    def encode(self, series: pd.Series) -> np.ndarray:
        values = numeric_values(series, datetime=self.datetime)
        return self.encode_values(values)

    def encode_values(self, values: np.ndarray) -> np.ndarray:
        """Cells of already numeric values (NaN is missing)."""
        edges = np.asarray(self.edges, dtype=float)
        missing = np.isnan(values)
        clipped = np.clip(np.where(missing, edges[0], values), edges[0], edges[-1])
        cells = np.searchsorted(edges, clipped, side="right") - 1
        cells = np.minimum(cells, self.n_bins - 1)
        cells[missing] = self.n_bins
        return cells.astype(np.int64)


@dataclass(frozen=True)
class CategoryEncoder:
    """Known categories to their positions; anything else (unknown values, and missing
    values unless ``MISSING`` is listed) goes to the extra cell ``len(values)``."""

    column: str
    values: tuple[Any, ...]

    @property
    def size(self) -> int:
        return len(self.values) + 1

    def encode(self, series: pd.Series) -> np.ndarray:
        index = {category_key(v): i for i, v in enumerate(self.values)}
        other = len(self.values)
        uniques, inverse = _factorize(series)
        lookup = np.array([index.get(category_key(u), other) for u in uniques] + [other], dtype=np.int64)
        return lookup[inverse]


Encoder = BinEncoder | CategoryEncoder


def _factorize(series: pd.Series) -> tuple[list[Any], np.ndarray]:
    """Distinct values (missing once, last) and each row's position among them."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = list(uniques)
    codes = codes.astype(np.int64)
    codes[codes < 0] = len(values)  # missing -> the slot after the uniques
    values.append(None)
    return values, codes


# --- sources -------------------------------------------------------------------------------
@runtime_checkable
class CountSource(Protocol):
    """A table that answers count queries (and nothing else)."""

    @property
    def columns(self) -> list[str]: ...

    @property
    def n_rows(self) -> int:
        """The exact number of rows (declared public by the caller when used)."""
        ...

    def marginal(self, encoders: Sequence[Encoder]) -> np.ndarray:
        """Exact counts over the cells of ``encoders`` (dense, float64, one axis per encoder)."""
        ...

    def value_counts(self, column: str) -> dict[Any, int]:
        """Exact count of each distinct value of ``column`` (missing values under ``MISSING``)."""
        ...


#: Cells of the largest marginal any engine counts densely.
MAX_CELLS = 2**31


def dense_shape(encoders: Sequence[Encoder]) -> tuple[int, ...]:
    """Shape of the dense count array of ``encoders`` (every engine's one size check)."""
    shape = tuple(e.size for e in encoders)
    if math.prod(shape) > MAX_CELLS:
        raise ValueError("marginal too large to count densely")
    return shape


class PandasCountSource:
    """Count queries over an in-memory DataFrame (the default engine)."""

    engine = "pandas"

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._cells: dict[Encoder, np.ndarray] = {}

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self._frame.columns]

    @property
    def n_rows(self) -> int:
        return int(self._frame.shape[0])

    def _encoded(self, encoder: Encoder) -> np.ndarray:
        cells = self._cells.get(encoder)
        if cells is None:
            cells = encoder.encode(self._frame[encoder.column])
            self._cells[encoder] = cells
        return cells

    def marginal(self, encoders: Sequence[Encoder]) -> np.ndarray:
        if not encoders:
            return np.array(float(self.n_rows))
        shape = dense_shape(encoders)
        flat = np.ravel_multi_index(tuple(self._encoded(e) for e in encoders), shape)
        return np.bincount(flat, minlength=math.prod(shape)).astype(np.float64).reshape(shape)

    def value_counts(self, column: str) -> dict[Any, int]:
        counts: dict[Any, int] = {}
        for value, count in self._frame[column].value_counts(dropna=False, sort=False).items():
            key = category_key(value)
            counts[key] = counts.get(key, 0) + int(count)
        return counts
