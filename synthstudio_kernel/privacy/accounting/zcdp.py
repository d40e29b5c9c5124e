"""Zero-concentrated DP (zCDP) helpers for planning marginal methods.

Marginal methods budget in ρ-zCDP (Bun & Steinke 2016): a Gaussian release with L2
sensitivity 1 and standard deviation σ is ``1/(2σ²)``-zCDP, the exponential mechanism with
parameter ε₀ over a bounded range is ``ε₀²/8``-zCDP (Cesar & Rogers 2021), and ρ adds up.
ρ-zCDP is RDP ``α·ρ`` at every order α, the curve of a Gaussian with noise multiplier
``1/sqrt(2ρ)``: that is how executed mechanisms are recorded in the RDP accountant.

The conversion to (ε, δ) is the tight one of Canonne, Kamath & Steinke (2020, Prop. 12):
``ε = min_α  αρ + (log(1/δ) + (α−1) log(1−1/α) − log α) / (α−1)``, the same bound the
RDP accountant applies per order; with ``orders`` it is taken over those orders only, so a
budget planned here never converts to more than the accountant reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .rdp import Mechanism


def gaussian_rho(sigma: float) -> float:
    """ρ of one Gaussian release with L2 sensitivity 1 and standard deviation ``sigma``."""
    if not math.isfinite(sigma) or sigma <= 0:
        raise ValueError("sigma must be positive and finite")
    return 1.0 / (2.0 * sigma * sigma)


def gaussian_sigma(rho: float) -> float:
    """Standard deviation of a Gaussian release (L2 sensitivity 1) that costs ``rho``."""
    if not math.isfinite(rho) or rho <= 0:
        raise ValueError("rho must be positive and finite")
    return math.sqrt(1.0 / (2.0 * rho))


def exponential_rho(epsilon: float) -> float:
    """ρ of the exponential mechanism with parameter ``epsilon`` (bounded range)."""
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be positive and finite")
    return epsilon * epsilon / 8.0


def exponential_epsilon(rho: float) -> float:
    """Exponential-mechanism parameter that costs ``rho``."""
    if not math.isfinite(rho) or rho <= 0:
        raise ValueError("rho must be positive and finite")
    return math.sqrt(8.0 * rho)


def rho_mechanism(label: str, rho: float) -> Mechanism:
    """A ρ-zCDP mechanism as an accountant entry (a Gaussian with noise multiplier 1/sqrt(2ρ))."""
    return Mechanism(label, gaussian_sigma(rho))


def selection_mechanism(epsilon: float, label: str = "select") -> Mechanism:
    """The exponential mechanism with parameter ``epsilon`` as an accountant entry (σ = 2/ε)."""
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be positive and finite")
    return Mechanism(label, 2.0 / epsilon)


def _epsilon_at(rho: float, delta: float, alpha: np.ndarray) -> np.ndarray:
    return alpha * rho + (math.log(1.0 / delta) + (alpha - 1) * np.log1p(-1.0 / alpha) - np.log(alpha)) / (alpha - 1)


def epsilon_from_rho(rho: float, *, delta: float, orders: Sequence[float] | None = None) -> float:
    """ε of ρ-zCDP at ``delta`` (tight conversion; over ``orders`` only when given)."""
    if not 0 < delta < 1:
        raise ValueError("delta must be in (0, 1)")
    if rho < 0 or not math.isfinite(rho):
        raise ValueError("rho must be non-negative and finite")
    if rho == 0:
        return 0.0
    if orders is not None:
        alpha = np.asarray([o for o in orders if o > 1], dtype=float)
        return float(max(np.min(_epsilon_at(rho, delta, alpha)), 0.0))
    from scipy.optimize import minimize_scalar

    # The optimum lies near 1 + sqrt(log(1/δ)/ρ); search on log(α − 1).
    guess = math.log(math.sqrt(math.log(1.0 / delta) / rho))
    result = minimize_scalar(
        lambda t: float(_epsilon_at(rho, delta, np.array([1.0 + math.exp(t)]))[0]),
        bracket=(guess - 3.0, guess, guess + 3.0),
    )
    return float(max(result.fun, 0.0))


def rho_from_epsilon(epsilon: float, *, delta: float, orders: Sequence[float] | None = None) -> float:
    """The largest ρ whose conversion at ``delta`` is at most ``epsilon`` (bisection)."""
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be positive and finite")
    low, high = 0.0, max(epsilon, 1.0)
    while epsilon_from_rho(high, delta=delta, orders=orders) <= epsilon:
        high *= 2.0
    for _ in range(100):
        mid = 0.5 * (low + high)
        if epsilon_from_rho(mid, delta=delta, orders=orders) <= epsilon:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * high:
            break
    return low


#: Fractions of the remaining δ tried for the conversion when selection δ is present
#: (the RDP accountant's own splits).
from .rdp import _DELTA_SPLITS  # noqa: E402


def accountant_epsilon(rho: float, *, delta: float, selection_delta: float, orders: Sequence[float]) -> float:
    """ε that :class:`RDPAccountant` reports for ρ-zCDP plus a selection slack, in closed form.

    Same conversion and δ splits as the accountant (``δ_rdp + e^ε δ_sel ≤ δ``), without
    evaluating the curve order by order through Opacus: fast enough to bisect on.
    """
    if selection_delta == 0:
        return epsilon_from_rho(rho, delta=delta, orders=orders)
    best = math.inf
    for split in _DELTA_SPLITS:
        delta_rdp = (delta - selection_delta) * split if delta > selection_delta else 0.0
        if delta_rdp <= 0:
            break
        eps = epsilon_from_rho(rho, delta=delta_rdp, orders=orders)
        if delta_rdp + math.exp(min(eps, 700.0)) * selection_delta <= delta and eps < best:
            best = eps
    return best
