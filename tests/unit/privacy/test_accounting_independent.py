"""Our RDP accountant against an independent computation from first principles.

Nothing here calls Opacus or reuses the accountant's code: the sampled Gaussian
mechanism's Rényi divergence is recomputed from its definition.

- Integer orders (Mironov, Talwar and Zhang 2019, §3.3): with sampling rate ``q`` and noise
  multiplier ``σ``, ``A_α = Σ_{k=0..α} C(α, k) (1 − q)^{α−k} q^k exp((k² − k) / (2σ²))`` and
  ``RDP(α) = log(A_α) / (α − 1)``, evaluated in 80-digit decimal arithmetic.
- Fractional orders: the definition ``A_α = E_{z ~ N(0, σ²)}[((1 − q) + q·e^{(2z − 1)/(2σ²)})^α]``
  integrated numerically.
- ``q = 1``: the Gaussian mechanism's closed form ``α / (2σ²)``.
- RDP → (ε, δ): Balle et al. 2020, ``ε = min_α rdp(α) − (log δ + log α)/(α − 1) + log((α − 1)/α)``.

Monotonicity of ε in steps and noise is a property test in ``test_accounting.py``.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthstudio_kernel.privacy.accounting import DEFAULT_ORDERS, Mechanism, RDPAccountant, dpsgd_epsilon
from synthstudio_kernel.privacy.accounting.rdp import INTEGER_ORDERS, integer_order_rdp, mechanism_rdp

#: (noise multiplier, sample rate): DP-SGD-like settings and the awkward corners (tiny q, small σ).
SETTINGS = [(1.1, 0.01), (0.8, 0.2), (4.0, 0.5), (0.6, 0.001), (0.5, 0.05), (2.0, 0.9)]


def exact_rdp(alpha: int, *, q: float, sigma: float) -> float:
    """One-step RDP at integer ``alpha`` from the binomial expansion, in 80-digit decimals."""
    with localcontext() as ctx:
        ctx.prec = 80
        qd, two_var = Decimal(repr(q)), 2 * Decimal(repr(sigma)) ** 2

        def power(x: Decimal, n: int) -> Decimal:
            return Decimal(1) if n == 0 else x**n  # 0^0 = 1 (q = 1)

        total = sum(
            Decimal(math.comb(alpha, k))
            * power(1 - qd, alpha - k)
            * power(qd, k)
            * (Decimal(k * k - k) / two_var).exp()
            for k in range(alpha + 1)
        )
        return float(total.ln() / (alpha - 1))


def integral_rdp(alpha: float, *, q: float, sigma: float) -> float:
    """One-step RDP at any order > 1 by integrating the definition numerically.

    ``A_α = ∫ φ_σ(z) ((1 − q) + q·e^{(2z − 1)/(2σ²)})^α dz``: the integrand is smooth and its mass
    lies between ``−12σ`` and ``α + 12σ``, where the trapezoidal rule on a uniform grid converges
    geometrically (its error for a Gaussian-like integrand is about ``exp(−2π²σ²/h²)`` at step
    ``h``), far below the tolerances used here. Summed in log space.
    """
    from scipy.special import logsumexp

    z, dz = np.linspace(-12 * sigma - 1, max(alpha, 1.0) + 12 * sigma + 1, 20_001, retstep=True)
    log_ratio = np.logaddexp(math.log1p(-q), math.log(q) + (2 * z - 1) / (2 * sigma**2))
    log_pdf = -z * z / (2 * sigma**2) - math.log(sigma * math.sqrt(2 * math.pi))
    log_a = float(logsumexp(alpha * log_ratio + log_pdf)) + math.log(dz)
    return log_a / (alpha - 1)


def balle_epsilon(rdp: list[float], orders: list[float], delta: float) -> tuple[float, float]:
    """(ε, best order) by the conversion of Balle et al. 2020, minimised over ``orders``."""
    candidates = [
        (r - (math.log(delta) + math.log(a)) / (a - 1) + math.log((a - 1) / a), a)
        for r, a in zip(rdp, orders, strict=True)
    ]
    eps, order = min(candidates)
    return max(eps, 0.0), order


@pytest.mark.parametrize(("sigma", "q"), SETTINGS)
def test_integer_order_rdp_matches_the_binomial_expansion(sigma: float, q: float) -> None:
    # Setup
    expected = [exact_rdp(int(a), q=q, sigma=sigma) for a in INTEGER_ORDERS]

    # Run
    fast = integer_order_rdp(noise_multiplier=sigma, sample_rate=q, orders=INTEGER_ORDERS)
    composed = mechanism_rdp(noise_multiplier=sigma, sample_rate=q, steps=250, orders=INTEGER_ORDERS)

    # Assert: every order, one step and 250 composed steps
    assert fast == pytest.approx(expected, rel=1e-9, abs=1e-15)
    assert composed == pytest.approx([250 * e for e in expected], rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(("sigma", "q"), SETTINGS)
def test_fractional_orders_match_the_integral_definition(sigma: float, q: float) -> None:
    # Setup: a few fractional orders (reported ε also searches these) and two integer ones,
    # which also check the integral against the exact expansion
    orders = [1.5, 2.5, 4.7, 10.5]

    # Run
    ours = mechanism_rdp(noise_multiplier=sigma, sample_rate=q, steps=1, orders=orders)

    # Assert
    assert ours == pytest.approx([integral_rdp(a, q=q, sigma=sigma) for a in orders], rel=1e-6, abs=1e-12)
    for alpha in (2, 7):
        assert integral_rdp(float(alpha), q=q, sigma=sigma) == pytest.approx(
            exact_rdp(alpha, q=q, sigma=sigma), rel=1e-7
        )


@pytest.mark.parametrize("sigma", [0.5, 1.0, 7.3, 40.0])
def test_full_sampling_is_the_gaussian_closed_form(sigma: float) -> None:
    # Run
    curve = mechanism_rdp(noise_multiplier=sigma, sample_rate=1.0, steps=3, orders=DEFAULT_ORDERS)

    # Assert: k releases of the Gaussian mechanism have RDP k·α/(2σ²), at every order
    assert curve == pytest.approx([3 * a / (2 * sigma**2) for a in DEFAULT_ORDERS], rel=1e-12)
    assert exact_rdp(5, q=1.0, sigma=sigma) == pytest.approx(5 / (2 * sigma**2), rel=1e-12)


@pytest.mark.parametrize(
    ("sigma", "q", "steps", "delta"),
    [(1.1, 0.01, 1000, 1e-5), (0.8, 0.05, 200, 1e-6), (4.0, 0.2, 50, 1e-5), (0.6, 0.001, 20000, 1e-7)],
)
def test_epsilon_matches_the_independent_conversion(sigma: float, q: float, steps: int, delta: float) -> None:
    # Setup: independent RDP at every default order, then Balle et al.'s conversion
    orders = list(DEFAULT_ORDERS)
    rdp = [
        steps * (exact_rdp(int(a), q=q, sigma=sigma) if a == int(a) else integral_rdp(a, q=q, sigma=sigma))
        for a in orders
    ]
    want_eps, want_order = balle_epsilon(rdp, orders, delta)
    integer_rdp = [r for r, a in zip(rdp, orders, strict=True) if a == int(a)]
    integer_eps, _ = balle_epsilon(integer_rdp, list(INTEGER_ORDERS), delta)

    # Run
    acc = RDPAccountant()
    acc.add_dpsgd(noise_multiplier=sigma, sample_rate=q, steps=steps)
    eps, order = acc.get_privacy_spent(delta=delta)
    integer_acc = RDPAccountant(orders=INTEGER_ORDERS)
    integer_acc.add_dpsgd(noise_multiplier=sigma, sample_rate=q, steps=steps)

    # Assert: the same ε at the same best order, over all orders and over integer orders alone
    assert eps == pytest.approx(want_eps, rel=1e-6)
    assert order == want_order
    assert integer_acc.epsilon(delta=delta) == pytest.approx(integer_eps, rel=1e-9)
    assert dpsgd_epsilon(noise_multiplier=sigma, sample_rate=q, steps=steps, delta=delta) == pytest.approx(eps)


def test_a_whole_pipeline_composes_by_adding_rdp() -> None:
    # Setup: preprocessing releases (Gaussian), then two blocks of DP-SGD at different noise
    parts = [Mechanism("preprocessing", 25.0, 1.0, 12), Mechanism("dp-sgd", 1.3, 0.02, 400)]
    parts.append(Mechanism("dp-sgd-late", 0.9, 0.02, 100))
    orders = list(INTEGER_ORDERS)
    rdp = [sum(m.steps * exact_rdp(int(a), q=m.sample_rate, sigma=m.noise_multiplier) for m in parts) for a in orders]

    # Run
    acc = RDPAccountant.of(parts)
    acc_int = RDPAccountant(orders=INTEGER_ORDERS)
    for m in parts:
        acc_int.add(m)

    # Assert
    assert acc_int.rdp() == pytest.approx(rdp, rel=1e-9)
    assert acc_int.epsilon(delta=1e-5) == pytest.approx(balle_epsilon(rdp, orders, 1e-5)[0], rel=1e-9)
    assert acc.epsilon(delta=1e-5) <= acc_int.epsilon(delta=1e-5) * (1 + 1e-12)  # more orders only tighten


def test_monte_carlo_estimate_of_the_divergence_agrees() -> None:
    # Setup: sample the mechanism's output on the smaller dataset (N(0, σ²)) and average the
    # likelihood ratio of the larger one ((1 − q)·N(0, σ²) + q·N(1, σ²)) to the power α
    sigma, q, n = 1.5, 0.5, 400_000
    z = np.random.default_rng(7).normal(0.0, sigma, size=n)
    ratio = (1 - q) + q * np.exp((2 * z - 1) / (2 * sigma**2))

    for alpha in (2, 3):
        # Run
        samples = ratio**alpha - 1
        estimate, stderr = samples.mean(), samples.std(ddof=1) / math.sqrt(n)
        ours = integer_order_rdp(noise_multiplier=sigma, sample_rate=q, orders=[float(alpha)])[0]

        # Assert: A_α − 1 = exp((α − 1)·RDP) − 1 within 5 standard errors (under 10% of it here)
        assert abs(math.expm1((alpha - 1) * ours) - estimate) < 5 * stderr
        assert 5 * stderr < 0.1 * estimate


FAST = settings(max_examples=30, deadline=None)


@FAST
@given(
    sigma=st.floats(0.5, 8.0),
    q=st.floats(0.0005, 1.0),
    alpha=st.sampled_from([2, 3, 5, 8, 13, 21, 32, 63]),
    steps=st.integers(1, 5000),
)
def test_random_settings_match_the_expansion(sigma: float, q: float, alpha: int, steps: int) -> None:
    ours = mechanism_rdp(noise_multiplier=sigma, sample_rate=q, steps=steps, orders=(float(alpha),))[0]
    assert ours == pytest.approx(steps * exact_rdp(alpha, q=q, sigma=sigma), rel=1e-9, abs=1e-15)


@FAST
@given(
    sigma=st.floats(0.5, 8.0),
    q=st.floats(0.001, 0.5),
    first=st.integers(1, 3000),
    second=st.integers(1, 3000),
    z=st.floats(2.0, 100.0),
)
def test_composition_is_additive(sigma: float, q: float, first: int, second: int, z: float) -> None:
    # Setup
    pre = Mechanism("preprocessing", z, 1.0, 3)

    # Run (integer orders: the exact path; fractional ones are checked above)
    whole = RDPAccountant(orders=INTEGER_ORDERS)
    for m in (pre, Mechanism("dp-sgd", sigma, q, first + second)):
        whole.add(m)
    split = RDPAccountant(orders=INTEGER_ORDERS)
    split.add(pre)
    split.add_dpsgd(noise_multiplier=sigma, sample_rate=q, steps=first)
    split.add(Mechanism("other", sigma, q, second))  # a differently labelled block is not merged

    # Assert: the curve of the whole is the sum of the curves of the parts
    parts = [
        mechanism_rdp(
            noise_multiplier=m.noise_multiplier, sample_rate=m.sample_rate, steps=m.steps, orders=INTEGER_ORDERS
        )
        for m in split.mechanisms
    ]
    assert len(split.mechanisms) == 3
    assert whole.rdp() == pytest.approx(np.sum(parts, axis=0), rel=1e-12)
    assert split.rdp() == pytest.approx(whole.rdp(), rel=1e-12)
    assert split.epsilon(delta=1e-5) == pytest.approx(whole.epsilon(delta=1e-5), rel=1e-12)
