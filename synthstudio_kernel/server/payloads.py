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
from ..privacy.levels import NOT_PASS, words

#: Runs per dataset in the datasets list (the detail route returns all of them).
LIST_RUNS = 10
#: Upper bound for ?limit= on the runs route.
MAX_RUNS = 500
#: Upper bound for the runs of one framework-badges request.
MAX_BADGE_RUNS = 50


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


def frameworks_payload(ledger: Any, run_id: str) -> dict[str, Any]:
    """``FrameworkBadges`` of one run: HIPAA, GDPR, CCPA and SOC 2, each measured, attested,
    missing or fail, with the reasons (released facts only; cached until the run changes)."""
    from ..compliance.badges import framework_badges

    _get_run(ledger, run_id)
    return framework_badges(run_id, ledger=ledger)


def frameworks_batch_payload(ledger: Any, run_ids: list[str]) -> dict[str, Any]:
    """``FrameworkBadgesResponse``: the badges of several runs in one answer (unknown runs are
    left out; the sidebar asks for the runs it lists)."""
    from ..compliance.badges import framework_badges

    out = []
    for run_id in dict.fromkeys(run_ids):
        if ledger.get_run(run_id) is not None:
            out.append(framework_badges(run_id, ledger=ledger))
    return {"runs": out}


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
        "compliance": _compliance(run, data, budget),
        "model_variable": _model_variable(data),
        "words": run_words(data),
        "evaluation": _evaluation(data),
    }


def run_words(data: Mapping[str, Any]) -> dict[str, Any]:
    """``RunWords``: the level, guarantee and status phrases of ``privacy.levels`` for one run."""
    return words(
        status=str(data.get("status")),
        private=data.get("guarantee") == "differential-privacy",
        epsilon=data.get("epsilon_spent"),
        delta=data.get("delta"),
        target=data.get("epsilon_target"),
    )


def _compliance(run: Any, data: Mapping[str, Any], budget: Any) -> dict[str, Any]:
    """The run's compliance status; a failed, stopped or refused run never reads as a pass: its
    passing badges become warnings that say what the run was charged and why."""
    status = compliance_status(run, budget=budget).to_dict()
    if data.get("status") not in NOT_PASS:
        return status
    said = run_words(data)["status_text"]
    error = (data.get("accounting") or {}).get("error")
    why = f"{said}{f' ({error})' if error else ''}."
    for badge in status.get("badges") or []:
        if badge.get("status") == "pass":
            badge["status"] = "warn"
            badge["reasons"] = [why, *badge.get("reasons", [])]
    if status.get("status") == "pass":
        status["status"] = "warn"
        status["summary"] = why
    return status


def _model_variable(data: Mapping[str, Any]) -> str | None:
    variable = ((data.get("facts") or {}).get("notebook") or {}).get("variable")
    return str(variable) if isinstance(variable, str) and variable.isidentifier() else None


def _evaluation(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """``RunEvaluation``: the scores of the run's latest scorecard (if it was evaluated)."""
    facts = (data.get("facts") or {}).get("evaluation")
    if not isinstance(facts, Mapping):
        return None
    scores = {k: facts.get(k) for k in ("fidelity", "utility", "privacy")}
    return {
        **{k: float(v) if isinstance(v, int | float) else None for k, v in scores.items()},
        "holdout": bool(facts.get("holdout")),
        "evaluated_at": str(facts.get("evaluated_at") or "") or None,
    }


def run_report_page(ledger: Any, run_id: str) -> str:
    """A self-contained HTML page for one run: status, privacy report, evaluation, compliance."""
    from html import escape

    from ..privacy.report import PrivacyReport
    from ..theme import page

    run = _get_run(ledger, run_id)
    data = run.to_dict()
    said = run_words(data)
    summary = run_summary(run, ledger.budget(run.dataset_id, run_limit=0))
    accounting = dict(run.accounting or {})
    privacy = accounting if run.private and "noise_multiplier" in accounting and "epsilon" in accounting else None
    report = PrivacyReport(method=run.method, run_id=run.id, privacy=privacy)
    rows = [
        ("status", said["status_text"]),
        ("guarantee", said["guarantee"] or "not known yet"),
        ("privacy level", said["level"] or "not known yet"),
    ]
    if accounting.get("error"):
        rows.append(("why", f"{accounting['error']}; charged: {accounting.get('charged', 'see ε spent')}"))
    evaluation = summary["evaluation"]
    if evaluation:
        shown = ", ".join(
            f"{k} {'n/a' if evaluation[k] is None else f'{evaluation[k]:.2f}'}"
            for k in ("fidelity", "utility", "privacy")
        )
        rows.append(("scorecard", f"{shown} (evaluated {evaluation['evaluated_at']})"))
    badges = "".join(
        f"<tr><th>{escape(b['label'])}</th><td>{escape(b['status'])}</td><td>{escape(' '.join(b['reasons']))}</td></tr>"
        for b in summary["compliance"]["badges"]
    )
    facts = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    frameworks = "".join(
        f"<tr><th>{escape(f['label'])}</th><td>{escape(f['state'])}</td><td>{escape(' '.join(f['reasons']))}</td></tr>"
        for f in frameworks_payload(ledger, run_id)["frameworks"]
    )
    body = (
        f"<h2>Run</h2><table class='ss-kv'>{facts}</table>"
        f"<h2>Privacy report</h2>{report._body(heading=False) if privacy else escape(said['status_text'])}"
        f"<h2>Compliance</h2><table class='ss-kv'>{badges}</table>"
        "<h2>Frameworks</h2><p>Measured, attested, missing, or fail where the run's guarantee is void; "
        "the evidence packets: <code>ss.compliance_report(run_id, framework=...)</code>.</p>"
        f"<table class='ss-kv'>{frameworks}</table>"
    )
    meta = {
        "dataset": run.dataset_name,
        "model": run.method + (f" ({summary['model_variable']})" if summary["model_variable"] else ""),
        "ε": said["guarantee"] or "—",
        "date": data.get("finished_at") or data.get("started_at") or "—",
    }
    css = ".ss-ui .ss-kv th,.ss-ui .ss-kv td{text-align:left;vertical-align:top;padding:3px 10px 3px 0}"
    css += ".ss-ui .ss-kv tr{border-bottom:1px solid var(--ss-border)}.ss-ui .ss-kv th{background:none}"
    return page(f"Synth Studio run {run.id[:8]}", body, extra_css=css, meta=meta)


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
