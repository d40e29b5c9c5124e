"""Magic registry: each magic lives in its own small module and loads on first use.

A magic function has the signature ``fn(shell, line)`` (line magics) or
``fn(shell, line, cell)`` (cell magics). :func:`register_magics` wraps each one so
that a :class:`~synthstudio_kernel.errors.SynthStudioError` shows as one readable
line (IPython ``UsageError``), never a traceback.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._common import user_errors

#: magic name -> (kind, "module:function")
COMMANDS: dict[str, tuple[str, str]] = {
    "synth_profile": ("line", "synthstudio_kernel.notebook.magics.profile:synth_profile"),
    "synth_pii": ("line", "synthstudio_kernel.notebook.magics.pii:synth_pii"),
    "dp_train": ("cell", "synthstudio_kernel.notebook.magics.train:dp_train"),
    "synth_sample": ("line", "synthstudio_kernel.notebook.magics.sample:synth_sample"),
    "synth_budget": ("line", "synthstudio_kernel.notebook.magics.budget:synth_budget"),
    "synth_evaluate": ("line", "synthstudio_kernel.notebook.magics.evaluate:synth_evaluate"),
    "synth_ask": ("line", "synthstudio_kernel.notebook.magics.ask:synth_ask"),
    "synth_report": ("line", "synthstudio_kernel.notebook.magics.report:synth_report"),
}


def _load(target: str) -> Any:
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _line_magic(name: str, target: str) -> Any:
    def magic(line: str) -> Any:
        from IPython import get_ipython

        with user_errors():
            return _load(target)(get_ipython(), line)

    magic.__name__ = name
    magic.__doc__ = f"Synth Studio %{name}; see help({target.split(':')[0]})."
    return magic


def _cell_magic(name: str, target: str) -> Any:
    def magic(line: str, cell: str) -> Any:
        from IPython import get_ipython

        with user_errors():
            return _load(target)(get_ipython(), line, cell)

    magic.__name__ = name
    magic.__doc__ = f"Synth Studio %%{name}; see help({target.split(':')[0]})."
    return magic


_FACTORIES = {"line": _line_magic, "cell": _cell_magic}


def register_magics(shell: Any) -> None:
    """Register every Synth Studio magic on ``shell``."""
    for name, (kind, target) in COMMANDS.items():
        shell.register_magic_function(_FACTORIES[kind](name, target), magic_kind=kind, magic_name=name)
    from .ask import install_input_transformer  # a trailing "?" must reach %synth_ask, not IPython's help

    install_input_transformer(shell)
    from ...ai.litellm_provider import connect  # %%ai synthstudio, once jupyter-ai's magics load litellm

    connect(shell)
