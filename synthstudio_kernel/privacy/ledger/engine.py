"""Database engines for the ledger, set up so that budget checks cannot race.

SQLite (the default, a file in ``SYNTHSTUDIO_HOME``): WAL journal so readers never
block the writer, a busy timeout so a second process waits for the lock instead of
failing, foreign keys on, and ``BEGIN IMMEDIATE`` for write transactions: the write
lock is taken before the budget is read, so two processes can never both pass the
check on the same remaining budget.

PostgreSQL (and other servers): write transactions lock the dataset's row with
``SELECT ... FOR UPDATE`` before reading its charges (see :mod:`.ledger`); under READ
COMMITTED the next holder of the lock then sees every committed charge.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from ...errors import ConfigError

#: Seconds a writer waits for another process's write transaction on SQLite.
SQLITE_BUSY_TIMEOUT_S = 60.0
_WRITE_OPTION = "synthstudio_write"


def make_engine(url: str, *, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """An engine for ``url`` with the ledger's locking set up (see the module doc)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with the URL in it
        raise ConfigError(
            "SYNTHSTUDIO_DB_URL is not a valid SQLAlchemy URL (e.g. sqlite:////path/ledger.db or "
            "postgresql+psycopg://user:password@host/db)."
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, busy_timeout_s)
    if parsed.drivername == "postgresql" and _installed("psycopg") and not _installed("psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # plain postgresql:// means psycopg2 to SQLAlchemy
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"The database driver for {parsed.drivername!r} is not installed ({exc.name}); "
            "for PostgreSQL install psycopg (pip install 'psycopg[binary]')."
        ) from None


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _sqlite_engine(url: str, database: str | None, busy_timeout_s: float) -> Engine:
    in_memory = database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout_s}}
    if in_memory:
        kwargs = {"connect_args": {"check_same_thread": False}, "poolclass": StaticPool}
    else:
        Path(str(database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event (below) issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")  # a charge is on disk once committed
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock up front (SQLite)."""
    return engine.execution_options(**{_WRITE_OPTION: True})


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A Core connection inside one write transaction: committed on success, rolled back on error."""
    with writer(engine).begin() as conn:
        yield conn


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """An ORM session inside one write transaction: committed on success, rolled back on error."""
    with Session(writer(engine), expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """An ORM session for reads (one consistent snapshot; nothing is written)."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
