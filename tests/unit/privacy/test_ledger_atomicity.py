"""Each ledger operation commits whole or not at all; an unsettled run keeps its reservation."""

from __future__ import annotations

import multiprocessing as mp
import uuid

import pytest
from sqlalchemy import event, func, select

from synthstudio_kernel.errors import BudgetExceeded
from synthstudio_kernel.privacy.ledger import Ledger
from synthstudio_kernel.privacy.ledger.models import ChargeRow, RunRow

FP = "c" * 64


class Injected(RuntimeError):
    pass


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield ledger
    ledger.close()


@pytest.fixture
def fail_on_insert():
    """Make the next INSERT of a matching row raise, in the middle of the transaction."""
    installed = []

    def install(model, when=lambda target: True):
        def boom(mapper, connection, target):
            if when(target):
                raise Injected(f"injected failure inserting {model.__tablename__}")

        event.listen(model, "before_insert", boom)
        installed.append((model, "before_insert", boom))

    yield install
    for model, name, fn in installed:
        event.remove(model, name, fn)


def count(ledger: Ledger, model) -> int:
    with ledger.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_reserve_failing_after_its_run_row_was_written_leaves_nothing(ledger, fail_on_insert):
    # Setup: the run row is flushed first, then the charge insert fails
    ds = ledger.register_dataset(name="x", fingerprint=FP, rows=100, total_epsilon=2.0)
    fail_on_insert(ChargeRow)
    run = uuid.uuid4().hex

    # Run
    with pytest.raises(Injected):
        ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-tvae", params={})

    # Assert
    assert count(ledger, RunRow) == 0 and count(ledger, ChargeRow) == 0
    assert ledger.get_run(run) is None and ledger.budget("x").remaining == 2.0


def test_settle_failing_between_release_and_charge_keeps_the_reservation(ledger, fail_on_insert):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP, rows=100, total_epsilon=2.0)
    run = uuid.uuid4().hex
    ledger.reserve(run_id=run, dataset_id=ds.id, epsilon=1.5, delta=1e-5, method="dp-tvae", params={})
    fail_on_insert(ChargeRow, when=lambda charge: charge.kind == "settle")

    # Run
    with pytest.raises(Injected):
        ledger.settle(run_id=run, epsilon_spent=0.5, status="succeeded", accounting={"steps": 3})

    # Assert: no release row, run still open, budget unchanged
    status = ledger.budget("x")
    assert count(ledger, ChargeRow) == 1
    assert ledger.get_run(run).status == "reserved" and ledger.get_run(run).accounting is None
    assert (status.spent, status.reserved, status.remaining) == (0.0, 1.5, 0.5)


def test_failed_facts_update_keeps_the_old_facts(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP, rows=100, total_epsilon=2.0)
    run = uuid.uuid4().hex
    ledger.record_run(run_id=run, dataset_id=ds.id, method="ctgan", params={}, status="succeeded")
    ledger.attach_facts(run, "pii", {"direct": 1})

    def boom(mapper, connection, target):
        raise Injected("injected failure updating runs")

    event.listen(RunRow, "before_update", boom)
    try:
        # Run
        with pytest.raises(Injected):
            ledger.attach_facts(run, "evaluation", {"fidelity": 0.9})
    finally:
        event.remove(RunRow, "before_update", boom)

    # Assert
    assert ledger.get_run(run).facts == {"pii": {"direct": 1}}


def _reserve_and_die(url: str, dataset: str, run_id: str) -> None:
    import os

    Ledger(url).reserve(run_id=run_id, dataset_id=dataset, epsilon=1.5, delta=1e-5, method="dp-tvae", params={})
    os._exit(3)  # the kernel dies mid-training: settle never comes


def test_reservation_of_a_process_that_died_still_counts(ledger):
    # Setup
    ledger.register_dataset(name="x", fingerprint=FP, rows=100, total_epsilon=2.0)
    run = uuid.uuid4().hex
    proc = mp.get_context("spawn").Process(target=_reserve_and_die, args=(ledger.url, "x", run))

    # Run
    proc.start()
    proc.join(60)

    # Assert
    assert proc.exitcode == 3
    status = ledger.budget("x")
    assert status.reserved == 1.5 and status.open_reservations == 1 and status.remaining == 0.5
    with pytest.raises(BudgetExceeded, match=r"0\.5 of 2\.0 ε left"):
        ledger.reserve(run_id=uuid.uuid4().hex, dataset_id="x", epsilon=1.0, delta=1e-5, method="m", params={})
    # an administrator settles it by hand with what it may have used
    ledger.settle(run_id=run, epsilon_spent=1.5, status="failed", accounting={"note": "kernel died"})
    assert ledger.budget("x").spent == 1.5 and ledger.budget("x").open_reservations == 0
