"""The ledger on a real PostgreSQL server (row locks, JSONB, migrations, racing processes).

Needs SYNTHSTUDIO_TEST_PG_URL; `eval "$(bash scripts/postgres.sh)"` starts a throwaway
server and sets it. Each test works in its own PostgreSQL schema, dropped afterwards.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, event, insert, inspect, text
from sqlalchemy.engine import make_url

from synthstudio_kernel.errors import BudgetExceeded, PrivacyError
from synthstudio_kernel.privacy.ledger import Ledger
from synthstudio_kernel.privacy.ledger.engine import make_engine
from synthstudio_kernel.privacy.ledger.migrations import LATEST_VERSION, migrate
from synthstudio_kernel.privacy.ledger.models import Base, ChargeRow, utcnow
from synthstudio_kernel.privacy.ledger.stress import race

PG_URL = os.environ.get("SYNTHSTUDIO_TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL,
        reason='SYNTHSTUDIO_TEST_PG_URL is not set; start a throwaway server with: eval "$(bash scripts/postgres.sh)"',
    ),
]
FP = "e" * 64


def schema_url(schema: str) -> str:
    return make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema; returns a URL whose search_path points at it."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield schema_url(name)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def ledger(pg_schema) -> Iterator[Ledger]:
    ledger = Ledger(pg_schema)
    yield ledger
    ledger.close()


def test_reserve_settle_and_refusal_on_postgres(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP, rows=1000, total_epsilon=3.0)
    runs = [uuid.uuid4().hex for _ in range(3)]

    # Run
    ledger.reserve(run_id=runs[0], dataset_id=ds.id, epsilon=1.2, delta=1e-5, method="dp-tvae", params={"epochs": 4})
    ledger.settle(run_id=runs[0], epsilon_spent=1.2, status="succeeded", accounting={"noise_multiplier": 1.3})
    ledger.reserve(run_id=runs[1], dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="dp-ctgan", params={})
    ledger.record_run(run_id=runs[2], dataset_id=ds.id, method="ctgan", params={}, status="succeeded")
    ledger.attach_facts(runs[2], "pii", {"direct": 1, "quasi": ["age"]})

    # Assert
    with pytest.raises(BudgetExceeded, match=r"dataset 'x' has 0\.8 of 3\.0 ε left; this run needs 1\.0"):
        ledger.reserve(run_id=uuid.uuid4().hex, dataset_id=ds.id, epsilon=1.0, delta=1e-5, method="m", params={})
    status = ledger.budget("x")
    assert (status.spent, status.reserved, status.remaining) == (1.2, 1.0, pytest.approx(0.8))
    assert status.non_private_runs == 1 and status.private_runs == 2 and status.open_reservations == 1
    assert ledger.get_run(runs[0]).accounting == {"noise_multiplier": 1.3}
    assert ledger.get_run(runs[2]).facts == {"pii": {"direct": 1, "quasi": ["age"]}}
    assert ledger.get_run(runs[0]).started_at.tzinfo is not None
    with pytest.raises(PrivacyError, match="not the one registered"):
        ledger.resolve_dataset(fingerprint="f" * 64, rows=10, name="x")


def test_failed_reserve_rolls_back_on_postgres(ledger):
    # Setup
    ds = ledger.register_dataset(name="x", fingerprint=FP, rows=1000, total_epsilon=3.0)

    def boom(mapper, connection, target):
        raise RuntimeError("injected")

    event.listen(ChargeRow, "before_insert", boom)
    try:
        # Run
        with pytest.raises(RuntimeError, match="injected"):
            ledger.reserve(run_id=uuid.uuid4().hex, dataset_id=ds.id, epsilon=1.0, delta=0.0, method="m", params={})
    finally:
        event.remove(ChargeRow, "before_insert", boom)

    # Assert
    assert ledger.list_runs() == [] and ledger.budget("x").remaining == 3.0


def test_reserve_waits_for_the_dataset_row_lock(ledger):
    # Setup: another session holds the dataset row. FOR NO KEY UPDATE conflicts with reserve()'s
    # FOR UPDATE but not with the key-share lock of a foreign-key check, so only a reserve() that
    # locks the row before reading the budget waits here.
    ds = ledger.register_dataset(name="x", fingerprint=FP, rows=1000, total_epsilon=3.0)
    holder = ledger.engine.connect()
    trans = holder.begin()
    holder.execute(text("SELECT id FROM datasets WHERE id = :id FOR NO KEY UPDATE"), {"id": ds.id})
    done = threading.Event()

    def reserve() -> None:
        ledger.reserve(run_id=uuid.uuid4().hex, dataset_id=ds.id, epsilon=1.0, delta=0.0, method="m", params={})
        done.set()

    worker = threading.Thread(target=reserve)

    # Run
    worker.start()
    blocked = not done.wait(0.7)
    trans.commit()
    holder.close()
    worker.join(10)

    # Assert
    assert blocked, "reserve() read the budget without waiting for the row lock"
    assert done.is_set() and ledger.budget("x").reserved == 1.0


def test_racing_processes_never_overspend_a_postgres_budget(ledger, pg_schema):
    # Setup: room for exactly 10 runs of 0.2
    ledger.register_dataset(name="shared", fingerprint=FP, rows=100, total_epsilon=2.0)

    # Run
    result = race(pg_schema, dataset="shared", processes=6, epsilon=0.2)

    # Assert
    assert result.errors == ()
    assert result.granted == result.expected_grants == 10
    assert not result.overspent and ledger.budget("shared").spent == pytest.approx(2.0)


def test_version_1_database_is_migrated_on_postgres(pg_schema):
    # Setup
    old = make_engine(pg_schema)
    migrate(old, target=1)
    with old.begin() as conn:
        conn.execute(
            insert(Base.metadata.tables["datasets"]).values(
                name="old", fingerprint=FP, rows=5, total_epsilon=1.0, registered=True, created_at=utcnow()
            )
        )
    old.dispose()

    # Run
    ledger = Ledger(pg_schema)

    # Assert
    assert ledger.schema_version == LATEST_VERSION
    assert "facts" in {c["name"] for c in inspect(ledger.engine).get_columns("runs")}
    assert ledger.budget("old").remaining == 1.0
    ledger.close()


def test_migrated_postgres_schema_matches_the_models(pg_schema):
    # Setup
    other = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{other}"'))
    migrated, direct = make_engine(pg_schema), create_engine(schema_url(other))
    try:
        # Run
        migrate(migrated)
        Base.metadata.create_all(direct)

        # Assert
        def shape(engine):
            insp = inspect(engine)
            return {
                t: (
                    {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(t)},
                    sorted(i["name"] for i in insp.get_indexes(t)),
                    sorted(c["name"] for c in insp.get_check_constraints(t)),
                    sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
                )
                for t in sorted(insp.get_table_names())
            }

        assert shape(migrated) == shape(direct)
        assert shape(migrated)["runs"][0]["params"][0] == "JSONB"
    finally:
        migrated.dispose()
        direct.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{other}" CASCADE'))
        admin.dispose()


def test_unreachable_server_is_one_readable_error():
    # Setup: nothing listens on port 9 (discard)
    url = make_url(PG_URL).set(port=9, host="127.0.0.1").render_as_string(False)
    started = time.monotonic()

    # Run / Assert
    with pytest.raises(Exception, match=r"privacy ledger at postgresql\+psycopg://synthstudio:\*\*\*@") as info:
        Ledger(url)
    assert "SYNTHSTUDIO_DB_URL" in str(info.value) and time.monotonic() - started < 30


def test_plain_postgresql_url_uses_psycopg(pg_schema):
    # Setup: postgresql:// without a driver means psycopg2 to SQLAlchemy, which is not installed
    if importlib.util.find_spec("psycopg2") is not None:
        pytest.skip("psycopg2 is installed, so SQLAlchemy's default driver works as is")
    plain = pg_schema.replace("postgresql+psycopg://", "postgresql://")

    # Run
    ledger = Ledger(plain)

    # Assert
    assert ledger.engine.url.drivername == "postgresql+psycopg" and ledger.list_datasets() == []
    ledger.close()
