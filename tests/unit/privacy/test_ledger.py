"""The ledger's semantics on SQLite: datasets, reserve/settle, non-DP runs, facts, budgets, records."""

from __future__ import annotations

import json
import math
import pickle
import uuid

import numpy as np
import pandas as pd
import pytest

from synthstudio_kernel.data import as_dataset, load_sample
from synthstudio_kernel.errors import BudgetExceeded, ConfigError, PrivacyError
from synthstudio_kernel.privacy.ledger import (
    BudgetStatus,
    DatasetHandle,
    Ledger,
    add_listener,
    budget,
    get_ledger,
    register_dataset,
)

FP_A = "a" * 64
FP_B = "b" * 64


def new_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def ledger(synth_home) -> Ledger:
    return get_ledger()


@pytest.fixture
def frame() -> pd.DataFrame:
    return load_sample("insurance").head(300)


# -- datasets ---------------------------------------------------------------------------------


def test_register_dataset_stores_fingerprint_and_counts_only(ledger, frame):
    # Run
    handle = register_dataset(frame, "insurance", total_epsilon=3.0)

    # Assert
    dataset = as_dataset(frame)
    assert isinstance(handle, DatasetHandle) and isinstance(handle, str) and handle == "insurance"
    assert handle.fingerprint == dataset.fingerprint and handle.rows == 300 and handle.total_epsilon == 3.0
    stored = json.dumps([d.to_dict() for d in ledger.list_datasets()])
    for value in map(str, frame.iloc[0].tolist()):
        if len(value) > 3:  # no raw value from the table is in the ledger
            assert value not in stored


def test_register_again_same_table_returns_it_and_total_changes_only_explicitly(ledger, frame):
    # Setup
    first = register_dataset(frame, "ins", total_epsilon=3.0)

    # Run
    again = register_dataset(frame.sample(frac=1.0, random_state=0), "ins", total_epsilon=3.0)  # row order ignored

    # Assert
    assert again.record.id == first.record.id
    with pytest.raises(ConfigError, match=r"already registered with a total of 3\.0 ε\. .*update_total=True"):
        register_dataset(frame, "ins", total_epsilon=5.0)
    raised = register_dataset(frame, "ins", total_epsilon=5.0, update_total=True)
    assert raised.total_epsilon == 5.0 and ledger.budget("ins").total == 5.0


def test_register_different_table_under_existing_name_is_refused(ledger, frame):
    # Setup
    register_dataset(frame, "ins", total_epsilon=3.0)
    other = frame.assign(age=frame["age"] + 1)

    # Run / Assert
    with pytest.raises(ConfigError, match=r"A different table .* is already registered as 'ins'"):
        register_dataset(other, "ins", total_epsilon=3.0)


def test_same_table_cannot_get_a_second_budget_under_another_name(ledger, frame):
    # Setup
    register_dataset(frame, "ins", total_epsilon=3.0)

    # Run / Assert
    with pytest.raises(ConfigError, match=r"already registered as 'ins'.*fresh one"):
        register_dataset(frame, "ins-copy", total_epsilon=3.0)


def test_resolve_without_name_creates_fingerprint_keyed_dataset_with_default_budget(ledger, monkeypatch):
    # Setup
    monkeypatch.setenv("SYNTHSTUDIO_DEFAULT_TOTAL_EPSILON", "4.5")

    # Run
    first = ledger.resolve_dataset(fingerprint=FP_A, rows=100)
    second = ledger.resolve_dataset(fingerprint=FP_A, rows=100)

    # Assert
    assert first == second
    assert first.registered is False and first.total_epsilon == 4.5 and first.name.startswith("unregistered-")


def test_registering_an_automatic_dataset_keeps_what_it_already_spent(ledger):
    # Setup: trained once before being registered
    auto = ledger.resolve_dataset(fingerprint=FP_A, rows=100)
    run = new_id()
    ledger.reserve(run_id=run, dataset_id=auto.id, epsilon=2.0, delta=1e-5, method="dp-tvae", params={})
    ledger.settle(run_id=run, epsilon_spent=2.0, status="succeeded", accounting={})

    # Run
    record = ledger.register_dataset(name="adult", fingerprint=FP_A, rows=100, total_epsilon=3.0)

    # Assert
    status = ledger.budget("adult")
    assert record.id == auto.id and record.registered
    assert (status.spent, status.remaining) == (2.0, 1.0)


