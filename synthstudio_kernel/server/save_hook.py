"""Pre-save hook: saved notebooks keep the static HTML of Synth Studio panels, not dead widget views.

A panel's output carries the live widget view and its static HTML twin, marked
``metadata.synthstudio.static`` (``notebook/widgets/static.py``). The widget models live only in
the kernel, so a reloaded notebook would show "Error displaying widget: model not found" for
the widget view; this hook drops the widget view of marked outputs from the file being
written (the open notebook in the browser keeps its live widgets), so the saved notebook
shows the HTML after a reload, in nbviewer and on GitHub. Other outputs are left untouched.
"""

from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MARK = "synthstudio"


def strip_panel_widget_views(notebook: dict[str, Any]) -> int:
    """Remove the widget view from every marked output that has static HTML; returns how many."""
    removed = 0
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict):
            continue
        for output in cell.get("outputs") or []:
            if not isinstance(output, dict):
                continue
            data, meta = output.get("data"), output.get("metadata")
            marked = isinstance(meta, dict) and isinstance(meta.get(MARK), dict) and meta[MARK].get("static")
            if marked and isinstance(data, dict) and WIDGET_VIEW in data and "text/html" in data:
                del data[WIDGET_VIEW]
                removed += 1
    return removed


def pre_save_hook(model: dict[str, Any], **_kwargs: Any) -> None:
    """``ContentsManager`` pre-save hook: notebooks only; never raises (saving must not fail)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    try:
        strip_panel_widget_views(model["content"])
    except Exception:  # pragma: no cover - a broken output must never block a save
        return


def register(serverapp: Any) -> bool:
    """Register :func:`pre_save_hook` on the server's contents manager (False where unsupported)."""
    manager = getattr(serverapp, "contents_manager", None)
    add = getattr(manager, "register_pre_save_hook", None)
    if not callable(add):
        return False
    add(pre_save_hook)
    return True
