"""The ledger's audit tables (schema step 3): attestations, the hash-chained run log and the
key that makes input hashes keyed.

- ``audit_keys``: random secrets created once per ledger (``purpose`` "input-hash": the HMAC key
  for input hashes in shared documents, so that no raw hash of a table ever leaves the ledger).
- ``attestations``: human claims (who, role, statement, expiry, evidence hashes) about a run
  and a framework. Append-only: a withdrawal is a new row.
- ``run_log``: an append-only journal whose every entry carries the SHA-256 of its content and
  of the entry before it, so that editing, removing or reordering a row breaks the chain
  (:func:`synthstudio_kernel.privacy.ledger.runlog.verify_run_log`).

Times that enter a hash are stored as ISO text, exactly as hashed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import NAMING_CONVENTION, Base, JSONDoc, UTCDateTime


class AuditKeyRow(Base):
    """A secret of the ledger (hex), one per purpose."""

    __tablename__ = "audit_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purpose: Mapped[str] = mapped_column(String(40), unique=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[Any] = mapped_column(UTCDateTime)


class AttestationRow(Base):
    """One attestation: a person's statement about a run under a framework."""

    __tablename__ = "attestations"
    __table_args__ = (Index(None, "run_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(64))
    framework: Mapped[str] = mapped_column(String(20))
    claim: Mapped[str] = mapped_column(String(100))
    who: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text)
    attested_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    evidence: Mapped[Any] = mapped_column(JSONDoc)
    entry_hash: Mapped[str] = mapped_column(String(64))


class RunLogRow(Base):
    """One entry of the hash-chained run log."""

    __tablename__ = "run_log"
    __table_args__ = (Index(None, "run_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    logged_at: Mapped[str] = mapped_column(String(40))
    user: Mapped[str] = mapped_column(String(200))
    input_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    config: Mapped[Any] = mapped_column(JSONDoc)
    versions: Mapped[Any] = mapped_column(JSONDoc)
    outputs: Mapped[Any] = mapped_column(JSONDoc)
    details: Mapped[Any] = mapped_column(JSONDoc)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


def upgrade_audit_tables(conn: Connection) -> None:
    """Schema step: audit_keys, attestations and run_log (a frozen snapshot of the tables above)."""
    md = MetaData(naming_convention=NAMING_CONVENTION)
    Table(
        "audit_keys",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("purpose", String(40), nullable=False, unique=True),
        Column("secret", String(128), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )
    attestations = Table(
        "attestations",
        md,
        Column("id", String(64), primary_key=True),
        Column("run_id", String(64), nullable=False),
        Column("framework", String(20), nullable=False),
        Column("claim", String(100), nullable=False),
        Column("who", String(200), nullable=False),
        Column("role", String(200), nullable=False),
        Column("statement", Text, nullable=False),
        Column("attested_at", String(40), nullable=False),
        Column("expires_at", String(40), nullable=True),
        Column("evidence", JSONDoc, nullable=False),
        Column("entry_hash", String(64), nullable=False),
    )
    run_log = Table(
        "run_log",
        md,
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("kind", String(20), nullable=False),
        Column("run_id", String(64), nullable=True),
        Column("logged_at", String(40), nullable=False),
        Column("user", String(200), nullable=False),
        Column("input_hash", String(64), nullable=True),
        Column("config", JSONDoc, nullable=False),
        Column("versions", JSONDoc, nullable=False),
        Column("outputs", JSONDoc, nullable=False),
        Column("details", JSONDoc, nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("entry_hash", String(64), nullable=False, unique=True),
    )
    Index(None, attestations.c.run_id)
    Index(None, run_log.c.run_id)
    md.create_all(conn)
    _append_only(conn, ("run_log", "attestations"))


def _append_only(conn: Connection, tables: tuple[str, ...]) -> None:
    """Database triggers refuse UPDATE and DELETE on these tables (SQLite and PostgreSQL).

    Someone with full control of the database can drop a trigger; the run log's hash chain is
    what then detects the change.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION synthstudio_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$body$ BEGIN RAISE EXCEPTION 'this Synth Studio audit table is append-only'; END $body$"
        )
    for table in tables:
        if dialect == "sqlite":
            for op in ("UPDATE", "DELETE"):
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        elif dialect == "postgresql":
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION synthstudio_append_only()"
            )
