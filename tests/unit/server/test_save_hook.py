"""The pre-save hook keeps a panel's static HTML and drops its widget view (no "model not found")."""

from __future__ import annotations

import copy
from types import SimpleNamespace

from synthstudio_kernel.server.save_hook import WIDGET_VIEW, pre_save_hook, register, strip_panel_widget_views


def _output(marked: bool, html: bool = True) -> dict:
    data = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2}, "text/plain": "Panel"}
    if html:
        data["text/html"] = "<div>scorecard</div>"
    return {
        "output_type": "display_data",
        "data": data,
        "metadata": {"synthstudio": {"static": True}} if marked else {},
    }


def _notebook() -> dict:
    return {
        "cells": [
            {"cell_type": "code", "outputs": [_output(True), _output(False), _output(True, html=False)]},
            {"cell_type": "markdown", "source": "x"},
        ]
    }


def test_marked_outputs_lose_only_their_widget_view():
    # Setup
    notebook = _notebook()

    # Run
    removed = strip_panel_widget_views(notebook)

    # Assert
    outputs = notebook["cells"][0]["outputs"]
    assert removed == 1
    assert WIDGET_VIEW not in outputs[0]["data"] and outputs[0]["data"]["text/html"] == "<div>scorecard</div>"
    assert WIDGET_VIEW in outputs[1]["data"]  # someone else's widget: untouched
    assert WIDGET_VIEW in outputs[2]["data"]  # no static twin: keep what there is


def test_the_hook_only_touches_notebooks_and_registers_on_the_contents_manager():
    # Setup
    text_file = {"type": "file", "content": copy.deepcopy(_notebook())}
    notebook = {"type": "notebook", "content": _notebook()}
    hooks: list = []
    server = SimpleNamespace(contents_manager=SimpleNamespace(register_pre_save_hook=hooks.append))

    # Run
    pre_save_hook(text_file, path="a.txt")
    pre_save_hook(notebook, path="a.ipynb")

    # Assert
    assert WIDGET_VIEW in text_file["content"]["cells"][0]["outputs"][0]["data"]
    assert WIDGET_VIEW not in notebook["content"]["cells"][0]["outputs"][0]["data"]
    assert register(server) and hooks == [pre_save_hook]
    assert not register(SimpleNamespace())
