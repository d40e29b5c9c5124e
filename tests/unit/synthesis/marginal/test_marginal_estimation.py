"""The graphical-model estimator and its sampler on known distributions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from synthstudio_kernel.synthesis.marginal.estimation import Estimator, Measurement
from synthstudio_kernel.synthesis.marginal.factor import Domain
from synthstudio_kernel.synthesis.marginal.graphical import JunctionTree, draw_rows, triangulate

N = 20_000


@pytest.fixture(scope="module")
def table() -> tuple[Domain, dict[str, np.ndarray]]:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, N)
    b = (a + rng.integers(0, 2, N)) % 4
    c = (2 * b + rng.integers(0, 3, N)) % 5
    d = rng.integers(0, 2, N)
    e = (a + c) % 3
    return Domain(tuple("abcde"), (3, 4, 5, 2, 3)), {"a": a, "b": b, "c": c, "d": d, "e": e}


def _counts(domain: Domain, data: dict[str, np.ndarray], attrs: tuple[str, ...]) -> np.ndarray:
    shape = domain.shape(attrs)
    flat = np.ravel_multi_index(tuple(data[x] for x in attrs), shape)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape).astype(float)


CLIQUES = [("a",), ("b",), ("c",), ("d",), ("e",), ("a", "b"), ("b", "c"), ("a", "c", "e")]


def test_noiseless_measurements_are_recovered(table: tuple[Domain, dict[str, np.ndarray]]) -> None:
    domain, data = table
    measurements = [Measurement(c, _counts(domain, data, c), 1.0) for c in CLIQUES]

    # Run
    model = Estimator(domain, N).fit(measurements, iters=300)

    # Assert: every measured marginal is reproduced (L1 distance under 0.1% of the rows).
    for clique in CLIQUES:
        assert np.abs(model.marginal(clique) - _counts(domain, data, clique)).sum() < 1e-3 * N
    # An unmeasured pair comes from the model's structure (variable elimination across cliques):
    # b and e only meet through a and c, and the data has exactly that structure.
    assert np.abs(model.marginal(("b", "e")) - _counts(domain, data, ("b", "e"))).sum() < 0.03 * N


def test_the_sampler_draws_rows_iid_from_the_model(table: tuple[Domain, dict[str, np.ndarray]]) -> None:
    domain, data = table
    model = Estimator(domain, N).fit([Measurement(c, _counts(domain, data, c), 1.0) for c in CLIQUES], iters=300)

    # Run
    codes = model.sample(200_000, np.random.default_rng(1))

    # Assert: sample frequencies match the model's marginals (within sampling error).
    for clique in [("a", "c", "e"), ("a", "b", "c"), ("b", "d")]:
        shape = domain.shape(clique)
        flat = np.ravel_multi_index(tuple(codes[x] for x in clique), shape)
        freq = np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape) / 200_000
        assert np.abs(freq - model.marginal(clique) / N).sum() < 0.02


def test_evidence_conditions_the_samples(table: tuple[Domain, dict[str, np.ndarray]]) -> None:
    domain, data = table
    model = Estimator(domain, N).fit([Measurement(c, _counts(domain, data, c), 1.0) for c in CLIQUES], iters=200)

    codes = model.sample(5_000, np.random.default_rng(2), evidence={"a": 2})

    assert set(np.unique(codes["a"])) == {2}
    # b given a = 2 is 2 or 3 in the data, never 0 or 1.
    assert set(np.unique(codes["b"])) <= {2, 3}


def test_noisy_measurements_are_combined_by_their_weights() -> None:
    domain = Domain(("x",), (2,))
    precise = Measurement(("x",), np.array([600.0, 400.0]), 1.0)
    vague = Measurement(("x",), np.array([400.0, 600.0]), 10.0)

    model = Estimator(domain, 1000).fit([precise, vague], iters=200)

    # The weighted least-squares answer: (600·1 + 400·0.01) / 1.01.
    assert model.marginal(("x",))[0] == pytest.approx((600 + 400 * 0.01) / 1.01, rel=1e-3)


def test_junction_tree_has_the_running_intersection_property() -> None:
    attrs = tuple("abcdefg")
    domain = Domain(attrs, (2, 3, 2, 4, 2, 3, 2))
    measured = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("e", "f"), ("f", "g"), ("a", "e")]
    tree = JunctionTree.build(domain, measured)
    # Every measured clique sits inside one tree clique, and for every attribute the cliques
    # that hold it form a connected subtree.
    assert all(tree.home(c) is not None for c in measured)
    for attr in attrs:
        holders = {i for i, c in enumerate(tree.cliques) if attr in c}
        start = next(iter(holders))
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for other in tree.neighbours[node]:
                if other in holders and other not in seen:
                    seen.add(other)
                    stack.append(other)
        assert seen == holders
    assert all(len(c) <= 3 for c in triangulate(domain, measured))


def test_draw_rows_follows_each_rows_distribution() -> None:
    cond = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.2, 0.3, 0.5]])
    rows = np.repeat(np.arange(3), 30_000)
    drawn = draw_rows(cond, rows, np.random.default_rng(3).random(len(rows)))
    for r, c in itertools.product(range(3), range(3)):
        share = np.mean(drawn[rows == r] == c)
        assert share == pytest.approx(cond[r, c], abs=0.01)
