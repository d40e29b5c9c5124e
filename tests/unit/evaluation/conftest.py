"""Shared fixtures: a small stratified split of adult and three reference "synthetic" tables.

- ``copy``: the training rows themselves (must score top fidelity and fail privacy);
- ``holdout``: fresh real rows (realistic, but not the training records: in between);
- ``noise``: independent uniform noise per column (private, useless).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.evaluation import SampleLimits, Scorecard, evaluate

#: Small bounds so that every evaluation in the tests takes a few seconds.
SMALL = SampleLimits(
    fidelity_rows=2_000,
    utility_train_rows=2_000,
    utility_test_rows=1_000,
    dcr_query_rows=500,
    reference_rows=2_000,
    mia_rows=300,
    mia_classifier_rows=1_000,
    anonymeter_rows=1_500,
    anonymeter_control_rows=500,
    anonymeter_attacks=150,
    plot_rows=1_000,
)


def uniform_noise(real: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """Each column drawn independently and uniformly over the real range / categories."""
    rng = np.random.default_rng(seed)
    out = {}
    for column in real.columns:
        values = real[column]
        if pd.api.types.is_numeric_dtype(values):
            out[column] = rng.uniform(values.min(), values.max(), n)
        else:
            out[column] = rng.choice(values.dropna().unique(), n)
    return pd.DataFrame(out)


@pytest.fixture(scope="session")
def small() -> SampleLimits:
    return SMALL


@pytest.fixture(scope="session")
def adult_split() -> dict[str, pd.DataFrame]:
    """1,500 training rows, 600 rows posing as synthetic and 600 holdout rows, disjoint."""
    from sklearn.model_selection import train_test_split

    adult = load_sample("adult")
    rest, train = train_test_split(adult, test_size=1_500, stratify=adult["income"], random_state=1)
    rest, fresh = train_test_split(rest, test_size=600, stratify=rest["income"], random_state=2)
    _, holdout = train_test_split(rest, test_size=600, stratify=rest["income"], random_state=3)
    return {
        "train": train.reset_index(drop=True),
        "fresh": fresh.reset_index(drop=True),
        "holdout": holdout.reset_index(drop=True),
    }


@pytest.fixture(scope="session")
def cards(adult_split: dict[str, pd.DataFrame]) -> dict[str, Scorecard]:
    """Scorecards of the three reference tables (computed once per session)."""
    train, holdout = adult_split["train"], adult_split["holdout"]
    synthetic = {
        "copy": train.copy(),
        "holdout": adult_split["fresh"],
        "noise": uniform_noise(train, len(train)),
    }
    return {name: evaluate(train, frame, holdout=holdout, limits=SMALL) for name, frame in synthetic.items()}


@pytest.fixture(scope="session")
def no_holdout_card(adult_split: dict[str, pd.DataFrame]) -> Scorecard:
    return evaluate(adult_split["train"], adult_split["fresh"], limits=SMALL)
