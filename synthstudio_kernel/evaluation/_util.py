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


#: Two-sided 95 % normal quantile, for "shown at 95 % confidence" lower bounds.
Z95 = 1.959964


def auc_lower_bound(auc: float, n_positive: int, n_negative: int) -> float:
    """Lower 95 % bound of an AUC (Hanley & McNeil 1982 standard error).

    >>> round(auc_lower_bound(0.5, 1000, 1000), 3)
    0.475
    >>> auc_lower_bound(1.0, 1000, 1000)
    1.0
    """
    if n_positive < 1 or n_negative < 1:
        return auc
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    variance = (auc * (1 - auc) + (n_positive - 1) * (q1 - auc**2) + (n_negative - 1) * (q2 - auc**2)) / (
        n_positive * n_negative
    )
    return auc - Z95 * math.sqrt(max(variance, 0.0))


def share_lower_bound(share: float, n: int) -> float:
    """Lower 95 % bound of a proportion (normal approximation)."""
    if n < 1:
        return share
    return share - Z95 * math.sqrt(max(share * (1 - share), 0.0) / n)
