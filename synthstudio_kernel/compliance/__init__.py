"""Compliance: framework-neutral status of runs (``status``), built only from ledger facts."""

from __future__ import annotations

from .status import CHECKS, Badge, ComplianceStatus, compliance_status, register_check

__all__ = ["CHECKS", "Badge", "ComplianceStatus", "compliance_status", "register_check"]
