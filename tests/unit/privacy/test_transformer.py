"""The DP-safe transformer: layout, round trips and marginal calibration (pure post-processing)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import as_dataset
from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.privacy.preprocessing import plan_preprocessing, run_preprocessing
from synthstudio_kernel.privacy.randomness import ReproducibleNoise
from synthstudio_kernel.synthesis.dp.transformer import DPTransformer, calibrated_probabilities


def _frame(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "hours": np.where(rng.random(n) < 0.5, 40, rng.integers(1, 99, size=n)),
            "amount": rng.gamma(2.0, 100.0, size=n),
            "smoker": rng.choice(["yes", "no"], size=n, p=[0.2, 0.8]),
        }
    )


def _transformer(frame: pd.DataFrame, epsilon: float = 50.0) -> DPTransformer:
    data = as_dataset(frame)
    plan = plan_preprocessing(data, target_epsilon=epsilon, delta=1e-6, categories={"smoker": ["yes", "no"]})
    return DPTransformer(run_preprocessing(data, plan, noise=ReproducibleNoise(0)))


def test_layout_and_encoding_are_consistent() -> None:
    # Setup
    frame = _frame()
    transformer = _transformer(frame)

    # Run
    encoded = transformer.encode(frame)

    # Assert: every softmax span is one-hot; every scalar lies in [-1, 1]
    assert encoded.shape == (len(frame), transformer.output_dim)
    for span in transformer.spans:
        block = encoded[:, span.start : span.end]
        if span.kind == "softmax":
            assert np.allclose(block.sum(axis=1), 1.0)
        else:
            assert block.min() >= -1.0 and block.max() <= 1.0
    assert [s.column for s in transformer.categorical_spans] == ["smoker"]
    assert transformer.to_dict()["identifiers"] == ["id"]


def test_decoding_one_hot_rows_gives_back_the_rows() -> None:
    # Setup: a large epsilon, so the released metadata is nearly exact
    frame = _frame()
    transformer = _transformer(frame, epsilon=200.0)
    encoded = transformer.encode(frame)
    logits = np.where(encoded > 0.5, 50.0, -50.0)  # near-certain softmax choices
    for span in transformer.spans:
        if span.kind == "tanh":
            logits[:, span.start] = np.arctanh(np.clip(encoded[:, span.start], -0.999999, 0.999999))

    # Run
    decoded = transformer.decode(logits, rng=np.random.default_rng(0), calibrate=False)

    # Assert
    assert list(decoded.columns) == list(frame.columns)
    assert (decoded["smoker"] == frame["smoker"]).all()
    assert (decoded["hours"] == 40).mean() == pytest.approx((frame["hours"] == 40).mean(), abs=0.01)
    inner = frame["amount"].between(*np.quantile(frame["amount"], [0.05, 0.95]))
    assert np.allclose(decoded["amount"][inner], frame["amount"][inner], rtol=0.1)
    assert decoded["hours"].dtype == frame["hours"].dtype
    assert decoded["id"].is_unique and not decoded["id"].isin(frame["id"]).all()  # fresh keys


def test_calibration_matches_released_frequencies() -> None:
    # Setup: logits that strongly prefer the first category
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(5000, 3)) + np.array([3.0, 0.0, 0.0])
    target = np.array([0.2, 0.3, 0.5])

    # Run
    probs = calibrated_probabilities(logits, target)

    # Assert: the batch matches the target while rows keep their order of preference
    assert probs.mean(axis=0) == pytest.approx(target, abs=2e-3)
    # a per-category shift keeps every row's odds order: log(p0/p1) - (l0 - l1) is one constant
    shift = np.log(probs[:, 0] / probs[:, 1]) - (logits[:, 0] - logits[:, 1])
    assert np.ptp(shift) < 1e-8


def test_calibrated_decode_reproduces_the_marginals() -> None:
    # Setup
    frame = _frame(6000)
    transformer = _transformer(frame)
    rng = np.random.default_rng(3)
    raw = rng.normal(size=(6000, transformer.output_dim))

    # Run
    decoded = transformer.decode(raw, rng=rng, calibrate=True)

    # Assert: frequencies and quantiles come from the released statistics
    assert (decoded["smoker"] == "yes").mean() == pytest.approx((frame["smoker"] == "yes").mean(), abs=0.03)
    assert decoded["amount"].median() == pytest.approx(frame["amount"].median(), rel=0.1)


def test_conditions_on_unknown_values_are_refused() -> None:
    # Setup
    transformer = _transformer(_frame())

    # Run / Assert
    span, code = transformer.category_code("smoker", "yes")
    assert transformer.category_value("smoker", code) == "yes" and span.categorical
    with pytest.raises(ConfigError, match="does not know"):
        transformer.category_code("smoker", "sometimes")
    with pytest.raises(ConfigError, match="categorical column"):
        transformer.category_code("amount", 3)


def test_a_column_of_point_masses_only_encodes_and_decodes() -> None:
    # Setup: two values and a few stray ones; nothing continuous survives the noise
    values = np.array([0] * 3000 + [1] * 3000 + [7, 9])
    frame = pd.DataFrame({"x": values})
    data = as_dataset(frame)
    meta = run_preprocessing(data, plan_preprocessing(data, target_epsilon=2.0, delta=1e-6), noise=ReproducibleNoise(0))
    transformer = DPTransformer(meta)

    # Run
    encoded = transformer.encode(frame)
    decoded = transformer.decode(np.zeros((500, transformer.output_dim)), rng=np.random.default_rng(1))

    # Assert: stray values join the nearest point mass
    assert encoded.shape[0] == len(frame) and np.allclose(encoded.sum(axis=1), 1.0)
    assert set(decoded["x"]) <= {0, 1}
