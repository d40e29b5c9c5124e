"""Static HTML beside every panel's widget view, so a saved notebook still shows results.

A panel's mimebundle carries ``text/html`` next to ``application/vnd.jupyter.widget-view+json``
and marks the output with ``metadata["synthstudio"]["static"] = True``. Live, JupyterLab shows
the widget; nbviewer, GitHub and nbconvert show the HTML. On save, the server extension's
pre-save hook (``server/save_hook.py``) drops the widget view of marked outputs, so after a
reload (when the kernel's widget models are gone) the notebook shows the HTML instead of
"Error displaying widget: model not found".
"""

from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Output metadata key that marks a Synth Studio panel with a static twin.
MARK = "synthstudio"


class StaticHTMLMixin:
    """Adds :meth:`with_static` to build ``(data, metadata)`` with the static twin."""

    @staticmethod
    def with_static(data: dict[str, Any], static_html: str) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(data)
        data["text/html"] = static_html
        return data, {MARK: {"static": True}}


def static_bundle(widget: Any, static_html: str, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """``widget``'s mimebundle with ``static_html`` beside it, and the marking metadata."""
    data: dict[str, Any] = widget._repr_mimebundle_(**kwargs) or {}
    return StaticHTMLMixin.with_static(data, static_html)
