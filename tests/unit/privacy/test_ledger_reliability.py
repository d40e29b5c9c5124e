"""The ledger never silently forgets, every database failure is one clear line, a held lock
is "ledger busy" within seconds, and stale reservations can be checked and settled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from synthstudio_kernel.errors import LedgerBusy, LedgerError, SynthStudioError
from synthstudio_kernel.privacy.ledger import Ledger
from synthstudio_kernel.privacy.ledger.admin import check_ledger, settle_stale
from synthstudio_kernel.privacy.ledger.marker import marker_path

ROOT = Path(__file__).resolve().parents[3]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SYNTHSTUDIO_DB_URL"}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message and message
    return message


@pytest.fixture
def url(synth_home: Path, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def _funded(url: str, total: float = 2.0) -> Ledger:
    ledger = Ledger(url)
    ledger.register_dataset(name="ds", fingerprint=uuid.uuid4().hex, rows=100, total_epsilon=total)
    return ledger


# --- every database failure is one LedgerError naming the URL without its password ------------
@pytest.mark.parametrize(
    ("make_url", "expected"),
    [
        (lambda d: "nosuchdb://admin:hunter2@host/db", "unknown database type"),
        (lambda d: "postgresql+nosuchdriver://admin:hunter2@host/db", "unknown database type"),
        (lambda d: "::not a url::", "not a valid SQLAlchemy URL"),
        (lambda d: f"sqlite:///{d / 'a-file'}/sub/ledger.db", "cannot be created"),
        (lambda d: f"sqlite:///{d}", "it is a folder"),
        (lambda d: f"sqlite:///{d / 'garbage.db'}", "is damaged"),
        (lambda d: "postgresql+psycopg://admin:hunter2@127.0.0.1:1/db", "cannot be used"),
    ],
)
def test_every_database_failure_is_one_line_without_the_password(synth_home, tmp_path, make_url, expected):
    # Setup
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "garbage.db").write_bytes(b"this is not sqlite " * 200)

    # Run
    with pytest.raises(LedgerError) as info:
        Ledger(make_url(tmp_path)).list_datasets()

    # Assert
    message = _one_line(info.value)
    assert expected in message and "hunter2" not in message


def test_a_corrupted_page_in_a_used_ledger_is_a_clear_error(url, tmp_path):
    # Setup: a real ledger whose first page is overwritten
    _funded(url).close()
    path = tmp_path / "ledger.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[0:100] = b"\xff" * 100
    path.write_bytes(bytes(data))

    # Run / Assert
    with pytest.raises(LedgerError, match="damaged"):
        Ledger(url).list_datasets()


# --- the ledger never silently forgets -----------------------------------------------------------
@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_ledger_that_existed_and_is_now_empty_or_gone_is_refused(url, tmp_path, damage):
    # Setup: a ledger with a budget, then its file is lost
    _funded(url).close()
    path = tmp_path / "ledger.db"
    assert marker_path(path).is_file()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if damage == "truncate":
        path.write_bytes(b"")
    else:
        path.unlink()

    # Run
    with pytest.raises(LedgerError) as info:
        Ledger(url)

    # Assert: one line with the way out, and no fresh ledger was created in its place
    message = _one_line(info.value)
    assert ("is empty" if damage == "truncate" else "is missing") in message
    assert "Restore the file" in message and "forget" in message
    assert path.exists() == (damage == "truncate") and (not path.exists() or path.stat().st_size == 0)


def test_forgetting_a_lost_ledger_allows_a_fresh_one(url, tmp_path):
    # Setup
    _funded(url).close()
    path = tmp_path / "ledger.db"
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)

    # Run: the CLI's forget command, then open again
    done = subprocess.run(
        [sys.executable, "-m", "synthstudio_kernel.privacy.ledger", "forget", str(path)],
        env=_env(SYNTHSTUDIO_HOME=os.environ["SYNTHSTUDIO_HOME"]),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Assert
    assert done.returncode == 0, done.stderr
    assert Ledger(url).list_datasets() == []


def test_a_ledger_deleted_while_a_process_holds_it_is_refused_on_next_use(url, tmp_path):
    # Setup
    ledger = _funded(url)
    ledger.engine.dispose()
    path = tmp_path / "ledger.db"
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)

    # Run / Assert
    with pytest.raises(LedgerError, match="is missing"):
        ledger.list_datasets()
    assert not path.exists()


# --- a held lock is "ledger busy" within seconds ---------------------------------------------------
_HOLD_LOCK = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize(("setting", "bound"), [(None, 6.5), ("1", 2.5)])
def test_a_lock_held_by_another_process_is_ledger_busy_within_the_timeout(url, tmp_path, monkeypatch, setting, bound):
    # Setup: another process holds the write lock
    ledger = _funded(url)
    if setting is None:
        monkeypatch.delenv("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT", setting)
    ledger = Ledger(url)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(tmp_path / "ledger.db")], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"

        # Run
        started = time.monotonic()
        with pytest.raises(LedgerBusy) as info:
            ledger.reserve(run_id=uuid.uuid4().hex, dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()

    # Assert
    assert waited < bound
    assert "busy" in _one_line(info.value) and "SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT" in str(info.value)
    assert ledger.budget("ds").reserved == 0.0


# --- check and settle-stale ---------------------------------------------------------------------
def test_check_reports_integrity_and_open_reservations(url):
    # Setup
    ledger = _funded(url)
    ledger.reserve(run_id="run-open", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
    ledger.reserve(run_id="run-done", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
    ledger.settle(run_id="run-done", epsilon_spent=0.4, status="succeeded")

    # Run
    report = check_ledger(ledger)

    # Assert
    assert report.ok and report.integrity == "ok" and (report.datasets, report.runs) == (1, 2)
    assert [r.run_id for r in report.open_reservations] == ["run-open"]
    assert report.open_reservations[0].epsilon == pytest.approx(0.5)
    assert "run-open" in str(report)


def test_check_finds_a_broken_journal(url):
    # Setup: a settled run whose release row went missing (hand-edited database)
    ledger = _funded(url)
    ledger.reserve(run_id="run-x", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
    ledger.settle(run_id="run-x", epsilon_spent=0.5, status="succeeded")
    with sqlite3.connect(ledger.engine.url.database) as con:
        con.execute("DELETE FROM charges WHERE kind = 'release'")

    # Run
    report = check_ledger(ledger)

    # Assert
    assert not report.ok
    assert any("run-x" in p and "still holds" in p for p in report.problems)


def test_settle_stale_charges_the_reservation_once_and_only_old_ones(url):
    # Setup
    ledger = _funded(url, total=2.0)
    ledger.reserve(run_id="run-old", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
    ledger.reserve(run_id="run-new", dataset_id="ds", epsilon=0.25, delta=1e-6, method="dp-tvae")
    later = datetime.now(UTC) + timedelta(hours=30)
    before = ledger.budget("ds")

    # Run: pretend "now" is 30 h later for the old one only by picking the run explicitly
    settled = settle_stale(ledger, run_ids=["run-old"], now=later)
    again = settle_stale(ledger, run_ids=None, older_than_hours=1000, now=later)

    # Assert
    after = ledger.budget("ds")
    assert [r.run_id for r in settled] == ["run-old"] and again == []
    assert after.remaining == pytest.approx(before.remaining)  # nothing double-charged
    assert after.spent == pytest.approx(0.5) and after.reserved == pytest.approx(0.25)
    assert ledger.get_run("run-old").status == "failed"
    assert check_ledger(ledger).ok


def test_settle_stale_by_age(url):
    # Setup
    ledger = _funded(url)
    ledger.reserve(run_id="run-a", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")

    # Run
    none_yet = settle_stale(ledger, older_than_hours=24)
    settled = settle_stale(ledger, older_than_hours=24, now=datetime.now(UTC) + timedelta(hours=25))

    # Assert
    assert none_yet == [] and [r.run_id for r in settled] == ["run-a"]
    assert ledger.budget("ds").spent == pytest.approx(0.5)


def test_the_cli_checks_and_settles(url, tmp_path):
    # Setup
    ledger = _funded(url)
    ledger.reserve(run_id="run-cli", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
    env = _env(SYNTHSTUDIO_HOME=os.environ["SYNTHSTUDIO_HOME"], SYNTHSTUDIO_DB_URL=url)
    cli = [sys.executable, "-m", "synthstudio_kernel.privacy.ledger"]

    # Run
    check = subprocess.run([*cli, "check"], env=env, capture_output=True, text=True, timeout=120)
    settle = subprocess.run(
        [*cli, "settle-stale", "--run", "run-cli"], env=env, capture_output=True, text=True, timeout=120
    )
    bad = subprocess.run(
        [*cli, "--url", "nosuch://u:hunter2@h/db", "check"], env=env, capture_output=True, text=True, timeout=120
    )

    # Assert
    assert check.returncode == 0 and "run-cli" in check.stdout, check.stderr
    assert settle.returncode == 0 and "Settled run run-cli" in settle.stdout, settle.stderr
    assert ledger.get_run("run-cli").status == "failed"
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "hunter2" not in bad.stderr


# --- kill -9 during settle --------------------------------------------------------------------------
_KILLED_IN_SETTLE = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.orm import Session
from synthstudio_kernel.privacy.ledger import Ledger

@event.listens_for(Session, "after_flush")
def die(session, _ctx):
    os.kill(os.getpid(), signal.SIGKILL)   # the release and settle rows are written, not committed

Ledger(sys.argv[1]).settle(run_id="run-k", epsilon_spent=0.3, status="succeeded")
"""


