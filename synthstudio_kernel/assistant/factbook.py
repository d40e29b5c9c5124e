"""Facts from the evidence: each figure formatted once, with its source."""

from __future__ import annotations

import math
from typing import Any

from .context import Evidence, short
from .facts import Fact
from .numbers import fmt_count, fmt_delta, fmt_epsilon, fmt_score, fmt_share

SCORE_LABELS = {"fidelity": "Fidelity score", "utility": "Utility score", "privacy": "Privacy score"}
#: How each verdict check's value is written.
_CHECK_FORMAT = {"exact_copies": fmt_share, "formal_guarantee": fmt_epsilon}


def _card(ev: Evidence, field: str) -> str:
    return f"{ev.scorecard_source} · {field}"


def run_fact(ev: Evidence) -> Fact | None:
    if not ev.run:
        return None
    run = ev.run
    guarantee = "differential privacy" if run["private"] else "no formal privacy guarantee"
    return Fact(
        "run",
        "Run",
        f"run {short(run['run_id'])}: {run['method']} on dataset {run['dataset']!r}, {run['status']}, {guarantee}",
        ev.run_source,
        run["run_id"],
    )


def score(ev: Evidence, name: str) -> Fact | None:
    value = (ev.scorecard or {}).get("scores", {}).get(name)
    if value is None:
        return None
    return Fact(f"score.{name}", SCORE_LABELS[name], fmt_score(value), _card(ev, f"scores.{name}"), value)


def verdicts(ev: Evidence) -> dict[str, dict[str, Any]]:
    return dict((ev.scorecard or {}).get("verdicts") or {})


def verdict(ev: Evidence, use_case: str) -> Fact | None:
    v = verdicts(ev).get(use_case)
    if v is None:
        return None
    return Fact(f"verdict.{use_case}", f"Verdict: {v['label']}", v["status"], _card(ev, f"verdicts.{use_case}.status"))


def check(ev: Evidence, use_case: str, c: dict[str, Any]) -> Fact:
    """One verdict check with its value and threshold, e.g. "utility 0.55, below the minimum of 0.70"."""
    fmt = _CHECK_FORMAT.get(c["name"], fmt_score)
    name = c["name"].replace("_", " ")
    value, threshold, status = c.get("value"), c.get("threshold"), c["status"]
    minimum = c["name"] in ("fidelity", "utility", "privacy")
    bound = "minimum" if minimum else "maximum"
    if value is None and c["name"] == "formal_guarantee":
        text = f"{name}: none recorded ({status})"
    elif value is None:
        text = f"{name}: not measured ({status})"
    else:
        word = {"pass": "meets" if minimum else "within", "fail": "below" if minimum else "above"}.get(status, "vs")
        text = (
            f"{name} {fmt(value)}, {word} the {bound} of {fmt(threshold)}"
            if threshold is not None
            else f"{name} {fmt(value)}"
        )
    return Fact(
        f"check.{use_case}.{c['name']}",
        f"{verdicts(ev)[use_case]['label']}: {name} check",
        text,
        _card(ev, f"verdicts.{use_case}.checks[{c['name']}]"),
        value,
    )


def column(ev: Evidence, record: dict[str, Any]) -> Fact:
    value = record.get("score")
    text = f"{record['column']}: {record.get('metric', 'shape')} {'not scored' if value is None else fmt_score(value)}"
    return Fact(
        f"column.{record['column']}",
        f"Column shape of {record['column']}",
        text,
        _card(ev, "fidelity.details.quality.column_shapes"),
        value,
    )


def pair(ev: Evidence, record: dict[str, Any]) -> Fact:
    a, b = record["columns"]
    text = f"{a} × {b}: {record.get('metric', 'trend')} {fmt_score(record['score'])}"
    real, synth = record.get("real_correlation"), record.get("synthetic_correlation")
    if real is not None and synth is not None:
        text += f" (correlation {fmt_score(real)} in the real data, {fmt_score(synth)} in the synthetic data)"
    return Fact(
        f"pair.{a}.{b}",
        f"Pair trend of {a} and {b}",
        text,
        _card(ev, "fidelity.details.quality.column_pair_trends"),
        record["score"],
    )


def fidelity_part(ev: Evidence, part: str) -> Fact | None:
    labels = {"column_shapes": "Column shapes", "pair_trends": "Column pair trends", "row_validity": "Row validity"}
    value = (ev.scorecard or {}).get("fidelity", {}).get(part)
    if value is None:
        return None
    text = fmt_share(value) if part == "row_validity" else fmt_score(value)
    return Fact(f"fidelity.{part}", labels[part], text, _card(ev, f"fidelity.{part}"), value)


