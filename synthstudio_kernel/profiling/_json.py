"""Turn numpy / pandas scalars into plain JSON values (NaN and inf become None)."""

from __future__ import annotations

import math
from typing import Any


def clean(value: Any) -> Any:
    """Recursively convert ``value`` into something ``json.dumps`` accepts without options."""
    from ..release import json_safe

    return json_safe(value)


def num(value: float | None) -> float | None:
    """A finite float or None."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None
