"""Bad configurations: each gives one readable line naming what to fix, before any training."""

from __future__ import annotations

import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.errors import ConfigError, DataError, SynthStudioError
from synthstudio_kernel.synthesis import registry
from synthstudio_kernel.synthesis.params import SCHEMAS

BAD = [
    ("ctgan", {"epochs": -3}, "'epochs' (ctgan) must be an integer >= 1"),
    ("tvae", {"epochs": 0}, "'epochs' (tvae) must be an integer >= 1"),
    ("tvae", {"epochs": "ten"}, "'epochs' (tvae) must be an integer"),
    ("tvae", {"epochs": True}, "'epochs' (tvae) must be an integer"),
    ("tvae", {"epochs": 2.5}, "'epochs' (tvae) must be an integer"),
    ("tvae", {"batch_size": 0}, "'batch_size' (tvae) must be an integer >= 1"),
    ("ctgan", {"batch_size": 55}, "must be even and a multiple of 'pac'"),
    ("ctgan", {"batch_size": 30, "pac": 4}, "must be even and a multiple of 'pac' (4)"),
    ("ctgan", {"generator_lr": 0}, "'generator_lr' (ctgan) must be a number > 0"),
    ("ctgan", {"generator_lr": float("nan")}, "must be a finite number"),
    ("ctgan", {"generator_dim": [256, -1]}, "non-empty list of positive layer sizes"),
    ("tvae", {"compress_dims": "big"}, "non-empty list of positive layer sizes"),
    ("tvae", {"validation_split": 0.7}, "'validation_split' (tvae) must be a number >= 0 and < 0.5"),
    ("tvae", {"enforce_rounding": "yes"}, "must be true or false"),
    ("gaussian-copula", {"default_distribution": "gaussian_kde"}, "must be one of beta, norm"),
    ("gaussian-copula", {"numerical_distributions": {"age": "kde"}}, "column 'age' must use one of"),
    ("gaussian-copula", {"epochs": 10}, "Unknown parameter 'epochs' for method 'gaussian-copula'"),
    ("tvae", {"epoch": 10}, "did you mean 'epochs'?"),
]


@pytest.mark.parametrize(("method", "params", "message"), BAD)
def test_bad_parameters_are_one_readable_line(method, params, message):
    # Run
    with pytest.raises(ConfigError) as info:
        registry.create(method, **params)

    # Assert
    text = str(info.value)
    assert message in text
    assert "\n" not in text and len(text) < 400


def test_defaults_are_completed_and_types_normalised():
    # Run
    params = registry.create("ctgan", epochs=5.0, generator_dim=[32, 32]).params

    # Assert
    assert params["epochs"] == 5 and isinstance(params["epochs"], int)
    assert params["generator_dim"] == (32, 32)
    assert params["batch_size"] == 500 and params["pac"] == 10
    assert list(params) == SCHEMAS["ctgan"].names()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"method": "nope"}, ConfigError, "Unknown method 'nope'; choose one of:"),
        ({"method": "tvae", "epsilon": 1.0}, ConfigError, "no formal privacy guarantee"),
        ({"method": "tvae", "delta": 1e-5}, ConfigError, "for differential privacy"),
        ({"method": "ctgan", "early_stopping": 5}, ConfigError, "reports no held-out loss"),
        ({"method": "tvae", "early_stopping": "soon"}, ConfigError, "early_stopping must be true"),
        ({"method": "tvae", "early_stopping": {"patience": 0}}, ConfigError, "patience must be a positive integer"),
        ({"method": "tvae", "seed": -1}, ConfigError, "seed must be at least 0"),
        ({"method": "tvae", "seed": "abc"}, ConfigError, "seed must be a whole number"),
        ({"method": "gaussian-copula", "device": "cuda"}, ConfigError, "runs on the CPU only"),
        ({"method": "tvae", "device": "tpu"}, ConfigError, "Unknown device 'tpu'"),
    ],
)
def test_bad_train_requests_fail_before_training(insurance, kwargs, error, message):
    # Run
    with pytest.raises(error) as info:
        ss.train(insurance, **kwargs)

    # Assert
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_cuda_without_a_gpu_is_a_clear_config_error(insurance, monkeypatch):
    # Setup
    monkeypatch.setattr("synthstudio_kernel.synthesis.devices.cuda_available", lambda: False)

    # Run
    with pytest.raises(ConfigError) as info:
        ss.train(insurance, "tvae", device="cuda", epochs=1)

    # Assert
    assert "torch sees no CUDA GPU" in str(info.value) and "device='auto'" in str(info.value)


def test_auto_device_falls_back_to_cpu(insurance, monkeypatch):
    # Setup
    from synthstudio_kernel.training import plan_training

    monkeypatch.setattr("synthstudio_kernel.synthesis.devices.cuda_available", lambda: False)

    # Run
    job = plan_training(insurance, "tvae", device="auto", epochs=1)

    # Assert
    assert job.device == "cpu"


def test_non_tables_and_empty_tables_are_data_errors():
    # Run / Assert
    with pytest.raises(DataError, match="Expected a pandas DataFrame"):
        ss.train([1, 2, 3])
    import pandas as pd

    with pytest.raises(DataError, match="empty"):
        ss.train(pd.DataFrame({"a": []}))


def test_numerical_distributions_must_name_numeric_columns(insurance):
    # Run
    with pytest.raises(ConfigError) as info:
        ss.train(insurance, "gaussian-copula", numerical_distributions={"smoker": "beta"})

    # Assert
    assert "'smoker', which is not a numeric column" in str(info.value)


@pytest.mark.parametrize(
    ("conditions", "error", "message"),
    [
        ({"nope": "x"}, DataError, "Condition on unknown column 'nope'"),
        ({"age": 30}, ConfigError, "categorical columns only; 'age' is numeric"),
        ({"smoker": "maybe"}, ConfigError, "not one of the 2 categories"),
        ({"smoker": None}, ConfigError, "must be a value"),
    ],
)
def test_bad_conditions(fitted, conditions, error, message):
    # Run
    with pytest.raises(error) as info:
        fitted["gaussian-copula"].sample(5, conditions=conditions)

    # Assert
    assert message in str(info.value)


@pytest.mark.parametrize("n", [0, -4, 2.5, True, "10", 10**10])
def test_bad_row_counts(fitted, n):
    # Run / Assert
    with pytest.raises(ConfigError, match="The number of rows to sample must be"):
        fitted["tvae"].sample(n)


def test_numpy_row_counts_and_seeds_are_accepted(fitted):
    import numpy as np

    assert len(fitted["tvae"].sample(np.int64(5), seed=np.int32(3))) == 5


def test_every_error_is_a_synthstudio_error():
    # Assert: magics turn these into one-line UsageErrors
    assert issubclass(ConfigError, SynthStudioError) and issubclass(DataError, SynthStudioError)
