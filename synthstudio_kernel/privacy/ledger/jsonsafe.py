"""Convert parameters, accounting and facts to plain JSON before they are stored."""

from __future__ import annotations

from typing import Any

from ...errors import ConfigError
from ...release import json_safe


def to_json(value: Any, *, what: str) -> Any:
    """A JSON-safe copy of ``value`` (:func:`synthstudio_kernel.release.json_safe`, strict).
    Tables and arrays are refused: the ledger stores parameters and aggregates, never data."""
    try:
        return json_safe(value, strict=what)
    except ValueError as exc:
        raise ConfigError(
            f"{exc}: the privacy ledger stores parameters and aggregates, never tables or arrays."
        ) from None
