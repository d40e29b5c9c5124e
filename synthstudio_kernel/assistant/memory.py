"""The kernel's latest objects, so that ``ss.ask`` has a default context.

``ss.train``, ``ss.evaluate``, ``ss.scan_pii``, ``ss.profile`` and ``ss.register_dataset``
call :func:`remember` with what they return; :func:`latest` reads the newest back and
:func:`history` the last few (to compare runs). In this process only: the persona, in the
server process, reads the ledger instead. Imports nothing: the producers call it on every run.
"""

from __future__ import annotations

from collections import deque
from typing import Any

KINDS = ("model", "scorecard", "pii", "profile", "dataset")
#: How many objects of each kind are kept.
KEEP = 5
_kept: dict[str, deque[Any]] = {}


def remember(kind: str, obj: Any) -> None:
    """Keep ``obj`` as the latest object of ``kind`` (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}; expected one of {', '.join(KINDS)}.")
    _kept.setdefault(kind, deque(maxlen=KEEP)).append(obj)


def latest(kind: str) -> Any:
    """The latest object of ``kind``, or None."""
    kept = _kept.get(kind)
    return kept[-1] if kept else None


def history(kind: str) -> list[Any]:
    """The kept objects of ``kind``, oldest first."""
    return list(_kept.get(kind, ()))


def forget() -> None:
    """Drop every remembered object (tests, or a fresh start)."""
    _kept.clear()
