"""A progress bar with elapsed time and ETA for long work (evaluation, ``--full`` profiles, …):
its :meth:`StepProgress.update` is the core's ``progress(step, done, total)`` callback.

The bar is displayed as an output that :meth:`StepProgress.close` empties, so a saved notebook
keeps no dead widget view of it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from ...synthesis.callbacks import format_seconds


def eta_suffix(started: float, done: int, total: int, now: float | None = None) -> str:
    """`` · step 2/4 · 12 s elapsed · ETA 12 s`` from the share done so far (empty before any)."""
    elapsed = (time.monotonic() if now is None else now) - started
    if done <= 0 or total <= 0:
        return ""
    text = f" · step {done}/{total} · {format_seconds(elapsed)} elapsed"
    if done < total:
        text += f" · ETA {format_seconds(elapsed * (total - done) / done)}"
    return text


class StepProgress:
    """A bar over ``total`` steps, the current step's label, elapsed time and ETA."""

    def __init__(self, description: str, labels: Mapping[str, str] | None = None) -> None:
        self.labels = dict(labels or {})
        self.bar = widgets.IntProgress(value=0, min=0, max=1, description=description)
        self.label = widgets.Label(value="")
        self.widget = widgets.HBox([self.bar, self.label])
        self.started = time.monotonic()
        self._handle: Any = None

    def show(self) -> None:
        from IPython.display import display

        self.started = time.monotonic()
        self._handle = display(self.widget, display_id=True)

    def update(self, step: str, done: int, total: int) -> None:
        self.bar.max = max(total, 1)
        self.bar.value = min(done, self.bar.max)
        self.label.value = self.labels.get(step, step) + eta_suffix(self.started, done, total)

    def close(self) -> None:
        """Remove the bar: its output becomes empty and the widget is closed."""
        if self._handle is not None:
            self._handle.update({"text/plain": ""}, raw=True)
        self.widget.close()
