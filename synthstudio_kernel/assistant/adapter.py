"""The one place that reads the producers' field names.

Every object the assistant learns from (a TrainedModel and its run record, a Scorecard, a
ledger run, a BudgetStatus, a PIIReport) is turned here into a plain *view* with the
assistant's own keys. When a producer renames a field (e.g. the run record's released and
internal facts), only this module changes.
"""

from __future__ import annotations

from typing import Any

from ..evaluation.digest import digest as scorecard_digest
from ..evaluation.ledger_link import DIGEST_KEY, FACTS_KEY

#: Keys of a digest that the answers expect; missing ones are filled with empty values.
_DIGEST_DEFAULTS: dict[str, Any] = {
    "scores": {},
    "holdout": None,
    "rows": {},
    "run": {},
    "fidelity": {"columns": [], "pairs": [], "collapsed_columns": [], "unscored_columns": []},
    "utility": {"models": [], "classes": None},
    "privacy": {"components": [], "not_measured": []},
    "verdicts": {},
}


# --- scorecards ---------------------------------------------------------------------------


def is_scorecard(obj: Any) -> bool:
    return (hasattr(obj, "ledger_facts") and hasattr(obj, "verdicts")) or (
        isinstance(obj, dict) and (obj.get("kind") == "synthstudio.scorecard" or "digest_version" in obj)
    )


def scorecard_view(obj: Any) -> dict[str, Any]:
    """The digest of a Scorecard, of its ``to_dict()``, or a digest itself."""
    if isinstance(obj, dict):
        data = obj if "digest_version" in obj else scorecard_digest(obj)
    else:
        data = scorecard_digest(obj.to_dict())
    return _complete(data)


def scorecard_run_id(view: dict[str, Any]) -> str | None:
    return (view.get("run") or {}).get("run_id")


def _complete(data: dict[str, Any]) -> dict[str, Any]:
    out = {**_DIGEST_DEFAULTS, **data}
    for key in ("fidelity", "utility", "privacy"):
        out[key] = {**_DIGEST_DEFAULTS[key], **(data.get(key) or {})}
    return out


def _compact_view(facts: dict[str, Any]) -> dict[str, Any]:
    """A digest from the compact "evaluation" facts of runs evaluated before digests existed."""
    verdicts = {
        name: {"status": status, "label": name.replace("_", " "), "checks": []}
        for name, status in (facts.get("verdicts") or {}).items()
    }
    return _complete(
        {
            "digest_version": "compact",
            "scores": {k: facts.get(k) for k in ("fidelity", "utility", "privacy")},
            "holdout": facts.get("holdout"),
            "evaluated_at": facts.get("evaluated_at"),
            "utility": {"target": facts.get("target"), "models": [], "classes": None},
            "privacy": {
                "exact_copy_rate": facts.get("exact_copy_rate"),
                "membership_auc": facts.get("membership_auc"),
                "components": [],
                "not_measured": [],
            },
            "verdicts": verdicts,
        }
    )


# --- runs ---------------------------------------------------------------------------------


def is_model(obj: Any) -> bool:
    return hasattr(obj, "run") and hasattr(obj, "privacy_report") and hasattr(obj, "sample")


def model_run_id(model: Any) -> str:
    """The id of a TrainedModel's run."""
    return str(model.run.id)


def model_run_view(model: Any) -> dict[str, Any]:
    """The run of a TrainedModel (its RunRecord)."""
    run = model.run
    privacy = run.privacy or {}
    params = run.params or {}
    return {
        "run_id": run.id,
        "dataset": run.dataset_name,
        "method": run.method,
        "status": run.status,
        "private": bool(run.privacy),
        "epsilon": privacy.get("epsilon"),
        "delta": privacy.get("delta"),
        "epsilon_target": privacy.get("target_epsilon"),
        "epochs": params.get("epochs", privacy.get("epochs")),
        "batch_size": params.get("batch_size", privacy.get("batch_size")),
        "finished_at": run.finished_at,
    }


def model_privacy_view(model: Any) -> dict[str, Any]:
    return privacy_view(model.privacy_report().to_dict())


