"""The append-only, hash-chained run log, and keyed input hashes.

Each entry holds who (OS user), when, what (kind: ``train``, ``export``, ``attest``,
``report``), the run, a *keyed* hash of the input (HMAC-SHA256 of the dataset fingerprint
with a secret kept in the ledger, so a shared document never carries a raw hash of a table),
the configuration, library versions and the hashes of outputs. Its ``entry_hash`` is the
SHA-256 of ``prev_hash`` and the entry's canonical JSON; :func:`verify_run_log` recomputes the
chain and names the first row that does not fit.

Training runs enter the log when ``%load_ext synthstudio_kernel`` connected the ledger
listener, and in any case before a report, an attestation or a verification reads the log
(:func:`sync_runs` appends every ledger run not yet logged, with its own start time).
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import platform
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text

from ...errors import ConfigError
from .audit_models import AuditKeyRow, RunLogRow
from .engine import read_session, write_session
from .jsonsafe import to_json
from .models import DatasetRow, RunRow, utcnow

#: The hash every chain starts from.
GENESIS = "0" * 64
#: Kinds of run-log entries.
KINDS = ("train", "export", "attest", "report")
_INPUT_KEY = "input-hash"
_PG_LOG_LOCK = 0x5_7E_57_D2


def canonical(value: Any) -> str:
    """The canonical JSON text that is hashed (sorted keys, no spaces, UTF-8)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): say so rather than guess
        return "unknown"


