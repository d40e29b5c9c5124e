"""Count queries: exact group-by counts through public encoders."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data.queries import (
    MISSING,
    BinEncoder,
    CategoryEncoder,
    CountSource,
    PandasCountSource,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": [20, 35, 35, 50, np.nan, 90],
            "sex": ["f", "m", "f", None, "f", "x"],
        }
    )


def test_bin_encoder_clips_and_puts_missing_last() -> None:
    enc = BinEncoder("age", (20.0, 40.0, 60.0))
    cells = enc.encode_values(np.array([-5.0, 20.0, 39.9, 40.0, 60.0, 1e9, np.nan]))
    assert cells.tolist() == [0, 0, 0, 1, 1, 1, 2]
    assert enc.size == 3


def test_bin_encoder_rejects_bad_edges() -> None:
    with pytest.raises(ValueError):
        BinEncoder("age", (1.0, 1.0))
    with pytest.raises(ValueError):
        BinEncoder("age", (0.0, float("inf")))


def test_category_encoder_sends_unknown_and_unlisted_missing_to_other() -> None:
    enc = CategoryEncoder("sex", ("f", "m"))
    assert enc.encode(pd.Series(["f", "m", "x", None, "f"])).tolist() == [0, 1, 2, 2, 0]
    with_missing = CategoryEncoder("sex", ("f", MISSING))
    assert with_missing.encode(pd.Series(["f", None, "m", np.nan])).tolist() == [0, 1, 2, 1]


def test_marginal_is_the_exact_contingency_table(frame: pd.DataFrame) -> None:
    source = PandasCountSource(frame)
    assert isinstance(source, CountSource)
    age = BinEncoder("age", (0.0, 40.0, 100.0))
    sex = CategoryEncoder("sex", ("f", "m"))
    table = source.marginal([age, sex])
    assert table.shape == (3, 3)
    expected = np.zeros((3, 3))
    for a, s in zip(frame["age"], frame["sex"], strict=True):
        i = 2 if np.isnan(a) else (0 if a < 40 else 1)
        j = {"f": 0, "m": 1}.get(s, 2)
        expected[i, j] += 1
    np.testing.assert_array_equal(table, expected)
    assert table.sum() == source.n_rows == 6
    np.testing.assert_array_equal(source.marginal([sex]), expected.sum(axis=0))


def test_value_counts_groups_missing(frame: pd.DataFrame) -> None:
    counts = PandasCountSource(frame).value_counts("sex")
    assert counts == {"f": 3, "m": 1, MISSING: 1, "x": 1}


def test_missing_survives_pickle() -> None:
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING
