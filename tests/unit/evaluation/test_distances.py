"""Mixed-type distance: metric properties, brute-force agreement, leave-one-out search."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from synthstudio_kernel.evaluation import distances
from synthstudio_kernel.evaluation.distances import MixedEncoder, distance_matrix, nearest

rows = st.lists(
    st.tuples(
        st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)),
        st.floats(0, 10, allow_nan=False),
        st.sampled_from(["a", "b", "c", "<missing>"]),
    ),
    min_size=3,
    max_size=12,
)


def _encoded(data: list[tuple]) -> tuple[MixedEncoder, distances.Encoded]:
    frame = pd.DataFrame(data, columns=["x", "y", "c"]).astype({"x": "float64", "y": "float64"})
    encoder = MixedEncoder(["x", "y"], ["c"]).fit(frame)
    return encoder, encoder.transform(frame)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_distance_is_a_bounded_symmetric_metric(data: list[tuple]) -> None:
    # Setup
    _, encoded = _encoded(data)

    # Run
    matrix = distance_matrix(encoded, encoded).astype("float64")

    # Assert
    assert np.all(matrix >= 0) and np.all(matrix <= 1 + 1e-6)
    assert np.allclose(matrix, matrix.T, atol=1e-6)
    assert np.allclose(np.diag(matrix), 0.0, atol=1e-6)
    n = len(matrix)
    for k in range(n):  # triangle inequality through every intermediate row
        assert np.all(matrix <= matrix[:, [k]] + matrix[[k], :] + 1e-5)


def test_known_distances() -> None:
    # Setup: range of x is 10; one numeric and one categorical column.
    reference = pd.DataFrame({"x": [0.0, 10.0, np.nan], "c": ["a", "b", "a"]})
    encoder = MixedEncoder(["x"], ["c"]).fit(reference)
    query = encoder.transform(pd.DataFrame({"x": [5.0, np.nan, 30.0], "c": ["a", "b", "a"]}))

    # Run
    matrix = distance_matrix(query, encoder.transform(reference))

    # Assert: |5-0|/10=0.5 and same category -> 0.25; one-sided missing counts 1; out-of-range capped at 1.
    expected = [[0.25, 0.75, 0.5], [1.0, 0.5, 0.5], [0.5, 1.0, 0.5]]
    assert np.allclose(matrix, expected)


def test_nearest_agrees_with_brute_force_and_chunks(monkeypatch) -> None:
    # Setup
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=300), "c": rng.choice(list("abcde"), 300)})
    encoder = MixedEncoder(["x"], ["c"]).fit(frame)
    query, reference = encoder.transform(frame.iloc[:50]), encoder.transform(frame.iloc[50:])
    brute = np.sort(distance_matrix(query, reference), axis=1)[:, :3]
    monkeypatch.setattr(distances, "CHUNK_CELLS", 700)  # a few query rows per chunk

    # Run
    found, where = nearest(query, reference, k=3)

    # Assert
    assert np.allclose(found, brute, atol=1e-6)
    direct = distance_matrix(query, reference)
    assert np.allclose(np.take_along_axis(direct, where, axis=1), found, atol=1e-6)


def test_one_hot_and_elementwise_paths_agree(monkeypatch) -> None:
    # Setup
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.choice(list("xyz"), 80), "b": rng.choice(list("pq"), 80), "n": rng.random(80)})
    encoder = MixedEncoder(["n"], ["a", "b"]).fit(frame)
    encoded = encoder.transform(frame)
    fast = distance_matrix(encoded, encoded)

    # Run
    monkeypatch.setattr(distances, "ONE_HOT_MAX_CODES", 0)
    slow = distance_matrix(encoded, encoded)

    # Assert
    assert np.allclose(fast, slow, atol=1e-6)


def test_leave_one_out_skips_the_row_itself() -> None:
    # Setup
    frame = pd.DataFrame({"x": [0.0, 1.0, 3.0, 7.0]})
    encoder = MixedEncoder(["x"], []).fit(frame)
    encoded = encoder.transform(frame)
    own = np.arange(4)

    # Run
    found, where = nearest(encoded, encoded, k=1, exclude=own)

    # Assert: nearest other points, range 7.
    assert where[:, 0].tolist() == [1, 0, 1, 2]
    assert np.allclose(found[:, 0], np.array([1, 1, 2, 4]) / 7)
