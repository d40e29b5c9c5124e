"""Layer 1: every refusal of validate_config, its warnings, and recommend_config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel import pii
from synthstudio_kernel.errors import BudgetExceeded, ConfigError, PrivacyError
from synthstudio_kernel.training import safety
from synthstudio_kernel.training.safety import recommend_config, validate_config


@pytest.fixture(autouse=True)
def _home(synth_home: Path) -> Path:
    return synth_home


@pytest.fixture
def no_pii(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PII scanner that finds nothing (the real one is tested separately)."""

    monkeypatch.setattr(safety, "_direct_identifiers", lambda data: [])


def _frame(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n),
            "income": rng.gamma(2.0, 20000.0, size=n),
            "plan": rng.choice(["basic", "plus", "pro"], size=n),
        }
    )


#: Declared ranges of _frame's numeric columns (small tables cannot estimate them under DP).
BOUNDS = {"public_bounds": {"age": (18, 90), "income": (0, 500000)}}


def _refusal(report: Any, name: str) -> str:
    messages = [c.message for c in report.checks if c.name == name and c.status == "error"]
    assert messages, f"no refusal named {name!r} in {report.to_dict()}"
    return messages[0]


def test_a_sound_configuration_is_accepted_with_its_plan(no_pii: None) -> None:
    # Run
    report = validate_config(_frame(), method="dp-tvae", epsilon=3.0, epochs=3, batch_size=100, dataset="clinic")

    # Assert
    assert report.ok and not report.errors
    assert report.plan is not None and report.plan["steps"] == 3 * 20
    assert report.plan["delta"] == pytest.approx(min(1e-5, 1 / (10 * 2000)))
    assert report.plan["level"]["label"] == "strong"
    report.raise_if_refused()  # nothing to raise
    assert "accepted" in report._repr_html_()
    assert set(report.to_dict()) >= {"ok", "errors", "warnings", "checks", "plan"}


def test_delta_at_or_above_one_over_n_is_refused(no_pii: None) -> None:
    report = validate_config(
        _frame(), method="dp-tvae", epsilon=3.0, delta=1 / 2000, epochs=1, batch_size=100, dataset="clinic"
    )
    assert "not below 1/n" in _refusal(report, "delta")
    with pytest.raises(PrivacyError, match="1/n"):
        report.raise_if_refused()


@pytest.mark.parametrize("epsilon", [0.0, -1.0, float("inf"), float("nan"), None, "3"])
def test_epsilon_must_be_positive_and_finite(no_pii: None, epsilon: Any) -> None:
    report = validate_config(_frame(), method="dp-tvae", epsilon=epsilon, epochs=1, batch_size=100, dataset="clinic")
    assert "epsilon" in _refusal(report, "epsilon")
    with pytest.raises(ConfigError):
        report.raise_if_refused()


def test_batch_larger_than_the_data_is_refused(no_pii: None) -> None:
    report = validate_config(_frame(500), method="dp-tvae", epsilon=3.0, epochs=1, batch_size=501, dataset="clinic")
    assert "larger than the data" in _refusal(report, "batch_size")


