"""Several processes at once (spawned, like separate kernels) on one SQLite ledger file."""

from __future__ import annotations

import multiprocessing as mp
import uuid

from sqlalchemy import select

from synthstudio_kernel.privacy.ledger import Ledger
from synthstudio_kernel.privacy.ledger.migrations import LATEST_VERSION, MIGRATIONS
from synthstudio_kernel.privacy.ledger.models import SchemaVersion
from synthstudio_kernel.privacy.ledger.stress import race


def test_racing_processes_never_overspend_a_sqlite_budget(tmp_path):
    # Setup: room for exactly 8 runs of 0.25
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    ledger = Ledger(url)
    ledger.register_dataset(name="shared", fingerprint=uuid.uuid4().hex, rows=100, total_epsilon=2.0)

    # Run
    result = race(url, dataset="shared", processes=6, epsilon=0.25)

    # Assert
    assert result.errors == ()
    assert result.granted == result.expected_grants == 8
    assert result.refused == 6  # every process stopped at BudgetExceeded
    assert not result.overspent and ledger.budget("shared").spent == 2.0


def test_racing_reservations_without_settle_never_overbook(tmp_path):
    # Setup
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    Ledger(url).register_dataset(name="shared", fingerprint=uuid.uuid4().hex, rows=100, total_epsilon=3.0)

    # Run
    result = race(url, dataset="shared", processes=4, epsilon=0.5, settle=False)

    # Assert
    assert result.errors == () and result.granted == 6 and (result.spent, result.reserved) == (0.0, 3.0)


def _open(url: str, out) -> None:
    out.put(Ledger(url).schema_version)


def test_processes_opening_a_new_database_together_migrate_it_once(tmp_path):
    # Setup
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_open, args=(url, out)) for _ in range(4)]

    # Run
    for p in procs:
        p.start()
    versions = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)

    # Assert
    with Ledger(url).engine.connect() as conn:
        applied = conn.execute(select(SchemaVersion.version)).scalars().all()
    assert versions == [LATEST_VERSION] * 4
    assert sorted(applied) == [m.version for m in MIGRATIONS]
