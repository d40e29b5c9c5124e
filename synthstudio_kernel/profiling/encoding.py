"""Encode each column once, so that statistics, outliers and correlations share the work.

Numeric columns become float64 arrays with NaN for missing values; categorical and
boolean columns become integer codes (``-1`` for missing) plus their labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..data import ColumnKind, Dataset

#: Kinds treated as categories (codes + labels).
CATEGORY_KINDS = frozenset({ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN})


@dataclass(frozen=True)
class Codes:
    """Integer codes of one categorical column; ``labels[code]`` is the category."""

    codes: np.ndarray
    labels: pd.Index

    @property
    def n_levels(self) -> int:
        return len(self.labels)

    def take(self, rows: np.ndarray) -> Codes:
        return Codes(self.codes[rows], self.labels)


@dataclass
class Encoded:
    """Numeric arrays and category codes of a dataset's columns."""

    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    categories: dict[str, Codes] = field(default_factory=dict)

    def take(self, rows: np.ndarray) -> Encoded:
        """The same encoding restricted to ``rows`` (positions)."""
        return Encoded(
            numeric={name: values[rows] for name, values in self.numeric.items()},
            categories={name: codes.take(rows) for name, codes in self.categories.items()},
        )


def numeric_values(series: pd.Series) -> np.ndarray:
    """float64 values with NaN for missing (nullable and boolean dtypes included)."""
    if ptypes.is_bool_dtype(series.dtype):
        return series.astype("float64").to_numpy()
    return series.to_numpy(dtype="float64", na_value=np.nan)


def category_codes(series: pd.Series) -> Codes:
    """Codes in first-appearance order; missing values get ``-1``."""
    codes, labels = pd.factorize(series, use_na_sentinel=True)
    return Codes(np.asarray(codes, dtype=np.int64), pd.Index(labels))


def encode(dataset: Dataset) -> Encoded:
    """Encode the numeric and categorical/boolean columns of ``dataset``."""
    encoded = Encoded()
    for name, series in columns(dataset):
        kind = dataset.kinds[name]
        if kind is ColumnKind.NUMERIC:
            encoded.numeric[name] = numeric_values(series)
        elif kind in CATEGORY_KINDS:
            encoded.categories[name] = category_codes(series)
    return encoded


def columns(dataset: Dataset) -> list[tuple[str, pd.Series]]:
    """(name as text, column) pairs in table order; works for non-string column labels."""
    frame = dataset.frame
    return [(str(label), frame.iloc[:, position]) for position, label in enumerate(frame.columns)]
