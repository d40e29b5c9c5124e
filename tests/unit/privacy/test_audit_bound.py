"""The one-run audit bound (Steinke, Nasr and Jagielski 2023): known values, exactness, soundness."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthstudio_kernel.privacy.audit import audit_p_value, epsilon_lower_bound


def binomial_tail(r: int, p: float, v: int) -> float:
    """P[Binomial(r, p) ≥ v] summed term by term (no scipy)."""
    return math.fsum(math.comb(r, k) * p**k * (1 - p) ** (r - k) for k in range(v, r + 1))


def theorem_p_value(m: int, r: int, v: int, eps: float, delta: float) -> float:
    """Theorem 5.2 written out: f(v) + 2mδ · max_i (f(v − i) − f(v)) / i."""
    p = math.exp(eps) / (1 + math.exp(eps))
    f = [binomial_tail(r, p, k) for k in range(v + 1)]
    slope = max((f[v - i] - f[v]) / i for i in range(1, v + 1)) if v else 0.0
    return min(f[v] + 2 * m * delta * slope, 1.0)


@pytest.mark.parametrize("r", [10, 50, 100, 1000])
def test_perfect_guessing_without_delta_has_a_closed_form(r: int) -> None:
    # Setup: r of r right is refuted at 95% iff p^r < 0.05 with p = e^ε / (1 + e^ε)
    p = 0.05 ** (1 / r)
    expected = math.log(p / (1 - p))

    # Run
    bound = epsilon_lower_bound(canaries=r, guesses=r, correct=r, delta=0.0)

    # Assert
    assert bound == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize(
    ("m", "r", "v", "delta", "expected"),
    [
        # Values of the paper's reference algorithm (their appendix code) at 95% confidence.
        (1000, 100, 100, 0.0, 3.4930),
        (1000, 100, 100, 1e-5, 3.4654),
        (1000, 100, 90, 1e-5, 1.6261),
        (1000, 200, 150, 0.0, 0.8214),
        (1000, 200, 150, 1e-5, 0.8200),
        (10000, 1000, 700, 1e-5, 0.7293),
    ],
)
def test_matches_the_reference_algorithm(m: int, r: int, v: int, delta: float, expected: float) -> None:
    assert epsilon_lower_bound(canaries=m, guesses=r, correct=v, delta=delta) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("m", "r", "v", "eps", "delta"),
    [(200, 40, 30, 0.5, 1e-5), (500, 60, 60, 2.0, 1e-4), (50, 20, 12, 0.0, 1e-3), (1000, 80, 70, 1.3, 0.0)],
)
def test_p_value_is_theorem_5_2(m: int, r: int, v: int, eps: float, delta: float) -> None:
    ours = audit_p_value(epsilon=eps, delta=delta, canaries=m, guesses=r, correct=v)
    assert ours == pytest.approx(theorem_p_value(m, r, v, eps, delta), rel=1e-9, abs=1e-300)


def test_bound_is_the_edge_of_refutation() -> None:
    # Setup
    m, r, v, delta = 1000, 150, 120, 1e-5

    # Run
    bound = epsilon_lower_bound(canaries=m, guesses=r, correct=v, delta=delta)

    # Assert: just below the bound the p-value is under 5%, just above it is not
    assert theorem_p_value(m, r, v, bound - 1e-6, delta) < 0.05
    assert theorem_p_value(m, r, v, bound + 1e-6, delta) >= 0.05


def test_more_evidence_gives_a_higher_bound_and_delta_a_lower_one() -> None:
    # Run
    by_correct = [epsilon_lower_bound(canaries=1000, guesses=200, correct=v, delta=1e-5) for v in (100, 120, 150, 190)]
    strict = epsilon_lower_bound(canaries=1000, guesses=100, correct=95, delta=0.0)
    loose = epsilon_lower_bound(canaries=1000, guesses=100, correct=95, delta=1e-4)
    confident = epsilon_lower_bound(canaries=1000, guesses=100, correct=95, delta=0.0, confidence=0.99)

    # Assert: chance-level guessing refutes nothing; δ and confidence only weaken the bound
    assert by_correct[0] == 0.0
    assert by_correct == sorted(by_correct) and by_correct[-1] > 2.0
    assert 0 < loose < strict
    assert 0 < confident < strict


def test_randomized_response_is_refuted_at_most_five_percent_of_the_time() -> None:
    # Setup: ε-randomized response is the worst ε-DP mechanism for this game: each of r
    # guesses is right with probability e^ε / (1 + e^ε), independently.
    rng = np.random.default_rng(11)
    eps, r, trials = 1.0, 400, 600
    correct = rng.binomial(r, 1 / (1 + math.exp(-eps)), size=trials)

    # Run
    by_count = {int(v): epsilon_lower_bound(canaries=r, guesses=r, correct=int(v), delta=0.0) for v in set(correct)}
    bounds = np.array([by_count[int(v)] for v in correct])

    # Assert: the bound exceeds the true ε in at most ~5% of runs (sound), and it is not vacuous
    exceed = float(np.mean(bounds > eps))
    assert exceed <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / trials)
    assert float(np.median(bounds)) > 0.6 * eps


def test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        epsilon_lower_bound(canaries=10, guesses=20, correct=5, delta=0.0)
    with pytest.raises(ValueError):
        epsilon_lower_bound(canaries=100, guesses=20, correct=21, delta=0.0)
    with pytest.raises(ValueError):
        epsilon_lower_bound(canaries=100, guesses=20, correct=10, delta=1.5)
    with pytest.raises(ValueError):
        epsilon_lower_bound(canaries=100, guesses=20, correct=10, delta=0.0, confidence=1.0)
    with pytest.raises(ValueError):
        audit_p_value(epsilon=-1.0, delta=0.0, canaries=100, guesses=20, correct=10)
