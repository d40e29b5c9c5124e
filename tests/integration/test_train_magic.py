"""%%dp_train and %synth_sample in a real IPython shell, the training panel, and Stop in a real kernel."""

from __future__ import annotations

import json
import os
import queue
import signal
import time
import types
from collections.abc import Iterator

import pandas as pd
import pytest
from IPython.core.error import UsageError

import synthstudio_kernel as ss
from synthstudio_kernel.errors import PrivacyError
from synthstudio_kernel.notebook.widgets.chart import training_chart
from synthstudio_kernel.notebook.widgets.training import (
    TrainingPanel,
    config_html,
    progress_text,
    route_clicks_while_busy,
    stop_on_interrupt,
)
from synthstudio_kernel.privacy.ledger import get_ledger
from synthstudio_kernel.synthesis import TrainedModel, TrainingControl
from synthstudio_kernel.synthesis.events import EpochEvent

TINY_TVAE = "method: tvae\nepochs: 2\nbatch_size: 50\nembedding_dim: 8\ncompress_dims: [16]\ndecompress_dims: [16]\n"


@pytest.fixture
def ns(shell) -> Iterator[dict]:
    shell.user_ns["df"] = ss.load_sample("insurance").sample(200, random_state=0).reset_index(drop=True)
    shell.user_ns["not_a_frame"] = 42
    yield shell.user_ns


@pytest.fixture
def events(monkeypatch) -> list[tuple[str, dict]]:
    seen: list[tuple[str, dict]] = []
    monkeypatch.setattr("synthstudio_kernel.notebook.magics.train.publish", lambda e, p: seen.append((e, p)))
    return seen


# --- %%dp_train -------------------------------------------------------------------------------
def test_dp_train_trains_and_binds_the_model(shell, ns, events):
    # Run
    shell.run_cell_magic("dp_train", "df --name model", TINY_TVAE + "seed: 3\nearly_stopping: 5\n")

    # Assert
    model = ns["model"]
    assert isinstance(model, TrainedModel) and model.method == "tvae"
    assert model.run.status == "succeeded" and model.run.seed == 3
    assert model.run.params["validation_split"] == 0.1
    names = [name for name, _ in events]
    assert names == ["training_started", "training_progress", "training_progress", "training_finished"]
    started, progress, finished = events[0][1], events[1][1], events[-1][1]
    assert started == {"model": "model", "method": "tvae", "dataset": "df", "epochs": 2, "target_epsilon": None}
    assert progress["epoch"] == 1 and set(progress["losses"]) == {"loss", "holdout_loss"}
    assert finished == {"model": "model", "run_id": model.run.id, "status": "succeeded", "epsilon": None}
    json.dumps(events)  # aggregates only, JSON-safe


def test_an_empty_body_uses_defaults_and_kinds_can_be_overridden(shell, ns, events, monkeypatch):
    # Setup: the default method is DP; here we check the non-DP path with kinds
    body = "method: gaussian-copula\nseed: 1\nkinds: {children: categorical}\n"

    # Run
    shell.run_cell_magic("dp_train", "df --name gc", body)

    # Assert
    model = ns["gc"]
    assert model.synthesizer.dataset_info["kinds"]["children"] == "categorical"
    assert (model.sample(10, conditions={"children": "2"})["children"] == 2).all()


@pytest.mark.parametrize(
    ("line", "body", "message"),
    [
        ("df --name m", "method: tvae\nepochs: [\n", "not valid YAML (line 3, column 1)"),
        ("df --name m", "- method\n- tvae\n", "must be YAML 'key: value' lines"),
        ("df --name m", "method: nope\n", "Unknown method 'nope'"),
        ("df --name m", "method: tvae\nepochs: -3\n", "'epochs' (tvae) must be an integer >= 1"),
        ("df --name m", "method: ctgan\nepoch: 3\n", "did you mean 'epochs'?"),
        ("df --name m", "method: tvae\nepsilon: 1\n", "no formal privacy guarantee"),
        ("df --name m", "method: ctgan\nearly_stopping: 3\n", "reports no held-out loss"),
        ("df --name m", "method: tvae\ndevice: quantum\n", "Unknown device"),
        ("df --name m", "method: tvae\nkinds: [a]\n", "kinds must map column names"),
        ("missing --name m", "method: tvae\n", "No variable named 'missing'"),
        ("not_a_frame --name m", "method: tvae\n", "'not_a_frame' is a int, not a pandas DataFrame"),
        ("df --name 1bad", "method: tvae\n", "--name needs a valid variable name"),
        ("df", "method: tvae\n", "the following arguments are required: --name"),
    ],
)
def test_bad_training_cells_are_one_line(shell, ns, line, body, message):
    # Run
    with pytest.raises(UsageError) as info:
        shell.run_cell_magic("dp_train", line, body)

    # Assert
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert "m" not in ns or not isinstance(ns.get("m"), TrainedModel)