def test_kill_9_during_settle_loses_nothing_and_settle_stale_closes_the_run(url):
    # Setup
    ledger = _funded(url, total=2.0)
    ledger.reserve(run_id="run-k", dataset_id="ds", epsilon=0.5, delta=1e-6, method="dp-tvae")
    before = ledger.budget("ds")

    # Run
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_IN_SETTLE, url],
        env=_env(SYNTHSTUDIO_HOME=os.environ["SYNTHSTUDIO_HOME"]),
        capture_output=True,
        timeout=120,
    )

    # Assert: the settle never happened; the reservation still counts; check sees it open
    assert done.returncode == -signal.SIGKILL
    mid = ledger.budget("ds")
    assert (mid.spent, mid.reserved, mid.remaining) == (before.spent, before.reserved, before.remaining)
    report = check_ledger(ledger)
    assert report.ok and [r.run_id for r in report.open_reservations] == ["run-k"]

    settle_stale(ledger, run_ids=["run-k"])
    after = ledger.budget("ds")
    assert after.spent == pytest.approx(0.5) and after.reserved == 0.0
    assert after.remaining == pytest.approx(before.remaining)


def test_ledger_errors_are_synthstudio_errors():
    assert issubclass(LedgerBusy, LedgerError) and issubclass(LedgerError, SynthStudioError)


def test_setting_validation(monkeypatch):
    from synthstudio_kernel import settings

    monkeypatch.setenv("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT", "soon")
    with pytest.raises(SynthStudioError, match="number of seconds"):
        settings.ledger_lock_timeout()
    monkeypatch.setenv("SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT", "2.5")
    assert settings.ledger_lock_timeout() == 2.5
