"""Privacy levels: what an ε means in plain words.

| ε          | level        | typical use                                     |
|------------|--------------|-------------------------------------------------|
| < 1        | very strong  | clinical and genomic data                        |
| 1 – 5      | strong       | healthcare and financial records                 |
| 5 – 10     | moderate     | customer and HR data                             |
| 10 – 20    | weak         | aggregate analytics                              |
| > 20       | minimal      | little protection beyond not publishing the data |
| (non-DP)   | none         | no formal privacy guarantee                      |

Boundaries belong to the stronger level below them except 1, which is "strong":
ε = 5 is strong, ε = 10 moderate, ε = 20 weak. ε is read as it is shown, to three significant
digits (:func:`format_epsilon`), so an ε spent of 0.99997 that every view prints as "1" is
"strong" everywhere, never "very strong (ε < 1)" beside "ε 1".

One vocabulary: every view (safety checks, privacy report, training panel, evaluation,
compliance, the sidebar through ``server/payloads.py``) takes its words from three functions,

- :func:`level_text` — ``"strong (1 ≤ ε ≤ 5): suitable for healthcare and financial records"``;
- :func:`guarantee_text` — ``"(ε = 1, δ = 1e-05)-differential privacy"`` or ``"no formal privacy guarantee"``;
- :func:`status_text` — what a ledger run's status means, e.g. ``"failed: ε 0.4 charged, no model released"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

NO_GUARANTEE = "no formal privacy guarantee"


@dataclass(frozen=True)
class PrivacyLevel:
    """A named band of ε with its plain meaning."""

    name: str
    label: str
    range: str
    meaning: str
    upper: float  # ε up to this bound (inclusive, except the "very strong" band: ε < 1)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "range": self.range, "meaning": self.meaning}


LEVELS: tuple[PrivacyLevel, ...] = (
    PrivacyLevel("very_strong", "very strong", "ε < 1", "suitable for clinical and genomic data", 1.0),
    PrivacyLevel("strong", "strong", "1 ≤ ε ≤ 5", "suitable for healthcare and financial records", 5.0),
    PrivacyLevel("moderate", "moderate", "5 < ε ≤ 10", "suitable for customer and HR data", 10.0),
    PrivacyLevel("weak", "weak", "10 < ε ≤ 20", "only for aggregate analytics", 20.0),
    PrivacyLevel("minimal", "minimal", "ε > 20", "little protection beyond not publishing the data", math.inf),
)
NONE_LEVEL = PrivacyLevel("none", "none", "no ε", NO_GUARANTEE, math.nan)


def privacy_level(epsilon: float | None) -> PrivacyLevel:
    """The level of a DP guarantee with this ε; ``None`` (a non-DP method) gives the "none" level."""
    if epsilon is None:
        return NONE_LEVEL
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or math.isnan(epsilon) or epsilon < 0:
        raise ValueError(f"epsilon must be a non-negative number, got {epsilon!r}")
    epsilon = float(format_epsilon(epsilon)) if math.isfinite(epsilon) else epsilon
    if epsilon < LEVELS[0].upper:
        return LEVELS[0]
    for level in LEVELS[1:]:
        if epsilon <= level.upper:
            return level
    return LEVELS[-1]


def format_epsilon(epsilon: float | None) -> str:
    """ε as every view prints it: three significant digits (``"1"``, ``"0.412"``, ``"12.5"``)."""
    if epsilon is None:
        return "—"
    if math.isinf(epsilon):
        return "∞"
    return f"{float(epsilon):.3g}"


def level_text(epsilon: float | None) -> str:
    """The privacy level in one phrase: ``"strong (1 ≤ ε ≤ 5): suitable for healthcare and
    financial records"``; ``"no formal privacy guarantee"`` for a non-DP method (``None``)."""
    level = privacy_level(epsilon)
    if level is NONE_LEVEL:
        return NO_GUARANTEE
    return f"{level.label} ({level.range}): {level.meaning}"


def guarantee_text(epsilon: float | None, delta: float | None = None) -> str:
    """The formal guarantee: ``"(ε = 1, δ = 1e-05)-differential privacy"``, or
    ``"no formal privacy guarantee"`` when there is no ε (a non-DP method)."""
    if epsilon is None:
        return NO_GUARANTEE
    if delta is None:
        return f"ε = {format_epsilon(epsilon)} differential privacy"
    return f"(ε = {format_epsilon(epsilon)}, δ = {delta:.2g})-differential privacy"


#: Ledger run status -> (short word, what it means). ``{charged}`` is filled with the ε charged.
STATUSES: dict[str, tuple[str, str]] = {
    "reserved": ("training", "training: ε {target} reserved until it ends"),
    "succeeded": ("succeeded", "succeeded: ε {charged} spent, model released"),
    "failed": ("failed", "failed: ε {charged} charged, no model released"),
    "stopped": ("stopped", "stopped before the end: ε {charged} charged, no model released"),
    "refused": ("refused", "refused by the safety checks: the data was not used, nothing charged"),
}
#: Statuses that never read as a pass, whatever their ε.
NOT_PASS = frozenset({"failed", "stopped", "refused"})


def status_word(status: str) -> str:
    """The short word for a run status (``"training"`` for a run that is still reserved)."""
    return STATUSES.get(status, (status, status))[0]


def status_text(status: str, *, charged: float | None = None, target: float | None = None) -> str:
    """What a run's status means, with the ε charged: ``"failed: ε 0.4 charged, no model released"``."""
    if status not in STATUSES:
        return status
    text = STATUSES[status][1]
    return text.format(charged=format_epsilon(charged or 0.0), target=format_epsilon(target))


def words(
    *, status: str, private: bool, epsilon: float | None, delta: float | None, target: float | None
) -> dict[str, str | None]:
    """The three phrases of one run, as every view shows them (``level`` is None while unknown)."""
    known = private and epsilon is not None and status not in ("reserved", "refused")
    return {
        "level": level_text(epsilon) if known else (None if private else NO_GUARANTEE),
        "guarantee": guarantee_text(epsilon, delta) if known else (NO_GUARANTEE if not private else None),
        "status": status_word(status),
        "status_text": status_text(status, charged=epsilon, target=target),
    }