def collapsed(ev: Evidence) -> Fact | None:
    columns = (ev.scorecard or {}).get("fidelity", {}).get("collapsed_columns") or []
    if not columns:
        return None
    return Fact(
        "fidelity.collapsed",
        "Columns collapsed to one value",
        ", ".join(columns),
        _card(ev, "fidelity.details.diagnostics.collapsed_columns"),
        len(columns),
    )


def utility_models(ev: Evidence) -> list[Fact]:
    u = (ev.scorecard or {}).get("utility", {})
    metric = u.get("primary_metric") or "roc_auc"
    name = {"roc_auc": "AUROC", "r2": "R²"}.get(metric, metric)
    out = []
    for m in u.get("models", []):
        tstr, trtr = (m.get("tstr") or {}).get(metric), (m.get("trtr") or {}).get(metric)
        if tstr is None or trtr is None:
            continue
        kept = "" if m.get("score") is None else f", skill kept {fmt_score(m['score'])}"
        out.append(
            Fact(
                f"utility.model.{m['label']}",
                f"{m['label']} trained on synthetic vs real",
                f"{m['label']}: {name} {fmt_score(tstr)} trained on synthetic vs {fmt_score(trtr)} trained on real{kept}",
                _card(ev, "utility.details.models"),
                m.get("score"),
            )
        )
    return out


def target(ev: Evidence) -> Fact | None:
    u = (ev.scorecard or {}).get("utility", {})
    if not u.get("target"):
        return None
    task = f" ({u['task']})" if u.get("task") else ""
    return Fact("utility.target", "Prediction target", f"{u['target']}{task}", _card(ev, "utility.details.target"))


def classes(ev: Evidence) -> Fact | None:
    c = (ev.scorecard or {}).get("utility", {}).get("classes")
    if not c:
        return None
    text = f"{fmt_count(c['synthetic'])} of {fmt_count(c['real'])} real target classes appear in the synthetic rows"
    if c.get("missing") and c.get("rarest_missing_share") is not None:
        text += f"; the rarest missing class is {fmt_share(c['rarest_missing_share'])} of the real rows"
    return Fact("utility.classes", "Target classes kept", text, _card(ev, "utility.details.classes"), c.get("missing"))


_PRIVACY_MEASURES = {
    "exact_copy_rate": ("Exact copies of training rows", fmt_share, "privacy.details.exact_copies.synthetic_rate"),
    "excess_copy_rate": ("Excess exact-copy rate", fmt_share, "privacy.details.exact_copies.excess_rate"),
    "membership_auc": ("Membership-inference AUC", fmt_score, "privacy.details.membership_inference.max_auc"),
    "closer_share": ("Closer-to-train share", fmt_score, "privacy.details.closer_share.share"),
    "dcr_ratio": ("DCR ratio (synthetic / holdout)", fmt_score, "privacy.details.dcr.ratio_median"),
    "proximity_share": ("Proximity share", fmt_score, "privacy.details.proximity.synthetic_share"),
    "anonymeter_max_risk": ("Largest Anonymeter risk", fmt_score, "privacy.details.anonymeter.max_risk"),
}


def privacy_measure(ev: Evidence, name: str) -> Fact | None:
    value = (ev.scorecard or {}).get("privacy", {}).get(name)
    if value is None:
        return None
    label, fmt, field = _PRIVACY_MEASURES[name]
    return Fact(f"privacy.{name}", label, fmt(value), _card(ev, field), value)


def weakest_component(ev: Evidence) -> Fact | None:
    comps = [c for c in (ev.scorecard or {}).get("privacy", {}).get("components", []) if c.get("safety") is not None]
    if not comps:
        return None
    worst = min(comps, key=lambda c: c["safety"])
    return Fact(
        "privacy.weakest",
        "Weakest privacy component",
        f"{worst['label']} (safety {fmt_score(worst['safety'])})",
        _card(ev, "privacy.details.components"),
        worst["safety"],
    )


# --- the privacy report ----------------------------------------------------------------------


def guarantee(ev: Evidence) -> Fact | None:
    p = ev.privacy
    if p is None:
        run = (ev.scorecard or {}).get("run") or {}
        if run.get("guarantee") in ("none", "differential privacy"):
            text = "differential privacy" if run["guarantee"] != "none" else "no formal privacy guarantee"
            return Fact("privacy.guarantee", "Formal guarantee", text, _card(ev, "run.guarantee"))
        return None
    if p["guarantee"] == "void":
        return Fact(
            "privacy.guarantee",
            "Formal guarantee",
            f"no formal privacy guarantee ({p.get('void') or 'guarantee void'}: the DP noise can be reproduced)",
            ev.privacy_source,
        )
    if p["guarantee"] != "dp":
        return Fact(
            "privacy.guarantee",
            "Formal guarantee",
            f"no formal privacy guarantee ({p['method']} is not differentially private)",
            ev.privacy_source,
        )
    return Fact("privacy.guarantee", "Formal guarantee", "(ε, δ)-differential privacy", ev.privacy_source)


