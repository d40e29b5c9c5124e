"""The hash-chained run log (tamper detection) and attestations (round trip) in the ledger."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from synthstudio_kernel.errors import ConfigError
from synthstudio_kernel.privacy.ledger import Ledger, runlog
from synthstudio_kernel.privacy.ledger import attestations as store
from synthstudio_kernel.privacy.ledger.migrations import LATEST_VERSION


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    led = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield led
    led.close()


def _run(ledger: Ledger, name: str = "patients") -> str:
    ledger.register_dataset(name=name, fingerprint=uuid.uuid4().hex * 2, rows=100, total_epsilon=5.0)
    run_id = uuid.uuid4().hex
    ledger.record_run(run_id=run_id, dataset_id=name, method="gaussian-copula", params={"seed": 1}, status="succeeded")
    return run_id


def test_schema_has_the_audit_step(ledger: Ledger) -> None:
    assert ledger.schema_version == LATEST_VERSION >= 3


def test_runs_are_logged_once_with_a_keyed_input_hash(ledger: Ledger) -> None:
    # Setup
    run_id = _run(ledger)
    fingerprint = ledger.get_dataset("patients").fingerprint

    # Run
    first = runlog.sync_runs(ledger)
    second = runlog.sync_runs(ledger)
    [entry] = runlog.entries(ledger, run_id=run_id)

    # Assert
    assert (first, second) == (1, 0)
    assert entry.kind == "train" and entry.user and entry.versions["synthstudio_kernel"]
    assert entry.input_hash == runlog.keyed_hash(ledger, fingerprint)
    assert entry.input_hash != fingerprint and fingerprint not in str(entry.to_dict())
    assert entry.config["method"] == "gaussian-copula" and entry.outputs["status"] == "succeeded"


def test_the_key_is_per_ledger(ledger: Ledger, tmp_path: Path) -> None:
    other = Ledger(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert runlog.keyed_hash(ledger, "x") != runlog.keyed_hash(other, "x")
        assert runlog.keyed_hash(ledger, "x") == runlog.keyed_hash(ledger, "x")
    finally:
        other.close()


def test_an_intact_chain_verifies(ledger: Ledger) -> None:
    # Setup
    for name in ("a", "b", "c"):
        _run(ledger, name)
    runlog.sync_runs(ledger)
    runlog.append(ledger, kind="export", details={"recipient": "lab"})

    # Run
    result = runlog.verify_run_log(ledger)

    # Assert
    assert result.ok and result.entries == 4 and "intact" in str(result)


@pytest.mark.parametrize(
    ("tamper", "where"),
    [
        ("UPDATE run_log SET user = 'mallory' WHERE seq = 2", "changed after it was written"),
        ('UPDATE run_log SET config = \'{"method": "dp-aim"}\' WHERE seq = 2', "changed after it was written"),
        ("DELETE FROM run_log WHERE seq = 2", "missing"),
    ],
    ids=["user edited", "config edited", "row deleted"],
)
def test_a_tampered_row_is_detected(ledger: Ledger, tamper: str, where: str) -> None:
    # Setup
    for name in ("a", "b", "c"):
        _run(ledger, name)
    runlog.sync_runs(ledger)
    assert runlog.verify_run_log(ledger).ok

    # Run: the database refuses the edit; a forger with full access drops the triggers first
    with pytest.raises(Exception, match="append-only"), ledger.engine.begin() as conn:
        conn.execute(text(tamper))
    with ledger.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(text(tamper))
    result = runlog.verify_run_log(ledger)

    # Assert
    assert not result.ok and result.first_bad_seq == 2 and where in result.problems[0]


def _drop_triggers(conn) -> None:
    for name in ("run_log_no_update", "run_log_no_delete", "attestations_no_update", "attestations_no_delete"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def test_a_rehashed_row_still_breaks_the_link(ledger: Ledger) -> None:
    # Setup: a forger edits row 1 and recomputes its own hash, but not the rows after it
    for name in ("a", "b"):
        _run(ledger, name)
    runlog.sync_runs(ledger)
    first = runlog.entries(ledger)[0]
    forged = runlog.LogEntry(**{**first.__dict__, "user": "mallory"})
    new_hash = forged.compute_hash()

    # Run
    with ledger.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(text("UPDATE run_log SET user='mallory', entry_hash=:h WHERE seq=1"), {"h": new_hash})
    result = runlog.verify_run_log(ledger)

    # Assert
    assert not result.ok and result.first_bad_seq == 2 and "does not link" in result.problems[0]


def test_verify_command_exit_status(ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    from synthstudio_kernel.compliance.verify import main

    _run(ledger)
    runlog.sync_runs(ledger)
    assert main(["--db", ledger.url]) == 0
    with ledger.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(text("UPDATE run_log SET user = 'x' WHERE seq = 1"))
    assert main(["--db", ledger.url]) == 1
    assert "BROKEN at entry 1" in capsys.readouterr().out


def test_attestations_round_trip_and_enter_the_run_log(ledger: Ledger, tmp_path: Path) -> None:
    # Setup
    run_id = _run(ledger)
    contract = tmp_path / "contract.pdf"
    contract.write_bytes(b"%PDF terms")
    expires = (datetime.now(UTC) + timedelta(days=365)).date()

    # Run
    stored = store.attest(
        ledger,
        run_id,
        framework="hipaa",
        claim="expert_determination",
        who="Dr. Ada Expert",
        role="qualified statistician",
        statement="Risk very small for the named recipients.",
        expires=expires,
        evidence=[contract],
    )
    [loaded] = store.attestations(ledger, run_id=run_id)
    entries = runlog.entries(ledger, run_id=run_id, kind="attest")

    # Assert
    assert loaded == stored
    assert loaded.evidence == [{"name": "contract.pdf", "sha256": runlog.file_sha256(contract)}]
    assert loaded.expires_at.startswith(expires.isoformat()) and not loaded.expired()
    assert entries and entries[0].outputs["attestation_sha256"] == stored.entry_hash
    assert runlog.verify_run_log(ledger).ok


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"framework": "iso27001"}, "framework must be one of"),
        ({"who": " "}, "who attests"),
        ({"expires": "2001-01-01"}, "in the future"),
        ({"expires": "soon"}, "a date"),
    ],
)
def test_bad_attestations_are_refused(ledger: Ledger, kwargs: dict, message: str) -> None:
    run_id = _run(ledger)
    args = {"framework": "gdpr", "who": "Eve", "role": "DPO", "statement": "reviewed", "expires": "2099-01-01"}
    with pytest.raises(ConfigError, match=message):
        store.attest(ledger, run_id, **{**args, **kwargs})
