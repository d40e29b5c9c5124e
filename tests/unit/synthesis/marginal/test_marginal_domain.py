"""The DP support of a numeric column: its edges follow the data, not the noise.

Binned comparisons of a column (SDMetrics' pair trends, any histogram a user draws) depend
on its range: one value beyond the data, or a lost edge value, moves every bin. These tests
draw many noise vectors (test randomness only) and check the rates of both errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from scripted_noise import ScriptedNoise

from synthstudio_kernel.synthesis.marginal import domain

SIGMA = 10.0


def _codes_like_education_num() -> np.ndarray:
    """Unit bins 0..32 (DP bounds of a 1..16 code): a thin low edge of 6σ, a busy top edge."""
    counts = np.zeros(33)
    counts[1:17] = [60, 130, 260, 500, 400, 730, 930, 340, 8400, 5800, 1100, 850, 4300, 1400, 450, 330]
    return counts


def _support(kept: np.ndarray) -> tuple[int, int]:
    nonzero = np.flatnonzero(kept)
    return int(nonzero[0]), int(nonzero[-1])


def test_support_rarely_reaches_past_the_data_and_keeps_a_thin_edge() -> None:
    counts = _codes_like_education_num()
    rng = np.random.default_rng(7)
    wide = exact = 0
    draws = 600
    for _ in range(draws):
        low, high = _support(domain.trim_support(counts + rng.normal(0, SIGMA, len(counts)), SIGMA))
        wide += low < 1 or high > 16
        exact += (low, high) == (1, 16)
    assert wide / draws <= 0.04  # the design bound is about 4 x EDGE_FALSE_RATE (two ends)
    assert exact / draws >= 0.93


def test_edge_threshold_is_low_at_the_end_and_bonferroni_deep_inside() -> None:
    assert domain.edge_sigmas(0, 33) < domain.edge_sigmas(3, 33) <= domain.edge_sigmas(30, 33)
    from statistics import NormalDist

    half = NormalDist().inv_cdf(1 - domain.EDGE_FALSE_RATE / 2)
    assert domain.edge_sigmas(0, 33) == pytest.approx(half)  # the first bin spends half the chance
    assert domain.edge_sigmas(60, 160) == domain.edge_sigmas(100, 160)  # capped by the Bonferroni share


def test_support_of_pure_noise_is_almost_never_a_block() -> None:
    rng = np.random.default_rng(11)
    found = sum(domain.support_edges(rng.normal(0, SIGMA, 64), SIGMA) is not None for _ in range(500))
    assert found / 500 <= 0.05


def _dp_bounds(values: np.ndarray, sigma: float, draws: int, seed: int) -> list[tuple[float, float] | None]:
    """The power-of-two scan's bounds for ``draws`` noise vectors (test randomness only)."""
    edges = np.asarray(domain._pow2_edges())
    counts = np.histogram(values, bins=edges)[0]
    z = domain.bounds_sigmas(3 * len(counts))  # three block widths per bin, as in _release_numeric
    zero_bin = int(np.flatnonzero(edges == 0.0)[0])  # the bin [0, 2^-10)
    rng = np.random.default_rng(seed)
    out: list[tuple[float, float] | None] = []
    for _ in range(draws):
        noisy = counts + rng.normal(0, sigma, len(counts))
        found = domain.block_edges(
            noisy,
            sigma,
            z,
            (1, 2, 4),
            domain.BOUNDS_EDGE_SIGMAS,
            (domain.BOUNDS_ADJACENT_SIGMAS, domain.BOUNDS_ADJACENT_HIGH_SIGMAS),
            zero_bin,
        )
        out.append(None if found is None else (float(edges[found[0]]), float(edges[found[1] + 1])))
    return out


def test_dp_bounds_stay_near_the_data() -> None:
    """The power-of-two scan must not set a bound such as 2^40 for a column of hours."""
    found = _dp_bounds(np.r_[np.full(700, 80.0), np.full(20000, 40.0), np.full(300, 3.0)], 16.0, 2000, seed=3)
    assert all(b is not None for b in found)
    far = sum(b is not None and (b[1] > 1024 or b[0] < 0.25) for b in found)
    assert far / 2000 <= 0.005


def test_dp_bounds_keep_a_thin_tail_next_to_busy_bins() -> None:
    """130 rows above 2^15 next to 400 below (insurance's smokers at ε = 1, σ = 47) stay inside."""
    values = np.r_[np.full(130, 40000.0), np.full(400, 20000.0), np.full(500, 9000.0)]
    kept = sum(b is not None and b[1] >= 65536 for b in _dp_bounds(values, 47.0, 500, seed=5))
    assert kept / 500 >= 0.7  # 130 rows are 2.8 σ: over 3 σ, or over 1.5 σ next to the busy bin


