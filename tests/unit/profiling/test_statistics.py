"""Per-column statistics against values computed by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import ColumnKind
from synthstudio_kernel.profiling import profile
from synthstudio_kernel.profiling.statistics import entropy_bits, moments


def test_moments_match_hand_computation():
    # Setup: mean 4, deviations -3 -2 -1 0 6 -> m2 = 10, m3 = 36, m4 = 278.8
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])

    # Run
    mean, std, skew, kurt = moments(x)

    # Assert
    assert mean == pytest.approx(4.0)
    assert std == pytest.approx(math.sqrt(50 / 4))
    g1 = 36 / 10**1.5
    assert skew == pytest.approx(math.sqrt(5 * 4) / 3 * g1)  # 1.69706
    assert skew == pytest.approx(1.697056, abs=1e-6)
    g2 = 278.8 / 100 - 3
    assert kurt == pytest.approx(((6 * g2) + 6) * 4 / (3 * 2))  # 3.152
    assert kurt == pytest.approx(3.152)


def test_moments_of_constant_and_tiny_inputs():
    assert moments(np.array([5.0, 5.0, 5.0, 5.0])) == (5.0, 0.0, 0.0, 0.0)
    assert moments(np.array([7.0])) == (7.0, None, None, None)
    assert moments(np.array([])) == (None, None, None, None)


def test_entropy_of_two_equal_categories_is_one_bit():
    assert entropy_bits(np.array([5, 5])) == pytest.approx(1.0)
    assert entropy_bits(np.array([4, 0])) == pytest.approx(0.0)


def test_numeric_column_statistics():
    # Setup
    frame = pd.DataFrame({"x": [1.0, 2.0, np.nan, 3.0, 4.0, 10.0], "y": [0, -1, 0, 2, 2, 2]})

    # Run
    s = profile(frame).column("x")

    # Assert
    assert (s.count, s.missing, s.unique) == (5, 1, 5)
    assert s.missing_share == pytest.approx(1 / 6)
    assert s.mean == pytest.approx(4.0)
    assert (s.min, s.max) == (1.0, 10.0)
    assert s.quantiles["q25"] == 2.0 and s.quantiles["median"] == 3.0 and s.quantiles["q75"] == 4.0
    assert s.quantiles["p05"] == pytest.approx(1.2)  # linear interpolation
    assert s.iqr == 2.0
    assert s.skew == pytest.approx(1.697056, abs=1e-6)
    assert sum(s.histogram_counts) == 5
    assert s.integer is True
    y = profile(frame).column("y")
    assert (y.zeros, y.negatives, y.unique) == (2, 1, 3)


def test_categorical_top_categories_and_other():
    # Setup: a 5, b 3, c 1, missing 1
    frame = pd.DataFrame({"c": ["a"] * 5 + ["b"] * 3 + ["c", None], "n": range(10)})

    # Run
    s = profile(frame, top_k=2).column("c")

    # Assert
    assert (s.count, s.missing, s.unique) == (9, 1, 3)
    assert s.top == (("a", 5), ("b", 3))
    assert s.other == 1
    assert s.mode_share == pytest.approx(5 / 9)
    record = s.to_dict()
    assert record["top"] == [{"value": "a", "count": 5}, {"value": "b", "count": 3}]


def test_include_values_false_drops_labels_and_extremes():
    # Setup
    frame = pd.DataFrame(
        {
            "city": ["Zurich", "Basel", "Zurich", "Bern"] * 5,
            "amount": [17.25, 3.5, 9.0, 11.0] * 5,
            "when": pd.date_range("2031-05-06", periods=20, freq="D"),
        }
    )
    p = profile(frame)

    # Run
    private = json.dumps(p.to_dict(include_values=False))
    public = json.dumps(p.to_dict())

    # Assert
    for value in ("Zurich", "Basel", "Bern", "17.25", "2031-05-06", "2031-05-25"):
        assert value not in private
        assert value in public
    record = next(c for c in p.to_dict(include_values=False)["column_stats"] if c["name"] == "city")
    assert record["top_counts"] == [10, 5, 5] and "top" not in record
    amount = next(c for c in p.to_dict(include_values=False)["column_stats"] if c["name"] == "amount")
    assert not {"min", "max", "p05", "p95"} & set(amount) and "edges" not in amount["histogram"]
    assert amount["median"] == pytest.approx(10.0)


def test_datetime_boolean_identifier_and_text_columns():
    # Setup
    n = 40
    frame = pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=n, freq="D"),
            "flag": [True, False, True, True] * (n // 4),
            "token": [f"tok{i:04d}" for i in range(n)],
            "notes": [f"the patient said something number {i} today" for i in range(n)],
        }
    )

    # Run
    p = profile(frame)

    # Assert
    assert p.kinds["flag"] is ColumnKind.BOOLEAN and p.kinds["token"] is ColumnKind.IDENTIFIER
    when = p.column("when")
    assert when.span_days == pytest.approx(n - 1) and when.min.startswith("2024-01-01")
    flag = p.column("flag")
    assert flag.top == (("True", 30), ("False", 10))
    token = p.column("token")
    assert (token.unique, token.length_min, token.length_max) == (n, 7, 7)
    notes = p.column("notes")
    assert notes.kind is ColumnKind.TEXT and notes.words_mean == pytest.approx(7.0)


def test_datetime_strings_are_parsed():
    frame = pd.DataFrame({"d": [f"2024-02-{d:02d}" for d in range(1, 29)], "x": range(28)})
    s = profile(frame).column("d")
    assert s.kind is ColumnKind.DATETIME and s.unparsed == 0 and s.span_days == pytest.approx(27)
