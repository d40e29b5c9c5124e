"""Synth Studio: differentially private synthetic tabular data in JupyterLab.

The public functions load lazily: ``import synthstudio_kernel`` and ``%load_ext``
import neither torch, SDV, presidio nor ydata-profiling.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .assistant import ask as ask
    from .assistant import suggestions_for as suggestions_for
    from .compliance.api import attest as attest
    from .compliance.api import compliance_report as compliance_report
    from .compliance.api import log_export as log_export
    from .compliance.api import model_card as model_card
    from .compliance.api import verify_run_log as verify_run_log
    from .data import Dataset as Dataset
    from .data import load_sample as load_sample
    from .data import table as table
    from .evaluation import evaluate as evaluate
    from .pii import scan_pii as scan_pii
    from .privacy.ledger import budget as budget
    from .privacy.ledger import register_dataset as register_dataset
    from .profiling import profile as profile
    from .synthesis import TrainedModel as TrainedModel
    from .synthesis import available as available_methods  # noqa: F401
    from .synthesis import load_model as load_model
    from .training import train as train
    from .training.safety import recommend_config as recommend_config
    from .training.safety import validate_config as validate_config

#: Public name -> "module:attribute", imported on first use.
_LAZY: dict[str, str] = {
    "Dataset": "synthstudio_kernel.data:Dataset",
    "load_sample": "synthstudio_kernel.data:load_sample",
    "profile": "synthstudio_kernel.profiling:profile",
    "scan_pii": "synthstudio_kernel.pii:scan_pii",
    "train": "synthstudio_kernel.training:train",
    "load_model": "synthstudio_kernel.synthesis:load_model",
    "TrainedModel": "synthstudio_kernel.synthesis:TrainedModel",
    "available_methods": "synthstudio_kernel.synthesis:available",
    "validate_config": "synthstudio_kernel.training.safety:validate_config",
    "recommend_config": "synthstudio_kernel.training.safety:recommend_config",
    "register_dataset": "synthstudio_kernel.privacy.ledger:register_dataset",
    "budget": "synthstudio_kernel.privacy.ledger:budget",
    "evaluate": "synthstudio_kernel.evaluation:evaluate",
    "ask": "synthstudio_kernel.assistant:ask",
    "suggestions_for": "synthstudio_kernel.assistant:suggestions_for",
    "compliance_report": "synthstudio_kernel.compliance.api:compliance_report",
    "model_card": "synthstudio_kernel.compliance.api:model_card",
    "attest": "synthstudio_kernel.compliance.api:attest",
    "log_export": "synthstudio_kernel.compliance.api:log_export",
    "verify_run_log": "synthstudio_kernel.compliance.api:verify_run_log",
    "table": "synthstudio_kernel.data:table",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'synthstudio_kernel' has no attribute {name!r}")
    module_name, _, attr = _LAZY[name].partition(":")
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext synthstudio_kernel``: register the magics."""
    from .notebook.magics import register_magics
    from .notebook.magics.budget import connect_ledger_events
    from .notebook.variables import connect as record_model_variables

    register_magics(ipython)
    connect_ledger_events()
    record_model_variables(ipython)  # the sidebar names each run's model variable
    from .privacy.ledger.runlog_events import connect_run_log

    connect_run_log()  # training runs enter the hash-chained run log as they settle


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "synthstudio-lab"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "synthstudio_kernel.server"}]
