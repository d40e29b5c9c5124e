"""The training panel of ``%%dp_train``: validated configuration, safety checks, a live
per-epoch progress bar with loss curves, elapsed time and ETA, ε spent, and a Stop button.

Training runs in the kernel's main thread, so an ordinary button click would only be
handled after the cell ends. Two routes make Stop act during training, both ending it
cleanly after the current epoch:

- the Stop button: ipykernel 7 routes each incoming widget message through the comm's
  ``_reply_subshell_for`` on its shell-channel thread, which keeps running while a cell
  executes; :func:`route_clicks_while_busy` wraps that hook on the button's comm so the
  click sets the stop flag right away (where the hook is missing, clicks act after the cell);
- Kernel ▸ Interrupt (■): :func:`stop_on_interrupt` turns the first SIGINT into the same
  clean stop; a second one aborts at once.
"""

from __future__ import annotations

import html
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from ...synthesis.callbacks import format_seconds
from ...synthesis.events import EpochEvent, TrainingControl
from ...theme import ROOT, style_tag
from .chart import training_chart
from .static import StaticHTMLMixin

_STYLE = style_tag() + (
    "<style>.ss-train table{border-collapse:collapse;font-size:12px}"
    ".ss-train th{text-align:left;padding:1px 10px 1px 0;font-weight:600;background:none}"
    ".ss-train td{padding:1px 10px 1px 0}.ss-train .muted{color:var(--ss-fg-muted)}</style>"
)


class TrainingPanel:
    """A live panel; :meth:`on_epoch` is an epoch callback."""

    def __init__(
        self,
        name: str,
        method: str,
        config: Mapping[str, Any],
        *,
        rows: int | None = None,
        private: bool = False,
        safety_html: str | None = None,
    ) -> None:
        self.name = name
        self.method = method
        self.private = private
        self.epochs = _as_int(config.get("epochs"))
        self.curves: dict[str, list[float]] = {}
        self.epsilons: list[float] = []
        self.target_epsilon = config.get("epsilon") if private else None
        self._handle: Any = None
        self.last_event: EpochEvent | None = None
        self._control: TrainingControl | None = None
        self.header = widgets.HTML(value=_STYLE + self._header_html(rows, config))
        self.config_table = widgets.HTML(value=f"{_STYLE}<div class='{ROOT} ss-train'>{config_html(config)}</div>")
        self.safety = widgets.HTML(value=safety_html or "")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=self.epochs or 1, description="Training", bar_style="info"
        )
        self.status = widgets.Label(value="starting…")
        self.chart = widgets.HTML(value="")
        self.stop_button = widgets.Button(description="Stop", icon="stop", tooltip="End training after this epoch")
        self.stop_button.on_click(lambda _button: self.request_stop())
        self.result = widgets.HTML(value="")
        config_box = widgets.Accordion(children=[self.config_table])
        config_box.set_title(0, "Configuration (validated)")
        children: list[widgets.Widget] = [self.header, config_box]
        if safety_html:
            children.append(self.safety)
        children += [widgets.HBox([self.progress, self.stop_button]), self.status, self.chart, self.result]
        self.widget = widgets.VBox(children)

    # --- wiring -------------------------------------------------------------------
    def bind(self, control: TrainingControl) -> bool:
        """Make Stop act on ``control``; True when clicks arrive while the cell runs."""
        self._control = control
        return route_clicks_while_busy(self.stop_button, self.request_stop)

    def request_stop(self) -> None:
        """Stop after the current epoch. Only sets a flag: safe from another thread or a
        signal handler; the panel shows it at the next epoch."""
        if self._control is not None:
            self._control.request_stop()

    # --- updates ------------------------------------------------------------------
    def on_epoch(self, event: EpochEvent) -> None:
        """Epoch callback: progress, time, ETA, ε spent and the loss curves."""
        self.last_event = event
        self.progress.max = max(event.epochs, 1)
        self.progress.value = min(event.epoch, self.progress.max)
        for loss, value in event.losses.items():
            self.curves.setdefault(loss, []).append(float(value))
        if event.epsilon is not None:
            self.epsilons.append(float(event.epsilon))
        self.status.value = progress_text(event)
        if self._stopping():
            self.status.value += " · stopping after this epoch…"
            self.stop_button.disabled = True
            self.stop_button.description = "Stopping…"
        self.chart.value = self.chart_html()

    def chart_html(self) -> str:
        """Small multiples: each loss on its own scale, ε spent over the epochs."""
        target = self.target_epsilon if isinstance(self.target_epsilon, int | float) else None
        chart = training_chart(self.curves, self.epsilons, target_epsilon=target)
        return f"{style_tag()}<div class='{ROOT}'>{chart}</div>" if chart else ""

    def finish(self, model: Any, report_html: str = "") -> None:
        """Training ended: final state and the privacy report (or the no-guarantee note)."""
        run = model.run
        training = getattr(model.synthesizer, "training", {}) or {}
        done = training.get("epochs_completed")
        planned = training.get("epochs_planned")
        if run.status == "stopped":
            text, style = f"Stopped by you after epoch {done} of {planned}.", "warning"
        elif training.get("stop_reason") == "early_stopping":
            text, style = (
                f"Early stopping after epoch {done} of {planned} (held-out loss stopped improving).",
                "success",
            )
        else:
            text, style = "Finished.", "success"
        fit = run.timings.get("fit_s")
        if fit is not None:
            text += f" {format_seconds(fit)}."
        self.status.value = f"{text} Model bound to {self.name!r}."
        self.progress.bar_style = style
        if planned and done is not None:
            self.progress.max, self.progress.value = max(planned, 1), done
        self.stop_button.disabled = True
        self.stop_button.description = "Done"
        guarantee = "" if run.privacy else "<p class='muted'><i>No formal privacy guarantee (non-DP method).</i></p>"
        self.result.value = f"{_STYLE}<div class='{ROOT} ss-train'>{report_html or guarantee}</div>"
        self.refresh_static()

    def fail(self, message: str) -> None:
        self.progress.bar_style = "danger"
        self.stop_button.disabled = True
        self.status.value = f"Training failed: {message}"
        self.refresh_static()

    def _stopping(self) -> bool:
        return self._control is not None and self._control.stop_requested

    def _header_html(self, rows: int | None, config: Mapping[str, Any]) -> str:
        parts = [f"<b>Training {html.escape(self.name)}</b>", html.escape(self.method)]
        if rows is not None:
            parts.append(f"{rows:,} rows")
        if self.private:
            target = config.get("epsilon")
            parts.append(f"target ε = {target:g}" if isinstance(target, int | float) else "differentially private")
        else:
            parts.append("no formal privacy guarantee")
        return f"<div class='{ROOT} ss-train'>{' · '.join(parts)}</div>"

    def static_html(self) -> str:
        """The panel as it stands, as plain HTML (what a saved notebook shows without widgets)."""
        parts = [
            self.header.value,
            self.safety.value,
            f"<div class='{ROOT}'><p>{html.escape(self.status.value)}</p></div>",
            self.chart.value,
            self.result.value,
        ]
        return "".join(part for part in parts if part)

    def refresh_static(self) -> None:
        """Update the displayed output's static HTML to the panel's current state."""
        if self._handle is not None:
            self._handle.update(self._bundle())

    def _ipython_display_(self) -> None:
        from IPython.display import display

        self._handle = display(self._bundle(), display_id=True)

    def _bundle(self) -> _Bundle:
        return _Bundle(self)


