"""ss.train / load_model: run records, the privacy ledger, DP delegation, results that render."""

from __future__ import annotations

import json
import sys
import types

import pandas as pd
import pytest
from synthesis_helpers import tiny

import synthstudio_kernel as ss
from synthstudio_kernel.errors import ConfigError, PrivacyError
from synthstudio_kernel.privacy.ledger import get_ledger
from synthstudio_kernel.synthesis import TrainedModel
from synthstudio_kernel.synthesis.base import Synthesizer
from synthstudio_kernel.training import plan_training


def test_train_returns_a_model_with_a_complete_run_record(insurance):
    # Run
    model = ss.train(insurance, "gaussian-copula", seed=4)

    # Assert
    run = model.run
    assert isinstance(model, TrainedModel) and model.method == "gaussian-copula"
    assert len(run.id) == 32 and run.status == "succeeded" and run.seed == 4
    assert run.dataset_fingerprint == ss.Dataset.from_frame(insurance).fingerprint
    assert run.params["default_distribution"] == "beta"
    assert run.timings["fit_s"] > 0
    assert {"synthstudio_kernel", "sdv", "rdt", "copulas", "pandas"} <= set(run.versions)
    assert run.guarantee == "none" and run.privacy is None
    json.dumps(run.to_dict())
    json.dumps(model.to_dict())


def test_the_ledger_records_non_dp_runs_without_charging(insurance):
    # Run
    model = ss.train(insurance, "gaussian-copula", seed=4)

    # Assert
    entry = get_ledger().get_run(model.run.id)
    assert entry is not None
    assert entry.status == "succeeded" and entry.method == "gaussian-copula"
    assert entry.epsilon_spent is None and entry.guarantee == "none"
    assert entry.dataset_name == model.run.dataset_name


def test_pii_facts_travel_from_the_frame_to_the_ledger(insurance):
    # Setup
    frame = insurance.copy()
    frame.attrs["synthstudio_pii"] = {"dropped": ["name"], "masked": [], "direct_identifiers_left": 0}

    # Run
    model = ss.train(frame, "gaussian-copula", seed=4)

    # Assert
    # The apply record is the owner's (internal): in the ledger, never in what travels with the model.
    assert "pii" not in model.run.facts and "pii" not in model.run.released()["facts"]
    assert get_ledger().get_run(model.run.id).facts["pii"]["dropped"] == ["name"]


def test_an_unregistered_dataset_name_fails_before_training(insurance, monkeypatch):
    # Setup
    fits: list[int] = []
    monkeypatch.setattr(Synthesizer, "fit", lambda *a, **k: fits.append(1))

    # Run / Assert
    with pytest.raises(ConfigError, match="Register it first"):
        ss.train(insurance, "gaussian-copula", dataset="never-registered")
    assert fits == []


def test_a_registered_dataset_must_be_the_same_table(insurance):
    # Setup
    ss.register_dataset(insurance, "insurance-api-test", total_epsilon=5.0)

    # Run
    model = ss.train(insurance, "gaussian-copula", dataset="insurance-api-test")

    # Assert
    assert model.run.dataset_name == "insurance-api-test"
    with pytest.raises(PrivacyError, match="not the one registered"):
        ss.train(insurance.head(100), "gaussian-copula", dataset="insurance-api-test")


def test_a_failed_fit_is_recorded_as_failed(insurance, monkeypatch):
    # Setup
    seen: dict[str, str] = {}
    from synthstudio_kernel.synthesis.sdv_models import GaussianCopulaMethod

    def broken(self, dataset, context):
        raise RuntimeError("boom")

    monkeypatch.setattr(GaussianCopulaMethod, "_fit", broken)
    original = get_ledger().record_run

    def spy(**kwargs):
        seen.update(run_id=kwargs["run_id"], status=kwargs["status"])
        return original(**kwargs)

    monkeypatch.setattr(get_ledger(), "record_run", spy)

    # Run
    with pytest.raises(RuntimeError, match="boom"):
        ss.train(insurance, "gaussian-copula")

    # Assert
    assert seen["status"] == "failed"
    assert get_ledger().get_run(seen["run_id"]).status == "failed"


def test_samples_carry_the_run_id(insurance):
    # Run
    model = ss.train(insurance, "gaussian-copula", seed=1)
    frame = model.sample(20)

    # Assert
    assert frame.attrs["synthstudio_run_id"] == model.run.id
    assert model.sample(20, conditions={"region": "northeast"})["region"].eq("northeast").all()


def test_plan_training_shows_the_validated_configuration(insurance):
    # Run
    job = plan_training(insurance, "tvae", seed=2, early_stopping=3, **tiny("tvae"))

    # Assert
    assert job.config["epochs"] == 2 and job.config["l2scale"] == 1e-5
    assert job.config["validation_split"] == 0.1
    assert job.config["early_stopping"]["patience"] == 3
    assert job.epochs == 2 and not job.private


def test_a_job_runs_once(insurance):
    # Setup
    job = plan_training(insurance, "gaussian-copula")
    job.run()

    # Run / Assert
    with pytest.raises(ConfigError, match="runs once"):
        job.run()


class _FakeDP(Synthesizer):
    name = "fake-dp"
    supports_dp = True

    def _fit(self, dataset, context):  # pragma: no cover - never called: the pipeline trains DP methods
        raise AssertionError

    def _sample(self, n, conditions):  # pragma: no cover
        raise AssertionError


def test_privacy_report_comes_from_the_privacy_package(insurance, monkeypatch):
    # Setup
    report = types.ModuleType("synthstudio_kernel.privacy.report")
    report.privacy_report = lambda model: {"guarantee": "none", "method": model.method}
    monkeypatch.setitem(sys.modules, "synthstudio_kernel.privacy.report", report)
    model = ss.train(insurance, "gaussian-copula")

    # Run
    result = model.privacy_report()

    # Assert
    assert result == {"guarantee": "none", "method": "gaussian-copula"}


def test_models_render_in_the_notebook(insurance):
    # Run
    model = ss.train(insurance, "gaussian-copula", seed=1)
    html = model._repr_html_()

    # Assert
    assert "gaussian-copula" in html and "No formal privacy guarantee" in html
    assert "no formal privacy guarantee" in repr(model)
    assert model.categories("smoker") in (["no", "yes"], ["yes", "no"])


def test_a_dataset_object_with_kind_overrides_is_accepted(insurance):
    # Setup
    dataset = ss.Dataset.from_frame(insurance, kinds={"children": "categorical"})

    # Run
    model = ss.train(dataset, "gaussian-copula", seed=1)
    frame = model.sample(30, conditions={"children": 2})

    # Assert
    assert (frame["children"] == 2).all()
    assert isinstance(frame, pd.DataFrame)