def test_resolve_by_name_requires_registration_and_the_same_table(ledger):
    # Setup
    ledger.register_dataset(name="adult", fingerprint=FP_A, rows=100, total_epsilon=3.0)

    # Run / Assert
    assert ledger.resolve_dataset(fingerprint=FP_A, rows=100, name="adult").name == "adult"
    with pytest.raises(ConfigError, match=r"No dataset named 'nope'.*ss\.register_dataset"):
        ledger.resolve_dataset(fingerprint=FP_A, rows=100, name="nope")
    with pytest.raises(PrivacyError, match="not the one registered as 'adult'"):
        ledger.resolve_dataset(fingerprint=FP_B, rows=100, name="adult")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "", "total_epsilon": 1.0}, "non-empty string"),
        ({"name": "x\n", "total_epsilon": 1.0}, None),  # stripped: accepted
        ({"name": "unregistered-x", "total_epsilon": 1.0}, "reserved for automatic"),
        ({"name": "x", "total_epsilon": 0.0}, "total_epsilon must be a finite number > 0"),
        ({"name": "x", "total_epsilon": math.inf}, "finite"),
        ({"name": "x", "total_epsilon": "lots"}, "must be a number"),
    ],
)
def test_register_validates_its_inputs(ledger, kwargs, message):
    # Run / Assert
    if message is None:
        assert ledger.register_dataset(fingerprint=FP_A, rows=10, **kwargs).name == "x"
    else:
        with pytest.raises(ConfigError, match=message):
            ledger.register_dataset(fingerprint=FP_A, rows=10, **kwargs)


# -- reserve and settle -----------------------------------------------------------------------


def test_reserve_then_settle_charges_what_was_spent(ledger):
    # Setup
    ds = ledger.register_dataset(name="d", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    run = new_id()

    # Run
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={"epochs": 5})
    during = ledger.budget("d")
    ledger.settle(run_id=run, epsilon_spent=0.75, status="succeeded", accounting={"steps": 120})
    after = ledger.budget("d")

    # Assert
    assert (during.spent, during.reserved, during.remaining, during.open_reservations) == (0.0, 1.0, 2.0, 1)
    assert (after.spent, after.reserved, after.remaining, after.open_reservations) == (0.75, 0.0, 2.25, 0)
    assert after.delta_spent == pytest.approx(1e-5) and after.delta_reserved == 0.0
    stored = ledger.get_run(run)
    assert stored.status == "succeeded" and stored.epsilon_spent == 0.75 and stored.epsilon_target == 1.0
    assert stored.accounting == {"steps": 120} and stored.params == {"epochs": 5} and stored.finished_at is not None


def test_sequential_composition_sums_runs_and_refuses_with_what_is_left(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    for spent in (1.2, 1.0):
        run = new_id()
        ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=spent, delta=1e-5, method="dp-ctgan", params={})
        ledger.settle(run_id=run, epsilon_spent=spent, status="succeeded", accounting={})

    # Run / Assert
    with pytest.raises(BudgetExceeded, match=r"dataset 'x' has 0\.8 of 3\.0 ε left; this run needs 1\.0"):
        ledger.reserve(run_id=new_id(), dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-ctgan", params={})
    status = ledger.budget("x")
    assert status.spent == pytest.approx(2.2) and status.remaining == pytest.approx(0.8)
    assert status.delta_spent == pytest.approx(2e-5)
    assert status.private_runs == 2  # the refused reservation left no run behind


def test_budget_can_be_spent_exactly_to_the_last_run_despite_float_sums(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=1.0)

    # Run
    for _ in range(10):
        run = new_id()
        ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=0.1, delta=0.0, method="dp-tvae", params={})
        ledger.settle(run_id=run, epsilon_spent=0.1, status="succeeded", accounting={})

    # Assert
    status = ledger.budget("x")
    assert status.exhausted and status.remaining == 0.0 and status.spent == pytest.approx(1.0)
    with pytest.raises(BudgetExceeded, match="used up"):
        ledger.reserve(run_id=new_id(), dataset_id=ds.id, epsilon=0.01, delta=0.0, method="dp-tvae", params={})


def test_open_reservations_count_against_the_budget_until_settled(ledger):
    # Setup: a run whose process died before settle
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=2.0)
    ledger.reserve(run_id=new_id(), dataset_id=ds.id, epsilon=1.5, delta=1e-5, method="dp-tvae", params={})

    # Run / Assert
    with pytest.raises(BudgetExceeded, match=r"has 0\.5 of 2\.0 ε left.*1\.5 ε is held by runs that have not settled"):
        ledger.reserve(run_id=new_id(), dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})


def test_failed_run_is_still_charged_what_it_spent(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    run = new_id()
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=2.0, delta=1e-5, method="dp-ctgan", params={})

    # Run
    ledger.settle(run_id=run, epsilon_spent=0.6, status="failed", accounting={"error": "OOM at epoch 3"})

    # Assert
    status = ledger.budget("x")
    assert status.spent == 0.6 and status.remaining == pytest.approx(2.4)
    assert ledger.get_run(run).status == "failed"


