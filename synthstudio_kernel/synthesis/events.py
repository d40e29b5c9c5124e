"""Training progress events and the callbacks that receive them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class EpochEvent:
    """One finished epoch. ``epsilon`` is the privacy spent so far (DP methods only)."""

    epoch: int
    epochs: int
    losses: dict[str, float]
    elapsed_s: float
    eta_s: float | None = None
    epsilon: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _control: TrainingControl | None = field(default=None, repr=False, compare=False)

    def request_stop(self) -> None:
        """Ask training to end cleanly after this epoch."""
        if self._control is not None:
            self._control.request_stop()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_control", None)
        return data


EpochCallback = Callable[[EpochEvent], None]


class TrainingControl:
    """Shared between the training loop, callbacks and UI: holds the stop request."""

    def __init__(self) -> None:
        self._stop = False

    def request_stop(self) -> None:
        self._stop = True

    @property
    def stop_requested(self) -> bool:
        return self._stop


def emit(callbacks: Sequence[EpochCallback], event: EpochEvent, control: TrainingControl) -> bool:
    """Send ``event`` to every callback; return True when training should stop."""
    event._control = control
    for callback in callbacks:
        callback(event)
    return control.stop_requested
