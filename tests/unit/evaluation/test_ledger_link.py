"""Scores attach to the ledger run named by ``synthetic.attrs["synthstudio_run_id"]``."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from synthstudio_kernel.evaluation import evaluate
from synthstudio_kernel.evaluation.ledger_link import look_up


@pytest.fixture
def ledger(synth_home):
    from synthstudio_kernel.privacy.ledger import close_ledgers, get_ledger

    close_ledgers()
    yield get_ledger()
    close_ledgers()


def _dataset(ledger, frame: pd.DataFrame) -> int:
    from synthstudio_kernel.data import as_dataset

    record = ledger.register_dataset(
        name="adult-small", fingerprint=as_dataset(frame).fingerprint, rows=len(frame), total_epsilon=10.0
    )
    return record.id


def test_scores_are_attached_to_a_known_run(ledger, adult_split, small) -> None:
    # Setup
    train = adult_split["train"]
    run_id = uuid.uuid4().hex
    ledger.record_run(
        run_id=run_id, dataset_id=_dataset(ledger, train), method="gaussian-copula", params={}, status="succeeded"
    )
    synthetic = adult_split["fresh"].copy()
    synthetic.attrs["synthstudio_run_id"] = run_id

    # Run
    card = evaluate(train, synthetic, holdout=adult_split["holdout"], limits=small)

    # Assert
    facts = ledger.get_run(run_id).facts["evaluation"]
    assert card.run["attached"] is True and card.run["status"] == "found" and card.run["guarantee"] == "none"
    assert facts["fidelity"] == card.scores["fidelity"] and facts["privacy"] == card.scores["privacy"]
    assert facts["verdicts"] == {name: v["status"] for name, v in card.verdicts.items()}
    assert any("no formal privacy guarantee" in note for note in card.notes)
    guarantee = next(c for c in card.verdicts["public_release"]["checks"] if c["name"] == "formal_guarantee")
    assert guarantee["status"] == "fail" and card.verdict("public_release") == "fail"


def test_a_dp_run_brings_its_epsilon_into_the_verdicts(ledger, adult_split) -> None:
    # Setup
    run_id = uuid.uuid4().hex
    dataset_id = _dataset(ledger, adult_split["train"])
    ledger.reserve(run_id=run_id, dataset_id=dataset_id, epsilon=2.0, delta=1e-5, method="dp-tvae", params={})
    ledger.settle(run_id=run_id, epsilon_spent=1.8, status="succeeded", accounting={})

    # Run
    link = look_up(run_id)

    # Assert
    assert link.status == "found" and link.private and link.epsilon == pytest.approx(1.8)
    assert link.to_dict()["guarantee"] == "differential privacy"


def test_an_unknown_run_is_noted_not_fatal(ledger, adult_split, small) -> None:
    # Setup
    synthetic = adult_split["fresh"].copy()
    synthetic.attrs["synthstudio_run_id"] = uuid.uuid4().hex

    # Run
    card = evaluate(adult_split["train"], synthetic, limits=small, attach=True)

    # Assert
    assert card.run["status"] == "unknown run" and card.run["attached"] is False
    assert any("could not provide it" in note for note in card.notes)


def test_no_run_id_means_no_ledger_access() -> None:
    assert look_up(None).status == "no run id"
