"""The ledger's tables (SQLAlchemy 2 declarative), at the latest schema version.

What is stored: dataset names, content fingerprints, row counts, budgets, run
parameters, privacy accounting and per-run facts (PII handling, evaluation scores,
safety checks). Never a value from the data itself.

``charges`` is an append-only journal. A DP run writes a ``reserve`` row before it
touches the data; ``settle`` writes a ``release`` row cancelling the reservation and a
``settle`` row with the ε actually spent. So for a dataset:

- spent    = sum(settle)
- reserved = sum(reserve) - sum(release)   (runs still in progress, or that died)
- remaining = total - spent - reserved

:mod:`.migrations` builds these tables step by step; a test checks that a migrated
database matches this module exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Constraint names that are the same on every database (and in migrations).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON documents: JSONB on PostgreSQL, JSON (text) elsewhere.
JSONDoc = JSON().with_variant(JSONB(), "postgresql")
UTCDateTime = DateTime(timezone=True)

CHARGE_KINDS = ("reserve", "settle", "release")
RUN_STATUSES = ("reserved", "succeeded", "failed", "stopped", "refused")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SchemaVersion(Base):
    """One row per applied migration step."""

    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DatasetRow(Base):
    """A budgeted dataset: one privacy budget per distinct table content."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column(Integer)
    total_epsilon: Mapped[float] = mapped_column(Double)
    registered: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RunRow(Base):
    """One training run (DP or not) on a dataset."""

    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in RUN_STATUSES)})", name="status"),
        Index(None, "dataset_id", "started_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    method: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    private: Mapped[bool] = mapped_column(Boolean)
    epsilon_target: Mapped[float | None] = mapped_column(Double, nullable=True)
    epsilon_spent: Mapped[float | None] = mapped_column(Double, nullable=True)
    delta: Mapped[float | None] = mapped_column(Double, nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    accounting: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc, nullable=True)
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ChargeRow(Base):
    """One journal entry against a dataset's budget (append-only)."""

    __tablename__ = "charges"
    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in CHARGE_KINDS)})", name="kind"),
        CheckConstraint("epsilon >= 0 AND delta >= 0", name="nonnegative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    epsilon: Mapped[float] = mapped_column(Double)
    delta: Mapped[float] = mapped_column(Double)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DatasetVersionRow(Base):
    """Another content version of a named dataset: it shares the dataset's budget.

    A table trained under a known name whose fingerprint differs from the registered one
    (a row added or removed, a column changed) is recorded here, so that edits never buy
    a fresh budget.
    """

    __tablename__ = "dataset_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# The audit tables (attestations, run log) live in their own module, on the same Base.
from . import audit_models as _audit_models  # noqa: E402, F401
