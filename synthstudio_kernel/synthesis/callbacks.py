"""Ready-made epoch callbacks: early stopping, logging to a function, text progress, history.

Any callable taking an :class:`~.events.EpochEvent` is a callback; these cover the
common needs. Pass them as ``train(..., callbacks=[...])``.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable
from typing import Any, TextIO

from ..errors import ConfigError
from .events import STOP_EARLY, EpochEvent


class EarlyStopping:
    """Stop when the held-out loss has not improved by ``min_delta`` for ``patience`` epochs.

    Needs a method that reports a held-out loss (``tvae`` with ``validation_split > 0``:
    ``holdout_loss``). CTGAN's adversarial losses do not measure fit, so it is not supported there.
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, monitor: str = "holdout_loss") -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ConfigError(f"EarlyStopping patience must be a positive integer, got {patience!r}.")
        if isinstance(min_delta, bool) or not isinstance(min_delta, int | float) or not min_delta >= 0:
            raise ConfigError(f"EarlyStopping min_delta must be a number >= 0, got {min_delta!r}.")
        self.patience = patience
        self.min_delta = float(min_delta)
        self.monitor = monitor
        self.best: float = math.inf
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._waited = 0

    def __call__(self, event: EpochEvent) -> None:
        if self.monitor not in event.losses:
            raise ConfigError(
                f"Early stopping watches {self.monitor!r}, which this method does not report "
                f"(it reports: {', '.join(event.losses) or 'no losses'})."
            )
        value = event.losses[self.monitor]
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self._waited = value, event.epoch, 0
            return
        self._waited += 1
        if self._waited >= self.patience:
            self.stopped_epoch = event.epoch
            event.extra["early_stopping"] = {"best": self.best, "best_epoch": self.best_epoch}
            event.request_stop(STOP_EARLY)

    def to_dict(self) -> dict[str, Any]:
        return {
            "monitor": self.monitor,
            "patience": self.patience,
            "min_delta": self.min_delta,
            "best": None if math.isinf(self.best) else self.best,
            "best_epoch": self.best_epoch,
            "stopped_epoch": self.stopped_epoch,
        }

    @classmethod
    def from_config(cls, config: Any) -> EarlyStopping:
        """From a YAML/kwargs value: ``true``, a patience number, or ``{patience, min_delta}``."""
        if config is True:
            return cls()
        if isinstance(config, int) and not isinstance(config, bool):
            return cls(patience=config)
        if isinstance(config, dict):
            unknown = sorted(set(config) - {"patience", "min_delta"})
            if unknown:
                raise ConfigError(f"early_stopping accepts patience and min_delta, not {', '.join(unknown)}.")
            return cls(**config)
        raise ConfigError(
            f"early_stopping must be true, a patience (integer) or {{patience, min_delta}}; got {config!r}."
        )


def format_event(event: EpochEvent) -> str:
    """One line such as ``epoch 3/10 · loss 1.234 · holdout_loss 1.5 · 2.1 s · ETA 5 s``."""
    parts = [f"epoch {event.epoch}/{event.epochs}"]
    parts += [f"{name} {value:.4g}" for name, value in event.losses.items()]
    if event.epsilon is not None:
        parts.append(f"ε {event.epsilon:.3g}")
    parts.append(f"{event.elapsed_s:.1f} s")
    if event.eta_s is not None and event.epoch < event.epochs:
        parts.append(f"ETA {format_seconds(event.eta_s)}")
    return " · ".join(parts)


def format_seconds(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``1 h 02 min``."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class LogTo:
    """Send one formatted line per epoch to a function (``print``, a ``logging.Logger``, ...)."""

    def __init__(self, sink: Callable[[str], Any] | logging.Logger = print, every: int = 1) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ConfigError(f"LogTo every must be a positive integer, got {every!r}.")
        self.sink: Callable[[str], Any] = sink.info if isinstance(sink, logging.Logger) else sink
        self.every = every

    def __call__(self, event: EpochEvent) -> None:
        if event.epoch % self.every == 0 or event.epoch == event.epochs:
            self.sink(format_event(event))


class ProgressBar:
    """A one-line text progress bar for scripts and terminals."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, event: EpochEvent) -> None:
        stream = self.stream or sys.stderr
        done = int(self.width * event.epoch / max(event.epochs, 1))
        bar = "#" * done + "-" * (self.width - done)
        end = "\n" if event.epoch >= event.epochs else ""
        stream.write(f"\r[{bar}] {format_event(event)}{end}")
        stream.flush()


class History:
    """Keeps every event: ``history.losses["loss"]`` is the curve, ``history.events`` the rest."""

    def __init__(self) -> None:
        self.events: list[EpochEvent] = []

    def __call__(self, event: EpochEvent) -> None:
        self.events.append(event)

    @property
    def losses(self) -> dict[str, list[float]]:
        curves: dict[str, list[float]] = {}
        for event in self.events:
            for name, value in event.losses.items():
                curves.setdefault(name, []).append(value)
        return curves

    def to_dict(self) -> dict[str, Any]:
        return {"events": [e.to_dict() for e in self.events]}
