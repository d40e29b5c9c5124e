"""The JSON the sidebar reads, built from the ledger (no Tornado here; handlers.py only routes).

Every payload matches a definition of ``synthstudio_kernel/schema/api.schema.json``. Aggregates
only: budgets, counts, methods, parameters, accounting facts, compliance reasons; no data values,
no fingerprints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._version import __version__
from ..compliance import compliance_status

#: Runs per dataset in the datasets list (the detail route returns all of them).
LIST_RUNS = 10
#: Upper bound for ?limit= on the runs route.
MAX_RUNS = 500


class NotFound(LookupError):
    """The dataset or run asked for is not in the ledger."""


def datasets_payload(ledger: Any, *, runs_per_dataset: int = LIST_RUNS) -> dict[str, Any]:
    """``DatasetsResponse``: every dataset with its budget and latest runs."""
    budgets = ledger.budgets(run_limit=max(0, runs_per_dataset))
    return {"version": __version__, "datasets": [dataset_summary(status) for status in budgets]}


def dataset_payload(ledger: Any, name: str, *, limit: int = MAX_RUNS) -> dict[str, Any]:
    """``DatasetDetail``: one dataset (by name) with its run history."""
    if ledger.find_dataset(name) is None:
        raise NotFound(f"No dataset named {name!r} in the privacy ledger.")
    return {"dataset": dataset_summary(ledger.budget(name, run_limit=limit))}


def runs_payload(ledger: Any, *, dataset: str | None = None, limit: int = 50) -> dict[str, Any]:
    """``RunsResponse``: runs, newest first, of one dataset or all."""
    if dataset is not None and ledger.find_dataset(dataset) is None:
        raise NotFound(f"No dataset named {dataset!r} in the privacy ledger.")
    runs = ledger.list_runs(dataset, limit=max(0, min(int(limit), MAX_RUNS)))
    budgets = {status.dataset.id: status for status in ledger.budgets(run_limit=0)}
    return {"runs": [run_summary(run, budgets.get(run.dataset_id)) for run in runs]}


def run_payload(ledger: Any, run_id: str) -> dict[str, Any]:
    """``RunDetail``: one run with its parameters and DP accounting facts."""
    run = _get_run(ledger, run_id)
    budget = ledger.budget(run.dataset_id, run_limit=0)
    return {
        "run": run_summary(run, budget),
        "params": dict(run.params or {}),
        "accounting": dict(run.accounting or {}),
    }


def compliance_payload(ledger: Any, run_id: str) -> dict[str, Any]:
    """``ComplianceStatus`` of one run."""
    run = _get_run(ledger, run_id)
    return compliance_status(run, budget=ledger.budget(run.dataset_id, run_limit=0)).to_dict()


def dataset_summary(status: Any) -> dict[str, Any]:
    """``DatasetSummary`` of a ledger ``BudgetStatus``."""
    record = status.dataset
    return {
        "id": str(record.id),
        "name": record.name,
        "registered": bool(record.registered),
        "rows": int(record.rows) if record.rows is not None else None,
        "created_at": record.to_dict()["created_at"],
        "budget": {
            "total": float(status.total),
            "spent": float(status.spent),
            "reserved": float(status.reserved),
            "remaining": float(status.remaining),
        },
        "run_count": int(status.run_count),
        "runs": [run_summary(run, status) for run in status.runs],
    }


def run_summary(run: Any, budget: Any = None) -> dict[str, Any]:
    """``RunSummary`` of a ledger run, with its safety results and compliance status."""
    data = run.to_dict()
    return {
        "id": data["id"],
        "dataset_id": str(data["dataset_id"]) if data.get("dataset_id") is not None else None,
        "dataset_name": data.get("dataset_name"),
        "method": data["method"],
        "guarantee": data["guarantee"],
        "status": data["status"],
        "epsilon_target": data.get("epsilon_target"),
        "epsilon_spent": data.get("epsilon_spent"),
        "delta": data.get("delta"),
        "started_at": data.get("started_at"),
        "finished_at": data.get("finished_at"),
        "safety": safety_summary((data.get("facts") or {}).get("safety")),
        "compliance": compliance_status(run, budget=budget).to_dict(),
    }


def safety_summary(safety: Any) -> dict[str, Any] | None:
    """``SafetySummary`` of the facts "safety" (a ``SafetyReport.to_dict()``), or None if absent."""
    if not isinstance(safety, Mapping):
        return None
    checks = []
    for check in safety.get("checks") or []:
        if isinstance(check, Mapping) and check.get("status") in ("ok", "warning", "error"):
            checks.append(
                {
                    "name": str(check.get("name", "")),
                    "status": check["status"],
                    "message": str(check.get("message", "")),
                }
            )
    ok = safety.get("ok")
    return {
        "ok": ok if isinstance(ok, bool) else None,
        "errors": [str(e) for e in safety.get("errors") or []],
        "warnings": [str(w) for w in safety.get("warnings") or []],
        "checks": checks,
    }


def _get_run(ledger: Any, run_id: str) -> Any:
    run = ledger.get_run(run_id)
    if run is None:
        raise NotFound(f"No run {run_id!r} in the privacy ledger.")
    return run
