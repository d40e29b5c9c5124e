"""Where every random draw of a DP mechanism comes from.

A DP guarantee holds only if nobody can reproduce the noise: a seed stored in an artifact,
or a global generator seeded earlier in the notebook, lets an attacker subtract it. So DP
mechanisms draw from :class:`SecureNoise`: a ChaCha20 key stream keyed with 256 bits of OS
entropy (``os.urandom``), held in memory for one run and stored nowhere. No ``seed``, no
NumPy or torch global state reaches it.

:class:`ReproducibleNoise` exists only for debugging (``insecure_reproducible_noise=True``):
it is seeded, so the run that uses it is marked "guarantee void: reproducible noise"
everywhere it appears.

Gaussian draws use 53-bit uniforms and the Box–Muller transform in float64. The guarantee
does not cover floating-point attacks on the noise's low-order bits (Mironov 2012).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import torch

#: Status words of a run whose noise was reproducible (debugging only).
VOID_REPRODUCIBLE = "guarantee void: reproducible noise"
_U53 = 2.0**-53


class NoiseSource(Protocol):
    """The randomness a DP mechanism may use."""

    secure: bool

    def uniform(self, size: int | tuple[int, ...]) -> np.ndarray:
        """Uniform floats in the open interval (0, 1)."""

    def normal(self, size: int | tuple[int, ...], scale: float = 1.0) -> np.ndarray:
        """Gaussian floats with mean 0 and standard deviation ``scale``."""

    def bernoulli(self, n: int, p: float) -> np.ndarray:
        """``n`` independent booleans, each True with probability ``p``."""

    def gumbel(self, size: int | tuple[int, ...]) -> np.ndarray:
        """Standard Gumbel draws (for the exponential mechanism)."""

    def torch_normal(self, shape: Any, std: float, *, device: Any = "cpu", dtype: Any = None) -> torch.Tensor:
        """A torch tensor of Gaussian noise."""


class _NoiseBase:
    """Shared transforms from uniforms; subclasses supply ``_uniform53``."""

    secure: bool = True

    def _uniform53(self, n: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def uniform(self, size: int | tuple[int, ...]) -> np.ndarray:
        shape = (size,) if isinstance(size, int | np.integer) else tuple(size)
        n = int(np.prod(shape)) if shape else 1
        return self._uniform53(n).reshape(shape)

    def normal(self, size: int | tuple[int, ...], scale: float = 1.0) -> np.ndarray:
        shape = (size,) if isinstance(size, int | np.integer) else tuple(size)
        n = int(np.prod(shape)) if shape else 1
        half = (n + 1) // 2
        u = self._uniform53(2 * half)
        radius = np.sqrt(-2.0 * np.log(u[:half]))
        angle = 2.0 * math.pi * u[half:]
        z = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])[:n]
        return (z * float(scale)).reshape(shape)

    def bernoulli(self, n: int, p: float) -> np.ndarray:
        return self._uniform53(int(n)) < float(p)

    def gumbel(self, size: int | tuple[int, ...]) -> np.ndarray:
        return -np.log(-np.log(self.uniform(size)))

    def torch_normal(self, shape: Any, std: float, *, device: Any = "cpu", dtype: Any = None) -> torch.Tensor:
        import torch

        shape = tuple(shape)
        values = self.normal(shape, float(std)) if shape else self.normal(1, float(std)).reshape(())
        tensor = torch.from_numpy(np.ascontiguousarray(values))
        return tensor.to(device=device, dtype=dtype or torch.float32)


class SecureNoise(_NoiseBase):
    """A ChaCha20 key stream keyed from OS entropy: secret, never stored, no seed controls it."""

    secure = True

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

        cipher = Cipher(algorithms.ChaCha20(os.urandom(32), os.urandom(16)), mode=None)
        self._stream = cipher.encryptor()

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("A secure noise source cannot be pickled or saved.")

    def random_bytes(self, n: int) -> bytes:
        """``n`` bytes of the key stream."""
        return bytes(self._stream.update(bytes(int(n))))

    def _uniform53(self, n: int) -> np.ndarray:
        words = np.frombuffer(self.random_bytes(8 * n), dtype=np.uint64)
        # The top 53 bits plus one half: uniform on (0, 1), never exactly 0 or 1.
        return ((words >> np.uint64(11)).astype(np.float64) + 0.5) * _U53


class ReproducibleNoise(_NoiseBase):
    """Seeded noise, for debugging only: a run using it has no privacy guarantee."""

    secure = False

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x5EED]))

    def _uniform53(self, n: int) -> np.ndarray:
        words = self._rng.integers(0, 2**53, size=n, dtype=np.uint64)
        return (words.astype(np.float64) + 0.5) * _U53


def noise_source(*, reproducible_seed: int | None = None) -> NoiseSource:
    """The noise for one DP run: secure, unless a debugging seed is given explicitly."""
    if reproducible_seed is None:
        return SecureNoise()
    return ReproducibleNoise(reproducible_seed)
