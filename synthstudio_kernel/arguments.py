"""One parser for the numbers and switches users type: row counts, seeds, epochs, flags.

Used by the Python API (``model.sample(n)``) and by every magic, so ``%synth_sample m 5``
and ``model.sample(np.int64(5))`` accept and refuse exactly the same things:

- whole numbers: Python and numpy integers, or text of ASCII digits (``1000``, ``1_000``);
  never ``True``, ``"²"``, ``"٣"`` or ``"５"`` (which ``str.isdigit`` or ``int`` would take);
- row counts are bounded (:data:`MAX_ROWS` or ``SYNTHSTUDIO_MAX_SAMPLE_ROWS``), so a typo
  such as ``1000000000`` is one clear line instead of an out-of-memory crash;
- switches are real booleans: ``"false"`` is not read as True.
"""

from __future__ import annotations

import numbers
import os
import re
from typing import Any

from .errors import ConfigError

#: Default upper bound on rows drawn in one call.
MAX_ROWS = 10_000_000
_DIGITS = re.compile(r"[+-]?[0-9](?:_?[0-9])*")


def parse_int(value: Any, what: str, *, minimum: int | None = 0, maximum: int | None = None, text: bool = True) -> int:
    """``value`` as a whole number within ``[minimum, maximum]``, else a ConfigError naming ``what``.

    ``text=False`` (the Python API) refuses strings: only the magics parse typed text.
    """
    if isinstance(value, bool) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "b"):
        raise ConfigError(f"{what} must be a whole number, not a true/false value.")
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, str) and text:
        typed = value.strip()
        if not _DIGITS.fullmatch(typed):
            raise ConfigError(f"{what} must be a whole number written with the digits 0-9, got {_shown(value)}.")
        number = int(typed.replace("_", ""))
    else:
        raise ConfigError(f"{what} must be a whole number, got a {type(value).__name__}.")
    if minimum is not None and number < minimum:
        raise ConfigError(f"{what} must be at least {minimum:,}, got {number:,}.")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{what} must be at most {maximum:,}, got {number:,}.")
    return number


def parse_number(value: Any, what: str) -> float:
    """A real number (Python or numpy); True/False and text are refused, not read as 1/0 or parsed."""
    if isinstance(value, (bool, str, bytes)) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "b"):
        raise ConfigError(f"{what} must be a number, got a {type(value).__name__}.")
    if not isinstance(value, numbers.Real):
        raise ConfigError(f"{what} must be a number, got a {type(value).__name__}.")
    return float(value)


def parse_count(value: Any, what: str = "the number of rows", *, maximum: int | None = None, text: bool = True) -> int:
    """A positive row count, at most ``maximum`` (default :func:`max_rows`)."""
    limit = max_rows() if maximum is None else maximum
    number = parse_int(value, what, minimum=1, text=text)
    if number > limit:
        raise ConfigError(
            f"{what} must be at most {limit:,}, got {number:,}; draw the rows in batches, or raise the limit "
            "with SYNTHSTUDIO_MAX_SAMPLE_ROWS."
        )
    return number


def parse_seed(value: Any, what: str = "seed", *, text: bool = True) -> int | None:
    """None, or a non-negative whole number below 2**32 (what numpy and torch accept)."""
    if value is None:
        return None
    return parse_int(value, what, minimum=0, maximum=2**32 - 1, text=text)


def parse_bool(value: Any, what: str) -> bool:
    """A real boolean (YAML ``true``/``false``); a string such as ``"false"`` is refused, never read as True."""
    if isinstance(value, bool):
        return value
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "b" and getattr(value, "shape", None) == ():
        return bool(value)
    raise ConfigError(f"{what} must be true or false (unquoted), got a {type(value).__name__}.")


def max_rows() -> int:
    """Most rows one sampling call may draw (``SYNTHSTUDIO_MAX_SAMPLE_ROWS``, default :data:`MAX_ROWS`)."""
    raw = os.environ.get("SYNTHSTUDIO_MAX_SAMPLE_ROWS")
    if raw is None or not raw.strip():
        return MAX_ROWS
    return parse_int(raw, "SYNTHSTUDIO_MAX_SAMPLE_ROWS", minimum=1)


def _shown(text: str) -> str:
    """Short, safe echo of what was typed (arguments are the user's own words, not data values)."""
    return repr(text if len(text) <= 40 else text[:37] + "...")
