"""The run log and attestations on PostgreSQL: append-only triggers, chain, keyed hashes."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from synthstudio_kernel.privacy.ledger import Ledger, runlog
from synthstudio_kernel.privacy.ledger import attestations as store

PG_URL = os.environ.get("SYNTHSTUDIO_TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL,
        reason='SYNTHSTUDIO_TEST_PG_URL is not set; start a throwaway server with: eval "$(bash scripts/postgres.sh)"',
    ),
]


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(False)
    led = Ledger(url)
    try:
        yield led
    finally:
        led.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def test_run_log_and_attestations_on_postgres(ledger: Ledger) -> None:
    # Setup
    ledger.register_dataset(name="pg", fingerprint="f" * 64, rows=10, total_epsilon=1.0)
    run_id = uuid.uuid4().hex
    ledger.record_run(run_id=run_id, dataset_id="pg", method="ctgan", params={}, status="succeeded")

    # Run
    runlog.sync_runs(ledger)
    store.attest(ledger, run_id, framework="soc2", who="Aud", role="auditor", statement="sampled", expires="2099-01-01")
    intact = runlog.verify_run_log(ledger)
    with pytest.raises(Exception, match="append-only"), ledger.engine.begin() as conn:
        conn.execute(text("UPDATE run_log SET \"user\" = 'x' WHERE seq = 1"))
    with ledger.engine.begin() as conn:
        conn.execute(text("ALTER TABLE run_log DISABLE TRIGGER run_log_append_only"))
        conn.execute(text("UPDATE run_log SET \"user\" = 'x' WHERE seq = 1"))
    broken = runlog.verify_run_log(ledger)

    # Assert
    assert intact.ok and intact.entries == 2
    assert store.attestations(ledger, run_id)[0].who == "Aud"
    assert not broken.ok and broken.first_bad_seq == 1
