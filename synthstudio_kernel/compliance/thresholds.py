"""Thresholds with provenance: every threshold a report compares a measurement with names its
source and carries a version. A user's own threshold says who set it and when.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from ..errors import ConfigError

#: Version of the default thresholds below; reports record it.
THRESHOLDS_VERSION = "2026.1"


@dataclass(frozen=True)
class Threshold:
    """A limit a measurement is compared with."""

    name: str
    value: float
    direction: Literal["max", "min"]
    source: str
    version: str = THRESHOLDS_VERSION

    def check(self, measured: float | None) -> str | None:
        """``"within threshold"``, ``"beyond threshold"``, or None when nothing was measured."""
        if measured is None:
            return None
        ok = measured <= self.value if self.direction == "max" else measured >= self.value
        return "within threshold" if ok else "beyond threshold"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "direction": self.direction,
            "source": self.source,
            "version": self.version,
        }


DEFAULTS: dict[str, Threshold] = {
    t.name: t
    for t in (
        Threshold(
            "reidentification_risk",
            0.09,
            "max",
            "re-identification risk 0.09: the common convention for data shared under controls (El Emam et al. 2020)",
        ),
        Threshold(
            "reidentification_risk_public",
            0.05,
            "max",
            "re-identification risk 0.05: the stricter convention for public releases (El Emam et al. 2020)",
        ),
        Threshold(
            "membership_auc",
            0.6,
            "max",
            "membership-inference AUC 0.6: Synth Studio default (0.5 is chance), pending your own threshold",
        ),
        Threshold(
            "exact_match_share",
            0.0,
            "max",
            "share of synthetic rows copying a training row beyond the holdout's own duplicates: none expected",
        ),
        Threshold(
            "dcr_ratio",
            1.0,
            "min",
            "median distance to the closest training record, synthetic ÷ holdout: at least 1 (no closer than new real rows)",
        ),
        Threshold(
            "zip3_population",
            20_000,
            "min",
            "45 CFR 164.514(b)(2)(i)(B): a 3-digit ZIP stays only if its area holds more than 20,000 people "
            "(2000 Census list; other prefixes become 000)",
        ),
        Threshold("age_top_code", 89, "max", "45 CFR 164.514(b)(2)(i)(C): ages over 89 aggregated as 90 or older"),
    )
}


def threshold(name: str, overrides: dict[str, Threshold] | None = None) -> Threshold:
    """The threshold in force: the user's override, else the default."""
    if overrides and name in overrides:
        return overrides[name]
    if name not in DEFAULTS:
        raise ConfigError(f"Unknown threshold {name!r}; known: {', '.join(sorted(DEFAULTS))}.")
    return DEFAULTS[name]


def set_by(name: str, value: float, *, who: str, on: date | str | None = None, why: str = "") -> Threshold:
    """A threshold set by a person (the report names them and the date)."""
    base = threshold(name)
    when = on.isoformat() if isinstance(on, date) else (on or date.today().isoformat())
    if not isinstance(who, str) or not who.strip():
        raise ConfigError("A threshold set by hand needs the name of who set it.")
    source = f"set by {who.strip()} on {when}" + (f" ({why})" if why else "")
    return replace(base, value=float(value), source=source, version=f"user:{when}")
