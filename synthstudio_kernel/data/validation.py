"""The input boundary: one normalisation step and checks with messages a user can act on.

Every table enters Synth Studio through :func:`validate_frame` (``Dataset.from_frame``
calls it, and so do profiling, training, PII handling, budgets and evaluation). It returns
a frame the rest of the code can rely on, copying only when something had to change:

- column names are strings: ``0``, ``("a", 1)`` or ``None`` become ``"0"``, ``"('a', 1)"``,
  ``"None"``; names that collide once written as text (``1`` and ``"1"``) are refused, and
  so are multi-level (MultiIndex) column names;
- object columns hold one kind of value: bytes are decoded as UTF-8; numbers stored as
  objects become numeric; datetimes stored as objects become datetime columns (several
  time zones are converted to UTC); any other mix (numbers, text, timestamps together)
  becomes text, so that every later step sees one type per column;
- nested values (lists, dicts, arrays, ...) are looked for in every row, not a prefix;
- time-zone-aware datetime columns keep their zone (:func:`restore_timezones` puts it back
  on sampled rows).

Messages name columns, never values.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..errors import DataError

_NESTED = (list, dict, set, tuple, frozenset, np.ndarray, pd.Series, pd.DataFrame, complex)
#: Kept for callers that imported it; the nested-value check now covers every row.
NESTED_CHECK_ROWS = None


def validate_frame(frame: object, *, min_rows: int = 2) -> pd.DataFrame:
    """Check that ``frame`` is a table Synth Studio can work with; return it normalised.

    Raises DataError on: not a DataFrame, no columns, no rows, fewer than ``min_rows``
    rows, multi-level or duplicate column names (also after conversion to text), complex,
    nested or undecodable values, all-null columns and infinite numbers. The returned frame
    is ``frame`` itself when nothing needed normalising.
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
    names = normalized_names(frame.columns)
    columns: dict[str, pd.Series] = {}
    changed = list(names) != list(frame.columns)
    for position, name in enumerate(names):
        series = frame.iloc[:, position]
        fixed = _normalized_column(name, series)
        changed = changed or fixed is not series
        columns[name] = fixed
    if not changed:
        return frame
    result = pd.DataFrame(columns, index=frame.index)
    result.attrs = dict(frame.attrs)
    return result


def normalized_names(columns: pd.Index) -> list[str]:
    """Column names as text; DataError for multi-level names or names that collide as text."""
    if isinstance(columns, pd.MultiIndex):
        raise DataError(
            "The table has multi-level column names; flatten them first, e.g. "
            "df.columns = ['_'.join(map(str, c)) for c in df.columns]."
        )
    names = [name if isinstance(name, str) else str(name) for name in columns]
    duplicated = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicated:
        raise DataError(
            f"Duplicate column names: {_names(duplicated)} (names are compared as text, so 1 and '1' collide). "
            "Rename them so each is unique."
        )
    return names


def _normalized_column(name: str, series: pd.Series) -> pd.Series:
    if ptypes.is_complex_dtype(series.dtype):
        raise DataError(f"Column {name!r} holds complex numbers, which are not supported; split it into real columns.")
    if series.isna().all():
        raise DataError(f"Column {name!r} is entirely empty (all values missing); drop it before going on.")
    if series.dtype == object:
        series = _normalized_objects(name, series)
    if ptypes.is_numeric_dtype(series.dtype) and not ptypes.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        n_inf = int(np.isinf(values).sum())
        if n_inf:
            raise DataError(
                f"Column {name!r} has {n_inf} infinite value(s); replace them with missing values or finite bounds."
            )
    return series


def _family(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "bytes"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, _NESTED):
        return "nested"
    if isinstance(value, numbers.Number):
        return "number"
    if isinstance(value, (dt.datetime, dt.date, np.datetime64)):
        return "datetime"
    return "other"


def _normalized_objects(name: str, series: pd.Series) -> pd.Series:
    """One type per object column (see the module doc); checks every non-null row."""
    present = series.notna()
    values = series[present]
    families = values.map(_family)
    counts = families.value_counts()
    n_nested = int(counts.get("nested", 0))
    if n_nested:
        raise DataError(
            f"Column {name!r} holds nested objects (lists, dicts, arrays or complex numbers) in "
            f"{n_nested} row(s); flatten it into plain columns."
        )
    kinds = set(counts.index)
    if kinds <= {"text"} or kinds == {"bool"}:
        return series
    if "bytes" in kinds:
        values = values.map(lambda v: _decoded(name, v) if _family(v) == "bytes" else v)
        kinds = (kinds - {"bytes"}) | {"text"}
    if kinds == {"number"}:
        return _with_values(series, present, pd.to_numeric(values, errors="raise"), numeric=True)
    if kinds == {"datetime"}:
        converted = _datetimes(values)
        if converted is not None:
            return _with_values(series, present, converted, datetime=True)
    texts = values.map(lambda v: v if isinstance(v, str) else str(v))
    return _with_values(series, present, texts)


def _decoded(name: str, value: bytes | bytearray | memoryview) -> str:
    try:
        return bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(
            f"Column {name!r} holds binary values that are not UTF-8 text; decode or drop it before going on."
        ) from None


def _datetimes(values: pd.Series) -> pd.Series | None:
    zones = {getattr(v, "tzinfo", None) is not None for v in values}
    try:
        if zones == {True}:
            offsets = {str(getattr(v, "tzinfo", None)) for v in values}
            if len(offsets) == 1:
                return pd.to_datetime(values)
            return pd.to_datetime(values, utc=True)
        if zones == {False}:
            return pd.to_datetime(values)
    except (ValueError, TypeError, OverflowError):
        return None
    return None  # naive and aware mixed: kept as text


def _with_values(
    series: pd.Series, present: pd.Series, values: pd.Series, *, numeric: bool = False, datetime: bool = False
) -> pd.Series:
    if bool(present.all()):
        out = values.copy()
    elif numeric:
        out = pd.Series(np.nan, index=series.index, dtype="float64")
        out[present] = values.astype("float64")
    elif datetime:
        out = pd.Series(pd.NaT, index=series.index, dtype=values.dtype)
        out[present] = values
    else:
        out = pd.Series(None, index=series.index, dtype=object)
        out[present] = values
    out.name = series.name
    return out


def restore_timezones(frame: pd.DataFrame, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """Give sampled datetime columns back the time zone their training column had.

    Synthesizers that model datetimes as numbers return UTC wall times without a zone;
    ``dtypes`` is what was recorded at training (``{"when": "datetime64[ns, Europe/Berlin]"}``).
    """
    for column, recorded in dtypes.items():
        if column not in frame.columns or not str(recorded).startswith("datetime64[") or "," not in str(recorded):
            continue
        zone = str(recorded).split(",", 1)[1].rstrip("]").strip()
        series = frame[column]
        if ptypes.is_datetime64_any_dtype(series.dtype) and getattr(series.dt, "tz", None) is None:
            frame[column] = series.dt.tz_localize("UTC").dt.tz_convert(zone)
    return frame


def _names(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)
