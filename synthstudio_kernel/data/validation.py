"""Input checks with messages a user can act on. Messages name columns, never values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..errors import DataError

_NESTED = (list, dict, set, tuple, frozenset, np.ndarray, pd.Series, pd.DataFrame)
#: Object columns are checked for nested values on this many non-null rows.
NESTED_CHECK_ROWS = 2_000


def validate_frame(frame: object, *, min_rows: int = 2) -> pd.DataFrame:
    """Check that ``frame`` is a table Synth Studio can work with and return it.

    Raises DataError on: not a DataFrame, no columns, no rows, fewer than ``min_rows``
    rows, duplicate column names, complex or nested values, all-null columns and
    infinite numbers.
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"Expected a pandas DataFrame, got {type(frame).__name__}.")
    if frame.shape[1] == 0:
        raise DataError("The table has no columns.")
    if frame.shape[0] == 0:
        raise DataError("The table is empty (0 rows).")
    if frame.shape[0] < min_rows:
        raise DataError(
            f"The table has {frame.shape[0]} row; at least {min_rows} rows are needed "
            "to compute statistics or train a model."
        )
    duplicated = sorted(str(name) for name, count in Counter(frame.columns).items() if count > 1)
    if duplicated:
        raise DataError(f"Duplicate column names: {_names(duplicated)}. Rename them so each is unique.")
    for name in frame.columns:
        _validate_column(str(name), frame[name])
    return frame


def _validate_column(name: str, series: pd.Series) -> None:
    if ptypes.is_complex_dtype(series.dtype):
        raise DataError(f"Column {name!r} holds complex numbers, which are not supported; split it into real columns.")
    if series.isna().all():
        raise DataError(f"Column {name!r} is entirely empty (all values missing); drop it before going on.")
    if ptypes.is_numeric_dtype(series.dtype) and not ptypes.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        n_inf = int(np.isinf(values).sum())
        if n_inf:
            raise DataError(
                f"Column {name!r} has {n_inf} infinite value(s); replace them with missing values or finite bounds."
            )
    elif series.dtype == object:
        sample = series.dropna().head(NESTED_CHECK_ROWS)
        nested = sample.map(lambda v: isinstance(v, (*_NESTED, complex)))
        if nested.any():
            raise DataError(
                f"Column {name!r} holds nested objects (lists, dicts, arrays or complex numbers) in "
                f"{int(nested.sum())} sampled row(s); flatten it into plain columns."
            )


def _names(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)