def test_run_that_overran_its_reservation_is_charged_truthfully(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=1.0)
    run = new_id()
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-ctgan", params={})

    # Run
    ledger.settle(run_id=run, epsilon_spent=1.25, status="succeeded", accounting={})

    # Assert
    status = ledger.budget("x")
    assert status.spent == 1.25 and status.remaining == 0.0 and status.overspent == pytest.approx(0.25)
    assert "OVERSPENT by 0.25" in status.summary()


def test_settle_rejects_unknown_double_and_unreserved_runs(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    run, plain = new_id(), new_id()
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
    ledger.settle(run_id=run, epsilon_spent=1.0, status="succeeded", accounting={})
    ledger.record_run(run_id=plain, dataset_id=ds.id, method="ctgan", params={}, status="succeeded")

    # Run / Assert
    with pytest.raises(ConfigError, match="already settled"):
        ledger.settle(run_id=run, epsilon_spent=1.0, status="succeeded", accounting={})
    with pytest.raises(ConfigError, match="not in the ledger"):
        ledger.settle(run_id=new_id(), epsilon_spent=1.0, status="succeeded", accounting={})
    with pytest.raises(ConfigError, match="without a reservation"):
        ledger.settle(run_id=plain, epsilon_spent=0.0, status="succeeded", accounting={})
    with pytest.raises(ConfigError, match="status must be one of"):
        ledger.settle(run_id=run, epsilon_spent=0.0, status="done", accounting={})
    assert ledger.budget("x").spent == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epsilon": 0.0}, "epsilon must be a finite number > 0"),
        ({"epsilon": -1.0}, "epsilon must be"),
        ({"epsilon": math.nan}, "epsilon must be"),
        ({"delta": 1.0}, r"delta must be in \[0, 1\)"),
        ({"delta": -1e-9}, "delta must be"),
        ({"run_id": "has space"}, "run id"),
        ({"dataset_id": 999}, "No dataset 999"),
        ({"params": {"frame": pd.DataFrame({"a": [1]})}}, "never tables or arrays"),
    ],
)
def test_reserve_validates_and_leaves_no_trace(ledger, kwargs, message):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    call = {"run_id": new_id(), "dataset_id": ds.id, "epsilon": 1.0, "delta": 1e-5, "method": "dp-tvae", "params": {}}

    # Run / Assert
    with pytest.raises(ConfigError, match=message):
        ledger.reserve(**{**call, **kwargs})
    assert ledger.list_runs() == [] and ledger.budget("x").reserved == 0.0


def test_reusing_a_run_id_is_refused(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    run = new_id()
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})

    # Run / Assert
    with pytest.raises(ConfigError, match="already in the ledger"):
        ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
    assert ledger.budget("x").reserved == 1.0


# -- non-DP runs and facts --------------------------------------------------------------------


def test_non_private_runs_are_recorded_free_and_counted_apart(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)

    # Run
    for method in ("gaussian-copula", "ctgan"):
        ledger.record_run(run_id=new_id(), dataset_id=ds.id, method=method, params={"epochs": 2}, status="succeeded")
    ledger.record_run(
        run_id=new_id(), dataset_id=ds.id, method="dp-tvae", params={}, status="refused", epsilon=50.0, delta=1e-5
    )

    # Assert
    status = ledger.budget("x")
    assert (status.spent, status.reserved, status.remaining) == (0.0, 0.0, 3.0)
    assert (status.non_private_runs, status.private_runs, status.refused_runs, status.run_count) == (2, 0, 1, 3)
    assert "DP runs: 0; refused before training: 1; non-private runs: 2 — no formal guarantee" in str(status)
    assert "nothing spent (asked for ε 50.0)" in str(status)
    runs = {r.method: r for r in status.runs}
    assert runs["ctgan"].guarantee == "none" and runs["ctgan"].epsilon_spent is None
    assert runs["dp-tvae"].status == "refused" and runs["dp-tvae"].epsilon_spent == 0.0


def test_attach_facts_merges_keys_and_converts_numpy(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=3.0)
    run = new_id()
    ledger.record_run(run_id=run, dataset_id=ds.id, method="ctgan", params={}, status="succeeded")

    # Run
    ledger.attach_facts(run, "pii", {"direct": np.int64(2), "columns": ("email", "ssn")})
    ledger.attach_facts(run, "evaluation", {"fidelity": np.float32(0.5), "utility": float("nan")})

    # Assert
    facts = ledger.get_run(run).facts
    assert facts == {
        "pii": {"direct": 2, "columns": ["email", "ssn"]},
        "evaluation": {"fidelity": 0.5, "utility": None},
    }
    with pytest.raises(ConfigError, match="not in the ledger"):
        ledger.attach_facts(new_id(), "pii", {})
    with pytest.raises(ConfigError, match="Fact keys"):
        ledger.attach_facts(run, "Bad Key", {})
    with pytest.raises(ConfigError, match="never tables or arrays"):
        ledger.attach_facts(run, "pii", {"values": np.arange(3)})


