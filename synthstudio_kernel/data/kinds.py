"""Column kinds and how they are inferred from a pandas Series."""

from __future__ import annotations

from enum import StrEnum

import pandas as pd
from pandas.api import types as ptypes

#: A column with at least this share of distinct values is identifier-like or free text.
UNIQUE_SHARE = 0.9
#: Free text has, on average, at least this many words per value.
TEXT_MIN_WORDS = 4.0
#: Rows looked at when guessing whether strings are dates or text.
SNIFF_ROWS = 500
_BOOL_WORDS = frozenset({"true", "false"})


class ColumnKind(StrEnum):
    """What a column holds, as the rest of Synth Studio treats it."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    IDENTIFIER = "identifier"
    TEXT = "text"

    @classmethod
    def parse(cls, value: str | ColumnKind) -> ColumnKind:
        """Accept a kind or its name (case-insensitive)."""
        if isinstance(value, ColumnKind):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(k.value for k in cls)
            from ..errors import ConfigError

            raise ConfigError(f"Unknown column kind {value!r}; use one of: {names}.") from None


def infer_kind(series: pd.Series) -> ColumnKind:
    """Guess the kind of one column from its dtype and a sample of its values."""
    values = series.dropna()
    if ptypes.is_bool_dtype(series.dtype):
        return ColumnKind.BOOLEAN
    if ptypes.is_datetime64_any_dtype(series.dtype):
        return ColumnKind.DATETIME
    if ptypes.is_numeric_dtype(series.dtype):
        if _looks_like_integer_key(series, values):
            return ColumnKind.IDENTIFIER
        return ColumnKind.NUMERIC
    if isinstance(series.dtype, pd.CategoricalDtype):
        return ColumnKind.CATEGORICAL
    return _infer_object_kind(values)


def _looks_like_integer_key(series: pd.Series, values: pd.Series) -> bool:
    """Distinct integers on (nearly) every row, named or ordered like a key."""
    if not ptypes.is_integer_dtype(series.dtype) or len(values) < 20:
        return False
    if values.nunique() < len(values):
        return False
    name = str(series.name).lower()
    named_like_key = name == "id" or name.endswith(("_id", " id", "id_")) or name.startswith("id_")
    return named_like_key or bool(values.is_monotonic_increasing)


def _infer_object_kind(values: pd.Series) -> ColumnKind:
    sample = values.head(SNIFF_ROWS)
    if len(sample) == 0:
        return ColumnKind.CATEGORICAL
    strings = sample.map(lambda v: isinstance(v, str))
    if strings.all():
        text: pd.Series = sample.map(str).str.strip()
        lowered = set(text.str.lower().unique())
        if lowered <= _BOOL_WORDS and len(lowered) == 2:
            return ColumnKind.BOOLEAN
        if _mostly_dates(text):
            return ColumnKind.DATETIME
        unique_share = values.nunique() / max(len(values), 1)
        if unique_share >= UNIQUE_SHARE and len(values) >= 20:
            words = text.str.split().map(len).mean()
            return ColumnKind.TEXT if words >= TEXT_MIN_WORDS else ColumnKind.IDENTIFIER
        if text.str.split().map(len).mean() >= TEXT_MIN_WORDS * 2:
            return ColumnKind.TEXT
    return ColumnKind.CATEGORICAL


def _mostly_dates(text: pd.Series) -> bool:
    """At least 90% of the sampled strings parse as dates and they look like dates."""
    if not text.str.contains(r"\d", regex=True).all():
        return False
    if not text.str.contains(r"[-/:.]", regex=True).mean() >= 0.9:
        return False
    if text.str.fullmatch(r"[\d.\-]+").all() and not text.str.contains(r"\d{2,4}-\d{1,2}-\d{1,2}").any():
        return False  # plain numbers such as "1.5" or "-3"
    parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= 0.9)


def kind_from_dtype(series: pd.Series) -> ColumnKind:
    """The kind a column's dtype alone implies (no value is looked at).

    What DP methods use for undeclared columns: the model's structure must not depend on
    the values outside the privacy accounting. Booleans, datetimes and numbers keep their
    kinds; everything else is categorical (identifiers and free text only when declared).
    """
    if ptypes.is_bool_dtype(series.dtype):
        return ColumnKind.BOOLEAN
    if ptypes.is_datetime64_any_dtype(series.dtype):
        return ColumnKind.DATETIME
    if ptypes.is_numeric_dtype(series.dtype):
        return ColumnKind.NUMERIC
    return ColumnKind.CATEGORICAL
