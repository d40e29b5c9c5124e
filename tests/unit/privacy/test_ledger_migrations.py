"""The versioned schema: fresh databases, an old database migrated in place, models in step."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import MetaData, Table, create_engine, insert, inspect, select

from synthstudio_kernel.errors import ArtifactError
from synthstudio_kernel.privacy.ledger import Ledger
from synthstudio_kernel.privacy.ledger.engine import make_engine
from synthstudio_kernel.privacy.ledger.migrations import LATEST_VERSION, MIGRATIONS, current_version, migrate
from synthstudio_kernel.privacy.ledger.models import Base, SchemaVersion, utcnow


def schema_of(engine) -> dict:
    """Tables, columns (type, nullability), indexes, unique, foreign-key and check constraints."""
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": {c["name"]: (str(c["type"]), c["nullable"]) for c in insp.get_columns(table)},
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(table)),
            "checks": sorted(c["name"] or "" for c in insp.get_check_constraints(table)),
        }
    return out


def test_a_new_database_is_created_at_the_latest_version(tmp_path):
    # Run
    ledger = Ledger(f"sqlite:///{tmp_path / 'new.db'}")

    # Assert
    with ledger.engine.connect() as conn:
        versions = conn.execute(select(SchemaVersion.version).order_by(SchemaVersion.version)).scalars().all()
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert ledger.schema_version == LATEST_VERSION == len(MIGRATIONS)
    assert versions == [m.version for m in MIGRATIONS]
    assert journal == "wal"


def test_migrated_schema_matches_the_models_exactly(tmp_path):
    # Setup
    migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    direct = create_engine(f"sqlite:///{tmp_path / 'direct.db'}")

    # Run
    migrate(migrated)
    Base.metadata.create_all(direct)

    # Assert
    assert schema_of(migrated) == schema_of(direct)


def test_a_version_1_database_is_migrated_in_place_keeping_its_data(tmp_path):
    # Setup: a ledger written by the first release (schema 1), with a settled charge
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_engine(url)
    assert migrate(old, target=1) == 1
    run_id = uuid.uuid4().hex
    with old.begin() as conn:
        md = MetaData()
        datasets, runs, charges = (Table(name, md, autoload_with=conn) for name in ("datasets", "runs", "charges"))
        assert "facts" not in runs.c
        ds_id = conn.execute(
            insert(datasets).values(
                name="adult", fingerprint="d" * 64, rows=30_000, total_epsilon=3.0, registered=True, created_at=utcnow()
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(runs).values(
                id=run_id, dataset_id=ds_id, method="dp-tvae", status="succeeded", private=True, epsilon_target=1.0,
                epsilon_spent=1.0, delta=1e-5, params={"epochs": 5}, accounting={"steps": 10}, started_at=utcnow(),
                finished_at=utcnow(),
            )
        )  # fmt: skip
        for kind in ("reserve", "release", "settle"):
            conn.execute(
                insert(charges).values(
                    dataset_id=ds_id, run_id=run_id, epsilon=1.0, delta=1e-5, kind=kind, created_at=utcnow()
                )
            )
    old.dispose()

    # Run
    ledger = Ledger(url)

    # Assert
    assert ledger.schema_version == LATEST_VERSION
    status = ledger.budget("adult")
    assert (status.spent, status.remaining) == (1.0, 2.0)
    assert status.runs[0].facts == {} and status.runs[0].params == {"epochs": 5}
    ledger.attach_facts(run_id, "evaluation", {"fidelity": 0.9})
    assert ledger.get_run(run_id).facts == {"evaluation": {"fidelity": 0.9}}
    assert "ix_runs_dataset_id_started_at" in {i["name"] for i in inspect(ledger.engine).get_indexes("runs")}


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    # Setup
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(SchemaVersion).values(version=LATEST_VERSION + 1, description="future", applied_at=utcnow())
        )
        assert current_version(conn) == LATEST_VERSION + 1
    engine.dispose()

    # Run / Assert
    with pytest.raises(
        ArtifactError, match=f"schema version {LATEST_VERSION + 1}, newer .* Upgrade synthstudio_kernel"
    ):
        Ledger(url)


def test_migrating_twice_is_a_no_op(tmp_path):
    # Setup
    engine = make_engine(f"sqlite:///{tmp_path / 'twice.db'}")

    # Run
    first, second = migrate(engine), migrate(engine)

    # Assert
    with engine.connect() as conn:
        rows = conn.execute(select(SchemaVersion.version)).scalars().all()
    assert first == second == LATEST_VERSION and sorted(rows) == [m.version for m in MIGRATIONS]
