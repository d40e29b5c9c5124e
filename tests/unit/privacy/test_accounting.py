"""The RDP accountant and noise calibration: properties, state and calibration.

The values themselves are checked against an independent computation in
``test_accounting_independent.py`` (not against Opacus, whose analysis the accountant uses).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthstudio_kernel.privacy.accounting import (
    DEFAULT_ORDERS,
    CalibrationError,
    Mechanism,
    RDPAccountant,
    calibrate_dpsgd,
    calibrate_gaussian,
    dpsgd_epsilon,
    gaussian_epsilon,
)

FAST = settings(max_examples=25, deadline=None)


def test_gaussian_mechanism_matches_its_closed_form_rdp() -> None:
    # Setup: k Gaussian releases with noise multiplier z have RDP k·α/(2z²)
    z, k, delta = 20.0, 7, 1e-5
    acc = RDPAccountant()

    # Run
    acc.add_gaussian(noise_multiplier=z, count=k)

    # Assert
    expected = [k * a / (2 * z * z) for a in DEFAULT_ORDERS]
    assert acc.rdp() == pytest.approx(expected, rel=1e-12)
    assert acc.epsilon(delta=delta) == pytest.approx(gaussian_epsilon(noise_multiplier=z, count=k, delta=delta))


@FAST
@given(
    sigma=st.floats(0.5, 10.0),
    rate=st.floats(0.001, 0.5),
    steps=st.integers(1, 2000),
    extra=st.integers(1, 2000),
)
def test_epsilon_grows_with_steps(sigma: float, rate: float, steps: int, extra: int) -> None:
    fewer = dpsgd_epsilon(noise_multiplier=sigma, sample_rate=rate, steps=steps, delta=1e-5)
    more = dpsgd_epsilon(noise_multiplier=sigma, sample_rate=rate, steps=steps + extra, delta=1e-5)
    assert more > fewer


@FAST
@given(sigma=st.floats(0.5, 10.0), factor=st.floats(1.05, 3.0), rate=st.floats(0.001, 0.5), steps=st.integers(1, 2000))
def test_epsilon_falls_with_noise(sigma: float, factor: float, rate: float, steps: int) -> None:
    louder = dpsgd_epsilon(noise_multiplier=sigma * factor, sample_rate=rate, steps=steps, delta=1e-5)
    quieter = dpsgd_epsilon(noise_multiplier=sigma, sample_rate=rate, steps=steps, delta=1e-5)
    assert louder < quieter


@FAST
@given(z=st.floats(1.0, 200.0), count=st.integers(1, 30))
def test_composition_costs_more_than_each_part(z: float, count: int) -> None:
    # Setup
    sgd = Mechanism("dp-sgd", 1.0, 0.02, 500)
    pre = Mechanism("preprocessing", z, 1.0, count)

    # Run
    both = RDPAccountant.of([pre, sgd]).epsilon(delta=1e-5)

    # Assert: composed ε is above each part and at most their sum
    alone = [RDPAccountant.of([m]).epsilon(delta=1e-5) for m in (pre, sgd)]
    assert max(alone) < both <= sum(alone) + 1e-9


def test_selection_delta_is_paid_in_epsilon_and_needs_room_in_delta() -> None:
    # Setup
    base = Mechanism("preprocessing", 30.0, 1.0, 10)
    slack = Mechanism("preprocessing", 30.0, 1.0, 10, selection_delta=1e-7)

    # Run
    plain = RDPAccountant.of([base]).epsilon(delta=1e-5)
    with_slack = RDPAccountant.of([slack]).epsilon(delta=1e-5)
    impossible = RDPAccountant.of([slack]).epsilon(delta=1e-7)

    # Assert: a thresholded release leaves less δ for the RDP conversion; δ ≤ δ_sel is impossible
    assert with_slack > plain
    assert math.isinf(impossible)


def test_selection_delta_bound_holds_for_the_returned_epsilon() -> None:
    # Setup
    acc = RDPAccountant.of([Mechanism("preprocessing", 10.0, 1.0, 5, selection_delta=2e-9)])
    acc.add_dpsgd(noise_multiplier=1.0, sample_rate=0.05, steps=100)
    delta = 1e-5

    # Run
    eps, _ = acc.get_privacy_spent(delta=delta)

    # Assert: some δ_rdp with δ_rdp + e^ε·δ_sel ≤ δ gives exactly this ε by plain RDP conversion
    from synthstudio_kernel.privacy.accounting.rdp import rdp_to_dp

    candidates = [
        rdp_to_dp(rdp=acc.rdp(), delta=(delta - 2e-9) * s)[0]
        for s in (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
    ]
    feasible = [
        e
        for e, s in zip(candidates, (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999), strict=True)
        if (delta - 2e-9) * s + math.exp(e) * 2e-9 <= delta
    ]
    assert eps == pytest.approx(min(feasible))


def test_state_round_trips_and_rejects_bad_entries() -> None:
    # Setup
    acc = RDPAccountant()
    acc.add_gaussian(noise_multiplier=12.0, count=3, label="preprocessing", selection_delta=1e-9)
    acc.add_dpsgd(noise_multiplier=1.2, sample_rate=0.01, steps=10)
    acc.add_dpsgd(noise_multiplier=1.2, sample_rate=0.01, steps=5)

    # Run
    again = RDPAccountant.from_dict(acc.to_dict())

    # Assert: consecutive identical DP-SGD steps merge; the state restores the same ε
    assert [m.steps for m in acc.mechanisms] == [3, 15]
    assert again.epsilon(delta=1e-5) == acc.epsilon(delta=1e-5)
    with pytest.raises(ValueError):
        RDPAccountant.from_dict({"accountant": "prv", "mechanisms": []})
    with pytest.raises(ValueError):
        RDPAccountant.from_dict({"mechanisms": [{"label": "x", "noise_multiplier": -1.0}]})
    with pytest.raises(ValueError):
        acc.add_dpsgd(noise_multiplier=1.0, sample_rate=1.5, steps=1)


@settings(max_examples=8, deadline=None)
@given(target=st.floats(0.2, 10.0), rate=st.floats(0.002, 0.2), steps=st.integers(1, 3000))
def test_calibration_hits_the_target(target: float, rate: float, steps: int) -> None:
    # Setup
    prior = [Mechanism("preprocessing", 60.0, 1.0, 12)]
    if RDPAccountant.of(prior).epsilon(delta=1e-5) >= target:
        return  # preprocessing alone already spends the target: nothing to calibrate

    # Run
    sigma = calibrate_dpsgd(target_epsilon=target, delta=1e-5, sample_rate=rate, steps=steps, prior=prior)

    # Assert: within the target, and close to it (no needless noise)
    def total(s: float) -> float:
        return RDPAccountant.of([*prior, Mechanism("dp-sgd", s, rate, steps)]).epsilon(delta=1e-5)

    spent = total(sigma)
    assert spent <= target
    if sigma > 0.06:  # not at the floor of the search
        assert spent >= 0.95 * target


def test_calibrate_gaussian_and_unreachable_targets() -> None:
    # Run
    sigma = calibrate_gaussian(target_epsilon=0.5, delta=1e-5, count=9)

    # Assert
    assert gaussian_epsilon(noise_multiplier=sigma, count=9, delta=1e-5) <= 0.5
    assert gaussian_epsilon(noise_multiplier=sigma * 0.99, count=9, delta=1e-5) > 0.5
    with pytest.raises(CalibrationError):
        calibrate_gaussian(target_epsilon=0.0, delta=1e-5, count=1)
    with pytest.raises(CalibrationError):  # the preprocessing alone exceeds the target
        calibrate_dpsgd(target_epsilon=0.1, delta=1e-5, sample_rate=0.01, steps=10, prior=[Mechanism("p", 1.0, 1.0, 5)])
