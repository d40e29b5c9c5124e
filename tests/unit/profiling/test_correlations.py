"""Pearson, Spearman, Cramér's V and η against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import as_dataset
from synthstudio_kernel.profiling import correlation_ratio, cramers_v, profile
from synthstudio_kernel.profiling.correlations import compute_correlations, contingency, cramers_v_from_table
from synthstudio_kernel.profiling.encoding import category_codes, encode


def test_pearson_and_spearman_on_five_points():
    # Setup: dx = -2 -1 0 1 2, dy = -2 0 1 0 1 -> r = 6 / sqrt(10 * 6)
    # ranks of y: 1 2.5 4.5 2.5 4.5 -> rho = 7 / sqrt(10 * 9)
    frame = pd.DataFrame({"x": [1.0, 2, 3, 4, 5], "y": [2.0, 4, 5, 4, 5]})

    # Run
    c = profile(frame).correlations

    # Assert
    assert c.pearson.at["x", "y"] == pytest.approx(6 / math.sqrt(60))  # 0.774597
    assert c.spearman.at["x", "y"] == pytest.approx(7 / math.sqrt(90))  # 0.737865
    assert c.sample_size == 5


def test_cramers_v_on_a_2x2_table_by_hand():
    # Setup: [[30, 10], [10, 30]]: n = 80, every expected count 20 -> chi2 = 4 * 100 / 20 = 20, phi2 = 0.25
    table = np.array([[30, 10], [10, 30]])

    # Run
    classic = cramers_v_from_table(table, bias_correction=False)
    corrected = cramers_v_from_table(table)

    # Assert
    assert classic == pytest.approx(0.5)
    # Bergsma: phi2c = 0.25 - 1/79, r~ = k~ = 2 - 1/79 -> V = sqrt(phi2c / (1 - 1/79))
    assert corrected == pytest.approx(math.sqrt((0.25 - 1 / 79) / (1 - 1 / 79)))  # 0.490291


def test_cramers_v_weak_table_and_bias_correction_to_zero():
    # Setup: [[10, 20], [30, 40]]: chi2 = 4/12 + 4/18 + 4/28 + 4/42 = 0.793651, n = 100
    table = np.array([[10, 20], [30, 40]])
    chi2 = 4 / 12 + 4 / 18 + 4 / 28 + 4 / 42

    # Run / Assert
    assert cramers_v_from_table(table, bias_correction=False) == pytest.approx(math.sqrt(chi2 / 100))  # 0.0891
    assert cramers_v_from_table(table) == 0.0  # phi2 < 1/99: corrected to zero


def test_cramers_v_from_series_drops_missing_rows():
    # Setup: the table [[30, 10], [10, 30]] plus rows with a missing value
    x = pd.Series(["a"] * 40 + ["b"] * 40 + [None, "a"])
    y = pd.Series(["u"] * 30 + ["v"] * 10 + ["u"] * 10 + ["v"] * 30 + ["u", None])

    # Run / Assert
    assert cramers_v(x, y, bias_correction=False) == pytest.approx(0.5)
    assert cramers_v(x, x) == pytest.approx(1.0)


def test_contingency_matches_crosstab():
    # Setup
    rng = np.random.default_rng(0)
    a = pd.Series(rng.choice(list("abcd"), size=500))
    b = pd.Series(rng.choice(list("xyz"), size=500))
    codes_a, codes_b = category_codes(a), category_codes(b)

    # Run
    table = contingency(codes_a, codes_b)

    # Assert
    expected = pd.crosstab(a, b).loc[list(codes_a.labels), list(codes_b.labels)].to_numpy()
    np.testing.assert_array_equal(table, expected)


def test_correlation_ratio_on_a_tiny_frame():
    # Setup: groups a (1, 2) and b (4, 5, 6); mean 3.6
    # SS_between = 2 * 2.1^2 + 3 * 1.4^2 = 14.7; SS_total = 17.2
    categories = pd.Series(["a", "a", "b", "b", "b"])
    values = pd.Series([1.0, 2, 4, 5, 6])

    # Run / Assert
    assert correlation_ratio(categories, values) == pytest.approx(math.sqrt(14.7 / 17.2))  # 0.924473
    assert correlation_ratio(pd.Series(["a", "b", "a", "b"]), pd.Series([1.0, 1.0, 1.0, 1.0])) is None


def test_eta_of_a_binary_category_equals_absolute_point_biserial_r():
    rng = np.random.default_rng(3)
    group = rng.integers(0, 2, size=300)
    value = group * 0.8 + rng.normal(size=300)
    eta = correlation_ratio(pd.Series(np.where(group == 1, "yes", "no")), pd.Series(value))
    assert eta == pytest.approx(abs(np.corrcoef(group, value)[0, 1]))


def test_profile_matrices_cover_each_pair_type_and_state_exclusions():
    # Setup
    n = 60
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "row_id": np.arange(n),
            "x": rng.normal(size=n),
            "color": rng.choice(["red", "green"], size=n),
            "size": rng.choice(["S", "M", "L"], size=n),
            "when": pd.date_range("2024-01-01", periods=n),
            "same": ["k"] * n,
        }
    )
    frame["y"] = frame["x"] * 2 + 1

    # Run
    c = profile(frame).correlations

    # Assert
    assert c.numeric_columns == ["x", "y"] and c.categorical_columns == ["color", "size"]
    assert c.pearson.at["x", "y"] == pytest.approx(1.0)
    assert list(c.eta.index) == ["color", "size"] and list(c.eta.columns) == ["x", "y"]
    assert set(c.excluded) == {"row_id", "when", "same"}
    assert "identifier" in c.excluded["row_id"] and "constant" in c.excluded["same"]
    assoc = c.associations()
    assert assoc.at["color", "x"] == pytest.approx(c.eta.at["color", "x"])
    assert assoc.at["x", "size"] == pytest.approx(c.eta.at["size", "x"])
    assert c.pairs()[0]["strength"] == pytest.approx(1.0)
    assert c.to_dict()["methods"]["categorical"].startswith("Cramér's V, bias-corrected")


def test_pairwise_complete_rows_with_missing_values():
    frame = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, np.nan], "y": [2.0, 4, 5, 4, 5, 100.0]})
    assert profile(frame).correlations.pearson.at["x", "y"] == pytest.approx(6 / math.sqrt(60))


def test_large_frames_use_a_stated_sample():
    # Setup
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    frame = pd.DataFrame({"x": x, "y": x + rng.normal(scale=0.1, size=2000), "c": rng.choice(list("ab"), 2000)})

    # Run
    p = profile(frame, correlation_sample=300)

    # Assert
    assert p.correlations.sample_size == 300 and p.sample_sizes["correlations"] == 300
    assert p.correlations.pearson.at["x", "y"] == pytest.approx(np.corrcoef(x, frame["y"])[0, 1], abs=0.02)
    assert profile(frame, correlation_sample=300).correlations.pearson.equals(p.correlations.pearson)  # seeded


def test_too_many_categories_are_excluded():
    frame = pd.DataFrame({"code": [f"k{i % 30}" for i in range(300)], "c": list("ab") * 150})
    c = profile(frame).correlations
    assert c.categorical_columns == ["code", "c"]
    dataset = as_dataset(frame)
    limited = compute_correlations(encode(dataset), dict(dataset.kinds), max_levels=10)
    assert "more than 10 categories" in limited.excluded["code"]


def test_near_unique_categories_are_not_correlated():
    # Setup: every category has one row: eta would be 1 by construction
    frame = pd.DataFrame({"label": [f"l{i}" for i in range(10)], "x": np.arange(10.0) ** 2, "y": np.arange(10.0)})

    # Run
    c = profile(frame, kinds={"label": "categorical"}).correlations

    # Assert
    assert "fewer than 2 rows per category" in c.excluded["label"]
    assert c.categorical_columns == []


def test_sampling_error_is_stated_only_when_sampled():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=1000), "y": rng.normal(size=1000)})
    sampled = profile(frame, correlation_sample=403)
    assert sampled.sampling_errors["correlations"] == pytest.approx(math.tanh(1.96 / 20))  # ±0.098
    assert "uniform sample of 403 of 1,000 rows" in sampled.to_html()
    assert "correlations" not in profile(frame).sampling_errors
