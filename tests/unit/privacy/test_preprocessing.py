"""DP preprocessing: what is released, at what noise, and what declared metadata changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import as_dataset
from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.privacy.accounting import RDPAccountant
from synthstudio_kernel.privacy.preprocessing import (
    DEFAULT_PREPROCESSING_SHARE,
    MISSING,
    OTHER,
    plan_preprocessing,
    run_preprocessing,
)
from synthstudio_kernel.privacy.randomness import ReproducibleNoise


def _table(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    colour = rng.choice(["red", "green", "blue"], size=n, p=[0.5, 0.3, 0.2]).astype(object)
    colour[:3] = "mauve"  # a rare category: 3 rows
    gain = np.where(rng.random(n) < 0.8, 0, rng.integers(100, 5000, size=n))
    return pd.DataFrame(
        {
            "age": rng.integers(18, 80, size=n),
            "income": rng.lognormal(10, 0.5, size=n),
            "gain": gain,
            "colour": colour,
            "flag": rng.random(n) < 0.3,
        }
    )


def test_plan_counts_releases_and_prices_them_at_the_declared_share() -> None:
    # Setup
    data = as_dataset(_table())

    # Run
    plan = plan_preprocessing(data, target_epsilon=3.0, delta=1e-5)
    declared = plan_preprocessing(
        data, target_epsilon=3.0, delta=1e-5, public_bounds={"age": (18, 80)}, categories={"colour": ["red", "blue"]}
    )

    # Assert: 3 numeric columns x (bounds, spikes, histogram) + 2 categorical = 11; declared ones save releases
    assert plan.releases == 11
    assert declared.releases == 10
    assert declared.n_thresholded == plan.n_thresholded - 1
    assert plan.epsilon(delta=1e-5) == pytest.approx(DEFAULT_PREPROCESSING_SHARE * 3.0, rel=5e-3)
    assert plan.epsilon(delta=1e-5) <= DEFAULT_PREPROCESSING_SHARE * 3.0
    assert plan.to_dict()["public"]["boolean_columns"] == ["flag"]
    assert declared.public_metadata()["bounds"] == {"age": [18.0, 80.0]}


def test_rare_categories_fold_into_other_and_frequent_ones_survive() -> None:
    # Setup
    data = as_dataset(_table())
    plan = plan_preprocessing(data, target_epsilon=1.0, delta=1e-5)

    # Run (blue's 797 rows clear the threshold by about 1.8 σ: a fixed noise draw keeps the test exact)
    meta = run_preprocessing(data, plan, noise=ReproducibleNoise(0))

    # Assert
    colour = meta.categorical["colour"]
    assert set(colour.categories) == {"red", "green", "blue"}
    assert "mauve" not in colour.categories and colour.has_other
    assert len(colour.counts) == len(colour.categories) + 1  # kept categories + "other"
    assert plan.threshold > 3  # the rare category could not pass by itself


def test_declared_categories_are_kept_even_when_rare() -> None:
    # Setup
    data = as_dataset(_table())
    plan = plan_preprocessing(
        data, target_epsilon=1.0, delta=1e-5, categories={"colour": ["red", "green", "blue", "mauve"]}
    )

    # Run
    meta = run_preprocessing(data, plan, noise=ReproducibleNoise(1))

    # Assert
    stats = meta.categorical["colour"]
    assert stats.source == "public"
    assert stats.categories[:4] == ["red", "green", "blue", "mauve"]


def test_numeric_bounds_spikes_and_quantiles() -> None:
    # Setup
    frame = _table(20000)
    data = as_dataset(frame)
    plan = plan_preprocessing(data, target_epsilon=3.0, delta=1e-5, public_bounds={"age": (18, 80)})

    # Run
    meta = run_preprocessing(data, plan, noise=ReproducibleNoise(2))

    # Assert: the zero spike of "gain" is found; DP bounds cover the bulk of "income"
    gain, income, age = meta.numeric["gain"], meta.numeric["income"], meta.numeric["age"]
    assert 0.0 in gain.spikes and gain.integer
    assert age.bounds == (18.0, 80.0) and age.bounds_source == "public"
    low, high = income.bounds
    inside = frame["income"].between(low, high).mean()
    assert income.bounds_source == "dp" and inside > 0.99
    median = income.quantiles([0.5])[0]
    assert median == pytest.approx(frame["income"].median(), rel=0.1)


def test_noise_has_the_planned_scale() -> None:
    # Setup: declared categories, so every count is released (no threshold)
    frame = pd.DataFrame({"c": ["a"] * 500 + ["b"] * 500})
    data = as_dataset(frame)
    plan = plan_preprocessing(data, target_epsilon=1.0, delta=1e-5, categories={"c": ["a", "b"]})

    # Run: many independent releases of the count of "a"
    counts = [
        run_preprocessing(data, plan, noise=ReproducibleNoise(seed)).categorical["c"].counts[0] for seed in range(300)
    ]

    # Assert
    assert np.mean(counts) == pytest.approx(500, abs=4 * plan.noise_multiplier / np.sqrt(300))
    assert np.std(counts) == pytest.approx(plan.noise_multiplier, rel=0.2)


def test_missing_values_are_a_value_like_any_other() -> None:
    # Setup
    frame = pd.DataFrame({"x": [np.nan] * 3000 + list(range(3000)), "c": [None] * 3000 + ["k"] * 3000})
    data = as_dataset(frame)
    plan = plan_preprocessing(data, target_epsilon=5.0, delta=1e-6)

    # Run
    meta = run_preprocessing(data, plan, noise=ReproducibleNoise(0))

    # Assert
    assert MISSING in meta.numeric["x"].spikes
    assert MISSING in meta.categorical["c"].categories
    assert OTHER == "other"


def test_mechanisms_compose_in_the_accountant() -> None:
    # Setup
    plan = plan_preprocessing(as_dataset(_table()), target_epsilon=2.0, delta=1e-5)

    # Run
    mechanisms = plan.mechanisms()

    # Assert: one Gaussian entry per plan, with the thresholded releases' slack
    assert len(mechanisms) == 1 and mechanisms[0].steps == plan.releases
    assert mechanisms[0].selection_delta == pytest.approx(plan.selection_delta) and plan.selection_delta > 0
    assert RDPAccountant.of(mechanisms).epsilon(delta=1e-5) == pytest.approx(plan.epsilon(delta=1e-5))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"public_bounds": {"nope": (0, 1)}}, "unknown column"),
        ({"public_bounds": {"colour": (0, 1)}}, "not numeric"),
        ({"public_bounds": {"age": (5, 1)}}, "low < high"),
        ({"categories": {"colour": []}}, "empty"),
        ({"categories": {"colour": "red"}}, "list of values"),
        ({"public_bounds": {"age": (0, 1)}, "categories": {"age": [1]}}, "not both"),
        ({"share": 0.0}, "preprocessing_share"),
    ],
)
def test_bad_public_metadata_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_preprocessing(as_dataset(_table(200)), target_epsilon=1.0, delta=1e-5, **kwargs)


def test_dp_bounds_ignore_noise_far_from_the_data_and_keep_a_thin_edge_next_to_it() -> None:
    """Every power-of-two bin at a fixed 4 σ gave about one undeclared column in 200 a bound such
    as -2^40 (146 bins tested). Far from the data a bin must now clear the Bonferroni share of
    BOUNDS_FALSE_RATE; next to the data, 4 σ still joins it."""
    from scripted_noise import ScriptedNoise

    from synthstudio_kernel.privacy import preprocessing

    edges = list(preprocessing._pow2_edges())
    values = np.r_[np.full(400, 3000.0), np.full(400, 6000.0)]  # the bins [2^11, 2^12) and [2^12, 2^13)
    far, above = edges.index(-(2.0**40)), edges.index(2.0**13)
    z = preprocessing.bounds_sigmas(len(edges) - 1)
    assert z > 5.0 > preprocessing.BOUNDS_SIGMAS

    assert preprocessing._dp_bounds(values, 10.0, ScriptedNoise({far: 4.8})) == (2048.0, 8192.0)
    assert preprocessing._dp_bounds(values, 10.0, ScriptedNoise({above: 4.2})) == (2048.0, 16384.0)
    assert preprocessing._dp_bounds(values, 10.0, ScriptedNoise({far: z + 0.1}))[0] == -(2.0**40)
