"""Convert parameters, accounting and facts to plain JSON before they are stored."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

from ...errors import ConfigError

_TABULAR = ("DataFrame", "Series", "ndarray", "Index", "Tensor")


def to_json(value: Any, *, what: str) -> Any:
    """A JSON-safe copy of ``value``: numpy scalars become numbers, NaN/inf become None,
    tuples become lists, enums their values, dates ISO strings. Tables and arrays are
    refused: the ledger stores parameters and aggregates, never data."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Enum):
        return to_json(value.value, what=what)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if type(value).__name__ in _TABULAR:
        raise ConfigError(
            f"{what} contains a {type(value).__name__}; the privacy ledger stores parameters and "
            "aggregates only, never tables or arrays."
        )
    if hasattr(value, "item") and callable(value.item) and getattr(value, "shape", None) == ():
        return to_json(value.item(), what=what)  # numpy / torch scalar
    if isinstance(value, Mapping):
        return {str(k): to_json(v, what=what) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [to_json(v, what=what) for v in items]
    raise ConfigError(f"{what} contains a {type(value).__name__}, which cannot be stored as JSON in the ledger.")
