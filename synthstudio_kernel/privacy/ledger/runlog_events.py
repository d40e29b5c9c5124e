"""Log training runs in the hash-chained run log as the ledger settles or records them.

Kept free of SQLAlchemy at import (``%load_ext`` stays light): the run log loads on the first
ledger change.
"""

from __future__ import annotations

from collections.abc import Callable

from .events import LedgerChange, add_listener

_connected: list[Callable[[], None]] = []


def _on_change(change: LedgerChange) -> None:
    if change.kind in ("settled", "run_recorded") and change.run_id:
        from .ledger import get_ledger
        from .runlog import log_run

        log_run(get_ledger(), change.run_id)


def connect_run_log() -> None:
    """Subscribe once; later calls do nothing."""
    if not _connected:
        _connected.append(add_listener(_on_change))
