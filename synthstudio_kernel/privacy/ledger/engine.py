"""Database engines for the ledger, set up so that budget checks cannot race.

SQLite (the default, a file in ``SYNTHSTUDIO_HOME``): WAL journal so readers never
block the writer, a busy timeout so a second process waits for the lock (5 s by default,
``SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT``) and then gets a clear "ledger busy" error, foreign
keys on, and ``BEGIN IMMEDIATE`` for write transactions: the write lock is taken before
the budget is read, so two processes can never both pass the check on the same remaining
budget. A ledger file that existed and is now missing or empty is refused (:mod:`.marker`).

Every database failure (unknown scheme, missing driver, a path that cannot be created, a
damaged file, an unreachable server, a held lock) becomes one
:class:`~synthstudio_kernel.errors.LedgerError` naming the URL without its password.
Integrity errors are left alone: the ledger handles those itself (a concurrent insert).

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
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from ... import settings
from ...errors import LedgerBusy, LedgerError
from . import marker

_WRITE_OPTION = "synthstudio_write"
_EXAMPLES = "e.g. sqlite:////path/ledger.db or postgresql+psycopg://user:password@host/db"


def make_engine(url: str, *, busy_timeout_s: float | None = None) -> Engine:
    """An engine for ``url`` with the ledger's locking set up (see the module doc).

    ``busy_timeout_s`` (default :func:`settings.ledger_lock_timeout`) is how long a write
    waits for another process's lock before :class:`LedgerBusy`.
    """
    timeout = settings.ledger_lock_timeout() if busy_timeout_s is None else float(busy_timeout_s)
    try:
        parsed = make_url(url)
    except Exception:  # sqlalchemy raises ArgumentError with the URL (and its password) in it
        raise LedgerError(f"SYNTHSTUDIO_DB_URL is not a valid SQLAlchemy URL ({_EXAMPLES}).") from None
    shown = safe_url(parsed)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(parsed, shown, timeout)
        else:
            engine = _server_engine(parsed, timeout)
    except LedgerError:
        raise
    except (sa_exc.NoSuchModuleError, sa_exc.ArgumentError):
        raise LedgerError(
            f"The privacy ledger URL {shown} names an unknown database type {parsed.drivername!r}; "
            f"check SYNTHSTUDIO_DB_URL ({_EXAMPLES})."
        ) from None
    except ModuleNotFoundError as exc:
        raise LedgerError(
            f"The database driver for {parsed.drivername!r} ({shown}) is not installed ({exc.name}); "
            "for PostgreSQL install psycopg (pip install 'psycopg[binary]')."
        ) from None
    except OSError as exc:
        raise LedgerError(
            f"The privacy ledger at {shown} cannot be created ({exc.strerror or type(exc).__name__}); "
            "check SYNTHSTUDIO_DB_URL or SYNTHSTUDIO_HOME."
        ) from None
    _translate_errors(engine, shown, timeout)
    return engine


def safe_url(url: str | URL) -> str:
    """``url`` as text with its password hidden."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
        return parsed.render_as_string(hide_password=True)
    except Exception:
        return "<an invalid URL>"


def _server_engine(parsed: URL, timeout: float) -> Engine:
    if parsed.drivername == "postgresql" and _installed("psycopg") and not _installed("psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # plain postgresql:// means psycopg2 to SQLAlchemy
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "postgresql":
        # A held row lock fails after `timeout` instead of waiting forever; connecting has its own bound.
        # Options already in the URL (e.g. a search_path) are kept: ours are appended to them.
        given = parsed.query.get("options")
        given = " ".join(given) if isinstance(given, tuple) else (given or "")
        kwargs["connect_args"] = {
            "options": f"{given} -c lock_timeout={int(timeout * 1000)}".strip(),
            "connect_timeout": max(1, int(timeout) or 1),
        }
        parsed = parsed.difference_update_query(["options"])
    return create_engine(parsed, **kwargs)


def _translate_errors(engine: Engine, shown: str, timeout: float) -> None:
    """Replace every database failure except integrity errors by one LedgerError naming ``shown``."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        error = context.sqlalchemy_exception
        original = context.original_exception
        if isinstance(error, sa_exc.IntegrityError) or isinstance(original, LedgerError):
            return
        if not isinstance(error, sa_exc.DBAPIError) or not isinstance(original, Exception):
            return
        raise database_error(shown, original, timeout) from original


def database_error(shown: str, original: BaseException, timeout: float | None = None) -> LedgerError:
    """The one clear error for a database failure at ``shown`` (no password, no SQL, no values)."""
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    lowered = text.lower()
    pgcode = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if "database is locked" in lowered or "database table is locked" in lowered or pgcode in ("55P03", "40P01"):
        wait = settings.ledger_lock_timeout() if timeout is None else timeout
        return LedgerBusy(
            f"The privacy ledger at {shown} is busy: another process held its write lock for more than "
            f"{wait:g} s. Nothing was recorded; try again when the other run has finished (raise "
            "SYNTHSTUDIO_LEDGER_LOCK_TIMEOUT to wait longer)."
        )
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return LedgerError(
            f"The privacy ledger at {shown} is damaged ({_reason(text)}). Nothing was recorded. Restore it from a "
            "backup; `python -m synthstudio_kernel.privacy.ledger check` reports what is readable."
        )
    if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        return LedgerError(
            f"The privacy ledger at {shown} cannot be opened for writing ({_reason(text)}); check that its folder "
            "exists and is writable, or set SYNTHSTUDIO_DB_URL."
        )
    return LedgerError(
        f"The privacy ledger at {shown} cannot be used ({_reason(text)}). Check SYNTHSTUDIO_DB_URL and that the "
        "database is reachable; nothing was recorded."
    )


def _reason(text: str) -> str:
    """The driver's message without anything that could carry a URL, SQL or a value (kept short)."""
    first = text.split("\n")[0].split("[SQL:")[0].strip()
    for secret_bearing in ("://", "password", "@"):
        if secret_bearing in first.lower():
            return "connection failed"
    return first[:160]


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _sqlite_engine(url: URL, shown: str, busy_timeout_s: float) -> Engine:
    database = url.database
    in_memory = database in (None, "", ":memory:") or str(database).startswith("file::memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout_s}}
    path: Path | None = None
    if in_memory:
        kwargs = {"connect_args": {"check_same_thread": False}, "poolclass": StaticPool}
    else:
        path = Path(str(database)).expanduser()
        if path.is_dir():
            raise LedgerError(
                f"The privacy ledger at {shown} cannot be used (it is a folder); point SYNTHSTUDIO_DB_URL at a file."
            )
        marker.check_present(path, shown)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    if path is not None:
        ledger_file = path

        @event.listens_for(engine, "do_connect")
        def _before_connect(*_args: Any) -> None:
            marker.check_present(ledger_file, shown)  # never let SQLite create a fresh file in its place

        @event.listens_for(engine, "checkout")
        def _on_checkout(*_args: Any) -> None:
            marker.check_present(ledger_file, shown)

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
        if path is not None and path.is_file() and path.stat().st_size > 0:
            marker.remember(path)

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