def test_an_interrupt_stops_training_cleanly_after_the_epoch(shell, ns, events, monkeypatch):
    # Setup: Kernel ▸ Interrupt arrives during epoch 1
    from synthstudio_kernel.notebook.widgets import training

    original = training.TrainingPanel.on_epoch

    def interrupt_once(self, event):
        if event.epoch == 1:
            os.kill(os.getpid(), signal.SIGINT)
        original(self, event)

    monkeypatch.setattr(training.TrainingPanel, "on_epoch", interrupt_once)
    body = TINY_TVAE.replace("epochs: 2", "epochs: 6")
    before = signal.getsignal(signal.SIGINT)

    # Run
    shell.run_cell_magic("dp_train", "df --name stopped", body)

    # Assert
    model = ns["stopped"]
    assert model.run.status == "stopped"
    assert model.synthesizer.training["epochs_completed"] in (1, 2)
    assert events[-1][1]["status"] == "stopped"
    assert signal.getsignal(signal.SIGINT) is before and len(model.sample(5)) == 5


# --- DP path: the real privacy package and ledger, tiny models ---------------------------------------
TINY_DP = (
    "method: dp-tvae\nepsilon: 6\nepochs: 2\nbatch_size: 128\nembedding_dim: 8\ncompress_dims: [16]\n"
    "decompress_dims: [16]\ndataset: insurance-magic\n"
)


@pytest.fixture
def big(shell, synth_home) -> pd.DataFrame:
    frame = ss.load_sample("insurance")
    shell.user_ns["big"] = frame
    return frame


def test_dp_training_shows_safety_checks_and_epsilon(shell, big, events):
    # Run
    shell.run_cell_magic("dp_train", "big --name private", TINY_DP)

    # Assert: ε grows epoch by epoch and ends where the privacy report says, within the target
    model = shell.user_ns["private"]
    spent = model.run.privacy["epsilon"]
    progress = [p["epsilon"] for e, p in events if e == "training_progress"]
    assert len(progress) == 2 and 0 < progress[0] < progress[1] <= 6.0
    assert progress[-1] == pytest.approx(spent, rel=1e-6)  # the last epoch's ε is what the run spent
    assert events[0][1]["target_epsilon"] == 6 and events[-1][1]["epsilon"] == spent <= 6.0
    ledger_run = get_ledger().get_run(model.run.id)
    assert ledger_run is not None and ledger_run.status == "succeeded"
    assert ledger_run.epsilon_spent == pytest.approx(spent)
    assert ss.budget(ledger_run.dataset_name).spent == pytest.approx(spent)


def test_a_dp_refusal_is_one_line_trains_nothing_and_is_recorded_like_ss_train(shell, big, events):
    # Run: δ ≥ 1/n is refused by the safety checks
    with pytest.raises(UsageError) as info:
        shell.run_cell_magic("dp_train", "big --name refused", TINY_DP + "delta: 0.5\n")

    # Assert: one line, nothing bound, nothing trained, and the refusal is in the ledger as with ss.train
    message = str(info.value)
    assert "Refused to train dp-tvae" in message and "delta" in message and "\n" not in message
    assert "refused" not in shell.user_ns and events == []
    runs = get_ledger().list_runs()
    assert [(r.method, r.status) for r in runs] == [("dp-tvae", "refused")]
    assert ss.budget(runs[0].dataset_name).spent == 0.0

    with pytest.raises(PrivacyError):
        ss.train(big, method="dp-tvae", epsilon=6, delta=0.5, epochs=2, batch_size=128)
    assert [r.status for r in get_ledger().list_runs()] == ["refused", "refused"]


