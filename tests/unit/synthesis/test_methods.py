"""Every registered non-DP method, three ways: from the registry, from its class, after save/load."""

from __future__ import annotations

import pandas as pd
import pytest
from synthesis_helpers import SEED, non_dp_methods, tiny

from synthstudio_kernel.data import ColumnKind
from synthstudio_kernel.synthesis import Synthesizer, TrainedModel, load_model, registry
from synthstudio_kernel.synthesis.run import RunRecord

METHODS = non_dp_methods()


def _check_sample(frame: pd.DataFrame, real: pd.DataFrame, n: int) -> None:
    assert list(frame.columns) == list(real.columns)
    assert len(frame) == n
    for column in ("sex", "smoker", "region"):
        assert set(frame[column].dropna()) <= set(real[column]), column
    for column in ("age", "bmi", "charges"):
        assert pd.api.types.is_numeric_dtype(frame[column]), column
        assert frame[column].between(real[column].min(), real[column].max()).all(), column


def test_the_three_sdv_methods_are_registered():
    # Run
    methods = set(METHODS)

    # Assert
    assert {"gaussian-copula", "ctgan", "tvae"} <= methods
    for name in methods:
        assert registry.get(name).name == name
        assert not registry.get(name).supports_dp


@pytest.mark.parametrize("method", METHODS)
def test_built_from_the_registry(method, fitted, insurance):
    # Setup
    synthesizer = fitted[method]

    # Run
    frame = synthesizer.sample(60)

    # Assert
    assert isinstance(synthesizer, registry.get(method))
    assert synthesizer.fitted and synthesizer.dataset_info["rows"] == len(insurance)
    _check_sample(frame, insurance, 60)


@pytest.mark.parametrize("method", METHODS)
def test_built_from_its_class(method, insurance):
    # Setup
    cls = registry.get(method)

    # Run
    synthesizer = cls(seed=SEED, **tiny(method)).fit(insurance)
    frame = synthesizer.sample(40)

    # Assert
    assert isinstance(synthesizer, Synthesizer) and synthesizer.name == method
    _check_sample(frame, insurance, 40)


@pytest.mark.parametrize("method", METHODS)
def test_after_save_and_load(method, fitted, insurance, tmp_path):
    # Setup
    synthesizer = fitted[method]
    run = RunRecord.start(dataset_fingerprint="f" * 64, method=method, params=synthesizer.params, seed=SEED)
    model = TrainedModel(synthesizer, run)
    expected = model.sample(50, seed=5)

    # Run
    path = model.save(tmp_path / f"{method}.synth")
    loaded = load_model(path)
    again = loaded.sample(50, seed=5)

    # Assert
    assert isinstance(loaded.synthesizer, registry.get(method))
    assert loaded.run.id == run.id and loaded.run.params == run.params
    pd.testing.assert_frame_equal(again, expected)
    assert again.attrs["synthstudio_run_id"] == run.id
    _check_sample(again, insurance, 50)


@pytest.mark.parametrize("method", METHODS)
def test_declared_capabilities(method):
    # Setup
    cls = registry.get(method)

    # Assert
    assert cls.supports_conditions
    assert "cpu" in cls.devices
    assert ("cuda" in cls.devices) == (method in ("ctgan", "tvae"))
    assert (cls.heldout_loss is not None) == (method == "tvae")


@pytest.mark.parametrize("method", METHODS)
def test_conditional_sampling_on_a_category(method, fitted):
    # Setup
    synthesizer = fitted[method]

    # Run
    frame = synthesizer.sample(40, conditions={"smoker": "yes"}, seed=3)

    # Assert
    assert len(frame) == 40
    assert (frame["smoker"] == "yes").all()


@pytest.mark.parametrize("method", METHODS)
def test_condition_on_two_columns(method, fitted):
    # Run
    frame = fitted[method].sample(20, conditions={"smoker": "no", "sex": "female"}, seed=4)

    # Assert
    assert len(frame) == 20
    assert (frame["smoker"] == "no").all() and (frame["sex"] == "female").all()


def test_known_categories_list_what_conditions_accept(fitted, insurance):
    # Run
    categories = {method: set(model.known_categories("region")) for method, model in fitted.items()}

    # Assert
    for method, values in categories.items():
        assert values == set(insurance["region"]), method


def test_dataset_info_names_columns_and_kinds_only(fitted, insurance):
    # Run
    info = fitted["gaussian-copula"].dataset_info

    # Assert
    assert info["columns"] == list(insurance.columns)
    assert info["kinds"]["smoker"] == ColumnKind.CATEGORICAL.value
    assert set(info) == {"rows", "columns", "kinds", "dtypes"}  # no fingerprint: see release.py
