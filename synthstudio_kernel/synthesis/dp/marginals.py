"""Independent noisy marginals: every column sampled on its own from DP marginals.

The baseline DP methods must beat (benchmarks/bench_dp.py): it spends the whole ε on
the same DP preprocessing releases (category counts, spikes, value histograms) and
keeps no relation between columns. Not registered as a method, and charges no ledger:
it is for benchmarks on public data only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...data import Dataset, as_dataset
from ...privacy.planning import resolve_delta
from ...privacy.preprocessing import DPMetadata, plan_preprocessing, run_preprocessing
from ...privacy.randomness import noise_source
from .transformer import DPTransformer


class IndependentMarginals:
    """Fit noisy marginals with all of ``epsilon``; sample columns independently."""

    def __init__(
        self,
        *,
        epsilon: float,
        delta: float | None = None,
        public_bounds: Mapping[str, Sequence[Any]] | None = None,
        categories: Mapping[str, Sequence[Any]] | None = None,
        seed: int | None = None,
    ) -> None:
        self.epsilon = float(epsilon)
        self.delta = delta
        self.public_bounds = public_bounds
        self.categories = categories
        self.seed = seed
        self.metadata: DPMetadata | None = None
        self.transformer: DPTransformer | None = None

    def fit(self, data: pd.DataFrame | Dataset) -> IndependentMarginals:
        dataset = as_dataset(data)
        delta = resolve_delta(self.delta, dataset.n_rows)
        plan = plan_preprocessing(
            dataset,
            target_epsilon=self.epsilon,
            delta=delta,
            share=1.0,
            public_bounds=self.public_bounds,
            categories=self.categories,
        )
        self.epsilon_spent = plan.epsilon(delta=delta)
        self.metadata = run_preprocessing(dataset, plan, noise=noise_source())  # the seed is for sampling only
        self.transformer = DPTransformer(self.metadata)
        return self

    def sample(self, n: int, *, seed: int | None = None) -> pd.DataFrame:
        assert self.transformer is not None, "call fit() first"
        rng = np.random.default_rng(self.seed if seed is None else seed)
        raw = np.zeros((n, self.transformer.output_dim))
        for span in self.transformer.spans:
            if span.kind == "tanh":
                raw[:, span.start] = rng.normal(size=n)
        return self.transformer.decode(raw, rng=rng, calibrate=True)