# --- %synth_sample --------------------------------------------------------------------------------
@pytest.fixture
def trained(shell, ns) -> TrainedModel:
    shell.run_cell_magic("dp_train", "df --name model", "method: gaussian-copula\nseed: 2\n")
    return ns["model"]


def test_synth_sample_binds_filters_seeds_and_writes_csv(shell, ns, trained, tmp_path, capsys):
    # Setup
    target = tmp_path / "out" / "synth.csv"

    # Run
    shell.run_line_magic("synth_sample", f"model 300 --to synth --where smoker=yes --seed 7 --csv {target}")
    again = shell.run_line_magic("synth_sample", "model 300 --where smoker=yes --seed 7")

    # Assert
    synth = ns["synth"]
    assert len(synth) == 300 and (synth["smoker"] == "yes").all()
    pd.testing.assert_frame_equal(synth, again)
    assert pd.read_csv(target).shape == (300, 7)
    assert synth.attrs["synthstudio_run_id"] == trained.run.id
    assert "synth: 300 synthetic rows × 7 columns" in capsys.readouterr().out


def test_large_samples_show_progress_and_stay_reproducible(shell, ns, trained, monkeypatch):
    # Setup: "large" made small so the test stays quick
    from IPython.utils.capture import capture_output

    from synthstudio_kernel.notebook.magics import sample as sample_magic

    monkeypatch.setattr(sample_magic, "LARGE_N", 20)
    monkeypatch.setattr(sample_magic, "CHUNK_ROWS", 10)

    # Run
    with capture_output() as captured:
        first = shell.run_line_magic("synth_sample", "model 25 --seed 3")
    again = shell.run_line_magic("synth_sample", "model 25 --seed 3")

    # Assert: three chunks behind a bar, the same rows again with the same seed
    assert len(first) == 25 and first.index.tolist() == list(range(25))
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs["synthstudio_run_id"] == trained.run.id
    assert any("application/vnd.jupyter.widget-view+json" in o.data for o in captured.outputs)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("model 0", "the number of rows must be at least 1, got 0"),
        ("model ten", "the number of rows must be a whole number written with the digits 0-9"),
        ("model ²", "the number of rows must be a whole number written with the digits 0-9"),
        ("model ٣", "the number of rows must be a whole number written with the digits 0-9"),
        ("model ５", "the number of rows must be a whole number written with the digits 0-9"),
        ("model 1000000000", "must be at most 10,000,000, got 1,000,000,000"),
        ("model 10 --seed x", "--seed must be a whole number written with the digits 0-9"),
        ("model 10 --where smoker", "--where takes COLUMN=VALUE"),
        ("model 10 --where nope=1", "Condition on unknown column 'nope'"),
        ("model 10 --where age=30", "categorical columns only"),
        ("model 10 --where smoker=maybe", "not one of the 2 categories"),
        ("model 10 --to 2x", "--to needs a valid variable name"),
        ("df 10", "'df' is a DataFrame, not a trained model"),
        ("ghost 10", "No variable named 'ghost'"),
    ],
)
def test_bad_sample_lines_are_one_line(shell, ns, trained, line, message):
    # Run
    with pytest.raises(UsageError) as info:
        shell.run_line_magic("synth_sample", line)

    # Assert
    assert message in str(info.value) and "\n" not in str(info.value)


# --- the panel ---------------------------------------------------------------------------------------
def _event(epoch: int, epochs: int = 4, epsilon: float | None = None) -> EpochEvent:
    return EpochEvent(epoch, epochs, {"loss": 10.0 / epoch, "holdout_loss": 12.0 / epoch}, 2.0 * epoch, 2.0, epsilon)


def test_the_panel_follows_epochs(ns):
    # Setup
    panel = TrainingPanel("model", "tvae", {"epochs": 4, "batch_size": 50}, rows=200)

    # Run
    for epoch in (1, 2):
        panel.on_epoch(_event(epoch, epsilon=0.5 * epoch))

    # Assert
    assert (panel.progress.value, panel.progress.max) == (2, 4)
    assert panel.status.value == "epoch 2/4 · 4 s elapsed · ETA 2 s · loss 5 · holdout_loss 6 · ε spent 1"
    chart = panel.chart.value
    assert chart.count("<svg") == 3 and chart.count("<polyline") == 3  # one panel per quantity, ε included
    assert "holdout_loss 6" in chart and "ε spent" in chart and chart.count(">epoch</text>") == 3
    assert "no formal privacy guarantee" in panel.header.value and "200 rows" in panel.header.value
    assert "<th>batch_size</th><td>50</td>" in panel.config_table.value


