"""Helpers shared by the synthesis tests: tiny model settings and the list of non-DP methods.

Models are tiny (a few epochs, 16-unit layers) so that the whole area runs in a few
minutes on two shared cores; the tests check behaviour, not quality.
"""

from __future__ import annotations

from synthstudio_kernel.synthesis import registry

#: Fast settings per method (valid parameters; CTGAN's batch is a multiple of pac).
TINY: dict[str, dict[str, object]] = {
    "gaussian-copula": {},
    "ctgan": {
        "epochs": 2,
        "batch_size": 40,
        "pac": 4,
        "embedding_dim": 8,
        "generator_dim": [16],
        "discriminator_dim": [16],
    },
    "tvae": {"epochs": 2, "batch_size": 50, "embedding_dim": 8, "compress_dims": [16], "decompress_dims": [16]},
}
SEED = 11


def non_dp_methods() -> list[str]:
    """Every registered method without a DP guarantee (DP methods have their own tests)."""
    return [name for name in registry.available() if not name.startswith("dp-")]


def tiny(method: str, **overrides: object) -> dict[str, object]:
    """Fast parameters for ``method`` (a plugin method gets its defaults)."""
    return {**TINY.get(method, {}), **overrides}
