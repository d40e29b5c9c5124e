"""Fixtures for the synthesis tests: a small real table and one fitted model per method."""

from __future__ import annotations

import pandas as pd
import pytest
from synthesis_helpers import SEED, non_dp_methods, tiny

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.synthesis import registry


@pytest.fixture(scope="session")
def insurance() -> pd.DataFrame:
    """240 rows of the bundled insurance table (numeric, categorical; smoker is yes/no)."""
    return load_sample("insurance").sample(240, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="session")
def fitted(insurance: pd.DataFrame) -> dict[str, object]:
    """One synthesizer per non-DP method, built from the registry and fitted once (seed 11)."""
    models = {}
    for method in non_dp_methods():
        models[method] = registry.create(method, seed=SEED, **tiny(method)).fit(insurance)
    return models