def test_a_dp_run_without_losses_still_charts_epsilon_against_its_target(ns):
    # Setup
    panel = TrainingPanel("model", "dp-tvae", {"epochs": 3, "epsilon": 2.0}, private=True)

    # Run
    for epoch in (1, 2, 3):
        panel.on_epoch(EpochEvent(epoch, 3, {}, 1.0 * epoch, 1.0, 0.6 * epoch))

    # Assert
    chart = panel.chart.value
    assert chart.count("<svg") == 1 and "ε spent" in chart and "target 2" in chart
    assert "No losses shown" in chart and "stroke-dasharray" in chart
    assert "ε spent 1.8" in panel.status.value
    bundle, metadata = panel._bundle()._repr_mimebundle_()
    assert "ε spent" in bundle["text/html"] and metadata == {"synthstudio": {"static": True}}


def test_the_stop_button_stops_after_the_epoch(ns):
    # Setup
    panel = TrainingPanel("model", "tvae", {"epochs": 4})
    control = TrainingControl()
    panel.bind(control)

    # Run
    panel.stop_button.click()
    panel.on_epoch(_event(1))

    # Assert
    assert control.stop_requested and control.stop_reason == "user"
    assert panel.stop_button.disabled and panel.stop_button.description == "Stopping…"
    assert panel.status.value.endswith("stopping after this epoch…")


def test_the_panel_reports_the_end_of_training(insurance_model):
    # Setup
    panel = TrainingPanel("model", "gaussian-copula", {})

    # Run
    panel.finish(insurance_model)

    # Assert
    assert panel.status.value.startswith("Finished.") and "'model'" in panel.status.value
    assert "No formal privacy guarantee" in panel.result.value
    assert panel.stop_button.disabled


@pytest.fixture
def insurance_model(ns) -> TrainedModel:
    return ss.train(ns["df"], "gaussian-copula", seed=1)


def test_pieces_render_safely():
    # Run
    svg = training_chart({"loss": [3.0, float("nan"), 1.0], "<b>": [1.0]})
    table = config_html({"method": "tvae", "dims": (16, 16), "lr": 0.0002, "skip": None})

    # Assert
    assert svg.count("<svg") == 2 and "&lt;b&gt;" in svg and "nan" not in svg
    assert "<td>[16, 16]</td>" in table and "<td>0.0002</td>" in table and "skip" not in table
    assert progress_text(_event(4)) == "epoch 4/4 · 8 s elapsed · loss 2.5 · holdout_loss 3"


def test_interrupt_handler_is_restored_and_a_second_interrupt_aborts():
    # Setup
    before = signal.getsignal(signal.SIGINT)
    stops: list[int] = []

    # Run
    with pytest.raises(KeyboardInterrupt), stop_on_interrupt(lambda: stops.append(1)):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)

    # Assert
    assert stops == [1]
    assert signal.getsignal(signal.SIGINT) is before


def test_click_routing_needs_a_comm_hook():
    # Setup: a button without a kernel comm (plain shell) has no live route
    import ipywidgets

    # Run / Assert
    assert route_clicks_while_busy(ipywidgets.Button(), lambda: None) is False
    assert route_clicks_while_busy(types.SimpleNamespace(comm=None), lambda: None) is False
    fake = types.SimpleNamespace(comm=types.SimpleNamespace(_reply_subshell_for=lambda data, default: default))
    hits: list[int] = []
    assert route_clicks_while_busy(fake, lambda: hits.append(1))
    assert fake.comm._reply_subshell_for({"method": "custom", "content": {"event": "click"}}, "main") == "main"
    assert fake.comm._reply_subshell_for({"method": "update", "state": {}}, "main") == "main"
    assert hits == [1]


