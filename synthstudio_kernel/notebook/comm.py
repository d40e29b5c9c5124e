"""Kernel side of the ``synthstudio`` comm: pushes events (training progress, ledger
changes) to the lab sidebar. Silent when no frontend listens."""

from __future__ import annotations

import logging
from typing import Any

COMM_TARGET = "synthstudio"
_log = logging.getLogger(__name__)
_comm: Any = None


def publish(event: str, payload: dict[str, Any]) -> None:
    """Send ``{"event": event, **payload}`` to the sidebar. Payloads hold aggregates only."""
    global _comm
    try:
        from IPython import get_ipython

        if get_ipython() is None or not hasattr(get_ipython(), "kernel"):
            return
        if _comm is None or getattr(_comm, "_closed", False):
            from comm import create_comm

            _comm = create_comm(target_name=COMM_TARGET, data={"event": "open"})
        _comm.send({"event": event, **payload})
    except Exception:  # the sidebar is optional: never break a computation for it
        _log.debug("synthstudio comm unavailable", exc_info=True)
        _comm = None
