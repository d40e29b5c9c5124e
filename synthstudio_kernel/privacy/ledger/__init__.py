"""Persistent privacy-budget ledger (SQLAlchemy): datasets, runs and charges.

SQLite in ``SYNTHSTUDIO_HOME`` by default; any SQLAlchemy URL (PostgreSQL for a team)
through ``SYNTHSTUDIO_DB_URL``. Names load lazily so that ``events`` (the change
listeners) can be imported without SQLAlchemy.

    from synthstudio_kernel.privacy.ledger import Ledger, get_ledger, register_dataset, budget, BudgetStatus
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .api import DatasetHandle, budget, register_dataset
    from .events import LedgerChange, add_listener
    from .ledger import Ledger, close_ledgers, get_ledger
    from .records import Budgets, BudgetStatus, DatasetRecord, LedgerRun

_LAZY = {
    "Ledger": ".ledger",
    "get_ledger": ".ledger",
    "close_ledgers": ".ledger",
    "register_dataset": ".api",
    "budget": ".api",
    "DatasetHandle": ".api",
    "BudgetStatus": ".records",
    "DatasetRecord": ".records",
    "LedgerRun": ".records",
    "Budgets": ".records",
    "LedgerChange": ".events",
    "add_listener": ".events",
}

__all__ = [
    "BudgetStatus",
    "Budgets",
    "DatasetHandle",
    "DatasetRecord",
    "Ledger",
    "LedgerChange",
    "LedgerRun",
    "add_listener",
    "budget",
    "close_ledgers",
    "get_ledger",
    "register_dataset",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
