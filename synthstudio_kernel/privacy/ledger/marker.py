"""Markers in ``SYNTHSTUDIO_HOME`` that remember which SQLite ledgers existed.

A ledger file that was deleted, or truncated to 0 bytes (a full disk, a bad copy, a sync
tool), must not be silently reopened as a fresh, empty ledger: that would forget every
dataset and every ε spent. Each SQLite ledger that ever held data gets a small marker file
``SYNTHSTUDIO_HOME/ledgers/<hash>.json``; opening a remembered ledger that is now missing
or empty is a :class:`~synthstudio_kernel.errors.LedgerError` with a recovery how-to.

One marker file per ledger (no shared file to read-modify-write), written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from ... import settings
from ...errors import LedgerError

MARKER_FOLDER = "ledgers"


def marker_path(database: str | os.PathLike[str]) -> Path:
    """Where the marker of the ledger file ``database`` lives."""
    resolved = str(Path(database).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:24]
    return settings.home() / MARKER_FOLDER / f"{digest}.json"


def remembered(database: str | os.PathLike[str]) -> bool:
    """Whether ``database`` is known to have existed with data."""
    return marker_path(database).is_file()


def remember(database: str | os.PathLike[str]) -> None:
    """Record that ``database`` exists and holds data (idempotent; failures only lose the safeguard)."""
    marker = marker_path(database)
    if marker.is_file():
        return
    from ...fileio import write_text

    content = json.dumps(
        {"ledger": str(Path(database).expanduser().resolve()), "first_seen": datetime.now(UTC).isoformat()}
    )
    with contextlib.suppress(Exception):
        write_text(marker, content, what="the ledger marker")


def forget(database: str | os.PathLike[str]) -> bool:
    """Drop the marker of ``database`` (after a deliberate reset); True if there was one."""
    marker = marker_path(database)
    try:
        marker.unlink()
    except FileNotFoundError:
        return False
    return True


def check_present(database: str | os.PathLike[str], display_url: str) -> None:
    """Raise LedgerError when a remembered ledger file is now missing or empty."""
    path = Path(database).expanduser()
    if not remembered(path):
        return
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        state = "is missing"
    else:
        if size > 0:
            return
        state = "is empty (0 bytes)"
    raise LedgerError(
        f"The privacy ledger at {display_url} {state}, but it existed before (marker "
        f"{str(marker_path(path))!r}): opening it would forget every dataset and all ε spent, so Synth Studio "
        f"refuses. Restore the file (with its -wal file) from a backup; or, to start an empty ledger on purpose, "
        f"run: python -m synthstudio_kernel.privacy.ledger forget {str(path)!r}"
    )
