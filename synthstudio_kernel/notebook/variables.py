"""Which notebook variable holds each trained model: the sidebar shows ``model = dp-tvae``.

``%%dp_train --name`` records it directly; for ``model = ss.train(...)`` a ``post_run_cell``
hook looks for trained models bound in the namespace after each cell. It reads nothing
unless the synthesis package is already loaded, and records each (run, name) pair once.
"""

from __future__ import annotations

import sys
from typing import Any

from ..errors import SynthStudioError

_recorded: set[tuple[str, str]] = set()
_hooked: set[int] = set()


def remember_variable(run_id: str | None, name: str) -> None:
    """Note in the ledger which notebook variable holds the run's model (once per pair)."""
    if not run_id or (run_id, name) in _recorded:
        return
    _recorded.add((run_id, name))
    try:
        from ..privacy.ledger import get_ledger

        get_ledger().attach_facts(run_id, "notebook", {"variable": name})
    except SynthStudioError:
        pass  # a read-only or unreachable ledger must not fail the user's cell


def record_model_variables(namespace: dict[str, Any]) -> None:
    """Record every trained model bound to a public name in ``namespace``."""
    module = sys.modules.get("synthstudio_kernel.synthesis.model")
    if module is None:
        return
    for name, value in list(namespace.items()):
        if not name.startswith("_") and isinstance(value, module.TrainedModel):
            remember_variable(value.run.id, name)


def connect(shell: Any) -> None:
    """Run :func:`record_model_variables` after every cell of ``shell`` (idempotent)."""
    if id(shell) in _hooked:
        return
    _hooked.add(id(shell))
    shell.events.register("post_run_cell", lambda *_: record_model_variables(shell.user_ns))
