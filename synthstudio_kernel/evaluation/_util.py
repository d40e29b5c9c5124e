"""Small helpers shared by the evaluation modules."""

from __future__ import annotations

import math
from typing import Any


def num(value: Any) -> float | None:
    """``value`` as a finite float, or None when it is missing, NaN or infinite."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def clip01(value: float) -> float:
    """``value`` clipped to [0, 1]."""
    return min(1.0, max(0.0, float(value)))


def mean_or_none(values: list[float | None]) -> float | None:
    """Mean of the values that are not None (None when none are)."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
