"""%synth_budget in a real IPython shell, the live budget panel, and ledger events for the sidebar."""

from __future__ import annotations

import re
import uuid

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from synthstudio_kernel.data import load_sample
from synthstudio_kernel.notebook.magics import budget as budget_magic
from synthstudio_kernel.notebook.widgets.budget import BudgetPanel
from synthstudio_kernel.privacy.ledger import BudgetStatus, events, get_ledger, register_dataset


@pytest.fixture
def ledger(synth_home):
    return get_ledger()


@pytest.fixture
def spent(ledger):
    """'ins' (3.0 ε) with one settled DP run, one open reservation and one non-DP run; 'other' untouched."""
    frame = load_sample("insurance").head(200)
    handle = register_dataset(frame, "ins", total_epsilon=3.0)
    ledger.register_dataset(name="other", fingerprint="9" * 64, rows=50, total_epsilon=1.0)
    done = uuid.uuid4().hex
    ledger.reserve(run_id=done, dataset_id=handle.record.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
    ledger.settle(run_id=done, epsilon_spent=1.0, status="succeeded", accounting={})
    ledger.reserve(run_id=uuid.uuid4().hex, dataset_id="ins", epsilon=0.5, delta=1e-5, method="dp-ctgan", params={})
    ledger.record_run(run_id=uuid.uuid4().hex, dataset_id="ins", method="ctgan", params={}, status="succeeded")
    return frame


def shown(shell, line: str) -> dict:
    with capture_output() as captured:
        result = shell.run_line_magic("synth_budget", line)
    assert result is None and len(captured.outputs) == 1
    return captured.outputs[0].data


def test_no_datasets_yet_says_how_to_start(shell, ledger):
    # Run
    data = shown(shell, "")

    # Assert
    assert "No datasets in the privacy ledger yet" in data["text/plain"]
    assert "ss.register_dataset" in data["text/html"]


def test_all_datasets_get_a_gauge_each(shell, spent):
    # Run
    data = shown(shell, "")

    # Assert
    text = data["text/plain"]
    assert "ins: 1.0 of 3.0 ε spent, 0.5 reserved by 1 unsettled run(s), 1.5 left" in text
    assert "other: 0.0 of 1.0 ε spent, 1.0 left" in text
    assert data["text/html"].count('role="meter"') == 2


def test_one_dataset_shows_its_runs_and_the_non_private_ones_apart(shell, spent):
    # Run
    data = shown(shell, "ins --runs 5")

    # Assert
    text, html = data["text/plain"], data["text/html"]
    assert "non-private runs: 1 — no formal guarantee" in text
    rows = [
        [re.sub("<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>", 1)[1])
    ]
    # one row per run, newest first: the non-DP ctgan run, the open dp-ctgan reservation, the settled dp-tvae run
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("ctgan", "succeeded", "—"),
        ("dp-ctgan", "reserved", "reserved / 0.5"),
        ("dp-tvae", "succeeded", "1.0 / 1.0"),
    ]
    assert rows[0][5] != rows[2][5]  # the non-private run says so


def test_a_dataframe_variable_is_looked_up_by_its_fingerprint(shell, spent):
    # Setup
    shell.user_ns["claims"] = spent.sample(frac=1.0, random_state=1)  # same table, other row order

    # Run
    data = shown(shell, "claims")

    # Assert
    assert data["text/plain"].startswith("ins: 1.0 of 3.0 ε spent")


def test_a_dataset_handle_variable_works_too(shell, spent):
    # Setup
    shell.user_ns["handle"] = register_dataset(spent, "ins", total_epsilon=3.0)

    # Run
    data = shown(shell, "handle")

    # Assert
    assert data["text/plain"].startswith("ins: 1.0 of 3.0 ε spent")


def test_name_binds_the_budget_status(shell, spent):
    # Run
    shown(shell, "ins --name b")

    # Assert
    status = shell.user_ns["b"]
    assert isinstance(status, BudgetStatus) and (status.spent, status.reserved, status.remaining) == (1.0, 0.5, 1.5)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("nope", r"No dataset 'nope' in the privacy ledger\. Known datasets: 'ins', 'other'"),
        ("fresh", r"The table in 'fresh' has no budget in the ledger yet\. Register it"),
        ("ins --runs -1", "--runs must be at least 0, got -1"),
        ("ins --runs many", "--runs must be a whole number written with the digits 0-9"),
        ("ins --runs ٣", "--runs must be a whole number written with the digits 0-9"),
        ("ins --runs 99999999", "--runs must be at most 10,000"),
        ("ins --name 2x", "--name needs a valid variable name"),
        ("ins extra", "unrecognized arguments"),
    ],
)
def test_bad_input_is_one_line(shell, spent, line, message):
    # Setup
    shell.user_ns["fresh"] = load_sample("german_credit").head(50)

    # Run / Assert
    with pytest.raises(UsageError, match=message):
        shell.run_line_magic("synth_budget", line)


def test_panel_refreshes_itself_when_the_ledger_changes(ledger, spent):
    # Setup
    listeners_before = len(events._listeners)
    panel = BudgetPanel(ledger, "ins")
    before = panel.body.value

    # Run: a run in this kernel reserves more of the budget
    ledger.reserve(run_id=uuid.uuid4().hex, dataset_id="ins", epsilon=1.5, delta=1e-5, method="dp-tvae", params={})

    # Assert
    assert "1.5 left" in before
    assert "0.0 left" in panel.body.value and "2.0 reserved" in panel.text()
    panel.close()
    ledger.reserve(run_id=uuid.uuid4().hex, dataset_id="other", epsilon=0.5, delta=0.0, method="m", params={})
    assert "0.0 left" in panel.body.value  # a closed panel is left alone
    assert len(events._listeners) == listeners_before  # and it unsubscribed


def test_ledger_changes_are_published_to_the_sidebar(ledger, monkeypatch):
    # Setup
    sent = []
    monkeypatch.setattr(
        "synthstudio_kernel.notebook.comm.publish", lambda event, payload: sent.append((event, payload))
    )
    budget_magic.connect_ledger_events()
    budget_magic.connect_ledger_events()  # idempotent
    try:
        # Run
        ds = ledger.register_dataset(name="x", fingerprint="8" * 64, rows=10, total_epsilon=1.0)
        run = uuid.uuid4().hex
        ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=0.5, delta=0.0, method="dp-tvae", params={})
    finally:
        budget_magic.disconnect_ledger_events()

    # Assert
    assert sent == [
        ("ledger_changed", {"dataset": "x", "change": "dataset_registered", "run_id": None}),
        ("ledger_changed", {"dataset": "x", "change": "reserved", "run_id": run}),
    ]


def test_training_with_a_handle_charges_its_budget_and_shows_up(shell, ledger):
    # Setup: a real (non-DP, fast) training run keyed by the handle returned at registration
    import synthstudio_kernel as ss

    frame = load_sample("insurance").head(400)
    handle = ss.register_dataset(frame, "claims", total_epsilon=2.0)

    # Run
    model = ss.train(frame, "gaussian-copula", dataset=handle, seed=0)
    data = shown(shell, "claims")

    # Assert
    run = ledger.get_run(model.run.id)
    assert run is not None and run.dataset_name == "claims" and run.guarantee == "none"
    assert "non-private runs: 1 — no formal guarantee" in data["text/plain"]
    assert ss.budget(handle).remaining == 2.0  # nothing charged for a non-DP run
