"""The noise of DP mechanisms: secret (no seed or global state reaches it), well distributed."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from scipy import stats

from synthstudio_kernel.privacy.randomness import ReproducibleNoise, SecureNoise, noise_source


def test_secure_noise_ignores_every_global_seed() -> None:
    draws = []
    for _ in range(2):
        random.seed(0)
        np.random.seed(0)
        draws.append(noise_source().normal(100))
    assert not np.array_equal(draws[0], draws[1])


def test_secure_noise_is_gaussian_and_uniform() -> None:
    # A correct generator's p-value is uniform: at 1e-4 each check failed once in 10,000 runs by
    # design; a broken transform gives p near 0 at these sizes, far under 1e-9.
    source = SecureNoise()
    z = source.normal(20_000, scale=3.0)
    assert stats.kstest(z / 3.0, "norm").pvalue > 1e-9
    u = source.uniform((100, 50))
    assert u.shape == (100, 50) and u.min() > 0 and u.max() < 1
    assert stats.kstest(u.ravel(), "uniform").pvalue > 1e-9
    mask = source.bernoulli(50_000, 0.2)
    assert abs(mask.mean() - 0.2) < 0.01


def test_secure_noise_cannot_be_saved() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(SecureNoise())


def test_reproducible_noise_is_marked_insecure_and_repeats() -> None:
    a, b = ReproducibleNoise(7), noise_source(reproducible_seed=7)
    assert not a.secure and not b.secure and SecureNoise().secure
    np.testing.assert_array_equal(a.normal(10), b.normal(10))


def test_torch_normal_shape_and_scale() -> None:
    torch = pytest.importorskip("torch")
    noise = SecureNoise().torch_normal((200, 50), 2.0, dtype=torch.float32)
    assert noise.shape == (200, 50) and noise.dtype == torch.float32
    assert 1.9 < float(noise.std()) < 2.1
