"""Noise calibration: the smallest noise that keeps a whole pipeline within a target ε.

Both searches are binary searches over the RDP accountant of :mod:`.rdp`, so what is
calibrated here is exactly what is reported after training.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .rdp import DEFAULT_ORDERS, INTEGER_ORDERS, Mechanism, RDPAccountant

#: Noise multipliers are searched in [MIN_SIGMA, MAX_SIGMA].
MIN_SIGMA = 0.05
MAX_SIGMA = 1e5
#: Relative precision of the search on the noise multiplier.
SIGMA_RTOL = 1e-3
#: Refinement over all orders is skipped when the integer-order bound is this close (relative).
REFINE_MIN_GAP = 1e-3
#: At most this many refinement rounds (each costs up to two all-order evaluations).
REFINE_ROUNDS = 6
#: Bisection steps when the shifted answer overshoots.
REFINE_BISECTIONS = 3


class CalibrationError(ValueError):
    """No noise level in the searched range reaches the target ε."""


def _search_sigma(epsilon_of: _EpsilonOf, *, target_epsilon: float) -> float:
    """Smallest σ (within SIGMA_RTOL) with ``epsilon_of(σ) <= target_epsilon``; ε falls with σ."""
    if not math.isfinite(target_epsilon) or target_epsilon <= 0:
        raise CalibrationError("target epsilon must be a positive finite number")
    high = 1.0
    while epsilon_of(high) > target_epsilon:
        high *= 2
        if high > MAX_SIGMA:
            raise CalibrationError("no noise level reaches the target epsilon")
    low = high / 2
    if high == 1.0:
        while low >= MIN_SIGMA and epsilon_of(low) <= target_epsilon:
            high, low = low, low / 2
        if low < MIN_SIGMA:
            return high
    # invariant: epsilon_of(high) <= target < epsilon_of(low)
    while (high - low) / high > SIGMA_RTOL:
        mid = (low + high) / 2
        if epsilon_of(mid) <= target_epsilon:
            high = mid
        else:
            low = mid
    return high


def _refine(fast: _EpsilonOf, full: _EpsilonOf, sigma: float, *, target_epsilon: float) -> float:
    """Lower ``sigma`` (valid over all orders) using the gap between the two curves.

    Fractional orders are slow to evaluate, so a round spends few full evaluations: the gap
    at ``sigma`` between the integer-order ε and the all-order ε shifts the fast search's
    target; the shifted answer is kept if the full curve confirms it, else a few bisection
    steps between the two settle it.
    """
    at_sigma = full(sigma)
    gap = fast(sigma) - at_sigma
    if gap <= REFINE_MIN_GAP * target_epsilon:
        return sigma
    try:
        candidate = _search_sigma(fast, target_epsilon=target_epsilon + gap)
    except CalibrationError:
        return sigma
    if candidate >= sigma:
        return sigma
    if full(candidate) <= target_epsilon:
        return candidate
    low, high = candidate, sigma  # full(low) > target >= full(high): a few bisection steps
    for _ in range(REFINE_BISECTIONS):
        mid = (low + high) / 2
        if full(mid) <= target_epsilon:
            high = mid
        else:
            low = mid
    return high


class _EpsilonOf:
    """ε of ``fixed`` composed with the mechanism built by ``make(σ)``, over ``orders``."""

    def __init__(
        self, fixed: Iterable[Mechanism], make: _Maker, delta: float, orders: tuple[float, ...] = DEFAULT_ORDERS
    ) -> None:
        self.fixed = list(fixed)
        self.make = make
        self.delta = delta
        self.orders = orders

    def __call__(self, sigma: float) -> float:
        acc = RDPAccountant(orders=self.orders)
        for m in [*self.fixed, *self.make(sigma)]:
            acc.add(m)
        return acc.epsilon(delta=self.delta)


def _calibrate(
    fixed: Iterable[Mechanism], make: _Maker, *, target_epsilon: float, delta: float, precise: bool
) -> float:
    """Search over integer orders (fast, vectorised), then refine over all orders.

    The integer orders are a subset of all orders, so their ε is an upper bound and the
    first answer is already valid; the refinement only removes unneeded noise.
    """
    fixed = list(fixed)
    fast = _EpsilonOf(fixed, make, delta, INTEGER_ORDERS)
    sigma = _search_sigma(fast, target_epsilon=target_epsilon)
    if not precise:
        return sigma
    full = _EpsilonOf(fixed, make, delta)
    for _ in range(REFINE_ROUNDS):
        refined = _refine(fast, full, sigma, target_epsilon=target_epsilon)
        if refined == sigma:
            break
        sigma = refined
    return sigma


class _Maker:
    def __init__(self, *, label: str, sample_rate: float, steps: int, selection_delta: float = 0.0) -> None:
        self.label = label
        self.sample_rate = sample_rate
        self.steps = steps
        self.selection_delta = selection_delta

    def __call__(self, sigma: float) -> list[Mechanism]:
        return [Mechanism(self.label, sigma, self.sample_rate, self.steps, self.selection_delta)]


def calibrate_dpsgd(
    *,
    target_epsilon: float,
    delta: float,
    sample_rate: float,
    steps: int,
    prior: Iterable[Mechanism] = (),
    precise: bool = True,
) -> float:
    """Noise multiplier for ``steps`` DP-SGD steps at ``sample_rate`` so that, composed with
    the ``prior`` mechanisms (preprocessing), the total stays within ``target_epsilon``.

    ``precise=False`` skips the refinement over fractional orders (a little more noise, faster).
    """
    if isinstance(steps, bool) or int(steps) != steps or steps < 1:
        raise CalibrationError("steps must be a positive integer")
    maker = _Maker(label="dp-sgd", sample_rate=sample_rate, steps=int(steps))
    return _calibrate(prior, maker, target_epsilon=target_epsilon, delta=delta, precise=precise)


def calibrate_gaussian(
    *, target_epsilon: float, delta: float, count: int, label: str = "gaussian", selection_delta: float = 0.0
) -> float:
    """Noise multiplier of ``count`` Gaussian releases that together cost ``target_epsilon``."""
    if count < 1:
        raise CalibrationError("count must be at least 1")
    maker = _Maker(label=label, sample_rate=1.0, steps=int(count), selection_delta=selection_delta)
    return _calibrate((), maker, target_epsilon=target_epsilon, delta=delta, precise=True)