def test_dp_bounds_of_zeros_and_positives_stay_unsigned_and_tight() -> None:
    """Adult's capital-gain: 92% zeros. A block of four bins around the zero bin used to
    take a noisy empty bin below 0 as its edge 7% of the time; a signed range got uniform
    fine bins 2,048 wide, and every zero was drawn back as a value in [-1, 2048)."""
    found = _dp_bounds(np.r_[np.zeros(24000), np.geomspace(100, 99999, 2000)], 16.0, 2000, seed=13)
    assert all(b is not None for b in found)
    signed = sum(b is not None and b[0] < 0 for b in found)
    far = sum(b is not None and b[1] > 2**18 for b in found)  # two powers of two past 99,999
    assert signed / 2000 <= 0.005
    assert far / 2000 <= 0.01


def test_fine_bins_keep_zero_alone_when_the_low_bound_is_slightly_negative() -> None:
    fine = domain.fine_edges(-0.002, 131072.0, integer=True, max_bins=64)
    assert fine[:3] == (-1.0, 0.0, 1.0)  # log-spaced from -1: 0 has its own unit bin
    assert len(fine) <= 65


def test_fine_bins_sit_where_the_dp_bounds_saw_the_rows() -> None:
    """german_credit's amounts at ε = 1: ten fine bins spread from 0 put 94% of the rows in
    three of them; laid out over the busy powers of two in proportion to their noisy counts,
    the busiest power of two gets the most bins and the range below gets two (a thin low
    tail keeps a bin of its own, next to the busy range)."""
    pow2 = np.array([512.0, 1024.0, 2048.0, 4096.0, 8192.0, 16384.0])
    fine = domain.fine_edges(0.0, 16384.0, integer=True, max_bins=10, busy=(pow2, np.array([96, 280, 224, 128, 48.0])))
    assert fine[:3] == (0.0, 256.0, 512.0) and fine[-1] == 16384.0 and len(fine) == 11
    per_pow2 = np.histogram(np.asarray(fine[2:-1]), bins=pow2)[0]
    assert per_pow2.min() >= 1 and per_pow2.sum() == 8
    assert per_pow2[1] == per_pow2.max() > per_pow2[-1]


def test_a_thin_tail_of_a_smooth_column_stays_and_noise_below_its_range_goes() -> None:
    """Ages at ε = 1 (σ = 24.5): the 45 rows over 48 were kept in 31% of draws at the
    per-depth threshold. The low end stays strict: one phantom age under 16 shifts every
    binned comparison of the column, and so do the 8 rows of 19-year-olds drawn from [16, 20)."""
    fine = (0.0, 16.0, 20.0, 24.0, 28.0, 32.0, 40.0, 48.0, 56.0, 64.0)
    counts = np.array([0, 8, 100, 170, 160, 200, 95, 45, 22.0])
    lenient = domain.lenient_bins(fine, integer=True)
    assert lenient.all()
    rng = np.random.default_rng(3)
    tail = below = thin_low = 0
    for _ in range(2000):
        kept = domain.trim_support(counts + rng.normal(0, 24.5, len(counts)), 24.5, lenient)
        tail += np.flatnonzero(kept)[-1] >= 7
        below += kept[0] > 0
        thin_low += kept[1] > 0
    assert tail / 2000 >= 0.75
    assert below / 2000 <= 0.01
    assert thin_low / 2000 <= 0.05


def test_unit_bins_past_a_code_stay_strict() -> None:
    assert not domain.lenient_bins(tuple(float(v) for v in range(34)), integer=True).any()


def _age_codec(tails: bool) -> domain.NumericCodec:
    edges = (0.0, 16.0, 20.0, 24.0, 28.0, 32.0, 40.0, 48.0, 56.0, 64.0, 128.0)
    counts = (0.0, 60.0, 170.0, 160.0, 200.0, 95.0, 45.0, 40.0, 22.0, 25.0)
    groups = tuple(range(len(edges)))
    return domain.NumericCodec("age", edges, groups, counts, True, False, "int64", "dp", tails=tails)


def test_thin_edge_bins_are_drawn_as_tails_inside_the_bin() -> None:
    """25 rows in [64, 128) next to 22 in [56, 64): drawn evenly, half the ages would be over 96."""
    rng = np.random.default_rng(5)
    top = _age_codec(True).decode(np.full(4000, 9), rng).to_numpy()
    assert top.min() >= 64 and top.max() <= 127
    assert np.median(top) < 75 < np.median(_age_codec(False).decode(np.full(4000, 9), rng).to_numpy())
    low = _age_codec(True).decode(np.full(4000, 1), rng).to_numpy()  # [16, 20) under [20, 24)'s density
    assert low.min() >= 16 and low.max() <= 19
    assert np.mean(low == 19) > 0.5 > np.mean(low == 16)
    assert _age_codec(True).tail_lengths().keys() == {1, 9}


