"""Compliance: evidence packets (HIPAA, GDPR, CCPA, SOC 2), model cards and audit narratives built
from recorded facts only, plus the framework-neutral status of runs for the sidebar (``status``).

Heavy pieces (Jinja2, the ledger) load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .status import CHECKS, Badge, ComplianceStatus, compliance_status, register_check

_LAZY = {
    "compliance_report": ".api",
    "model_card": ".api",
    "attest": ".api",
    "log_export": ".api",
    "verify_run_log": ".api",
    "Report": ".report",
    "framework_badges": ".badges",
    "top_code_ages": ".ages",
    "set_by": ".thresholds",
    "Threshold": ".thresholds",
}

__all__ = ["CHECKS", "Badge", "ComplianceStatus", "compliance_status", "register_check", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
