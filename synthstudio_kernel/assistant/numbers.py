"""Numbers in text: how the assistant writes them, and the check that every number is grounded.

A number in an answer (or in an LLM's rephrasing of it) is grounded when it is one of the
cited facts' numbers, or a correct rounding of one (0.8017 may be written 0.80 or 80%).
A bare integer must match exactly, so that "1" is not excused by a score of 0.8.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

#: A number not glued to letters (run ids such as "3f9a0c" hold none), with an optional
#: exponent, thousands separators and a trailing percent sign.
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+−]?\d+)?%?(?![\w])")


def numbers_in(text: str) -> list[str]:
    """Every number written in ``text``, as written."""
    return NUMBER.findall(text)


def parse(token: str) -> float:
    """The value of a written number; a percentage is read as a share ("12.5%" → 0.125)."""
    value = float(token.replace("−", "-").replace(",", "").rstrip("%"))
    return value / 100 if token.endswith("%") else value


def _decimals(token: str) -> int | None:
    body = token.rstrip("%")
    if "e" in body.lower():
        return None
    return len(body.split(".")[1]) if "." in body else 0


def grounded(token: str, allowed: Iterable[float]) -> bool:
    """Whether the number ``token`` is one of ``allowed`` or a correct rounding of one
    (a percentage is compared as a share, rounded at its written precision)."""
    value = parse(token)
    percent = token.endswith("%")
    digits = _decimals(token)
    written = float(token.replace("−", "-").replace(",", "").rstrip("%"))
    for a in allowed:
        if math.isclose(value, a, rel_tol=1e-9, abs_tol=1e-12):
            return True
        if digits is None:
            continue
        if percent and round(a * 100, digits) == written:
            return True
        if not percent and digits > 0 and round(a, digits) == written:
            return True
    return False


def ungrounded(text: str, allowed: Iterable[float]) -> list[str]:
    """The numbers of ``text`` that are not grounded in ``allowed``."""
    pool = list(allowed)
    return [t for t in numbers_in(text) if not grounded(t, pool)]


def fmt_score(value: float) -> str:
    return f"{value:.2f}"


def fmt_share(value: float) -> str:
    """A share as a percentage: 0.015 → "1.5%", 0.0012 → "0.12%"."""
    return f"{value:.2%}" if 0 < abs(value) < 0.01 else f"{value:.1%}"


def fmt_epsilon(value: float) -> str:
    text = f"{value:.3g}"
    return text if any(ch in text for ch in ".e") else f"{text}.0"


def fmt_delta(value: float) -> str:
    return f"{value:.0e}" if value and value < 1e-3 else f"{value:.3g}"


def fmt_count(value: int) -> str:
    return f"{int(value):,}"
