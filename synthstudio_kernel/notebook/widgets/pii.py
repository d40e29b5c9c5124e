"""The PII panel: one row per column (entity, confidence, identifier class, HIPAA identifier,
an editable recommendation) and an Apply button that binds the cleaned frame to a name.

Thin: verdicts come from :class:`~synthstudio_kernel.pii.PIIReport`, cleaning from
``report.apply``. Nothing here shows a raw value (masked examples only). Outside a live
widget frontend the panel falls back to the report's HTML.
"""

from __future__ import annotations

import html
from collections.abc import MutableMapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ...errors import SynthStudioError
from ...pii import ApplyRecord, PIIReport

_HEADERS = ("Column", "Entity", "Confidence", "Identifier", "HIPAA identifier", "Action", "Reason")
_COLORS = {"direct": "#b42318", "quasi": "#b54708", "none": "#475467"}


class PiiPanel(widgets.VBox):
    """Review a scan, edit the actions, and bind the cleaned frame to ``target`` in ``namespace``."""

    def __init__(
        self,
        report: PIIReport,
        frame: pd.DataFrame,
        *,
        namespace: MutableMapping[str, Any],
        target: str,
        salt: str | bytes | None = None,
        **kwargs: Any,
    ) -> None:
        self.report = report
        self.frame = frame
        self.namespace = namespace
        self.salt = salt
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        self.last_error: str | None = None
        self.summary = widgets.HTML(self._summary_html())
        self.table = widgets.GridBox(
            children=self._cells(),
            layout=widgets.Layout(
                grid_template_columns="minmax(110px,auto) minmax(110px,auto) 80px 80px minmax(140px,auto) 140px 1fr",
                grid_gap="2px 10px",
                align_items="center",
            ),
        )
        self.target = widgets.Text(value=target, description="Bind to", layout=widgets.Layout(width="260px"))
        self.apply_button = widgets.Button(description="Apply", icon="check", button_style="primary")
        self.apply_button.on_click(lambda _button: self.apply())
        self.status = widgets.HTML()
        footer = widgets.HBox([self.target, self.apply_button, self.status])
        note = widgets.HTML(f"<small>{html.escape(report.confidence_statement())}</small>")
        super().__init__(children=[self.summary, self.table, footer, note], **kwargs)

    # ------------------------------------------------------------ state

    @property
    def actions(self) -> dict[str, str]:
        """The action chosen for each column (the recommendation unless edited)."""
        return {column: dropdown.value for column, dropdown in self.dropdowns.items()}

    def apply(self) -> pd.DataFrame | None:
        """Clean the frame with the chosen actions and bind it; returns it (None on a user error)."""
        name = self.target.value.strip()
        if not name.isidentifier():
            self._say(f"{name!r} is not a valid variable name.", error=True)
            return None
        try:
            cleaned = self.report.apply(self.frame, salt=self.salt, actions=self.actions)
        except SynthStudioError as exc:
            self._say(str(exc), error=True)
            return None
        self.namespace[name] = cleaned
        record = ApplyRecord.of(cleaned)
        counts = ", ".join(
            f"{len(record.by_action(a))} {label}"
            for a, label in (("drop", "dropped"), ("pseudonymize", "pseudonymized"), ("generalize", "generalized"))
        )
        self._say(
            f"Bound <code>{html.escape(name)}</code>: {cleaned.shape[0]:,} rows × {cleaned.shape[1]} columns ({counts})."
        )
        return cleaned

    # ------------------------------------------------------------ rendering

    def _say(self, message: str, *, error: bool = False) -> None:
        self.last_error = message if error else None
        text = html.escape(message) if error else message
        color = "#b42318" if error else "#067647"
        self.status.value = f"<span style='color:{color}'>{text}</span>"

    def _summary_html(self) -> str:
        r = self.report
        return (
            f"<b>PII scan</b>: {r.n_rows:,} rows × {r.n_columns} columns — "
            f"<span style='color:{_COLORS['direct']}'>{len(r.direct)} direct</span>, "
            f"<span style='color:{_COLORS['quasi']}'>{len(r.quasi)} quasi-identifier(s)</span>."
        )

    def _cells(self) -> list[widgets.Widget]:
        cells: list[widgets.Widget] = [widgets.HTML(f"<b>{h}</b>") for h in _HEADERS]
        for v in self.report:
            hipaa = f"{v.hipaa.number}. {v.hipaa.name}" if v.hipaa else "—"
            dropdown = widgets.Dropdown(
                options=list(v.allowed_actions), value=v.recommendation, layout=widgets.Layout(width="130px")
            )
            self.dropdowns[v.column] = dropdown
            color = _COLORS.get(v.identifier, "#475467")
            examples = f" e.g. {', '.join(v.examples)}" if v.examples else ""
            cells += [
                widgets.HTML(f"<code title='{html.escape(examples)}'>{html.escape(v.column)}</code>"),
                widgets.HTML(html.escape(v.entity or "—")),
                widgets.HTML(f"{v.confidence:.2f}"),
                widgets.HTML(f"<span style='color:{color}'>{html.escape(v.identifier)}</span>"),
                widgets.HTML(html.escape(hipaa)),
                dropdown,
                widgets.HTML(f"<small>{html.escape(v.reason)}</small>"),
            ]
        return cells

    def __repr__(self) -> str:
        return repr(self.report)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._repr_mimebundle_(**kwargs) or {}
        data["text/html"] = self.report._repr_html_()
        data["text/plain"] = repr(self.report)
        return data


def pii_panel(
    report: PIIReport,
    frame: pd.DataFrame,
    *,
    namespace: MutableMapping[str, Any],
    target: str,
    salt: str | bytes | None = None,
) -> PiiPanel:
    """Build the panel for ``report`` over ``frame``."""
    return PiiPanel(report, frame, namespace=namespace, target=target, salt=salt)