def ledger_run_view(run: Any) -> dict[str, Any]:
    """The run of a ledger ``LedgerRun``."""
    accounting = run.accounting or {}
    params = run.params or {}
    return {
        "run_id": run.id,
        "dataset": run.dataset_name,
        "method": run.method,
        "status": run.status,
        "private": bool(run.private),
        "epsilon": run.epsilon_spent,
        "delta": run.delta,
        "epsilon_target": run.epsilon_target,
        "epochs": params.get("epochs", accounting.get("epochs")),
        "batch_size": params.get("batch_size", accounting.get("batch_size")),
        "finished_at": run.finished_at.isoformat() if run.finished_at is not None else None,
    }


def ledger_privacy_view(run: Any) -> dict[str, Any]:
    """The privacy report of a ledger run, rebuilt from its accounting record."""
    from ..privacy.report import PrivacyReport

    accounting = dict(run.accounting) if run.private and run.accounting else None
    if accounting is not None and "epsilon" not in accounting:
        accounting = None
    return privacy_view(PrivacyReport(method=run.method, run_id=run.id, privacy=accounting).to_dict())


def ledger_scorecard_view(run: Any) -> dict[str, Any] | None:
    """The scorecard digest the ledger keeps on a run (None when it was never evaluated)."""
    facts = run.facts or {}
    if facts.get(DIGEST_KEY):
        return _complete(dict(facts[DIGEST_KEY]))
    if facts.get(FACTS_KEY):
        return _compact_view(dict(facts[FACTS_KEY]))
    return None


def privacy_view(report: dict[str, Any]) -> dict[str, Any]:
    """A privacy report's ``to_dict()`` with the assistant's keys."""
    public = report.get("public") or {}
    return {
        "run_id": report.get("run_id"),
        "method": report.get("method"),
        # "dp", "void" (DP mechanisms with reproducible, seeded noise: no guarantee) or "none".
        "guarantee": report.get("guarantee") if report.get("guarantee") in ("dp", "void") else "none",
        "void": report.get("void"),
        "epsilon": report.get("epsilon"),
        "delta": report.get("delta"),
        "target_epsilon": report.get("target_epsilon"),
        "noise_multiplier": report.get("noise_multiplier"),
        "sample_rate": report.get("sample_rate"),
        "steps": report.get("steps"),
        "planned_steps": report.get("planned_steps"),
        "accountant": report.get("accountant"),
        "preprocessing_epsilon": report.get("preprocessing_epsilon"),
        "max_grad_norm": report.get("max_grad_norm"),
        "level": report.get("level"),
        "meaning": report.get("meaning"),
        "consistent": report.get("consistent"),
        "public_bounds": sorted((public.get("bounds") or {}).keys()),
        "estimated_under_dp": list(report.get("estimated_under_dp") or []),
    }


# --- budgets, PII ---------------------------------------------------------------------------


def budget_view(status: Any) -> dict[str, Any]:
    """A ledger ``BudgetStatus``."""
    return {
        "dataset": status.name,
        "total": status.total,
        "spent": status.spent,
        "reserved": status.reserved,
        "remaining": status.remaining,
        "used_fraction": status.used_fraction,
        "private_runs": status.private_runs,
        "non_private_runs": status.non_private_runs,
        "runs": [
            {"run_id": r.id, "method": r.method, "epsilon": r.epsilon_spent, "private": r.private} for r in status.runs
        ],
    }


def is_pii_report(obj: Any) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "direct") and hasattr(obj, "quasi") and hasattr(obj, "to_dict")


def pii_view(report: Any) -> dict[str, Any]:
    """A PIIReport (or its ``to_dict()``): identifiers and recommendations, no values."""
    data = report if isinstance(report, dict) else report.to_dict()
    columns = [
        {
            "column": c["column"],
            "entity": c.get("entity"),
            "confidence": c.get("confidence"),
            "identifier": c.get("identifier"),
            "recommendation": c.get("recommendation"),
            "hipaa": c.get("hipaa"),
        }
        for c in data.get("columns", [])
    ]
    return {
        "columns": columns,
        "direct": [c for c in columns if c["identifier"] == "direct"],
        "quasi": [c for c in columns if c["identifier"] == "quasi"],
        "rows": (data.get("summary") or {}).get("rows"),
    }
