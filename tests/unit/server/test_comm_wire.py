"""What the kernel sends on the ``synthstudio`` comm matches the schema the sidebar is typed from."""

from __future__ import annotations

import pandas as pd
import pytest

from synthstudio_kernel.schema import validate


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Every comm message, as the sidebar would receive it ({"event": ..., **payload})."""
    messages: list[dict] = []

    def publish(event: str, payload: dict) -> None:
        messages.append({"event": event, **payload})

    import synthstudio_kernel.notebook.comm as comm
    import synthstudio_kernel.notebook.magics.train as train

    monkeypatch.setattr(comm, "publish", publish)
    monkeypatch.setattr(train, "publish", publish)
    return messages


def test_training_and_ledger_events_match_the_wire_schema(shell, synth_home, sent):
    # Setup
    from synthstudio_kernel.notebook.magics.budget import connect_ledger_events, disconnect_ledger_events

    connect_ledger_events()
    shell.user_ns["frame"] = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0] * 25, "b": ["x", "y", "y", "z"] * 25})
    # Run
    try:
        shell.run_cell_magic(
            "dp_train",
            "frame --name model",
            "method: tvae\nseed: 0\nepochs: 2\nbatch_size: 50\nembedding_dim: 8\ncompress_dims: [16]\n"
            "decompress_dims: [16]\n",
        )
    finally:
        disconnect_ledger_events()
    # Assert
    events = [message["event"] for message in sent]
    assert events[0] == "training_started"
    assert events.count("training_progress") == 2  # one per epoch: each is validated below
    assert "training_finished" in events
    assert "ledger_changed" in events
    progress = [m for m in sent if m["event"] == "training_progress"]
    assert [m["epoch"] for m in progress] == [1, 2] and all(m["epochs"] == 2 for m in progress)
    for message in sent:
        validate(message, "CommMessage")
    finished = next(m for m in sent if m["event"] == "training_finished")
    assert finished["status"] == "succeeded"
    assert finished["run_id"] == shell.user_ns["model"].run.id
