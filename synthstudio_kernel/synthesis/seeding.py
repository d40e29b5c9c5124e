"""Seeded execution that leaves the caller's global random state untouched."""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

#: Seeds handed to numpy / torch / SDV are kept below this bound (fits every RNG API).
MAX_SEED = 2**31 - 1
#: The seed of a CUDA generator that nobody seeded (c10's ``default_rng_seed_val``).
_CUDA_DEFAULT_SEED = 67280421310721


@contextmanager
def seeded(seed: int | None, *, with_torch: bool = False) -> Iterator[None]:
    """Seed Python, NumPy and torch for the block, then restore them.

    torch is seeded when it is already imported, or imported first with ``with_torch``
    (a method that will import torch inside the block must say so, else its first run in
    a fresh process would train unseeded). With ``seed=None`` nothing is seeded or restored.
    """
    if seed is None:
        yield
        return
    if with_torch:
        import torch as _torch  # noqa: F401
    py_state = random.getstate()
    np_state = np.random.get_state()
    torch: Any = sys.modules.get("torch")
    torch_state = torch.random.get_rng_state() if torch is not None else None
    cuda = torch is not None and torch.cuda.is_available()
    # Reading CUDA states initialises CUDA: only do it when it already is.
    cuda_states = torch.cuda.get_rng_state_all() if cuda and torch.cuda.is_initialized() else None
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if torch is not None:
        torch.manual_seed(seed)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        if torch is not None and torch_state is not None:
            torch.random.set_rng_state(torch_state)
            if cuda_states is not None:
                torch.cuda.set_rng_state_all(cuda_states)
            elif cuda:
                # CUDA was not initialised before: leave it as unseeded (lazily applied if still not).
                torch.cuda.manual_seed_all(_CUDA_DEFAULT_SEED)


def derive_seed(seed: int, *salt: object) -> int:
    """A seed in ``[0, MAX_SEED)`` determined by ``seed`` and ``salt`` (stable across runs)."""
    text = "/".join([str(int(seed)), *map(str, salt)]).encode("utf-8")
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big") % MAX_SEED


def draw_seed() -> int:
    """A seed drawn from NumPy's global generator: fixed inside :func:`seeded`, fresh outside."""
    return int(np.random.randint(0, MAX_SEED))
