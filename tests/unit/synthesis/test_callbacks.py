"""Epoch callbacks, the clean stop after an epoch, and early stopping on the held-out loss."""

from __future__ import annotations

import io
import logging

import pytest
from synthesis_helpers import tiny

import synthstudio_kernel as ss
from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.privacy.ledger import get_ledger
from synthstudio_kernel.synthesis import EarlyStopping, History, LogTo, ProgressBar, TrainingControl, registry
from synthstudio_kernel.synthesis.base import FitContext
from synthstudio_kernel.synthesis.events import STOP_EARLY, STOP_USER, EpochEvent


def _event(epoch: int, epochs: int = 10, **losses: float) -> EpochEvent:
    return EpochEvent(epoch=epoch, epochs=epochs, losses=losses, elapsed_s=epoch * 1.5, eta_s=(epochs - epoch) * 1.5)


# --- callbacks on their own ------------------------------------------------------------------
def test_early_stopping_waits_patience_epochs_without_improvement():
    # Setup
    control = TrainingControl()
    stopper = EarlyStopping(patience=2, min_delta=0.1)
    losses = [5.0, 4.0, 3.95, 3.97, 3.0]

    # Run
    for epoch, value in enumerate(losses, start=1):
        event = _event(epoch, holdout_loss=value)
        event._control = control
        stopper(event)
        if control.stop_requested:
            break

    # Assert: 3.95 and 3.97 are not better than 4.0 by 0.1
    assert stopper.stopped_epoch == 4 and stopper.best_epoch == 2
    assert control.stop_reason == STOP_EARLY
    assert stopper.to_dict()["best"] == 4.0


def test_early_stopping_needs_the_loss_it_watches():
    # Run / Assert
    with pytest.raises(ConfigError, match="watches 'holdout_loss'"):
        EarlyStopping()(_event(1, generator=1.0))


@pytest.mark.parametrize(
    ("config", "patience", "min_delta"), [(True, 10, 0.0), (3, 3, 0.0), ({"patience": 4, "min_delta": 0.5}, 4, 0.5)]
)
def test_early_stopping_from_yaml_values(config, patience, min_delta):
    # Run
    stopper = EarlyStopping.from_config(config)

    # Assert
    assert (stopper.patience, stopper.min_delta) == (patience, min_delta)


def test_log_to_a_function_and_a_logger(caplog):
    # Setup
    lines: list[str] = []
    logger = logging.getLogger("synthstudio.test")

    # Run
    for epoch in (1, 2, 3, 4):
        LogTo(lines.append, every=2)(_event(epoch, 4, loss=1.0 / epoch))
    with caplog.at_level(logging.INFO, logger="synthstudio.test"):
        LogTo(logger)(_event(1, 4, loss=0.5))

    # Assert
    assert lines == ["epoch 2/4 · loss 0.5 · 3.0 s · ETA 3 s", "epoch 4/4 · loss 0.25 · 6.0 s"]
    assert "epoch 1/4 · loss 0.5" in caplog.text


def test_history_and_progress_bar():
    # Setup
    history, stream = History(), io.StringIO()
    bar = ProgressBar(stream=stream, width=10)

    # Run
    for epoch in (1, 2):
        event = _event(epoch, 2, loss=3.0 - epoch, holdout_loss=4.0 - epoch)
        history(event)
        bar(event)

    # Assert
    assert history.losses == {"loss": [2.0, 1.0], "holdout_loss": [3.0, 2.0]}
    assert stream.getvalue().endswith("[##########] epoch 2/2 · loss 1 · holdout_loss 2 · 3.0 s\n")


def test_fit_context_reports_elapsed_and_eta():
    # Setup
    events: list[EpochEvent] = []
    context = FitContext([events.append])
    context.begin_epochs(4)

    # Run
    stop = context.epoch_end(1, 4, {"loss": 2})

    # Assert
    assert stop is False
    assert events[0].epoch == 1 and events[0].losses == {"loss": 2.0}
    assert events[0].eta_s is not None and events[0].eta_s >= 0
    assert context.summary()["epochs_completed"] == 1


# --- stopping real training ------------------------------------------------------------------
@pytest.mark.parametrize("method", ["ctgan", "tvae"])
def test_a_stop_request_ends_training_after_the_current_epoch(method, insurance):
    # Setup
    seen: list[int] = []

    def stop_at_two(event: EpochEvent) -> None:
        seen.append(event.epoch)
        if event.epoch == 2:
            event.request_stop(STOP_USER)

    synthesizer = registry.create(method, seed=1, **tiny(method, epochs=6))

    # Run
    synthesizer.fit(insurance, callbacks=[stop_at_two])

    # Assert
    assert seen == [1, 2]
    assert synthesizer.training["epochs_completed"] == 2 and synthesizer.training["epochs_planned"] == 6
    assert synthesizer.training["stopped_early"] and synthesizer.training["stop_reason"] == STOP_USER
    assert len(synthesizer.sample(10)) == 10


def test_a_stopped_run_is_recorded_as_stopped(insurance):
    # Setup
    control = TrainingControl()

    def stop_now(event: EpochEvent) -> None:
        control.request_stop()

    # Run
    model = ss.train(insurance, "tvae", seed=1, callbacks=[stop_now], control=control, **tiny("tvae", epochs=5))

    # Assert
    assert model.run.status == "stopped"
    assert model.run.facts["training"]["epochs_completed"] == 1
    assert get_ledger().get_run(model.run.id).status == "stopped"


def test_early_stopping_on_tvae_holdout_loss(insurance):
    # Setup: a min_delta no loss can beat, so it stops after patience=1 epoch
    history = History()

    # Run
    model = ss.train(
        insurance,
        "tvae",
        seed=1,
        callbacks=[history],
        early_stopping={"patience": 1, "min_delta": 1e9},
        **tiny("tvae", epochs=8),
    )

    # Assert
    assert [e.epoch for e in history.events] == [1, 2]
    assert all("holdout_loss" in e.losses and "loss" in e.losses for e in history.events)
    assert model.run.status == "succeeded"
    assert model.run.params["validation_split"] == 0.1
    assert model.run.facts["training"]["stop_reason"] == STOP_EARLY
    from synthstudio_kernel.privacy.ledger import get_ledger

    # Held-out losses are the owner's: in the ledger, not in what travels with the model.
    assert "early_stopping" not in model.run.facts
    assert get_ledger().get_run(model.run.id).facts["early_stopping"]["stopped_epoch"] == 2


def test_early_stopping_callback_needs_a_validation_split(insurance):
    # Run / Assert
    with pytest.raises(ConfigError, match="set validation_split"):
        ss.train(insurance, "tvae", callbacks=[EarlyStopping()], **tiny("tvae"))


def test_gaussian_copula_reports_one_step(insurance):
    # Setup
    history = History()

    # Run
    registry.create("gaussian-copula").fit(insurance, callbacks=[history])

    # Assert
    assert [(e.epoch, e.epochs) for e in history.events] == [(1, 1)]
