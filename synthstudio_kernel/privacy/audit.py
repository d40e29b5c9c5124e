"""Empirical privacy auditing: the one-run canary bound of Steinke, Nasr and Jagielski (2023).

"Privacy Auditing with One (1) Training Run" (NeurIPS 2023). ``m`` canaries are each
included in the training data independently with probability 1/2; after one training run
an auditor guesses "in" or "out" for ``r`` of them (abstaining on the rest) and ``v`` of the
guesses are right. If the training algorithm is (ε, δ)-DP with respect to each canary, then
(their Theorem 5.2)

    P[W ≥ v] ≤ f(v) + 2·m·δ · max_{i = 1..v} (f(v − i) − f(v)) / i,

with ``f(v) = P[Binomial(r, e^ε / (1 + e^ε)) ≥ v]`` (for δ = 0 this is their Theorem 3.1:
the guesses are no better than ε-randomized response). A count ``v`` whose bound falls
below ``1 − confidence`` refutes (ε, δ)-DP; :func:`epsilon_lower_bound` returns the largest
ε refuted that way, an empirical lower bound on the true ε at that confidence.

Pure numpy/scipy; nothing here touches data.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["audit_p_value", "epsilon_lower_bound"]

#: Upper end of the ε search (e^ε / (1 + e^ε) is 1 to double precision well before).
_EPS_CEILING = 60.0


def _check(canaries: int, guesses: int, correct: int, delta: float) -> None:
    for name, value in (("canaries", canaries), ("guesses", guesses), ("correct", correct)):
        if isinstance(value, bool) or int(value) != value or value < 0:
            raise ValueError(f"{name} must be a non-negative integer")
    if not correct <= guesses <= canaries:
        raise ValueError("need 0 <= correct <= guesses <= canaries")
    if not math.isfinite(delta) or not 0 <= delta <= 1:
        raise ValueError("delta must be in [0, 1]")


def audit_p_value(*, epsilon: float, delta: float, canaries: int, guesses: int, correct: int) -> float:
    """Upper bound on P[at least ``correct`` of ``guesses`` right] for an (ε, δ)-DP algorithm.

    The probability is over the canaries' coin flips and the algorithm's randomness
    (Steinke, Nasr and Jagielski 2023, Theorem 5.2); capped at 1.
    """
    from scipy.stats import binom

    _check(canaries, guesses, correct, delta)
    if not math.isfinite(epsilon) or epsilon < 0:
        raise ValueError("epsilon must be a non-negative finite number")
    if correct == 0:
        return 1.0
    p = 1.0 / (1.0 + math.exp(-epsilon))  # accuracy of ε-randomized response
    tail = float(binom.sf(correct - 1, guesses, p))  # f(v) = P[Bin(r, p) ≥ v]
    if delta == 0:
        return min(tail, 1.0)
    # f(v − i) − f(v) = P[v − i ≤ Bin(r, p) < v] = Σ_{j=1..i} pmf(v − j)
    below = np.cumsum(binom.pmf(correct - np.arange(1, correct + 1), guesses, p))
    slope = float(np.max(below / np.arange(1, correct + 1)))
    return min(tail + 2.0 * canaries * delta * slope, 1.0)


def epsilon_lower_bound(*, canaries: int, guesses: int, correct: int, delta: float, confidence: float = 0.95) -> float:
    """Largest ε such that ``correct`` right guesses refute (ε, δ)-DP at ``confidence``.

    0.0 when even ε = 0 cannot be refuted (e.g. chance-level guessing). Bisection to 1e-9
    on the p-value of :func:`audit_p_value`, which grows with ε.

    >>> round(epsilon_lower_bound(canaries=1000, guesses=100, correct=100, delta=0.0), 3)
    3.493
    """
    _check(canaries, guesses, correct, delta)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be in (0, 1)")
    alpha = 1.0 - confidence

    def refuted(eps: float) -> bool:
        value = audit_p_value(epsilon=eps, delta=delta, canaries=canaries, guesses=guesses, correct=correct)
        return value < alpha

    if not refuted(0.0):
        return 0.0
    low, high = 0.0, _EPS_CEILING
    if refuted(high):
        return high
    while high - low > 1e-9:
        mid = 0.5 * (low + high)
        if refuted(mid):
            low = mid
        else:
            high = mid
    return low