# --- Stop in a real kernel (the cell is busy while it trains) ------------------------------------
@pytest.fixture(scope="module")
def kernel(tmp_path_factory) -> Iterator[object]:
    from jupyter_client.manager import start_new_kernel

    home = tmp_path_factory.mktemp("kernel-home")
    os.environ["SYNTHSTUDIO_HOME"], previous = str(home), os.environ.get("SYNTHSTUDIO_HOME")
    try:
        manager, client = start_new_kernel(kernel_name="python3")
    finally:
        if previous is not None:
            os.environ["SYNTHSTUDIO_HOME"] = previous
    setup = (
        "import synthstudio_kernel as ss\n%load_ext synthstudio_kernel\n"
        "df = ss.load_sample('insurance').sample(200, random_state=0)\n"
    )
    reply = client.execute_interactive(setup, timeout=180)
    assert reply["content"]["status"] == "ok"
    yield manager, client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def _train_until(kernel, name: str, act, at_epoch: int = 2, timeout: float = 240) -> int:
    """Start a long training cell, call ``act(stop_comm_id)`` once epoch ``at_epoch`` is shown."""
    _manager, client = kernel
    # Batches of 10: an epoch of 20 steps outlasts the round trip of a click even on a loaded
    # machine (at 4 steps an epoch, two busy processes on two cores stretched it to 2 epochs).
    long_cell = TINY_TVAE.replace("epochs: 2", "epochs: 400").replace("batch_size: 50", "batch_size: 10")
    cell = f"%%dp_train df --name {name}\n" + long_cell + "seed: 1\n"
    msg_id = client.execute(cell)
    stop_comm = progress_comm = None
    acted_at = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        content = msg["content"]
        if msg["msg_type"] == "comm_open":
            state = content["data"].get("state", {})
            if state.get("_model_name") == "ButtonModel" and state.get("description") == "Stop":
                stop_comm = content["comm_id"]
            elif state.get("_model_name") == "IntProgressModel":
                progress_comm = content["comm_id"]
        elif msg["msg_type"] == "comm_msg" and content["comm_id"] == progress_comm and not acted_at:
            value = content["data"].get("state", {}).get("value")
            if value and value >= at_epoch:
                act(stop_comm)
                acted_at = value
        elif (
            msg["msg_type"] == "status"
            and msg["parent_header"].get("msg_id") == msg_id
            and content["execution_state"] == "idle"
        ):
            break
    assert acted_at, "training never reached the epoch to act on"
    return acted_at


def _outcome(kernel, name: str) -> tuple[str, int]:
    _manager, client = kernel
    out: list[str] = []
    client.execute_interactive(
        f"print({name}.run.status, {name}.synthesizer.training['epochs_completed'])",
        timeout=60,
        output_hook=lambda m: out.append(m["content"].get("text", "")),
    )
    status, epochs = "".join(out).split()
    return status, int(epochs)


@pytest.mark.slow
def test_the_stop_button_works_while_the_cell_runs(kernel):
    # Setup
    _manager, client = kernel

    def click(comm_id):
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}
        client.shell_channel.send(client.session.msg("comm_msg", content))

    # Run
    clicked_at = _train_until(kernel, "clicked", click)

    # Assert: ended right after the epoch being trained when the click arrived
    status, epochs = _outcome(kernel, "clicked")
    assert status == "stopped"
    assert clicked_at <= epochs <= clicked_at + 2


@pytest.mark.slow
def test_kernel_interrupt_stops_cleanly(kernel):
    # Setup
    manager, _client = kernel

    # Run
    interrupted_at = _train_until(kernel, "interrupted", lambda _comm: manager.interrupt_kernel())

    # Assert
    status, epochs = _outcome(kernel, "interrupted")
    assert status == "stopped"
    assert interrupted_at <= epochs <= interrupted_at + 2


def test_a_model_from_ss_train_is_named_in_the_ledger_after_the_cell(shell, ns):
    # Run: a plain assignment in a cell, no magic
    shell.run_cell("import synthstudio_kernel as ss\ncopula_model = ss.train(df, 'gaussian-copula', seed=3)")

    # Assert: the sidebar's payload can name the variable
    run_id = shell.user_ns["copula_model"].run.id
    assert get_ledger().get_run(run_id).facts["notebook"] == {"variable": "copula_model"}
