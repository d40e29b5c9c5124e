"""The PII panel: one compact row per column (entity, confidence, identifier class, HIPAA
identifier, an editable action; the reason, evidence and masked examples on demand), bulk
actions, a preview of what Apply will do, and an Apply button that binds the cleaned frame.

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
from ...theme import ROOT, style_tag
from .static import static_bundle

_HEADERS = ("Column", "Entity", "Conf.", "Identifier", "HIPAA", "Action", "Why")
#: Identifier class -> palette class (text colours that keep contrast in Light and Dark).
_CLASSES = {"direct": "ss-bad", "quasi": "ss-warn", "none": "ss-muted"}
_STYLE = style_tag() + (
    "<style>.ss-pii code{font-size:12px}.ss-pii details summary{cursor:pointer;color:var(--ss-info)}"
    ".ss-pii .ss-pii-why{font-size:12px;max-width:520px}.ss-pii b.ss-bad,.ss-pii b.ss-warn{font-weight:600}</style>"
)
#: Bulk actions: button label -> (which columns, which action; None = the recommendation).
BULK: dict[str, tuple[str, str | None]] = {
    "Use recommendations": ("all", None),
    "Drop direct identifiers": ("direct", "drop"),
    "Pseudonymize direct identifiers": ("direct", "pseudonymize"),
    "Keep all": ("all", "keep"),
}


def _html(content: str) -> widgets.HTML:
    return widgets.HTML(f"{_STYLE}<div class='{ROOT} ss-pii'>{content}</div>")


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
        self.summary = _html(self._summary_html())
        self.table = widgets.GridBox(
            children=self._cells(),
            layout=widgets.Layout(
                grid_template_columns="minmax(120px,max-content) minmax(90px,max-content) 48px 70px "
                "minmax(60px,max-content) 140px minmax(120px,1fr)",
                grid_gap="2px 10px",
                align_items="flex-start",
            ),
        )
        self.bulk_buttons = []
        for label, (scope, action) in BULK.items():
            button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _b, scope=scope, action=action: self.set_actions(scope, action))
            self.bulk_buttons.append(button)
        self.preview = _html("")
        self.target = widgets.Text(value=target, description="Bind to", layout=widgets.Layout(width="260px"))
        self.apply_button = widgets.Button(description="Apply", icon="check", button_style="primary")
        self.apply_button.on_click(lambda _button: self.apply())
        self.status = widgets.HTML()
        for dropdown in self.dropdowns.values():
            dropdown.observe(lambda _change: self._update_preview(), names="value")
        self.target.observe(lambda _change: self._update_preview(), names="value")
        self._update_preview()
        footer = widgets.HBox([self.target, self.apply_button, self.status])
        note = _html(f"<small class='ss-muted'>{html.escape(report.confidence_statement())}</small>")
        bulk = widgets.HBox(self.bulk_buttons, layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__(children=[self.summary, bulk, self.table, self.preview, footer, note], **kwargs)

    # ------------------------------------------------------------ state

    @property
    def actions(self) -> dict[str, str]:
        """The action chosen for each column (the recommendation unless edited)."""
        return {column: dropdown.value for column, dropdown in self.dropdowns.items()}

    def set_actions(self, scope: str, action: str | None) -> int:
        """Bulk edit: set ``action`` (None: the recommendation) on every column of ``scope``
        (``"all"`` or an identifier class) where that action is allowed; returns how many changed."""
        changed = 0
        for v in self.report:
            if scope != "all" and v.identifier != scope:
                continue
            value = v.recommendation if action is None else action
            dropdown = self.dropdowns[v.column]
            if value in dropdown.options and dropdown.value != value:
                dropdown.value = value
                changed += 1
        self._update_preview()
        return changed

    def preview_text(self) -> str:
        """What Apply will do, in one sentence (no data values: column names and counts)."""
        by_action: dict[str, list[str]] = {}
        for column, action in self.actions.items():
            by_action.setdefault(action, []).append(column)
        parts = [
            f"{action} {len(cols)} ({', '.join(cols[:6])}{', …' if len(cols) > 6 else ''})"
            for action, cols in sorted(by_action.items())
            if action != "keep"
        ]
        kept = len(by_action.get("keep", [])) + (self.frame.shape[1] - len(self.actions))
        dropped = len(by_action.get("drop", []))
        shape = f"{self.frame.shape[0]:,} rows × {self.frame.shape[1] - dropped} columns"
        what = "; ".join(parts) if parts else "change nothing"
        return (
            f"Apply will {what}; keep {kept} column(s) as they are → {shape}, bound to {self.target.value.strip()!r}."
        )

    def _update_preview(self) -> None:
        self.preview.value = _html(f"<b>Preview</b>: {html.escape(self.preview_text())}").value

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
        css = "ss-bad" if error else "ss-good"
        self.status.value = _html(f"<span class='{css}'>{text}</span>").value

    def _summary_html(self) -> str:
        r = self.report
        return (
            f"<b>PII scan</b>: {r.n_rows:,} rows × {r.n_columns} columns — "
            f"<b class='ss-bad'>{len(r.direct)} direct</b>, "
            f"<b class='ss-warn'>{len(r.quasi)} quasi-identifier(s)</b>. "
            "<span class='ss-muted'>Open “why” on a row for the reason, the evidence and masked examples.</span>"
        )

    def _cells(self) -> list[widgets.Widget]:
        cells: list[widgets.Widget] = [_html(f"<b>{h}</b>") for h in _HEADERS]
        for v in self.report:
            hipaa = f"{v.hipaa.number}" if v.hipaa else "—"
            hipaa_title = f"{v.hipaa.number}. {v.hipaa.name}" if v.hipaa else "not a HIPAA identifier"
            dropdown = widgets.Dropdown(
                options=list(v.allowed_actions), value=v.recommendation, layout=widgets.Layout(width="130px")
            )
            self.dropdowns[v.column] = dropdown
            css = _CLASSES.get(v.identifier, "ss-muted")
            examples = ", ".join(v.examples) if v.examples else "none shown"
            why = (
                f"<details><summary>why</summary><div class='ss-pii-why'>{html.escape(v.reason)}"
                f"<br><span class='ss-muted'>Evidence:</span> {html.escape(PIIReport._evidence_text(v))}"
                f"<br><span class='ss-muted'>Masked examples:</span> <code>{html.escape(examples)}</code></div></details>"
            )
            cells += [
                _html(f"<code>{html.escape(v.column)}</code>"),
                _html(html.escape(v.entity or "—")),
                _html(f"{v.confidence:.2f}"),
                _html(f"<b class='{css}'>{html.escape(v.identifier)}</b>"),
                _html(f"<span title='{html.escape(hipaa_title)}'>{html.escape(hipaa)}</span>"),
                dropdown,
                _html(why),
            ]
        return cells

    def static_html(self) -> str:
        """The scan as static HTML (what a saved notebook shows without widgets)."""
        return f"{style_tag()}<div class='{ROOT}'>{self.report._repr_html_()}</div>"

    def __repr__(self) -> str:
        return repr(self.report)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        data, meta = static_bundle(super(), self.static_html(), **kwargs)
        data["text/plain"] = repr(self.report)
        return data, meta


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