def epsilon(ev: Evidence) -> Fact | None:
    """ε of a DP run (None without a guarantee, including a void one)."""
    value = (ev.privacy or {}).get("epsilon")
    if value is None or (ev.privacy or {}).get("guarantee") != "dp":
        return None
    return Fact(
        "privacy.epsilon", "ε (whole pipeline)", f"ε = {fmt_epsilon(value)}", f"{ev.privacy_source} · epsilon", value
    )


def delta(ev: Evidence) -> Fact | None:
    value = (ev.privacy or {}).get("delta")
    if value is None:
        return None
    return Fact("privacy.delta", "δ", f"δ = {fmt_delta(value)}", f"{ev.privacy_source} · delta", value)


def odds_bound(ev: Evidence) -> Fact | None:
    """e^ε, the factor by which one person can change the odds of any outcome."""
    value = (ev.privacy or {}).get("epsilon")
    if value is None or value > 50:
        return None
    factor = math.exp(value)
    text = f"e^ε = {factor:.3g}" if factor < 1000 else f"e^ε = {factor:.3e}"
    return Fact(
        "privacy.odds_bound", "Odds bound e^ε", text, f"derived: e raised to the ε of {ev.privacy_source}", factor
    )


def one_in(ev: Evidence) -> Fact | None:
    """δ as "1 in N"."""
    value = (ev.privacy or {}).get("delta")
    if not value:
        return None
    n = round(1 / value)
    return Fact(
        "privacy.delta_one_in", "δ as a chance", f"1 in {fmt_count(n)}", f"derived: 1 / δ of {ev.privacy_source}", n
    )


def level(ev: Evidence) -> Fact | None:
    p = ev.privacy or {}
    if p.get("level") is None:
        return None
    return Fact(
        "privacy.level", "Privacy level", str(p["meaning"] or p["level"]), f"{ev.privacy_source} · level", p["level"]
    )


def report_field(ev: Evidence, name: str) -> Fact | None:
    """A numeric field of the privacy report (noise_multiplier, sample_rate, steps, ...)."""
    value = (ev.privacy or {}).get(name)
    if value is None or isinstance(value, bool):
        return None
    labels = {
        "noise_multiplier": "Noise multiplier",
        "sample_rate": "Sample rate",
        "steps": "DP-SGD steps",
        "preprocessing_epsilon": "ε spent on preprocessing",
        "target_epsilon": "Target ε",
        "max_grad_norm": "Clipping norm",
    }
    text = fmt_count(value) if name == "steps" else f"{value:.3g}"
    return Fact(f"privacy.{name}", labels.get(name, name), text, f"{ev.privacy_source} · {name}", value)


# --- budgets and PII -------------------------------------------------------------------------


def budget_facts(budget: dict[str, Any]) -> dict[str, Fact]:
    source = f"ledger: budget of dataset {budget['dataset']!r}"
    out = {
        name: Fact(
            f"budget.{budget['dataset']}.{name}",
            f"{label} ({budget['dataset']})",
            f"ε {fmt_epsilon(budget[name])}",
            f"{source} · {name}",
            budget[name],
        )
        for name, label in (("total", "Total budget"), ("spent", "Spent"), ("remaining", "Remaining"))
    }
    if budget.get("reserved"):
        out["reserved"] = Fact(
            f"budget.{budget['dataset']}.reserved",
            f"Reserved by unsettled runs ({budget['dataset']})",
            f"ε {fmt_epsilon(budget['reserved'])}",
            f"{source} · reserved",
            budget["reserved"],
        )
    out["runs"] = Fact(
        f"budget.{budget['dataset']}.runs",
        f"DP runs charged ({budget['dataset']})",
        fmt_count(budget["private_runs"]),
        f"{source} · private_runs",
        budget["private_runs"],
    )
    return out


def affordable_runs(budget: dict[str, Any], epsilon_per_run: float, what: str) -> Fact:
    n = math.floor(budget["remaining"] / epsilon_per_run + 1e-9) if epsilon_per_run > 0 else 0
    return Fact(
        f"budget.{budget['dataset']}.affordable",
        f"Runs the remaining budget allows at {what}",
        f"{fmt_count(n)} more run(s) at ε {fmt_epsilon(epsilon_per_run)}",
        f"derived: remaining ε of {budget['dataset']!r} divided by {what}",
        n,
    )


def pii_identifiers(ev: Evidence, kind: str) -> Fact | None:
    columns = (ev.pii or {}).get(kind) or []
    if not columns:
        return None
    listed = "; ".join(f"{c['column']} ({c['entity']}, recommended: {c['recommendation']})" for c in columns)
    label = "Direct identifiers found" if kind == "direct" else "Quasi identifiers found"
    return Fact(f"pii.{kind}", label, listed, f"{ev.pii_source} · columns[identifier={kind}]", len(columns))
