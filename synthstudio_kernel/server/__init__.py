"""Jupyter server extension: the sidebar's JSON routes under ``/synthstudio/api/`` over the ledger.

Enabled by ``jupyter-config/server-config/synthstudio_kernel.json`` (installed with the package),
through ``synthstudio_kernel._jupyter_server_extension_points``.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "synthstudio_kernel.server"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Register the handlers (the ledger itself is opened on the first request)."""
    from .handlers import NAMESPACE, setup_handlers

    setup_handlers(serverapp.web_app)
    from .save_hook import register

    register(serverapp)
    serverapp.log.info("Synth Studio server extension loaded: /%s/", NAMESPACE)
