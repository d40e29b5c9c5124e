"""What the ledger hands out: plain, immutable records with JSON-safe ``to_dict()``.

None of them holds a value from the data: names, fingerprints, counts, budgets,
parameters and accounting facts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: Budgets are compared with this slack so that e.g. 10 × 0.1 fits a total of 1.0.
EPSILON_TOLERANCE = 1e-9


def fmt_eps(value: float | None) -> str:
    """ε or δ for people: 3 → "3.0", 0.8 → "0.8", 1e-05 → "1e-05", None → "—"."""
    if value is None:
        return "—"
    text = f"{value:.4g}"
    return text if any(ch in text for ch in ".en") else f"{text}.0"


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; the ledger always writes UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


@dataclass(frozen=True)
class DatasetRecord:
    """A budgeted dataset. ``registered`` is False for one created automatically by its fingerprint."""

    id: int
    name: str
    fingerprint: str
    rows: int
    total_epsilon: float
    registered: bool
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "rows": self.rows,
            "total_epsilon": self.total_epsilon,
            "registered": self.registered,
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True)
class LedgerRun:
    """One training run as the ledger knows it.

    ``private`` is True for differentially private runs (they reserve and settle ε);
    False runs carry no formal privacy guarantee and are never charged.
    """

    id: str
    dataset_id: int
    dataset_name: str
    method: str
    status: str
    private: bool
    epsilon_target: float | None
    epsilon_spent: float | None
    delta: float | None
    params: dict[str, Any] = field(default_factory=dict)
    accounting: dict[str, Any] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def guarantee(self) -> str:
        """ "differential-privacy" or "none" (no formal guarantee); the sidebar schema's Guarantee."""
        return "differential-privacy" if self.private else "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "dataset_id": self.dataset_id,
            "dataset_name": self.dataset_name,
            "method": self.method,
            "status": self.status,
            "private": self.private,
            "guarantee": self.guarantee,
            "epsilon_target": self.epsilon_target,
            "epsilon_spent": self.epsilon_spent,
            "delta": self.delta,
            "params": self.params,
            "accounting": self.accounting,
            "facts": self.facts,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
        }


@dataclass(frozen=True)
class BudgetStatus:
    """A dataset's privacy budget under sequential composition.

    ``spent`` sums the ε of settled runs; ``reserved`` is held by DP runs that have not
    settled, either still training or gone (a kernel that died mid-run): reservations
    count against the budget until they are settled, because such a run may have
    touched the data. ``remaining = total - spent - reserved``. δ is summed the same way.
    ``runs`` holds the most recent runs (newest first, up to the limit asked for);
    the counts cover all runs: ``private_runs`` DP runs that were allowed to train,
    ``non_private_runs`` runs with no formal guarantee, ``refused_runs`` runs the safety
    checks stopped before they touched the data.
    """

    dataset: DatasetRecord
    spent: float
    reserved: float
    delta_spent: float
    delta_reserved: float
    private_runs: int
    non_private_runs: int
    open_reservations: int
    refused_runs: int = 0
    runs: tuple[LedgerRun, ...] = ()

    @property
    def name(self) -> str:
        return self.dataset.name

    @property
    def total(self) -> float:
        return self.dataset.total_epsilon

    @property
    def remaining(self) -> float:
        """ε still available (never below 0; see ``overspent``)."""
        return max(0.0, _clean(self.total - self.spent - self.reserved))

    @property
    def overspent(self) -> float:
        """ε charged beyond the total (only a run that overran its reservation can cause it)."""
        return max(0.0, _clean(self.spent + self.reserved - self.total))

    @property
    def run_count(self) -> int:
        """Every run recorded on the dataset: DP, non-private and refused."""
        return self.private_runs + self.non_private_runs + self.refused_runs

    @property
    def used_fraction(self) -> float:
        """(spent + reserved) / total, capped at 1."""
        return min(1.0, (self.spent + self.reserved) / self.total) if self.total > 0 else 1.0

    @property
    def exhausted(self) -> bool:
        return self.remaining <= EPSILON_TOLERANCE

    def can_afford(self, epsilon: float) -> bool:
        """Whether a run needing ``epsilon`` would be accepted now."""
        return epsilon <= self.remaining + EPSILON_TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.name,
            "dataset_id": self.dataset.id,
            "fingerprint": self.dataset.fingerprint,
            "rows": self.dataset.rows,
            "registered": self.dataset.registered,
            "total": self.total,
            "spent": self.spent,
            "reserved": self.reserved,
            "remaining": self.remaining,
            "overspent": self.overspent,
            "used_fraction": self.used_fraction,
            "delta_spent": self.delta_spent,
            "delta_reserved": self.delta_reserved,
            "private_runs": self.private_runs,
            "non_private_runs": self.non_private_runs,
            "refused_runs": self.refused_runs,
            "run_count": self.run_count,
            "open_reservations": self.open_reservations,
            "runs": [run.to_dict() for run in self.runs],
        }

    def summary(self) -> str:
        """One line, e.g. "adult: 1.2 of 3.0 ε spent, 0.5 reserved, 1.3 left"."""
        from .render import budget_summary

        return budget_summary(self)

    def __str__(self) -> str:
        from .render import budget_text

        return budget_text(self)

    def __repr__(self) -> str:
        return f"<BudgetStatus {self.summary()}>"

    def _repr_html_(self) -> str:
        from .render import budget_html

        return budget_html(self)


class Budgets(list[BudgetStatus]):
    """Every dataset's budget (a plain list) that renders as gauges in a notebook."""

    def to_dict(self) -> dict[str, Any]:
        return {"datasets": [status.to_dict() for status in self]}

    def __str__(self) -> str:
        from .render import budgets_text

        return budgets_text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from .render import budgets_html

        return budgets_html(self)


def _clean(value: float) -> float:
    """Round away float noise (0.1 + 0.2) without hiding real amounts."""
    return round(value, 12)
