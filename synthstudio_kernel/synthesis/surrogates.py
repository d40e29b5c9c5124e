"""Columns a synthesizer does not learn: identifiers get fresh unique keys, free text stays empty.

Nothing here looks at the training values: only the column's dtype family is kept, so
the artifact holds no real identifier.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..data import ColumnKind

#: Integer surrogate keys are drawn without replacement below this bound.
INT_KEY_SPACE = 10**9
_HEX = np.array(list("0123456789abcdef"))


def surrogate_column(kind: str, dtype: str, n: int, rng: np.random.Generator) -> pd.Series:
    """``n`` values for an unmodelled column of ``kind`` whose training dtype was ``dtype``."""
    if kind == ColumnKind.IDENTIFIER.value:
        if dtype.lower().startswith(("int", "uint", "float")):
            keys = np.sort(rng.choice(INT_KEY_SPACE, size=n, replace=False)) + 1
            return pd.Series(keys, dtype="int64")
        return pd.Series(_unique_tokens(n, rng), dtype=object)
    return pd.Series([None] * n, dtype=object)


def add_surrogates(
    frame: pd.DataFrame,
    unmodelled: Mapping[str, str],
    dtypes: Mapping[str, str],
    order: list[str],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Insert the unmodelled columns (``{column: kind}``) and restore the training column order."""
    n = len(frame)
    extra = {c: surrogate_column(kind, dtypes.get(c, "object"), n, rng) for c, kind in unmodelled.items()}
    if extra:
        frame = frame.reset_index(drop=True).assign(**{c: s.to_numpy() for c, s in extra.items()})
        for column, series in extra.items():
            frame[column] = frame[column].astype(series.dtype)
    return frame[[c for c in order if c in frame.columns]]


def _unique_tokens(n: int, rng: np.random.Generator, width: int = 12) -> list[str]:
    """``n`` distinct random hex tokens such as ``"syn-3f9a2c0b1d7e"``."""
    tokens: list[str] = []
    seen: set[str] = set()
    while len(tokens) < n:
        batch = rng.integers(0, 16, size=(n - len(tokens), width))
        for row in _HEX[batch]:
            token = "syn-" + "".join(row)
            if token not in seen:
                seen.add(token)
                tokens.append(token)
    return tokens