def test_many_busy_fine_bins_share_fewer_model_cells() -> None:
    """Every model cell shares the noise of each multi-way measurement: 22 busy fine bins
    become about ``bins`` cells of similar mass, while a code of 16 values keeps a cell each."""
    busy = np.r_[np.zeros(2), np.full(22, 40.0)]
    assert len(domain.coarse_groups(busy, 8)) - 1 <= 10
    codes = np.r_[np.zeros(2), np.full(16, 50.0)]
    assert domain.coarse_groups(codes, 8) == list(range(19))


def test_the_lowest_busy_power_of_two_stays_when_both_measurements_see_it() -> None:
    """Durations at ε = 1: 68 rows of 4-7 months (2.8 σ in the fine histogram, 2.2 σ in the
    bounds) were cut in about half the draws by the per-bin test alone; a power of two that
    joined the bounds on noise (1.5 σ) must not come back through the joint test."""
    fine = (0.0, 2.0, 4.0, 8.0, 12.0, 16.0, 22.0, 27.0, 32.0, 48.0, 64.0)
    counts = np.array([0, 0, 68, 76, 204, 96, 175, 43, 90, 47.0])
    pow2 = np.array([4.0, 8.0, 16.0, 32.0, 64.0])
    lenient = domain.lenient_bins(fine, integer=True)
    rng = np.random.default_rng(5)
    kept = strict = 0
    for _ in range(2000):
        noisy = counts + rng.normal(0, 24.5, len(counts))
        bounds = np.clip(np.array([68, 280, 314, 137.0]) + rng.normal(0, 31.3, 4), 0.0, None)
        first = domain.lowest_busy_bin(fine, (pow2, bounds), noisy, 24.5, 31.3)
        assert first in (None, 2)
        kept += domain.trim_support(noisy, 24.5, lenient, first)[2] > 0
        strict += domain.trim_support(noisy, 24.5, lenient)[2] > 0
    assert kept / 2000 >= 0.7 and strict / 2000 <= 0.6

    ages = (0.0, 4.0, 8.0, 16.0, 20.0, 24.0, 28.0, 32.0, 40.0, 48.0, 56.0, 64.0)
    age_counts = np.array([0, 0, 0, 8, 100, 170, 160, 200, 95, 45, 22.0])
    phantom = 0
    for _ in range(2000):
        joined = 31.3 * (1.5 + abs(rng.normal(0, 0.5)))  # an empty [8, 16) that passed 1.5 σ
        bounds = np.array([joined, 438 + rng.normal(0, 31.3), 362 + rng.normal(0, 31.3)])
        noisy = age_counts + rng.normal(0, 24.5, len(age_counts))
        first = domain.lowest_busy_bin(ages, (np.array([8.0, 16.0, 32.0, 64.0]), bounds), noisy, 24.5, 31.3)
        phantom += domain.trim_support(noisy, 24.5, domain.lenient_bins(ages, integer=True), first)[2] > 0
    assert phantom / 2000 <= 0.05
    assert domain.lowest_busy_bin(ages, None, age_counts, 24.5, 31.3) is None


def test_noise_alone_neither_signs_a_positive_column_nor_gives_it_missing_values() -> None:
    """One column in about a thousand got a bound such as -2^52 for positive incomes (its samples
    turned negative), one in about 700 came back with 2% missing values. Noise of 5 σ in one far
    negative power of two, and of 3.5 σ in the missing-value cell, now changes neither."""
    import pandas as pd

    from synthstudio_kernel.data import as_dataset

    rng = np.random.default_rng(0)
    dataset = as_dataset(pd.DataFrame({"income": np.round(rng.gamma(2.0, 20000.0, 1000), 2)}))
    (spec,) = domain.column_specs(dataset)
    budget = domain.DomainBudget(sigma_bounds=13.7, sigma_one_way=6.4, selection_delta=1e-7, threshold=36.0, bins=12)
    far_negative = domain._pow2_edges().index(-(2.0**20))  # the bin [-2^20, -2^19)
    noise = ScriptedNoise({far_negative: 5.0}, {-1: 3.5})

    codecs, _ = domain.release_domain([spec], dataset.count_source(), budget, noise, lambda mechanism: None)

    codec = codecs["income"]
    assert isinstance(codec, domain.NumericCodec) and codec.bounds_source == "dp"
    assert codec.fine_edges[0] >= 0.0  # the range starts at 0, not at -2^20
    assert len(codec.groups) - 1 in codec.empty  # no missing values
    assert codec.decode(np.arange(codec.size - 1).repeat(50), rng).ge(0).all()
