"""Align the real, synthetic and holdout tables into the form every metric uses.

- Columns are taken from the real table; the synthetic and holdout tables must hold them.
- Identifier and free-text columns are left out (no metric compares them meaningfully);
  datetimes are compared as numeric timestamps and booleans as categories.
- Numeric columns become float64 (unparseable values become missing); categorical
  columns become strings, with missing values as their own category (:data:`MISSING`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..data import ColumnKind, Dataset, as_dataset
from ..errors import DataError

#: The category that stands for a missing value in categorical columns.
MISSING = "<missing>"

_EXCLUDED_REASONS: dict[ColumnKind, str] = {
    ColumnKind.IDENTIFIER: "identifier column: unique per row, not comparable between tables",
    ColumnKind.TEXT: "free-text column: not compared by the tabular metrics",
}
_NOTES: dict[ColumnKind, str] = {
    ColumnKind.DATETIME: "compared as numeric timestamps",
    ColumnKind.BOOLEAN: "compared as a category",
}


@dataclass
class EvalTables:
    """The three tables restricted to the evaluated columns, in a common encoding."""

    real: pd.DataFrame
    synthetic: pd.DataFrame
    holdout: pd.DataFrame | None
    #: Evaluated column -> "numeric" or "categorical" (how the metrics treat it).
    roles: dict[str, str]
    #: Original kind of every real column.
    kinds: dict[str, str]
    #: Left-out column -> reason.
    excluded: dict[str, str] = field(default_factory=dict)
    #: Column -> note on how it was converted.
    conversions: dict[str, str] = field(default_factory=dict)
    #: Synthetic columns that the real table lacks (ignored).
    extra_synthetic_columns: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.roles)

    @property
    def numeric(self) -> list[str]:
        return [c for c, r in self.roles.items() if r == "numeric"]

    @property
    def categorical(self) -> list[str]:
        return [c for c, r in self.roles.items() if r == "categorical"]

    @property
    def has_holdout(self) -> bool:
        return self.holdout is not None

    def summary(self) -> dict[str, Any]:
        """JSON-safe description: sizes, roles, exclusions (no values)."""
        return {
            "real_rows": len(self.real),
            "synthetic_rows": len(self.synthetic),
            "holdout_rows": None if self.holdout is None else len(self.holdout),
            "columns_evaluated": self.columns,
            "roles": dict(self.roles),
            "kinds": dict(self.kinds),
            "columns_excluded": [{"column": c, "reason": r} for c, r in self.excluded.items()],
            "conversions": [{"column": c, "note": n} for c, n in self.conversions.items()],
            "extra_synthetic_columns": list(self.extra_synthetic_columns),
        }


def frame_of(data: pd.DataFrame | Dataset) -> pd.DataFrame:
    """The DataFrame behind ``data``."""
    return data.frame if isinstance(data, Dataset) else data


def prepare_tables(
    real: pd.DataFrame | Dataset,
    synthetic: pd.DataFrame | Dataset,
    holdout: pd.DataFrame | Dataset | None = None,
) -> EvalTables:
    """Validate the inputs and return them aligned (see the module docstring)."""
    real_ds = as_dataset(real)
    synth_frame = _checked_frame(synthetic, "synthetic")
    hold_frame = None if holdout is None else _checked_frame(holdout, "holdout")
    real_cols = real_ds.columns
    _require_columns(synth_frame, real_cols, "synthetic")
    if hold_frame is not None:
        _require_columns(hold_frame, real_cols, "holdout")

    kinds = {c: real_ds.kinds[c] for c in real_cols}
    roles: dict[str, str] = {}
    excluded: dict[str, str] = {}
    conversions: dict[str, str] = {}
    for col, kind in kinds.items():
        if kind in _EXCLUDED_REASONS:
            excluded[col] = _EXCLUDED_REASONS[kind]
            continue
        roles[col] = "numeric" if kind in (ColumnKind.NUMERIC, ColumnKind.DATETIME) else "categorical"
        if kind in _NOTES:
            conversions[col] = _NOTES[kind]
    if not roles:
        raise DataError(
            "No column can be evaluated: every column is an identifier or free text. "
            "Override the kinds with Dataset.from_frame(df, kinds={...}) if that is wrong."
        )

    def convert(frame: pd.DataFrame) -> pd.DataFrame:
        out = {c: _convert(frame[c], kinds[c], roles[c]) for c in roles}
        return pd.DataFrame(out).reset_index(drop=True)

    extra = sorted(str(c) for c in synth_frame.columns if str(c) not in set(real_cols))
    return EvalTables(
        real=convert(real_ds.frame),
        synthetic=convert(synth_frame),
        holdout=None if hold_frame is None else convert(hold_frame),
        roles=roles,
        kinds={c: k.value for c, k in kinds.items()},
        excluded=excluded,
        conversions=conversions,
        extra_synthetic_columns=extra,
    )


def _checked_frame(data: object, label: str) -> pd.DataFrame:
    if isinstance(data, Dataset):
        return data.frame
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"The {label} table must be a pandas DataFrame, got {type(data).__name__}.")
    if len(data) < 2:
        raise DataError(f"The {label} table has {len(data)} row(s); at least 2 are needed to evaluate.")
    return data


def _require_columns(frame: pd.DataFrame, columns: list[str], label: str) -> None:
    have = {str(c) for c in frame.columns}
    missing = [c for c in columns if c not in have]
    if missing:
        shown = ", ".join(repr(c) for c in missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise DataError(
            f"The {label} table lacks {len(missing)} column(s) of the real table: {shown}. "
            "Evaluate tables with the same columns."
        )
    if frame.columns.duplicated().any():
        raise DataError(f"The {label} table has duplicate column names; rename them so each is unique.")


def _convert(series: pd.Series, kind: ColumnKind, role: str) -> pd.Series:
    series = series.reset_index(drop=True)
    if role == "numeric":
        return _as_number(series, kind)
    return _as_category(series, lower=kind == ColumnKind.BOOLEAN)


def _as_number(series: pd.Series, kind: ColumnKind) -> pd.Series:
    if kind == ColumnKind.DATETIME:
        stamps = pd.to_datetime(series, errors="coerce", format="mixed")
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        values = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64") / 1e9
        values[stamps.isna().to_numpy()] = np.nan
        return pd.Series(values, name=series.name)
    if ptypes.is_bool_dtype(series.dtype):
        return series.astype("float64")
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _as_category(series: pd.Series, *, lower: bool = False) -> pd.Series:
    missing = series.isna().to_numpy()
    if ptypes.is_numeric_dtype(series.dtype) and not ptypes.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        text = np.array([_number_label(v) for v in values], dtype=object)
    else:
        strings = np.char.strip(series.to_numpy(dtype=str))
        text = (np.char.lower(strings) if lower else strings).astype(object)
    text[missing] = MISSING
    return pd.Series(text, name=series.name, dtype=object)


def _number_label(value: float) -> str:
    if np.isnan(value):
        return MISSING
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def category_sets(tables: EvalTables) -> Mapping[str, set[str]]:
    """Categories seen in the real table, per categorical column."""
    return {c: set(tables.real[c].unique()) for c in tables.categorical}
