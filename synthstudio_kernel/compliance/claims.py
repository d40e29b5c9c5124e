"""Claims: every statement a compliance document makes carries exactly one status.

- ``MEASURED``: computed by the tool on identified data (tool version and data hash given);
- ``CONFIGURED``: a setting someone chose (a method, a target ε, a threshold);
- ``ATTESTED``: a person's statement (who, role, date, expiry, evidence hashes);
- ``NOT ASSESSED``: nothing was recorded; the reason says what would be needed.

The tool never concludes a legal status on its own authority: a claim says what was measured,
against which threshold (with its source), and who attested what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["MEASURED", "CONFIGURED", "ATTESTED", "NOT ASSESSED"]
STATUSES: tuple[Status, ...] = ("MEASURED", "CONFIGURED", "ATTESTED", "NOT ASSESSED")
#: Who may read a claim: ``released`` travels with artifacts; ``internal`` stays with the owner.
Audience = Literal["released", "internal"]


@dataclass
class Claim:
    """One statement of a compliance document."""

    id: str
    label: str
    status: Status
    statement: str
    value: Any = None
    display: str | None = None
    source: str | None = None  # where the value was recorded
    tool_version: str | None = None
    data_hash: str | None = None  # keyed hash of the input it was measured on
    threshold: dict[str, Any] | None = None
    outcome: str | None = None  # "within threshold" | "above threshold" | ...
    attestation: dict[str, Any] | None = None
    audience: Audience = "released"
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown claim status {self.status!r}")
        if self.status == "MEASURED" and not (self.tool_version and self.data_hash):
            raise ValueError(f"claim {self.id!r}: a measurement needs the tool version and the data hash")
        if self.status == "ATTESTED" and not self.attestation:
            raise ValueError(f"claim {self.id!r}: an attested claim needs its attestation")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "status": self.status,
            "statement": self.statement,
            "value": self.value,
            "display": self.display,
            "source": self.source,
            "tool_version": self.tool_version,
            "data_hash": self.data_hash,
            "threshold": self.threshold,
            "outcome": self.outcome,
            "attestation": self.attestation,
            "audience": self.audience,
            "details": self.details,
        }


def not_assessed(claim_id: str, label: str, reason: str) -> Claim:
    """A claim with nothing recorded behind it."""
    return Claim(claim_id, label, "NOT ASSESSED", reason)


def fmt(value: float | None, digits: int = 3) -> str:
    """A number as reports show it (3 significant digits by default)."""
    if value is None:
        return "n/a"
    return f"{value:.{digits}g}"


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
