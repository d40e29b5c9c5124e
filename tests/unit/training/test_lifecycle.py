"""The one run lifecycle: itemised charging, budget identity, refusals predicted before data is read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.errors import PrivacyError
from synthstudio_kernel.privacy.accounting import RDPAccountant

SMALL = {
    "compress_dims": (16,),
    "decompress_dims": (16,),
    "embedding_dim": 4,
    "public_bounds": {"age": (18, 90), "bmi": (10, 60)},
}


@pytest.fixture(autouse=True)
def _fresh_ledger(synth_home: Path) -> Iterator[None]:
    from synthstudio_kernel.privacy.ledger import close_ledgers

    close_ledgers()
    yield
    close_ledgers()


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _frame(n: int = 1200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n),
            "bmi": np.round(rng.normal(28, 5, size=n), 1),
            "smoker": rng.choice(["yes", "no"], size=n, p=[0.2, 0.8]),
        }
    )


def _ledger() -> Any:
    from synthstudio_kernel.privacy.ledger import get_ledger

    return get_ledger()


def test_a_dp_run_on_an_unnamed_unregistered_table_is_refused_with_a_how_to() -> None:
    with pytest.raises(PrivacyError, match=r"named dataset: add 'dataset: <name>'"):
        ss.train(_frame(), "dp-tvae", epsilon=1.0, epochs=1, **SMALL)
    runs = _ledger().list_runs()
    assert [r.status for r in runs] == ["refused"] and runs[0].epsilon_spent == 0.0


def test_a_new_name_registers_the_table_with_the_default_budget() -> None:
    model = ss.train(_frame(), "dp-tvae", epsilon=1.0, epochs=1, dataset="clinic", **SMALL)
    budget = ss.budget("clinic")
    assert budget.total == pytest.approx(10.0)
    assert budget.spent == pytest.approx(model.privacy_report().to_dict()["epsilon"])


def test_an_edited_table_under_a_known_name_is_a_version_sharing_the_budget() -> None:
    frame = _frame()
    ss.register_dataset(frame, "clinic", total_epsilon=2.5)
    ss.train(frame, "dp-tvae", epsilon=1.0, epochs=1, dataset="clinic", **SMALL)
    # One row fewer and a constant column: a new fingerprint, the same budget.
    edited = frame.iloc[1:].assign(site="A")
    model = ss.train(edited, "dp-tvae", epsilon=1.0, epochs=1, dataset="clinic", **SMALL)
    assert model.run.dataset_name == "clinic"
    assert len(_ledger().dataset_versions("clinic")) == 1
    assert ss.budget("clinic").spent == pytest.approx(2.0, abs=0.01)
    with pytest.raises(Exception, match="exceeds the budget left"):
        ss.train(edited, "dp-tvae", epsilon=1.0, epochs=1, dataset="clinic", **SMALL)
    # Neither table can start afresh under another name, nor without one.
    with pytest.raises(PrivacyError, match="registered as 'clinic'"):
        ss.train(edited, "dp-tvae", epsilon=1.0, epochs=1, dataset="fresh", **SMALL)
    report = ss.validate_config(frame, method="dp-tvae", epsilon=1.0, epochs=1, **SMALL)  # found by its content
    assert "'clinic'" in next(c.message for c in report.checks if c.name == "budget")


def test_a_failure_after_preprocessing_is_charged_the_preprocessing_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from synthstudio_kernel.synthesis.dp.tvae import DPTVAEMethod

    def broken(self: Any, trainer: Any, plan: Any, device: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(DPTVAEMethod, "_train_epoch", broken)
    ss.register_dataset(_frame(), "clinic", total_epsilon=5.0)
    with pytest.raises(RuntimeError, match="boom"):
        ss.train(_frame(), "dp-tvae", epsilon=2.0, epochs=2, dataset="clinic", **SMALL)

    run = _ledger().list_runs("clinic")[0]
    executed = RDPAccountant.from_dict(run.accounting["executed"])
    assert [m.label for m in executed.mechanisms] == ["preprocessing"]
    assert run.status == "failed" and 0 < run.epsilon_spent < 0.5  # the 10% preprocessing share, not 2.0
    assert run.epsilon_spent == pytest.approx(executed.epsilon(delta=run.delta))
    assert ss.budget("clinic").spent == pytest.approx(run.epsilon_spent)


def test_a_stopped_run_is_charged_exactly_the_steps_it_took() -> None:
    ss.register_dataset(_frame(), "clinic", total_epsilon=5.0)
    model = ss.train(
        _frame(), "dp-tvae", epsilon=2.0, epochs=3, dataset="clinic", callbacks=[lambda e: e.request_stop()], **SMALL
    )
    run = _ledger().get_run(model.run.id)
    executed = RDPAccountant.from_dict(run.accounting["executed"])
    steps = sum(m.steps for m in executed.mechanisms if m.label == "dp-sgd")
    assert run.status == "stopped" and steps == model.privacy_report().to_dict()["steps"] < 3 * 5
    assert run.epsilon_spent == pytest.approx(executed.epsilon(delta=run.delta)) and run.epsilon_spent < 2.0


def test_too_few_rows_for_dp_ranges_is_refused_before_the_data_is_read() -> None:
    # The README's insurance example at epsilon=1 used to fail inside preprocessing, charged in full.
    frame = ss.load_sample("insurance")
    report = ss.validate_config(frame, method="dp-tvae", epsilon=1.0, epochs=20, dataset="insurance")
    assert not report.ok
    assert "public_bounds" in " ".join(report.errors) and "YAML" in " ".join(report.errors)
    declared = {"age": (18, 64), "bmi": (15, 55), "children": (0, 5), "charges": (1000, 65000)}
    fixed = ss.validate_config(
        frame, method="dp-tvae", epsilon=1.0, epochs=20, dataset="insurance", public_bounds=declared
    )
    assert "too few to estimate the ranges" not in " ".join(fixed.errors)


def test_recommend_config_feeds_train_directly() -> None:
    frame = _frame(800)
    recommendation = ss.recommend_config(frame, epsilon=3.0)
    model = ss.train(frame, **recommendation.params, dataset="clinic")
    assert model.method == recommendation["method"]
    assert model.privacy_report().to_dict()["epsilon"] <= 3.0 + 1e-9


def test_the_optimizer_really_uses_the_planned_noise_and_sample_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    from synthstudio_kernel.synthesis.dp import sgd

    seen: dict[str, Any] = {}
    original = sgd.PrivateTrainer.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        seen["trainer"] = self

    monkeypatch.setattr(sgd.PrivateTrainer, "__init__", spy)
    model = ss.train(_frame(1000), "dp-tvae", epsilon=2.0, epochs=2, batch_size=50, dataset="clinic", **SMALL)
    trainer = seen["trainer"]
    report = model.privacy_report().to_dict()
    assert trainer.optimizer.noise_multiplier == pytest.approx(report["noise_multiplier"])
    assert trainer.loader.sample_rate == pytest.approx(report["sample_rate"]) == pytest.approx(50 / 1000)
    assert trainer.steps == report["steps"] == 2 * 20
    assert type(trainer.optimizer).__name__.startswith("Secure")


def test_an_empty_poisson_batch_takes_a_noise_only_step() -> None:
    import torch

    from synthstudio_kernel.privacy.randomness import SecureNoise
    from synthstudio_kernel.synthesis.dp.sgd import PrivateTrainer

    module = torch.nn.Linear(3, 1)
    before = [p.detach().clone() for p in module.parameters()]
    trainer = PrivateTrainer(
        module,
        torch.optim.SGD(module.parameters(), lr=0.1),
        rows=torch.zeros(10, 3),
        sample_rate=0.1,
        noise_multiplier=1.0,
        max_grad_norm=1.0,
        expected_batch_size=1.0,
        noise=SecureNoise(),
    )
    trainer.step(torch.zeros(0))
    assert trainer.steps == 1 and trainer.empty_steps == 1
    assert any(not torch.equal(a, b) for a, b in zip(before, module.parameters(), strict=True))


def test_the_selection_threshold_counts_the_new_key() -> None:
    from scipy.stats import norm

    from synthstudio_kernel.data import as_dataset
    from synthstudio_kernel.privacy.preprocessing import plan_preprocessing

    plan = plan_preprocessing(as_dataset(_frame()).with_schema_kinds(), target_epsilon=3.0, delta=1e-5)
    k = plan.n_thresholded
    assert plan.threshold == pytest.approx(1.0 + plan.noise_multiplier * norm.isf(plan.selection_delta / k))
