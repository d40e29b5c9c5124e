"""Training progress events and the callbacks that receive them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

#: Stop reasons: a person asked (button, interrupt) or a callback decided (early stopping).
STOP_USER = "user"
STOP_CALLBACK = "callback"
STOP_EARLY = "early_stopping"


@dataclass
class EpochEvent:
    """One finished epoch. ``epsilon`` is the privacy spent so far (DP methods only).

    ``losses`` holds the epoch's loss values by name (e.g. ``{"loss": 1.3, "holdout_loss": 1.5}``);
    ``eta_s`` estimates the seconds left from the mean epoch time so far.
    """

    epoch: int
    epochs: int
    losses: dict[str, float]
    elapsed_s: float
    eta_s: float | None = None
    epsilon: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _control: TrainingControl | None = field(default=None, repr=False, compare=False)

    def request_stop(self, reason: str = STOP_CALLBACK) -> None:
        """Ask training to end cleanly after this epoch."""
        if self._control is not None:
            self._control.request_stop(reason)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: aggregates only."""
        data = asdict(self)
        data.pop("_control", None)
        return data


EpochCallback = Callable[[EpochEvent], None]


class TrainingControl:
    """Shared between the training loop, callbacks and UI: holds the stop request.

    Safe to call from another thread (a UI button, a signal handler): training checks
    the flag at the end of each epoch and ends cleanly.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._reason: str | None = None

    def request_stop(self, reason: str = STOP_USER) -> None:
        """Ask the training loop to stop after the current epoch (the first reason wins)."""
        if not self._stop.is_set():
            self._reason = reason
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def stop_reason(self) -> str | None:
        """Why a stop was requested (``"user"``, ``"early_stopping"``, ...), or None."""
        return self._reason if self._stop.is_set() else None


def emit(callbacks: Sequence[EpochCallback], event: EpochEvent, control: TrainingControl) -> bool:
    """Send ``event`` to every callback; return True when training should stop."""
    event._control = control
    for callback in callbacks:
        callback(event)
    return control.stop_requested