def test_listeners_hear_each_committed_change_and_not_refusals(ledger):
    # Setup
    heard = []
    remove = add_listener(lambda change: heard.append((change.kind, change.dataset)))
    try:
        # Run
        ds = ledger.register_dataset(name="x", fingerprint=FP_A, rows=1000, total_epsilon=1.0)
        run = new_id()
        ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
        with pytest.raises(BudgetExceeded):
            ledger.reserve(run_id=new_id(), dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})
        ledger.settle(run_id=run, epsilon_spent=1.0, status="succeeded", accounting={})
    finally:
        remove()

    # Assert
    assert heard == [("dataset_registered", "x"), ("reserved", "x"), ("settled", "x")]


# -- reading ----------------------------------------------------------------------------------


def test_list_runs_newest_first_filtered_and_limited(ledger):
    # Setup
    a = ledger.register_dataset(name="a", fingerprint=FP_A, rows=10, total_epsilon=3.0)
    b = ledger.register_dataset(name="b", fingerprint=FP_B, rows=10, total_epsilon=3.0)
    ids = [new_id() for _ in range(4)]
    for i, run in enumerate(ids):
        ledger.record_run(
            run_id=run, dataset_id=(a if i % 2 == 0 else b).id, method="ctgan", params={}, status="succeeded"
        )

    # Run
    all_runs = ledger.list_runs()
    a_runs = ledger.list_runs("a")

    # Assert
    assert [r.id for r in all_runs] == ids[::-1]
    assert [r.id for r in a_runs] == [ids[2], ids[0]] and all(r.dataset_name == "a" for r in a_runs)
    assert len(ledger.list_runs(limit=1)) == 1
    assert ledger.get_run(new_id()) is None
    with pytest.raises(ConfigError, match=r"No dataset 'zzz'.*Known datasets: 'a', 'b'"):
        ledger.list_runs("zzz")


def test_budget_function_for_one_or_all_datasets(ledger, frame):
    # Setup
    handle = register_dataset(frame, "ins", total_epsilon=3.0)
    ledger.register_dataset(name="other", fingerprint=FP_B, rows=10, total_epsilon=1.0)

    # Run
    one = budget(handle)
    every = budget()

    # Assert
    assert isinstance(one, BudgetStatus) and one.name == "ins" and one.total == 3.0
    assert [s.name for s in every] == ["ins", "other"]
    assert budget(handle.fingerprint).name == "ins"  # by fingerprint too
    assert "ins: 0.0 of 3.0 ε spent, 3.0 left" in str(every)


def test_records_are_json_safe_and_render(ledger):
    # Setup
    ds = ledger.register_dataset(name="<b>x</b>", fingerprint=FP_A, rows=1000, total_epsilon=4.0)
    run = new_id()
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={"epochs": 3})
    ledger.settle(run_id=run, epsilon_spent=1.0, status="succeeded", accounting={"noise_multiplier": 1.1})
    ledger.reserve(run_id=new_id(), dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-ctgan", params={})

    # Run
    status = ledger.budget("<b>x</b>")
    payload = json.loads(json.dumps(status.to_dict(), allow_nan=False))
    html = status._repr_html_()

    # Assert
    assert payload["total"] == 4.0 and payload["spent"] == 1.0 and payload["reserved"] == 1.0
    assert payload["remaining"] == 2.0 and payload["used_fraction"] == 0.5
    assert payload["runs"][0]["started_at"].endswith("+00:00") and payload["runs"][0]["status"] == "reserved"
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html  # names are escaped
    assert 'role="meter"' in html and "width:25.00%" in html  # spent 1 of 4: a quarter of the bar
    assert "2.0 left" in html


def test_dataset_handle_pickles_and_reads_its_budget(ledger, frame):
    # Setup
    handle = register_dataset(frame, "ins", total_epsilon=2.0)

    # Run
    copy = pickle.loads(pickle.dumps(handle))

    # Assert
    assert copy == "ins" and copy.fingerprint == handle.fingerprint
    assert copy.budget().remaining == 2.0 and "ins" in copy._repr_html_()


def test_get_ledger_is_cached_per_url(ledger, tmp_path):
    # Run
    other = get_ledger(f"sqlite:///{tmp_path / 'other.db'}")

    # Assert
    assert get_ledger() is ledger and other is not ledger
    assert other.list_datasets() == []


def test_unreachable_database_is_one_readable_error(tmp_path):
    # Setup: a directory where the database file should be
    (tmp_path / "is-a-dir.db").mkdir()

    # Run / Assert
    with pytest.raises(ConfigError, match=r"The privacy ledger at sqlite:///.* cannot be used .*SYNTHSTUDIO_DB_URL"):
        Ledger(f"sqlite:///{tmp_path / 'is-a-dir.db'}")
