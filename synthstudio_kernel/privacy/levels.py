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
ε = 5 is strong, ε = 10 moderate, ε = 20 weak.
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
    PrivacyLevel("very_strong", "very strong", "ε < 1", "very strong: suitable for clinical and genomic data", 1.0),
    PrivacyLevel("strong", "strong", "1 ≤ ε ≤ 5", "strong: suitable for healthcare and financial records", 5.0),
    PrivacyLevel("moderate", "moderate", "5 < ε ≤ 10", "moderate: suitable for customer and HR data", 10.0),
    PrivacyLevel("weak", "weak", "10 < ε ≤ 20", "weak: only for aggregate analytics", 20.0),
    PrivacyLevel("minimal", "minimal", "ε > 20", "minimal: little protection beyond not publishing the data", math.inf),
)
NONE_LEVEL = PrivacyLevel("none", "none", "no ε", NO_GUARANTEE, math.nan)


def privacy_level(epsilon: float | None) -> PrivacyLevel:
    """The level of a DP guarantee with this ε; ``None`` (a non-DP method) gives the "none" level."""
    if epsilon is None:
        return NONE_LEVEL
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or math.isnan(epsilon) or epsilon < 0:
        raise ValueError(f"epsilon must be a non-negative number, got {epsilon!r}")
    if epsilon < LEVELS[0].upper:
        return LEVELS[0]
    for level in LEVELS[1:]:
        if epsilon <= level.upper:
            return level
    return LEVELS[-1]
