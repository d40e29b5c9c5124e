"""The privacy plan of a marginal method, fixed from public quantities before any count.

Budgeting is in zCDP: the target (ε, δ) becomes a total ρ (tight conversion, over the RDP
accountant's own orders so that the plan never converts to more than the accountant
reports), which is split between the domain releases (bounds, category sets and one-way
measurements) and the rounds (selections and measurements). Executed mechanisms are
recorded in an :class:`RDPAccountant`; :meth:`MarginalPlan.mechanisms` lists the schedule
that spends exactly ρ when nothing is annealed or stopped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ...errors import PrivacyError
from ...privacy.accounting import ACCOUNTANT_NAME, DEFAULT_ORDERS, Mechanism, RDPAccountant
from ...privacy.accounting.zcdp import (
    accountant_epsilon,
    exponential_epsilon,
    gaussian_rho,
    gaussian_sigma,
    rho_from_epsilon,
    rho_mechanism,
    selection_mechanism,
)
from .domain import ColumnSpec, DomainBudget

#: Share of the total δ (times e^-ε) given to partition selection of unknown categories.
SELECTION_DELTA_SHARE = 0.10
#: Share of ρ for DP bounds of numeric columns (when any column needs them).
BOUNDS_SHARE = 0.05
#: The plan keeps its composed ε this far below the target (floating-point headroom).
EPSILON_HEADROOM = 1e-7
#: A one-way noise above this share of the rows makes the request pointless: refused.
MAX_NOISE_SHARE = 0.1
#: A named target's classes of this share of the rows survive partition selection about half the time.
RARE_CLASS_SHARE = 0.025
#: At most this share of the budget (after bounds) goes to the target's one-way measurement.
TARGET_CAP = 0.5
#: The rounds (selections and measurements) keep at least this share of the budget after bounds.
MIN_ROUNDS_SHARE = 0.25


def selection_delta_for(*, delta: float, target_epsilon: float) -> float:
    """Total-variation slack of all thresholded releases: a tenth of δ, times e^-ε."""
    return SELECTION_DELTA_SHARE * delta * math.exp(-min(target_epsilon, 700.0))


def total_rho(*, epsilon: float, delta: float, selection_delta: float) -> float:
    """The largest ρ whose composition converts to at most ``epsilon`` in the RDP accountant."""
    target = epsilon * (1.0 - EPSILON_HEADROOM)

    def eps_of(rho: float) -> float:
        acc = RDPAccountant.of([Mechanism("budget", gaussian_sigma(rho), selection_delta=selection_delta)])
        return acc.epsilon(delta=delta)

    low, high = 0.0, rho_from_epsilon(target, delta=delta, orders=DEFAULT_ORDERS)
    if selection_delta == 0:
        rho = high
    else:
        for _ in range(80):
            mid = 0.5 * (low + high)
            if accountant_epsilon(mid, delta=delta, selection_delta=selection_delta, orders=DEFAULT_ORDERS) <= target:
                low = mid
            else:
                high = mid
        rho = low
    while rho > 0 and eps_of(rho) > target:  # never trust the bisection blindly
        rho *= 1 - 1e-6
    if rho <= 0:
        raise PrivacyError(
            f"epsilon={epsilon:g} is too small for any measurement at delta={delta:g} under the accountant; "
            "raise epsilon."
        )
    return rho


@dataclass
class MarginalPlan:
    """Noise and rounds of one marginal run; JSON-safe through :meth:`to_dict`."""

    method: str
    target_epsilon: float
    delta: float
    n_rows: int
    rho: float
    specs: tuple[ColumnSpec, ...]
    domain: DomainBudget
    rho_bounds: float  # per column that needs bounds
    rho_one_way: float  # per modelled column
    rounds: int  # selection rounds planned
    forced: int  # measurements without selection (AIM's target star)
    sigma_round: float  # σ of a round's measurement
    epsilon_select: float  # exponential-mechanism parameter per round
    max_model_size: int | None = None
    target: str | None = None
    sparse_sigmas: float = 0.0  # cells of a non-target measurement under this many σ read as empty
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def modelled(self) -> list[ColumnSpec]:
        return [s for s in self.specs if s.role in ("numeric", "categorical")]

    @property
    def thresholded(self) -> int:
        return sum(s.thresholded for s in self.specs)

    def domain_mechanisms(self) -> list[Mechanism]:
        """The releases that fix the domain and the one-way measurements."""
        out = [Mechanism(f"bounds:{s.column}", self.domain.sigma_bounds) for s in self.specs if s.needs_bounds]
        for s in self.modelled:
            sigma = self.domain.sigma_for(s.column)
            if s.thresholded:
                out.append(Mechanism(f"categories:{s.column}", sigma, selection_delta=self.domain.selection_delta))
            else:
                out.append(Mechanism(f"one-way:{s.column}", sigma))
        return out

    def mechanisms(self) -> list[Mechanism]:
        """The planned schedule (what runs when nothing is annealed or stopped)."""
        out = self.domain_mechanisms()
        out += [Mechanism("measure", self.sigma_round)] * self.forced
        for _ in range(self.rounds):
            out += [selection_mechanism(self.epsilon_select), Mechanism("measure", self.sigma_round)]
        spent = sum(1.0 / (2 * m.noise_multiplier**2) for m in out)
        if self.rho - spent > 1e-12 * self.rho:
            out.append(rho_mechanism("measure (final round)", self.rho - spent))
        return out

    def accountant(self, steps: int | None = None) -> RDPAccountant:
        """The planned composition (the pipeline charges what ran: see the synthesizer's ``spent``)."""
        return RDPAccountant.of(self.mechanisms())

    def epsilon_after(self, spent: RDPAccountant) -> float:
        """ε of what has run so far."""
        return spent.epsilon(delta=self.delta)

    @property
    def preprocessing_epsilon(self) -> float:
        return RDPAccountant.of(self.domain_mechanisms()).epsilon(delta=self.delta)

    def public_metadata(self) -> dict[str, Any]:
        return {
            "row_count": True,
            "bounds": {s.column: list(s.public_bounds) for s in self.specs if s.public_bounds},
            "categories": sorted(s.column for s in self.specs if s.public_categories is not None),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "target_epsilon": float(self.target_epsilon),
            "delta": float(self.delta),
            "rows": int(self.n_rows),
            "accountant": ACCOUNTANT_NAME,
            "rho": float(self.rho),
            "rho_per_round": float(1 / (2 * self.sigma_round**2) + self.epsilon_select**2 / 8),
            "rounds": int(self.rounds),
            "forced_measurements": int(self.forced),
            "sigma_round": float(self.sigma_round),
            "epsilon_select": float(self.epsilon_select),
            "sigma_one_way": float(self.domain.sigma_one_way),
            "sigma_target": float(self.domain.sigma_for(self.target)) if self.target else None,
            "sigma_bounds": float(self.domain.sigma_bounds),
            "threshold": float(self.domain.threshold),
            "selection_delta": float(self.domain.selection_delta * self.thresholded),
            "bins": int(self.domain.bins),
            "max_model_size": self.max_model_size,
            "target": self.target,
            "sparse_sigmas": float(self.sparse_sigmas),
            "preprocessing_epsilon": float(self.preprocessing_epsilon),
            "columns": {s.column: s.to_dict() for s in self.specs},
            "public": self.public_metadata(),
            **self.details,
        }


def plan_domain(
    *,
    specs: tuple[ColumnSpec, ...],
    n_rows: int,
    epsilon: float,
    delta: float,
    one_way_share: float,
    bins: int | None,
    target: str | None = None,
) -> tuple[float, DomainBudget, float, float, float]:
    """ρ in total, the domain budget, ρ per bounds release and per one-way release, ρ left for rounds.

    A named target whose categories are found under DP gets the one-way noise that keeps a
    class of ``RARE_CLASS_SHARE`` of the rows about half the time (so a 5% class almost
    always), capped at ``TARGET_CAP`` of the budget: on a small table its rare class would
    otherwise fall under the partition-selection threshold and vanish.
    """
    from scipy.stats import norm

    modelled = [s for s in specs if s.role in ("numeric", "categorical")]
    if not modelled:
        raise PrivacyError("No column can be modelled (only identifiers or free text); nothing to synthesize.")
    thresholded = sum(s.thresholded for s in specs)
    selection = selection_delta_for(delta=delta, target_epsilon=epsilon) if thresholded else 0.0
    rho = total_rho(epsilon=epsilon, delta=delta, selection_delta=selection)
    bounded = sum(s.needs_bounds for s in specs)
    rho_bounds_total = BOUNDS_SHARE * rho if bounded else 0.0
    rho_bounds = rho_bounds_total / bounded if bounded else 0.0
    available = rho - rho_bounds_total
    rho_one_way = one_way_share * available / len(modelled)
    sigma_one_way = gaussian_sigma(rho_one_way)
    if sigma_one_way > MAX_NOISE_SHARE * n_rows:
        raise PrivacyError(
            f"epsilon={epsilon:g} is too small for {len(modelled)} columns on {n_rows} rows (each column's counts "
            f"would get noise of about {sigma_one_way:.0f} rows); raise epsilon, drop columns or use more rows."
        )
    per_selection = selection / thresholded if thresholded else 0.0
    z = float(norm.isf(per_selection)) if thresholded else 0.0
    rho_target = rho_one_way
    target_spec = next((s for s in modelled if s.column == target), None)
    if target_spec is not None and target_spec.thresholded:
        wanted = max(RARE_CLASS_SHARE * n_rows - 1.0, 1.0) / z
        room = (1 - MIN_ROUNDS_SHARE) * available - rho_one_way * (len(modelled) - 1)  # rounds keep their share
        rho_target = max(rho_one_way, min(gaussian_rho(wanted), TARGET_CAP * available, room))
    if bins is None:
        bins = int(min(32, max(8, round(math.sqrt(n_rows / sigma_one_way)))))
    budget = DomainBudget(
        sigma_bounds=gaussian_sigma(rho_bounds) if bounded else 1.0,
        sigma_one_way=sigma_one_way,
        selection_delta=per_selection,
        threshold=1.0 + sigma_one_way * z if thresholded else 0.0,
        bins=int(bins),
        target=target_spec.column if target_spec is not None else None,
        sigma_target=gaussian_sigma(rho_target) if target_spec is not None else 0.0,
        selection_z=z,
    )
    left = rho - rho_bounds_total - rho_one_way * (len(modelled) - 1) - (rho_target if target_spec else rho_one_way)
    return rho, budget, rho_bounds, rho_one_way, left


def mst_rounds(left: float, columns: int) -> tuple[int, float, float]:
    """MST: half of what is left selects the ``columns − 1`` tree edges, half measures them."""
    rounds = max(columns - 1, 0)
    if rounds == 0:
        return 0, 1.0, 1.0
    per = left / rounds
    return rounds, gaussian_sigma(per / 2), exponential_epsilon(per / 2)


def aim_rounds(left: float, rounds: int, forced: int, select_share: float = 0.1) -> tuple[float, float]:
    """AIM: each round spends (1 − share) on its measurement and ``share`` on its selection;
    forced measurements cost a round's measurement."""
    unit = left / (rounds + (1 - select_share) * forced)
    return gaussian_sigma((1 - select_share) * unit), exponential_epsilon(select_share * unit)