def current_versions() -> dict[str, str]:
    """Versions of the software writing the entry."""
    from importlib import metadata

    from ... import __version__

    out = {"synthstudio_kernel": __version__, "python": platform.python_version()}
    for name in ("pandas", "numpy", "torch", "opacus", "sdv", "presidio-analyzer", "sqlalchemy"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


# -- keyed hashes ------------------------------------------------------------------------------


def ledger_key(ledger: Any, purpose: str = _INPUT_KEY) -> bytes:
    """The ledger's secret for ``purpose``, created (32 random bytes) on first use."""
    with read_session(ledger.engine) as s:
        row = s.execute(select(AuditKeyRow).where(AuditKeyRow.purpose == purpose)).scalar_one_or_none()
        if row is not None:
            return bytes.fromhex(row.secret)
    with write_session(ledger.engine) as s:
        row = s.execute(select(AuditKeyRow).where(AuditKeyRow.purpose == purpose)).scalar_one_or_none()
        if row is None:
            row = AuditKeyRow(purpose=purpose, secret=secrets.token_hex(32), created_at=utcnow())
            s.add(row)
        return bytes.fromhex(row.secret)


def keyed_hash(ledger: Any, value: str) -> str:
    """HMAC-SHA256 of ``value`` under the ledger's input-hash key (hex)."""
    return hmac.new(ledger_key(ledger), value.encode("utf-8"), hashlib.sha256).hexdigest()


def file_sha256(path: Any) -> str:
    """SHA-256 of a file (outputs: synthetic data, reports; never the private input)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- entries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One run-log entry as stored."""

    seq: int
    kind: str
    run_id: str | None
    logged_at: str
    user: str
    input_hash: str | None
    config: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    entry_hash: str = ""

    def content(self) -> dict[str, Any]:
        """What the entry hash covers (everything but the hash itself)."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "run_id": self.run_id,
            "logged_at": self.logged_at,
            "user": self.user,
            "input_hash": self.input_hash,
            "config": self.config,
            "versions": self.versions,
            "outputs": self.outputs,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + canonical(self.content())).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {**self.content(), "entry_hash": self.entry_hash}


def _entry(row: RunLogRow) -> LogEntry:
    return LogEntry(
        seq=row.seq,
        kind=row.kind,
        run_id=row.run_id,
        logged_at=row.logged_at,
        user=row.user,
        input_hash=row.input_hash,
        config=dict(row.config or {}),
        versions=dict(row.versions or {}),
        outputs=dict(row.outputs or {}),
        details=dict(row.details or {}),
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
    )


def append(
    ledger: Any,
    *,
    kind: str,
    run_id: str | None = None,
    input_hash: str | None = None,
    config: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    logged_at: str | None = None,
) -> LogEntry:
    """Append one entry at the end of the chain (one write transaction; never updates a row)."""
    if kind not in KINDS:
        raise ConfigError(f"Run-log entries are one of {', '.join(KINDS)}, not {kind!r}.")
    with write_session(ledger.engine) as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOG_LOCK})
        last = s.execute(select(RunLogRow).order_by(RunLogRow.seq.desc()).limit(1)).scalar_one_or_none()
        entry = LogEntry(
            seq=(last.seq + 1) if last is not None else 1,
            kind=kind,
            run_id=run_id,
            logged_at=logged_at or _now(),
            user=_user(),
            input_hash=input_hash,
            config=to_json(dict(config or {}), what="run-log config"),
            versions=current_versions(),
            outputs=to_json(dict(outputs or {}), what="run-log outputs"),
            details=to_json(dict(details or {}), what="run-log details"),
            prev_hash=last.entry_hash if last is not None else GENESIS,
        )
        entry = LogEntry(**{**entry.__dict__, "entry_hash": entry.compute_hash()})
        s.add(RunLogRow(**entry.to_dict()))
    return entry


def entries(ledger: Any, *, run_id: str | None = None, kind: str | None = None) -> list[LogEntry]:
    """Entries in chain order, optionally of one run or kind."""
    with read_session(ledger.engine) as s:
        query = select(RunLogRow).order_by(RunLogRow.seq)
        if run_id is not None:
            query = query.where(RunLogRow.run_id == run_id)
        if kind is not None:
            query = query.where(RunLogRow.kind == kind)
        return [_entry(row) for row in s.execute(query).scalars()]


# -- training runs -----------------------------------------------------------------------------


def _run_entry_fields(ledger: Any, run: RunRow, fingerprint: str) -> dict[str, Any]:
    accounting = dict(run.accounting or {})
    return {
        "kind": "train",
        "run_id": run.id,
        "input_hash": keyed_hash(ledger, fingerprint),
        "config": {
            "method": run.method,
            "private": run.private,
            "epsilon_target": run.epsilon_target,
            "delta": run.delta,
            "params": run.params,
        },
        "outputs": {
            "status": run.status,
            "epsilon_spent": run.epsilon_spent,
            "privacy_accounting_sha256": hashlib.sha256(
                canonical(to_json(accounting, what="accounting")).encode()
            ).hexdigest()
            if accounting
            else None,
        },
        "details": {
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        },
    }


def log_run(ledger: Any, run_id: str) -> LogEntry | None:
    """Append a ``train`` entry for a finished ledger run (None if it is logged or unknown)."""
    with read_session(ledger.engine) as s:
        logged = s.scalar(
            select(func.count()).select_from(RunLogRow).where(RunLogRow.run_id == run_id, RunLogRow.kind == "train")
        )
        row = s.execute(
            select(RunRow, DatasetRow.fingerprint)
            .join(DatasetRow, RunRow.dataset_id == DatasetRow.id)
            .where(RunRow.id == run_id)
        ).first()
    if logged or row is None or row[0].status == "reserved":
        return None
    return append(ledger, **_run_entry_fields(ledger, row[0], row[1]))


def sync_runs(ledger: Any) -> int:
    """Log every finished ledger run not yet in the log (oldest first); returns how many."""
    with read_session(ledger.engine) as s:
        logged = set(s.scalars(select(RunLogRow.run_id).where(RunLogRow.kind == "train")))
        pending = [
            run_id
            for run_id, status in s.execute(select(RunRow.id, RunRow.status).order_by(RunRow.started_at, RunRow.id))
            if run_id not in logged and status != "reserved"
        ]
    return sum(1 for run_id in pending if log_run(ledger, run_id) is not None)


# -- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The result of :func:`verify_run_log`."""

    ok: bool
    entries: int
    head: str
    problems: tuple[str, ...] = ()
    first_bad_seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "problems": list(self.problems),
            "first_bad_seq": self.first_bad_seq,
        }

    def __str__(self) -> str:
        if self.ok:
            return f"Run log intact: {self.entries} entries, head {self.head[:16]}."
        return f"Run log BROKEN at entry {self.first_bad_seq}: {self.problems[0]}"


def verify_run_log(ledger: Any) -> Verification:
    """Recompute the chain: every entry's hash, its link to the one before, and no gaps."""
    rows = entries(ledger)
    prev = GENESIS
    problems: list[str] = []
    first_bad: int | None = None
    for expected_seq, entry in enumerate(rows, start=1):
        issue = None
        bad = entry.seq
        if entry.seq != expected_seq:
            issue, bad = f"entry {expected_seq} is missing (found {entry.seq} in its place)", expected_seq
        elif entry.prev_hash != prev:
            issue = f"entry {entry.seq} does not link to the entry before it (a row was changed, removed or inserted)"
        elif entry.compute_hash() != entry.entry_hash:
            issue = f"entry {entry.seq} was changed after it was written (its hash does not match its content)"
        if issue is not None:
            problems.append(issue)
            first_bad = bad
            break
        prev = entry.entry_hash
    return Verification(
        ok=not problems, entries=len(rows), head=prev, problems=tuple(problems), first_bad_seq=first_bad
    )