class _Bundle(StaticHTMLMixin):
    """The training panel's output: the live widget beside its static HTML."""

    def __init__(self, panel: TrainingPanel) -> None:
        self.panel = panel

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        data: dict[str, Any] = self.panel.widget._repr_mimebundle_(**kwargs) or {}
        return self.with_static(data, self.panel.static_html())


# --- pieces (pure functions, tested on their own) -------------------------------------
def progress_text(event: EpochEvent) -> str:
    """``epoch 3/10 · 4.2 s elapsed · ETA 12 s · loss 1.23 · ε spent 0.41``."""
    parts = [f"epoch {event.epoch}/{event.epochs}", f"{format_seconds(event.elapsed_s)} elapsed"]
    if event.eta_s is not None and event.epoch < event.epochs:
        parts.append(f"ETA {format_seconds(event.eta_s)}")
    parts += [f"{name} {value:.4g}" for name, value in event.losses.items()]
    if event.epsilon is not None:
        parts.append(f"ε spent {event.epsilon:.3g}")
    return " · ".join(parts)


def config_html(config: Mapping[str, Any]) -> str:
    """The validated configuration as a two-column table."""
    rows = "".join(
        f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(_show(value))}</td></tr>"
        for key, value in config.items()
        if value is not None
    )
    return f"<table>{rows}</table>"


def route_clicks_while_busy(button: widgets.Button, on_click: Callable[[], None]) -> bool:
    """Act on ``button`` clicks as they arrive, even while a cell runs (ipykernel ≥ 7).

    Returns False where the kernel offers no such route (clicks then act after the cell).
    """
    comm = getattr(button, "comm", None)
    original = getattr(comm, "_reply_subshell_for", None)
    if comm is None or not callable(original):
        return False

    def routed(data: Any, default: Any) -> Any:
        try:
            content = data.get("content") if isinstance(data, dict) else None
            if data.get("method") == "custom" and isinstance(content, dict) and content.get("event") == "click":
                on_click()
        except Exception:  # never break the kernel's message routing
            pass
        return original(data, default)

    comm._reply_subshell_for = routed
    return True


@contextmanager
def stop_on_interrupt(request_stop: Callable[[], None]) -> Iterator[None]:
    """First SIGINT (Kernel ▸ Interrupt) stops after the epoch; a second one aborts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    hits = 0

    def handler(signum: int, frame: Any) -> None:
        nonlocal hits
        hits += 1
        if hits > 1:
            raise KeyboardInterrupt
        request_stop()

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "{}"
    return str(value)


def _as_int(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None
