"""Outlier rules against hand-computed bounds and counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.profiling import profile
from synthstudio_kernel.profiling.outliers import (
    column_outliers,
    iqr_fence,
    isolation_forest,
    robust_scale,
    robust_z_fence,
    wilson_interval,
)


def test_iqr_fence_by_hand():
    # Setup: Q1 = 2, Q3 = 4, IQR = 2 -> fences [-1, 7]
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])

    # Run
    fence = iqr_fence(x)

    # Assert
    assert (fence.lower, fence.upper, fence.count) == (-1.0, 7.0, 1)
    assert fence.share == pytest.approx(0.2)
    assert iqr_fence(x, k=3.0).count == 0  # fences [-4, 10]: 10 is inside


def test_robust_z_uses_mad():
    # Setup: median 3, |x - 3| = 2 1 0 1 7 -> MAD 1 -> scale 1.4826
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])

    # Run
    fence, center, scale, kind = robust_z_fence(x)

    # Assert
    assert (center, kind) == (3.0, "mad")
    assert scale == pytest.approx(1.4826)
    assert fence.lower == pytest.approx(3 - 3.5 * 1.4826)
    assert fence.upper == pytest.approx(3 + 3.5 * 1.4826)  # 8.189
    assert fence.count == 1


def test_robust_z_falls_back_to_mean_absolute_deviation_when_mad_is_zero():
    # Setup: median 0, MAD 0; mean |x| = 30 / 8 = 3.75 -> scale 1.2533 * 3.75 = 4.70; bounds ±16.45
    x = np.array([0.0] * 6 + [10.0, 20.0])

    # Run
    fence, _center, scale, kind = robust_z_fence(x)

    # Assert
    assert kind == "meanad"
    assert scale == pytest.approx(np.sqrt(np.pi / 2) * 3.75)
    assert fence.upper == pytest.approx(3.5 * np.sqrt(np.pi / 2) * 3.75)
    assert fence.count == 1  # 20 is out, 10 is in


def test_constant_column_has_no_outliers():
    median, scale, kind = robust_scale(np.full(10, 4.0))
    result = column_outliers("c", np.full(10, 4.0))
    assert (median, scale, kind) == (4.0, 0.0, "none")
    assert result is not None and result.robust_z.count == 0 and result.iqr.count == 0


def test_missing_values_are_ignored():
    result = column_outliers("x", np.array([1.0, np.nan, 2.0, 3.0, 4.0, 10.0, np.nan]))
    assert result is not None
    assert result.count == 5 and result.iqr.count == 1 and result.robust_z.count == 1


def test_profile_reports_bounds_per_numeric_column():
    # Setup
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 10.0] * 4, "label": list("abcde") * 4})

    # Run
    p = profile(frame)

    # Assert
    assert list(p.outliers) == ["x"]
    record = p.outliers["x"].to_dict()
    assert record["iqr"]["lower"] == -1.0 and record["iqr"]["upper"] == 7.0 and record["iqr"]["count"] == 4
    assert record["robust_z"]["count"] == 4 and record["robust_z"]["scale_kind"] == "mad"


def test_wilson_interval_by_hand():
    lo, hi = wilson_interval(0, 100)
    assert lo == 0.0 and hi == pytest.approx(0.036996, abs=1e-5)
    lo, hi = wilson_interval(50, 100)
    assert lo == pytest.approx(0.40383, abs=1e-4) and hi == pytest.approx(0.59617, abs=1e-4)


def test_isolation_forest_finds_planted_outliers():
    # Setup: 2,000 standard-normal rows and 20 rows far away on column "b"
    rng = np.random.default_rng(1)
    a = np.concatenate([rng.normal(size=2000), rng.normal(size=20)])
    b = np.concatenate([rng.normal(size=2000), rng.normal(12, 0.5, size=20)])
    c = rng.normal(size=2020)

    # Run
    result = isolation_forest({"a": a, "b": b, "c": c}, seed=0)

    # Assert
    assert result.skipped is None and result.sample_size == 2020
    assert 20 <= result.count <= 60
    assert result.share == pytest.approx(result.count / 2020)
    assert result.share_ci95[0] < result.share < result.share_ci95[1]
    assert result.drivers[0] == "b"
    again = isolation_forest({"a": a, "b": b, "c": c}, seed=0)
    assert again.count == result.count  # seeded


def test_isolation_forest_needs_two_varying_columns_and_enough_rows():
    rng = np.random.default_rng(0)
    one = isolation_forest({"a": rng.normal(size=500), "k": np.ones(500)})
    assert one.skipped and "2 non-constant numeric columns" in one.skipped and one.count == 0
    few = isolation_forest({"a": rng.normal(size=10), "b": rng.normal(size=10)})
    assert few.skipped and "rows" in few.skipped


def test_isolation_forest_samples_large_frames():
    # Setup
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000)})

    # Run
    p = profile(frame, outlier_sample=500)

    # Assert
    assert p.multivariate.sample_size == 500
    assert p.sample_sizes["isolation_forest"] == 500
    assert p.sample_sizes["univariate_outliers"] == 3000
