"""The scorecard digest: the compact summary the ledger keeps on a run and the assistant reads.

``digest(scorecard.to_dict())`` keeps scores, the verdicts with their checks, the worst
columns and column pairs with their scores, the utility models and target-class coverage,
and the privacy measures. Aggregates and column names only, like the scorecard itself.
Its shape is versioned (``DIGEST_VERSION``); readers go through
:mod:`synthstudio_kernel.assistant.adapter`.
"""

from __future__ import annotations

from typing import Any

DIGEST_VERSION = "1"
#: How many columns / pairs the digest keeps (worst first).
MAX_COLUMNS = 40
MAX_PAIRS = 10


def digest(card: dict[str, Any]) -> dict[str, Any]:
    """Summarise a ``Scorecard.to_dict()`` (see the module docstring)."""
    fidelity = card["fidelity"]["details"]
    quality, diagnostics = fidelity["quality"], fidelity["diagnostics"]
    utility = card["utility"]["details"]
    privacy = card["privacy"]["details"]
    membership = privacy.get("membership_inference") or {}
    return {
        "digest_version": DIGEST_VERSION,
        "scores": dict(card["scores"]),
        "evaluated_at": card.get("created_at"),
        "holdout": card["data"].get("holdout_rows") is not None,
        "rows": {k: card["data"].get(k) for k in ("real_rows", "synthetic_rows", "holdout_rows")},
        "run": {k: card["run"].get(k) for k in ("run_id", "status", "method", "guarantee", "epsilon", "delta")},
        "fidelity": {
            "column_shapes": quality["column_shapes"]["score"],
            "pair_trends": quality["column_pair_trends"]["score"],
            "row_validity": diagnostics.get("row_validity"),
            "collapsed_columns": list(diagnostics.get("collapsed_columns", [])),
            "unscored_columns": list(quality.get("unscored_columns", [])),
            "columns": _worst(quality["column_shapes"]["columns"], MAX_COLUMNS),
            "pairs": _worst([p for p in quality["column_pair_trends"]["pairs"] if p["contributes"]], MAX_PAIRS),
        },
        "utility": {
            "target": utility.get("target", {}).get("column"),
            "task": utility.get("target", {}).get("task"),
            "primary_metric": utility.get("primary_metric"),
            "test_set": utility.get("test_set"),
            "classes": utility.get("classes"),
            "models": [
                {"label": m["label"], "trtr": m["trtr"], "tstr": m["tstr"], "score": m["score"]}
                for m in utility.get("models", [])
            ],
        },
        "privacy": {
            "exact_copy_rate": privacy["exact_copies"]["synthetic_rate"],
            "excess_copy_rate": privacy["exact_copies"]["excess_rate"],
            "membership_auc": membership.get("max_auc"),
            "closer_share": (privacy.get("closer_share") or {}).get("share"),
            "dcr_ratio": (privacy.get("dcr") or {}).get("ratio_median"),
            "proximity_share": (privacy.get("proximity") or {}).get("synthetic_share"),
            "anonymeter_max_risk": (privacy.get("anonymeter") or {}).get("max_risk"),
            "components": [
                {k: c.get(k) for k in ("name", "label", "safety", "value", "measured")}
                for c in privacy.get("components", [])
            ],
            "not_measured": [m["metric"] for m in privacy.get("not_measured", [])],
        },
        "verdicts": {
            name: {
                "status": v["status"],
                "label": v["label"],
                "checks": [{k: c.get(k) for k in ("name", "status", "value", "threshold")} for c in v["checks"]],
            }
            for name, v in card["verdicts"].items()
        },
    }


def _worst(records: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    scored = [r for r in records if r.get("score") is not None]
    unscored = [r for r in records if r.get("score") is None]
    ordered = sorted(scored, key=lambda r: float(r["score"])) + unscored
    keep = ("column", "columns", "metric", "score", "real_correlation", "synthetic_correlation")
    return [{k: r[k] for k in keep if k in r} for r in ordered[:limit]]
