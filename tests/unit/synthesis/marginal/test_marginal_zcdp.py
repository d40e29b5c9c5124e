"""zCDP planning math against independent computations (analytic Gaussian, brute force, the RDP accountant)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from synthstudio_kernel.privacy.accounting import DEFAULT_ORDERS, Mechanism, RDPAccountant
from synthstudio_kernel.privacy.accounting.zcdp import (
    accountant_epsilon,
    epsilon_from_rho,
    exponential_rho,
    gaussian_rho,
    gaussian_sigma,
    rho_from_epsilon,
    selection_mechanism,
)
from synthstudio_kernel.synthesis.marginal.plan import selection_delta_for, total_rho


def _analytic_gaussian_delta(epsilon: float, sigma: float) -> float:
    """Exact δ(ε) of the Gaussian mechanism with sensitivity 1 (Balle & Wang 2018, Thm 8)."""
    return float(norm.cdf(0.5 / sigma - epsilon * sigma) - math.exp(epsilon) * norm.cdf(-0.5 / sigma - epsilon * sigma))


@settings(max_examples=40, deadline=None)
@given(sigma=st.floats(0.5, 200.0), log_delta=st.floats(-12.0, -4.0))
def test_zcdp_conversion_is_a_valid_and_tight_bound_for_the_gaussian(sigma: float, log_delta: float) -> None:
    delta = 10.0**log_delta
    # Run
    eps = epsilon_from_rho(gaussian_rho(sigma), delta=delta)

    # Assert: the bound holds (the exact δ at that ε is at most δ) and is not loose by much.
    assert _analytic_gaussian_delta(eps, sigma) <= delta * (1 + 1e-6)
    assert _analytic_gaussian_delta(eps / 1.5, sigma) > delta


def test_conversion_matches_a_brute_force_minimum_over_orders() -> None:
    rho, delta = 0.05, 1e-6
    alphas = np.linspace(1.001, 400.0, 400_000)
    brute = np.min(
        alphas * rho + (math.log(1 / delta) + (alphas - 1) * np.log(1 - 1 / alphas) - np.log(alphas)) / (alphas - 1)
    )
    assert epsilon_from_rho(rho, delta=delta) == pytest.approx(brute, rel=1e-6)
    # Bun & Steinke's simpler bound is looser, never tighter.
    assert epsilon_from_rho(rho, delta=delta) <= rho + 2 * math.sqrt(rho * math.log(1 / delta))


@pytest.mark.parametrize("rho", [1e-4, 0.02, 0.17, 2.0])
def test_over_the_accountants_orders_it_equals_the_rdp_accountant(rho: float) -> None:
    # A ρ-zCDP mechanism is a Gaussian with noise multiplier 1/sqrt(2ρ) in the accountant.
    acc = RDPAccountant.of([Mechanism("budget", gaussian_sigma(rho))])
    assert epsilon_from_rho(rho, delta=1e-5, orders=DEFAULT_ORDERS) == pytest.approx(acc.epsilon(delta=1e-5), rel=1e-9)
    slack = 1e-7
    acc = RDPAccountant.of([Mechanism("budget", gaussian_sigma(rho), selection_delta=slack)])
    assert accountant_epsilon(rho, delta=1e-5, selection_delta=slack, orders=DEFAULT_ORDERS) == pytest.approx(
        acc.epsilon(delta=1e-5), rel=1e-9
    )


def test_rho_and_epsilon_round_trip_and_compose() -> None:
    for eps in (0.3, 1.0, 3.0, 8.0):
        rho = rho_from_epsilon(eps, delta=1e-5)
        assert epsilon_from_rho(rho, delta=1e-5) == pytest.approx(eps, rel=1e-6)
    # Composition: ρ adds up, which the accountant sees as adding RDP curves.
    parts = [Mechanism("a", gaussian_sigma(0.01)), Mechanism("b", gaussian_sigma(0.03)), selection_mechanism(0.2)]
    total = 0.01 + 0.03 + exponential_rho(0.2)
    assert RDPAccountant.of(parts).epsilon(delta=1e-5) == pytest.approx(
        epsilon_from_rho(total, delta=1e-5, orders=DEFAULT_ORDERS), rel=1e-9
    )
    assert exponential_rho(0.2) == pytest.approx(0.2**2 / 8)


@pytest.mark.parametrize(("epsilon", "thresholded"), [(1.0, False), (3.0, True), (0.5, True)])
def test_the_planned_budget_never_converts_above_the_target(epsilon: float, thresholded: bool) -> None:
    slack = selection_delta_for(delta=1e-5, target_epsilon=epsilon) if thresholded else 0.0
    rho = total_rho(epsilon=epsilon, delta=1e-5, selection_delta=slack)
    acc = RDPAccountant.of([Mechanism("budget", gaussian_sigma(rho), selection_delta=slack)])
    assert acc.epsilon(delta=1e-5) <= epsilon
    assert acc.epsilon(delta=1e-5) >= epsilon * (1 - 1e-4)  # and wastes almost nothing
