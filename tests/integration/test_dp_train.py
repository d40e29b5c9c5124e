"""End to end: ss.train with a DP method, the budget ledger charged, refusals, failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import synthstudio_kernel as ss
from synthstudio_kernel.errors import BudgetExceeded, PrivacyError
from synthstudio_kernel.training import safety

SMALL = {"compress_dims": (32,), "decompress_dims": (32,), "embedding_dim": 8, "batch_size": 100}
PUBLIC = {"public_bounds": {"age": (18, 90), "income": (0, 200000)}, "categories": {"smoker": ["yes", "no"]}}


@pytest.fixture(autouse=True)
def _setup(synth_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh ledger; one torch thread; a PII scanner that finds nothing (it is tested elsewhere)."""
    import torch

    monkeypatch.setattr(safety, "_direct_identifiers", lambda data: [])
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _frame(n: int = 1000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n),
            "income": np.round(rng.gamma(2.0, 20000.0, size=n), 2),
            "smoker": rng.choice(["yes", "no"], size=n, p=[0.3, 0.7]),
        }
    )


def test_dp_training_charges_the_ledger_with_what_it_spent() -> None:
    # Setup
    frame = _frame()
    ss.register_dataset(frame, "patients", total_epsilon=5.0)
    events: list[Any] = []

    # Run
    model = ss.train(
        frame,
        method="dp-tvae",
        epsilon=2.0,
        dataset="patients",
        epochs=2,
        seed=1,
        callbacks=[events.append],
        **SMALL,
        **PUBLIC,
    )

    # Assert
    report = model.privacy_report().to_dict()
    status = ss.budget("patients")
    assert model.run.status == "succeeded" and model.run.privacy is not None
    assert report["epsilon"] <= 2.0 and report["consistent"] is True
    assert status.spent == pytest.approx(report["epsilon"]) and status.reserved == 0
    assert status.remaining == pytest.approx(5.0 - report["epsilon"])
    run = status.runs[0]
    assert run.status == "succeeded" and run.accounting["steps"] == report["steps"] == 20
    assert "safety" in run.facts and run.facts["safety"]["ok"] is True
    assert [e.epsilon for e in events][-1] == pytest.approx(report["epsilon"])
    assert len(model.sample(20, seed=0)) == 20


def test_budget_exhaustion_refuses_and_charges_nothing() -> None:
    # Setup
    frame = _frame()
    ss.register_dataset(frame, "small-budget", total_epsilon=3.0)
    ss.train(frame, method="dp-tvae", epsilon=2.0, dataset="small-budget", epochs=1, **SMALL, **PUBLIC)
    spent = ss.budget("small-budget").spent

    # Run
    with pytest.raises(BudgetExceeded, match="exceeds the budget left"):
        ss.train(frame, method="dp-tvae", epsilon=2.0, dataset="small-budget", epochs=1, **SMALL, **PUBLIC)

    # Assert: the refusal is recorded, nothing more is charged
    status = ss.budget("small-budget")
    assert status.spent == pytest.approx(spent) and status.reserved == 0
    assert [r.status for r in status.runs][:2] == ["refused", "succeeded"]


def test_a_failure_after_touching_the_data_is_charged(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: training breaks in the first epoch, after DP preprocessing read the data
    from synthstudio_kernel.synthesis.dp.tvae import DPTVAEMethod

    def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(DPTVAEMethod, "_train_epoch", broken)
    frame = _frame()
    ss.register_dataset(frame, "crashy", total_epsilon=5.0)

    # Run
    with pytest.raises(RuntimeError, match="simulated crash"):
        ss.train(frame, method="dp-tvae", epsilon=1.5, dataset="crashy", epochs=1, **SMALL, **PUBLIC)

    # Assert: charged exactly the mechanisms that ran (the preprocessing), not the whole reservation
    from synthstudio_kernel.privacy.accounting import RDPAccountant

    status = ss.budget("crashy")
    run = status.runs[0]
    executed = RDPAccountant.from_dict(run.accounting["executed"])
    assert {m.label for m in executed.mechanisms} == {"preprocessing"}
    assert status.spent == pytest.approx(executed.epsilon(delta=run.delta)) and 0 < status.spent < 1.5
    assert status.reserved == 0 and run.status == "failed" and run.accounting["data_touched"] is True


def test_a_failure_before_touching_the_data_is_not_charged(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: preprocessing itself refuses to start (nothing read yet)
    from synthstudio_kernel.synthesis.dp import base

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise MemoryError("simulated")

    monkeypatch.setattr(base.DPSynthesizer, "noise_source", refuse)
    frame = _frame()
    ss.register_dataset(frame, "early", total_epsilon=5.0)

    # Run
    with pytest.raises(MemoryError):
        ss.train(frame, method="dp-ctgan", epsilon=1.5, dataset="early", epochs=1, batch_size=100, **PUBLIC)

    # Assert
    status = ss.budget("early")
    assert status.spent == 0 and status.reserved == 0 and status.runs[0].status == "failed"


def test_a_model_over_its_target_is_not_released(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setup: make the recomputation find more steps than were paid for
    from synthstudio_kernel.synthesis.dp.tvae import DPTVAEMethod

    original = DPTVAEMethod._finish

    def overrun(self: Any, trainer: Any) -> None:
        trainer.steps += 50
        original(self, trainer)

    monkeypatch.setattr(DPTVAEMethod, "_finish", overrun)
    frame = _frame()
    ss.register_dataset(frame, "overrun", total_epsilon=5.0)

    # Run
    with pytest.raises(PrivacyError, match="not released"):
        ss.train(frame, method="dp-tvae", epsilon=1.0, dataset="overrun", epochs=1, **SMALL, **PUBLIC)

    # Assert: charged (at least its target), marked failed
    status = ss.budget("overrun")
    assert status.spent >= 1.0 and status.runs[0].status == "failed"
    assert status.runs[0].accounting["refused_release"] is True


def test_stopping_early_is_charged_only_what_was_spent() -> None:
    # Setup
    frame = _frame()
    ss.register_dataset(frame, "stoppable", total_epsilon=5.0)

    # Run
    model = ss.train(
        frame,
        method="dp-ctgan",
        epsilon=2.0,
        dataset="stoppable",
        epochs=3,
        batch_size=100,
        generator_dims=(32,),
        discriminator_dims=(32,),
        callbacks=[lambda event: event.request_stop()],
        **PUBLIC,
    )

    # Assert
    status = ss.budget("stoppable")
    assert model.run.status == "stopped"
    assert status.spent == pytest.approx(model.privacy_report().epsilon) and status.spent < 2.0


def test_refusals_are_one_line_and_recorded() -> None:
    # Setup
    frame = _frame(300)

    # Run
    with pytest.raises(PrivacyError) as caught:
        ss.train(frame, method="dp-tvae", epsilon=0.5, delta=0.1, epochs=1, batch_size=50)

    # Assert
    assert "\n" not in str(caught.value) and "1/n" in str(caught.value)
    runs = ss.budget(ss.budget()[0].name).runs
    assert runs[0].status == "refused" and runs[0].facts["safety"]["ok"] is False
