"""Pairwise associations on a row sample.

* numeric × numeric: Pearson and Spearman (rank) correlation, pairwise-complete rows;
* categorical × categorical (boolean included): Cramér's V with Bergsma's (2013) bias
  correction by default (``bias_correction=False`` gives the classic V);
* numeric × categorical: the correlation ratio η (eta), ``sqrt(SS_between / SS_total)``.

Rows where either value is missing are left out of that pair. Identifier, free-text
and datetime columns are not correlated, nor are constant columns or categorical
columns with more than :data:`MAX_LEVELS` categories or fewer than two rows per category
on average (η and V are then close to 1 by chance); ``excluded`` says which and why.
Contingency tables come from ``np.bincount`` over integer codes (no ``pd.crosstab``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from ..data import ColumnKind
from ._json import clean, num
from .encoding import Codes, Encoded, category_codes, numeric_values

#: Rows used for correlations on large tables.
CORRELATION_SAMPLE = 50_000
#: Categorical columns with more categories than this are not correlated.
MAX_LEVELS = 500

_KIND_REASONS = {
    ColumnKind.IDENTIFIER: "identifier-like: unique per row, so associations are meaningless",
    ColumnKind.TEXT: "free text: not correlated",
    ColumnKind.DATETIME: "datetime: not correlated (derive a numeric feature to include it)",
}


# --- pure measures (hand-checkable) -------------------------------------------------


def contingency(a: Codes, b: Codes) -> np.ndarray:
    """Counts of each (category of a, category of b) over rows where both are present."""
    mask = (a.codes >= 0) & (b.codes >= 0)
    flat = a.codes[mask] * b.n_levels + b.codes[mask]
    return np.bincount(flat, minlength=a.n_levels * b.n_levels).reshape(a.n_levels, b.n_levels)


def cramers_v_from_table(table: np.ndarray, *, bias_correction: bool = True) -> float | None:
    """Cramér's V of a contingency table (None when a side has a single category)."""
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0].astype(float)
    r, k = table.shape
    n = table.sum()
    if r < 2 or k < 2 or n < 2:
        return None
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    phi2 = chi2 / n
    if not bias_correction:
        return min(1.0, math.sqrt(phi2 / min(r - 1, k - 1)))
    phi2c = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    denom = min(rc - 1, kc - 1)
    return min(1.0, math.sqrt(phi2c / denom)) if denom > 0 else None


def cramers_v(x: pd.Series, y: pd.Series, *, bias_correction: bool = True) -> float | None:
    """Cramér's V between two categorical Series (rows with a missing value are dropped)."""
    return cramers_v_from_table(contingency(category_codes(x), category_codes(y)), bias_correction=bias_correction)


def eta_from_codes(codes: Codes, values: np.ndarray) -> float | None:
    """Correlation ratio of numeric ``values`` given categories (None if undefined)."""
    mask = (codes.codes >= 0) & ~np.isnan(values)
    groups, y = codes.codes[mask], values[mask]
    if y.size < 2:
        return None
    sizes = np.bincount(groups, minlength=codes.n_levels)
    sums = np.bincount(groups, weights=y, minlength=codes.n_levels)
    mean = y.mean()
    present = sizes > 0
    between = float((sizes[present] * (sums[present] / sizes[present] - mean) ** 2).sum())
    total = float(((y - mean) ** 2).sum())
    if total <= 0 or present.sum() < 2:
        return None
    return min(1.0, math.sqrt(between / total))


def correlation_ratio(categories: pd.Series, values: pd.Series) -> float | None:
    """η between a categorical Series and a numeric Series."""
    return eta_from_codes(category_codes(categories), numeric_values(values))


# --- result -------------------------------------------------------------------------


