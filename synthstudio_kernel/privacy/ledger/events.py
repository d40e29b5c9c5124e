"""Change notifications: the ledger calls listeners after each committed change.

Kept free of SQLAlchemy so that the notebook layer can subscribe (to push
``ledger_changed`` to the lab sidebar) without importing the database stack.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LedgerChange:
    """What changed: ``kind`` is one of dataset_registered, dataset_updated, reserved,
    settled, run_recorded, facts_attached, attested; ``dataset`` is the dataset's name."""

    kind: str
    dataset: str
    run_id: str | None = None


Listener = Callable[[LedgerChange], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def add_listener(listener: Listener) -> Callable[[], None]:
    """Call ``listener(change)`` after every committed ledger change; returns an unsubscribe function."""
    with _lock:
        _listeners.append(listener)

    def remove() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return remove


def notify(change: LedgerChange) -> None:
    """Tell every listener; a failing listener is logged and never breaks the ledger."""
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(change)
        except Exception:
            _log.warning("A ledger listener failed", exc_info=True)
