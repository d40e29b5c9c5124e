"""Noise calibration: the smallest noise that keeps a whole pipeline within a target ε.

Both searches are binary searches over the RDP accountant of :mod:`.rdp`, so what is
calibrated here is exactly what is reported after training.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .rdp import Mechanism, RDPAccountant

#: Noise multipliers are searched in [MIN_SIGMA, MAX_SIGMA].
MIN_SIGMA = 0.05
MAX_SIGMA = 1e5
#: Relative precision of the search on the noise multiplier.
SIGMA_RTOL = 1e-3


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


class _EpsilonOf:
    """ε of ``fixed`` composed with the mechanism built by ``make(σ)``."""

    def __init__(self, fixed: Iterable[Mechanism], make: _Maker, delta: float) -> None:
        self.fixed = list(fixed)
        self.make = make
        self.delta = delta

    def __call__(self, sigma: float) -> float:
        acc = RDPAccountant.of([*self.fixed, *self.make(sigma)])
        return acc.epsilon(delta=self.delta)


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
) -> float:
    """Noise multiplier for ``steps`` DP-SGD steps at ``sample_rate`` so that, composed with
    the ``prior`` mechanisms (preprocessing), the total stays within ``target_epsilon``."""
    if isinstance(steps, bool) or int(steps) != steps or steps < 1:
        raise CalibrationError("steps must be a positive integer")
    maker = _Maker(label="dp-sgd", sample_rate=sample_rate, steps=int(steps))
    return _search_sigma(_EpsilonOf(prior, maker, delta), target_epsilon=target_epsilon)


def calibrate_gaussian(
    *, target_epsilon: float, delta: float, count: int, label: str = "gaussian", selection_delta: float = 0.0
) -> float:
    """Noise multiplier of ``count`` Gaussian releases that together cost ``target_epsilon``."""
    if count < 1:
        raise CalibrationError("count must be at least 1")
    maker = _Maker(label=label, sample_rate=1.0, steps=int(count), selection_delta=selection_delta)
    return _search_sigma(_EpsilonOf((), maker, delta), target_epsilon=target_epsilon)