@dataclass(frozen=True)
class Correlations:
    """Association matrices computed on ``sample_size`` rows."""

    pearson: pd.DataFrame
    spearman: pd.DataFrame
    cramers_v: pd.DataFrame
    eta: pd.DataFrame  # rows: categorical columns, columns: numeric columns
    sample_size: int
    bias_corrected: bool = True
    excluded: dict[str, str] = field(default_factory=dict)

    @property
    def numeric_columns(self) -> list[str]:
        return [str(c) for c in self.pearson.columns]

    @property
    def categorical_columns(self) -> list[str]:
        return [str(c) for c in self.cramers_v.columns]

    def associations(self) -> pd.DataFrame:
        """One matrix in [0, 1] over all correlated columns: |Spearman|, Cramér's V or η."""
        names = self.numeric_columns + self.categorical_columns
        matrix = pd.DataFrame(np.nan, index=names, columns=names)
        if self.numeric_columns:
            matrix.loc[self.numeric_columns, self.numeric_columns] = self.spearman.abs().to_numpy()
        if self.categorical_columns:
            matrix.loc[self.categorical_columns, self.categorical_columns] = self.cramers_v.to_numpy()
        if self.numeric_columns and self.categorical_columns:
            matrix.loc[self.categorical_columns, self.numeric_columns] = self.eta.to_numpy()
            matrix.loc[self.numeric_columns, self.categorical_columns] = self.eta.T.to_numpy()
        return matrix

    def pairs(self) -> list[dict[str, Any]]:
        """Every correlated pair with its measures, strongest first."""
        out: list[dict[str, Any]] = []
        for a, b in combinations(self.numeric_columns, 2):
            p, s = _at(self.pearson, a, b), _at(self.spearman, a, b)
            out.append({"a": a, "b": b, "type": "numeric", "pearson": p, "spearman": s, "strength": _max_abs(p, s)})
        for a, b in combinations(self.categorical_columns, 2):
            v = _at(self.cramers_v, a, b)
            out.append({"a": a, "b": b, "type": "categorical", "cramers_v": v, "strength": v})
        for c in self.categorical_columns:
            for x in self.numeric_columns:
                e = _at(self.eta, c, x)
                out.append({"a": c, "b": x, "type": "mixed", "eta": e, "strength": e})
        return sorted(out, key=lambda p: -1.0 if p["strength"] is None else p["strength"], reverse=True)

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {
                "sample_size": self.sample_size,
                "methods": {
                    "numeric": "Pearson and Spearman, pairwise-complete rows",
                    "categorical": "Cramér's V, "
                    + ("bias-corrected (Bergsma 2013)" if self.bias_corrected else "uncorrected"),
                    "mixed": "correlation ratio eta (categorical -> numeric)",
                },
                "pearson": _matrix(self.pearson),
                "spearman": _matrix(self.spearman),
                "cramers_v": _matrix(self.cramers_v),
                "eta": _matrix(self.eta),
                "pairs": self.pairs(),
                "excluded": self.excluded,
            }
        )


# --- computation --------------------------------------------------------------------


def compute_correlations(
    sample: Encoded,
    kinds: dict[str, ColumnKind],
    *,
    exclude: dict[str, str] | None = None,
    bias_correction: bool = True,
    max_levels: int = MAX_LEVELS,
) -> Correlations:
    """All pairwise measures on the (already sampled) encoded columns."""
    excluded = {name: reason for name, kind in kinds.items() if (reason := _KIND_REASONS.get(kind))}
    excluded.update(exclude or {})
    size = _sample_size(sample)
    for name, codes in sample.categories.items():
        if name in excluded:
            continue
        present = int(np.count_nonzero(np.bincount(codes.codes[codes.codes >= 0], minlength=codes.n_levels)))
        if present > max_levels:
            excluded[name] = f"more than {max_levels} categories"
        elif present > size / 2:
            excluded[name] = "fewer than 2 rows per category on average: any association would be spurious"
    numeric = [n for n in sample.numeric if n not in excluded]
    categorical = [n for n in sample.categories if n not in excluded]

    frame = pd.DataFrame({n: sample.numeric[n] for n in numeric}, columns=numeric)
    pearson = frame.corr(method="pearson", min_periods=3)
    spearman = frame.corr(method="spearman", min_periods=3)

    v = pd.DataFrame(np.eye(len(categorical)), index=categorical, columns=categorical)
    for a, b in combinations(categorical, 2):
        value = cramers_v_from_table(
            contingency(sample.categories[a], sample.categories[b]), bias_correction=bias_correction
        )
        v.at[a, b] = v.at[b, a] = np.nan if value is None else value

    eta = pd.DataFrame(np.nan, index=categorical, columns=numeric)
    for c in categorical:
        for x in numeric:
            value = eta_from_codes(sample.categories[c], sample.numeric[x])
            eta.at[c, x] = np.nan if value is None else value
    return Correlations(pearson, spearman, v, eta, size, bias_correction, excluded)


def _sample_size(sample: Encoded) -> int:
    for values in sample.numeric.values():
        return int(values.size)
    for codes in sample.categories.values():
        return int(codes.codes.size)
    return 0


def _at(frame: pd.DataFrame, row: str, column: str) -> float | None:
    value: Any = frame.at[row, column]
    return num(float(value))


def _matrix(frame: pd.DataFrame) -> dict[str, Any]:
    return {
        "rows": [str(i) for i in frame.index],
        "columns": [str(c) for c in frame.columns],
        "values": frame.to_numpy(dtype=float).tolist(),
    }


def _max_abs(*values: float | None) -> float | None:
    present = [abs(v) for v in values if v is not None]
    return max(present) if present else None
