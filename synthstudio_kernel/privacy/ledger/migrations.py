"""Versioned ledger schema: ordered migration steps, applied when a ledger is opened.

Each step is a function over a connection, written against a frozen snapshot of the
tables as they were at that version (never against :mod:`.models`, which always shows
the latest schema). Applied steps are recorded in ``schema_version``. All pending steps
run in one write transaction: on SQLite ``BEGIN IMMEDIATE`` (other processes wait), on
PostgreSQL under a transaction-scoped advisory lock, so two kernels opening a new
database at once migrate it once. A database newer than this code is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Double,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
)

from ...errors import ArtifactError
from .audit_models import upgrade_audit_tables
from .engine import write_connection
from .models import CHARGE_KINDS, NAMING_CONVENTION, RUN_STATUSES, JSONDoc, SchemaVersion, UTCDateTime, utcnow

#: Any constant works; it only has to be the same for every Synth Studio process.
_PG_MIGRATION_LOCK = 0x5_7E_57_D1


@dataclass(frozen=True)
class Migration:
    """One schema step: ``upgrade(connection)`` runs inside the migration transaction."""

    version: int
    description: str
    upgrade: Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    """datasets, runs and charges (the first released schema, frozen here)."""
    md = MetaData(naming_convention=NAMING_CONVENTION)
    Table(
        "datasets",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(200), nullable=False, unique=True),
        Column("fingerprint", String(64), nullable=False, unique=True),
        Column("rows", Integer, nullable=False),
        Column("total_epsilon", Double, nullable=False),
        Column("registered", Boolean, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )
    Table(
        "runs",
        md,
        Column("id", String(64), primary_key=True),
        Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
        Column("method", String(100), nullable=False),
        Column("status", String(20), nullable=False),
        Column("private", Boolean, nullable=False),
        Column("epsilon_target", Double),
        Column("epsilon_spent", Double),
        Column("delta", Double),
        Column("params", JSONDoc, nullable=False),
        Column("accounting", JSONDoc),
        Column("started_at", UTCDateTime, nullable=False),
        Column("finished_at", UTCDateTime),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in RUN_STATUSES)})", name="status"),
    )
    Table(
        "charges",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
        Column("run_id", String(64), ForeignKey("runs.id"), nullable=False),
        Column("epsilon", Double, nullable=False),
        Column("delta", Double, nullable=False),
        Column("kind", String(10), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in CHARGE_KINDS)})", name="kind"),
        CheckConstraint("epsilon >= 0 AND delta >= 0", name="nonnegative"),
    )
    md.create_all(conn)


def _v2_facts_and_indexes(conn: Connection) -> None:
    """runs.facts (PII handling, evaluation, safety per run) and indexes for run history."""
    facts = Column("facts", JSONDoc, nullable=True)
    column_type = facts.type.compile(dialect=conn.dialect)
    preparer = conn.dialect.identifier_preparer
    conn.execute(text(f"ALTER TABLE {preparer.quote('runs')} ADD COLUMN {preparer.quote('facts')} {column_type}"))
    md = MetaData(naming_convention=NAMING_CONVENTION)
    runs = Table("runs", md, autoload_with=conn)
    charges = Table("charges", md, autoload_with=conn)
    Index(None, runs.c.dataset_id, runs.c.started_at).create(conn)
    Index(None, charges.c.dataset_id).create(conn)
    Index(None, charges.c.run_id).create(conn)


def _v3_dataset_versions(conn: Connection) -> None:
    """dataset_versions: other content versions of a named dataset, sharing its budget."""
    md = MetaData(naming_convention=NAMING_CONVENTION)
    Table("datasets", md, autoload_with=conn)
    versions = Table(
        "dataset_versions",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
        Column("fingerprint", String(64), nullable=False, unique=True),
        Column("rows", Integer, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )
    versions.create(conn)
    Index(None, versions.c.dataset_id).create(conn)


#: Every step, in order. Append new steps; never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "datasets, runs and charges", _v1_initial),
    Migration(2, "run facts; indexes for run history", _v2_facts_and_indexes),
    Migration(3, "dataset versions sharing one budget", _v3_dataset_versions),
    Migration(4, "audit: attestations, hash-chained run log, keys", upgrade_audit_tables),  # compliance (issue 14)
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The schema version recorded in the database (0 for an empty database)."""
    if not inspect(conn).has_table(SchemaVersion.__tablename__):
        return 0
    version = conn.execute(select(func.max(SchemaVersion.version))).scalar()
    return int(version or 0)


def migrate(engine: Engine, *, target: int = LATEST_VERSION) -> int:
    """Bring the database up to ``target`` (default: latest) and return its version."""
    with engine.connect() as conn:
        version = current_version(conn)
    _refuse_newer(engine, version)
    if version >= target:
        return version
    with write_connection(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        SchemaVersion.metadata.tables[SchemaVersion.__tablename__].create(conn, checkfirst=True)
        version = current_version(conn)  # another process may have migrated meanwhile
        _refuse_newer(engine, version)
        for step in MIGRATIONS:
            if version < step.version <= target:
                step.upgrade(conn)
                conn.execute(
                    insert(SchemaVersion).values(
                        version=step.version, description=step.description, applied_at=utcnow()
                    )
                )
                version = step.version
    return version


def _refuse_newer(engine: Engine, version: int) -> None:
    if version > LATEST_VERSION:
        raise ArtifactError(
            f"The privacy ledger at {engine.url.render_as_string(hide_password=True)} has schema version "
            f"{version}, newer than this Synth Studio understands ({LATEST_VERSION}). "
            "Upgrade synthstudio_kernel to use it."
        )
