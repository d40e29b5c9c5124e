"""Quality answers: scores, verdicts, the columns that differ most, why utility is low."""

from __future__ import annotations

from .. import factbook
from ..context import Evidence
from ..facts import Citations
from . import Query, writer

USE_CASE_ORDER = ("internal_testing", "partner_sharing", "public_release")


def no_scorecard(ev: Evidence, cite: Citations) -> str:
    run = factbook.run_fact(ev)
    about = f"For {cite.cite(run)}, no" if run else "No"
    return (
        f"{about} scorecard is recorded, so I cannot judge its quality. Evaluate a sample first: "
        "ss.evaluate(real, model.sample(n), holdout=holdout) (or %synth_evaluate), then ask again."
    )


def _intro(ev: Evidence, cite: Citations) -> str:
    run = factbook.run_fact(ev)
    return f"About {cite.cite(run)}." if run else "About the latest scorecard (not linked to a run)."


@writer("scores")
def scores(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.scorecard is None:
        return no_scorecard(ev, cite)
    parts = [_intro(ev, cite)]
    scored = []
    for name in ("fidelity", "utility", "privacy"):
        fact = factbook.score(ev, name)
        scored.append(f"{name} {cite.cite(fact)}" if fact else f"{name} not measured")
    parts.append("Scores (higher is better): " + ", ".join(scored) + ".")
    statuses = []
    for use_case in USE_CASE_ORDER:
        fact = factbook.verdict(ev, use_case)
        if fact:
            statuses.append(f"{fact.label.removeprefix('Verdict: ').lower()}: {cite.cite(fact)}")
    if statuses:
        parts.append("Verdicts: " + "; ".join(statuses) + ".")
    guarantee = factbook.guarantee(ev)
    if guarantee:
        parts.append(f"Formal guarantee: {cite.cite(guarantee)}.")
        epsilon = factbook.epsilon(ev)
        if epsilon:
            parts[-1] = parts[-1][:-1] + f" with {cite.cite(epsilon)}."
    return " ".join(parts)


@writer("verdict")
def verdict(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.scorecard is None:
        return no_scorecard(ev, cite)
    verdicts = factbook.verdicts(ev)
    wanted = [u for u in q.use_cases if u in verdicts] or [
        u for u in ("partner_sharing", "public_release") if u in verdicts
    ]
    if not wanted:
        return "This scorecard has no verdicts recorded; evaluate the synthetic table again with ss.evaluate."
    parts = [_intro(ev, cite)]
    for use_case in wanted:
        v = verdicts[use_case]
        status = cite.cite(factbook.verdict(ev, use_case))  # type: ignore[arg-type]
        label = v["label"].lower()
        if v["status"] == "pass":
            parts.append(f"{v['label']}: {status}. Every check passes.")
            continue
        bad = [c for c in v["checks"] if c["status"] in ("fail", "unknown")]
        if not bad:
            parts.append(f"{v['label']}: {status}.")
            continue
        why = "; ".join(cite.cite(factbook.check(ev, use_case, c)) for c in bad)
        lead = "Not suitable for" if v["status"] == "fail" else "Cannot decide yet for"
        parts.append(f"{lead} {label} ({status}) because: {why}.")
    return " ".join(parts)


@writer("columns")
def columns(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.scorecard is None:
        return no_scorecard(ev, cite)
    fidelity = ev.scorecard["fidelity"]
    records = [c for c in fidelity.get("columns", []) if c.get("score") is not None]
    pairs = [p for p in fidelity.get("pairs", []) if p.get("score") is not None]
    parts = [_intro(ev, cite)]
    named = [c for c in records if c["column"] in q.columns]
    if named:
        parts.append(
            "Column shape scores (higher means closer to the real distribution): "
            + "; ".join(cite.cite(factbook.column(ev, c)) for c in named)
            + "."
        )
        named_pairs = [p for p in pairs if set(p["columns"]) & set(q.columns)]
        if named_pairs:
            parts.append(
                "Pairs involving them: " + "; ".join(cite.cite(factbook.pair(ev, p)) for p in named_pairs[:3]) + "."
            )
        return " ".join(parts)
    if records:
        worst = "; ".join(cite.cite(factbook.column(ev, c)) for c in records[:3])
        parts.append(
            f"The columns that differ most (column shape score; higher means closer to the real distribution): {worst}."
        )
    shapes = factbook.fidelity_part(ev, "column_shapes")
    if shapes:
        parts.append(f"Over all columns the shapes score {cite.cite(shapes)}.")
    if pairs:
        worst_pairs = "; ".join(cite.cite(factbook.pair(ev, p)) for p in pairs[:3])
        parts.append(f"The column pairs whose relation differs most: {worst_pairs}.")
        trends = factbook.fidelity_part(ev, "pair_trends")
        if trends:
            parts.append(f"Pair trends overall: {cite.cite(trends)}.")
    elif records:
        parts.append("No column pair has a real association strong enough to be scored.")
    collapsed = factbook.collapsed(ev)
    if collapsed:
        parts.append(f"Collapsed to a single value in the synthetic data: {cite.cite(collapsed)}.")
    if len(parts) == 1:
        parts.append("The scorecard holds no per-column scores (it was recorded before they were kept).")
    return " ".join(parts)


@writer("utility_low")
def utility_low(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.scorecard is None:
        return no_scorecard(ev, cite)
    parts = [_intro(ev, cite)]
    utility = factbook.score(ev, "utility")
    target = factbook.target(ev)
    if utility is None:
        parts.append(
            "Utility was not measured: no column could serve as a prediction target (pass target=... to "
            "ss.evaluate to choose one)."
        )
        return " ".join(parts)
    on = f" predicting {cite.cite(target)}" if target else ""
    parts.append(
        f"Utility is {cite.cite(utility)}{on}: the share of the real data's predictive skill that models "
        "trained on the synthetic rows keep."
    )
    models = factbook.utility_models(ev)
    if models:
        parts.append("Per model: " + "; ".join(cite.cite(m) for m in models) + ".")
    causes = []
    classes = factbook.classes(ev)
    if classes and classes.value:
        causes.append(
            f"a target class is missing from the synthetic rows ({cite.cite(classes)}), so no model trained "
            "on them can predict it"
        )
    collapsed = factbook.collapsed(ev)
    if collapsed:
        causes.append(f"some columns collapsed to a single value ({cite.cite(collapsed)}), so they carry no signal")
    records = [c for c in ev.scorecard["fidelity"].get("columns", []) if c.get("score") is not None]
    target_column = ev.scorecard["utility"].get("target")
    weak_target = [c for c in records if c["column"] == target_column]
    if weak_target:
        causes.append(f"the target's own distribution is distorted ({cite.cite(factbook.column(ev, weak_target[0]))})")
    trends = factbook.fidelity_part(ev, "pair_trends")
    if trends and trends.value is not None and trends.value < 0.75:
        causes.append(f"relations between columns are weakly kept (pair trends {cite.cite(trends)})")
    if causes:
        parts.append("Likely causes: " + "; ".join(causes) + ".")
    elif classes:
        parts.append(
            f"Every target class is present ({cite.cite(classes)}) and no column collapsed; the models "
            "lose skill because the synthetic rows blur the relations between features and target."
        )
    return " ".join(parts)