def test_a_sample_rate_the_accountant_cannot_handle_is_refused(no_pii: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: the real floor (1e-6) needs a million-row table; raise it instead
    monkeypatch.setattr(safety, "MIN_SAMPLE_RATE", 0.01)

    # Run
    report = validate_config(_frame(), method="dp-tvae", epsilon=3.0, epochs=1, batch_size=10, dataset="clinic")

    # Assert
    assert "accountant" in _refusal(report, "sample_rate")


def test_too_few_rows_are_refused_unless_forced(no_pii: None) -> None:
    # Run
    refused = validate_config(_frame(400), method="dp-tvae", epsilon=1.0, epochs=1, batch_size=40, dataset="clinic")
    forced = validate_config(
        _frame(400), method="dp-tvae", epsilon=1.0, epochs=1, batch_size=40, force=True, dataset="clinic", **BOUNDS
    )

    # Assert
    assert "too few" in _refusal(refused, "rows")
    assert forced.ok and any("forced" in w for w in forced.warnings)


def test_too_little_budget_left_is_refused(no_pii: None) -> None:
    # Setup
    import synthstudio_kernel as ss

    frame = _frame()
    ss.register_dataset(frame, "members", total_epsilon=2.0)

    # Run
    report = validate_config(frame, method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100, dataset="members")
    unregistered = validate_config(frame, method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100, dataset="nope")

    # Assert
    assert "exceeds the budget left" in _refusal(report, "budget")
    with pytest.raises(BudgetExceeded):
        report.raise_if_refused()
    # One table has one budget: another name for it is refused, and so is an unnamed unregistered table.
    assert "registered as 'members'" in _refusal(unregistered, "budget")
    other = validate_config(_frame(seed=1), method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100)
    assert "named dataset" in _refusal(other, "budget")


def test_direct_identifiers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: a scanner that flags one column as a direct identifier
    class _Report:
        def to_dict(self) -> dict[str, Any]:
            return {"columns": [{"column": "plan", "identifier": "direct"}, {"column": "age", "identifier": "quasi"}]}

    monkeypatch.setattr(pii, "scan_pii", lambda frame: _Report())
    monkeypatch.setattr(safety, "_DIRECT_CACHE", {})

    # Run
    report = validate_config(_frame(), method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100, dataset="clinic")

    # Assert
    message = _refusal(report, "identifiers")
    assert "'plan'" in message and "'age'" not in message


def test_real_pii_scan_finds_direct_identifiers() -> None:
    # Setup
    from synthstudio_kernel.data import load_sample

    frame = load_sample("customer_data")

    # Run
    report = validate_config(frame, method="dp-tvae", epsilon=10.0, epochs=1, batch_size=50, dataset="clinic")

    # Assert
    assert "direct identifiers" in _refusal(report, "identifiers")


def test_warnings_explain_low_noise_many_epochs_and_high_cardinality(no_pii: None) -> None:
    # Setup
    import synthstudio_kernel as ss

    frame = _frame(3000)
    frame["city"] = [f"c{i % 300}" for i in range(len(frame))]
    ss.register_dataset(frame, "wide", total_epsilon=100.0)

    # Run
    low_noise = validate_config(frame, method="dp-tvae", epsilon=50.0, epochs=1, batch_size=300, dataset="wide")
    many_epochs = validate_config(frame, method="dp-tvae", epsilon=1.0, epochs=300, batch_size=100, dataset="wide")

    # Assert
    assert low_noise.ok and any("below 0.5" in w for w in low_noise.warnings)
    # Which categories survive is decided under DP; the check says so without counting values.
    categories = next(c.message for c in low_noise.checks if c.name == "categories")
    assert "fold into 'other'" in categories and "300" not in categories
    assert any("more than helps" in w for w in many_epochs.warnings)


def test_refusals_are_collected_into_one_line(no_pii: None) -> None:
    # Run
    report = validate_config(
        _frame(300), method="dp-ctgan", epsilon=0.5, delta=0.5, epochs=1, batch_size=1000, dataset="clinic"
    )

    # Assert: every reason at once
    assert len(report.errors) >= 3
    with pytest.raises(PrivacyError) as caught:
        report.raise_if_refused()
    text = str(caught.value)
    assert "\n" not in text and "delta" in text and "batch_size" in text and "too few" in text


def test_non_dp_methods_say_they_have_no_guarantee(no_pii: None) -> None:
    # Run
    plain = validate_config(_frame(), method="gaussian-copula")
    with_epsilon = validate_config(_frame(), method="gaussian-copula", epsilon=1.0)

    # Assert
    assert plain.ok and any("no formal privacy guarantee" in w for w in plain.warnings)
    assert "no formal privacy guarantee" in _refusal(with_epsilon, "method")


def test_bad_parameters_are_refused(no_pii: None) -> None:
    report = validate_config(_frame(), method="dp-tvae", epsilon=1.0, epochs=-2, batch_size=100, dataset="clinic")
    assert "epochs" in _refusal(report, "parameters")


def test_recommend_config_is_itself_accepted(no_pii: None) -> None:
    # Setup
    frame = _frame(5000)

    # Run
    config = recommend_config(frame, epsilon=3.0, method="dp-tvae")
    report = validate_config(
        frame, method="dp-tvae", epsilon=3.0, epochs=config["epochs"], batch_size=config["batch_size"], dataset="clinic"
    )

    # Assert
    assert config["batch_size"] == 100 and 1 <= config["epochs"] <= 300
    assert config["noise_multiplier"] <= safety.TARGET_NOISE * 1.01 or config["epochs"] == 1
    assert config["expected_epsilon"] <= 3.0
    assert report.ok and not any("more than helps" in w for w in report.warnings)
    assert recommend_config(frame, epsilon=0.5, method="dp-tvae")["epochs"] <= config["epochs"]
    with pytest.raises(ConfigError):
        recommend_config(frame, epsilon=1.0, method="ctgan")


def test_recommend_config_plans_with_the_declared_codebook_and_passes_it_on(no_pii: None) -> None:
    frame = _frame(5000)
    codebook = {**BOUNDS, "categories": {"plan": ["basic", "plus", "pro"]}}

    declared = recommend_config(frame, epsilon=3.0, method="dp-tvae", **codebook)
    marginal = recommend_config(frame, epsilon=3.0, method="dp-mst", **codebook)

    assert declared["params"]["public_bounds"] == BOUNDS["public_bounds"]
    assert declared["params"]["categories"] == codebook["categories"]
    # DP-SGD: the recommendation's figures are those of the plan made with the codebook
    from synthstudio_kernel.data import as_dataset
    from synthstudio_kernel.privacy.planning import make_plan

    planned = make_plan(
        as_dataset(frame).with_schema_kinds(),
        epsilon=3.0,
        delta=declared["delta"],
        batch_size=declared["batch_size"],
        epochs=declared["epochs"],
        **codebook,
    )
    assert declared["preprocessing_epsilon"] == planned.preprocessing_epsilon
    assert (
        declared["preprocessing_epsilon"]
        != recommend_config(frame, epsilon=3.0, method="dp-tvae")["preprocessing_epsilon"]
    )
    assert marginal["params"]["categories"] == codebook["categories"]
    plain = recommend_config(frame, epsilon=3.0, method="dp-mst")
    assert marginal["preprocessing_epsilon"] < plain["preprocessing_epsilon"]  # no bounds, no selection


def test_the_same_table_is_scanned_for_identifiers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: count the scans (%%dp_train validates, then train() validates again)
    calls: list[int] = []

    class _Report:
        def to_dict(self) -> dict[str, Any]:
            return {"columns": [{"column": "plan", "identifier": "direct"}]}

    def scan(frame: pd.DataFrame) -> _Report:
        calls.append(len(frame))
        return _Report()

    monkeypatch.setattr(pii, "scan_pii", scan)
    monkeypatch.setattr(safety, "_DIRECT_CACHE", {})
    frame = _frame()

    # Run
    first = validate_config(frame, method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100, dataset="clinic")
    second = validate_config(
        frame.iloc[::-1], method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100, dataset="clinic"
    )
    validate_config(_frame(seed=1), method="dp-tvae", epsilon=3.0, epochs=1, batch_size=100, dataset="clinic")

    # Assert: same content (even reordered) scanned once; another table scanned again
    assert calls == [len(frame), len(frame)]
    assert _refusal(first, "identifiers") == _refusal(second, "identifiers")
