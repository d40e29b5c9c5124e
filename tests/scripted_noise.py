"""A NoiseSource for tests that must put chosen noise into a DP release (test randomness only)."""

from __future__ import annotations

import numpy as np


class ScriptedNoise:
    """Returns chosen standard-normal draws, one ``{index: z}`` per call (zero elsewhere), scaled."""

    secure = False

    def __init__(self, *draws: dict[int, float]) -> None:
        self.draws = list(draws)

    def normal(self, size: int | tuple[int, ...], scale: float = 1.0) -> np.ndarray:
        out = np.zeros(size)
        for index, z in self.draws.pop(0).items():
            out[index] = z
        return out * scale
