"""Privacy answers: ε and δ in plain words, empirical leakage, identifiers left in the data."""

from __future__ import annotations

from .. import factbook
from ..context import Evidence
from ..facts import Citations
from ..knowledge import get
from . import Query, writer
from .quality import no_scorecard


@writer("epsilon")
def epsilon(q: Query, ev: Evidence, cite: Citations) -> str:
    run = factbook.run_fact(ev)
    guarantee = factbook.guarantee(ev)
    eps = factbook.epsilon(ev)
    if eps is None:
        kb = get("epsilon").fact()
        if guarantee is not None:
            about = f"About {cite.cite(run)}. " if run else ""
            return (
                f"{about}It has {cite.cite(guarantee)}, so no ε bounds what it reveals about any one person. "
                f"For reference: {cite.cite(kb)}"
            )
        return f"No trained model or run is recorded yet. For reference: {cite.cite(kb)}"
    parts = [f"About {cite.cite(run)}." if run else ""]
    odds = factbook.odds_bound(ev)
    if odds is not None:
        parts.append(
            f"The run is protected by {cite.cite(guarantee)} with {cite.cite(eps)}"  # type: ignore[arg-type]
            f" (the whole pipeline, preprocessing included). In plain words: whatever anyone does with the model or "
            f"its samples, the presence or absence of any one person in the training data changes the odds of any "
            f"outcome by at most a factor of {cite.cite(odds)}."
        )
    else:
        parts.append(f"The run spent {cite.cite(eps)}, too large for the odds bound to mean much.")
    delta = factbook.delta(ev)
    one_in = factbook.one_in(ev)
    if delta is not None:
        chance = f" ({cite.cite(one_in)})" if one_in else ""
        parts.append(f"{cite.cite(delta)} is the small chance{chance} that this bound does not hold.")
    level = factbook.level(ev)
    if level is not None:
        parts.append(f"Privacy level: {cite.cite(level)}.")
    return " ".join(p for p in parts if p)


@writer("privacy_risk")
def privacy_risk(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.scorecard is None:
        return no_scorecard(ev, cite)
    parts = []
    run = factbook.run_fact(ev)
    if run:
        parts.append(f"About {cite.cite(run)}.")
    score = factbook.score(ev, "privacy")
    if score:
        parts.append(f"The empirical privacy score is {cite.cite(score)} (higher is safer).")
    measures = []
    for name, words in (
        ("exact_copy_rate", "synthetic rows that copy a training row"),
        ("excess_copy_rate", "copies beyond what fresh real rows show"),
        ("membership_auc", "best membership-inference attack AUC (a coin flip scores one half)"),
        ("closer_share", "share of synthetic rows closer to training than to holdout rows (one half is ideal)"),
        ("anonymeter_max_risk", "largest Anonymeter risk"),
    ):
        fact = factbook.privacy_measure(ev, name)
        if fact:
            measures.append(f"{words}: {cite.cite(fact)}")
    if measures:
        parts.append("Measured: " + "; ".join(measures) + ".")
    weakest = factbook.weakest_component(ev)
    if weakest:
        parts.append(f"The weakest channel is {cite.cite(weakest)}.")
    not_measured = (ev.scorecard.get("privacy") or {}).get("not_measured") or []
    if not_measured:
        parts.append("Not measured without a holdout: " + ", ".join(not_measured) + ".")
    guarantee = factbook.guarantee(ev)
    if guarantee:
        eps = factbook.epsilon(ev)
        with_eps = f" with {cite.cite(eps)}" if eps else ""
        parts.append(
            f"Formal guarantee: {cite.cite(guarantee)}{with_eps}. Attacks only bound what these attacks find; "
            "a DP guarantee bounds every attack."
        )
    return " ".join(parts)


@writer("pii")
def pii(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.pii is None:
        return (
            "No PII scan is recorded in this kernel. Run ss.scan_pii(df) (or %synth_pii df) on the real table, "
            "then ask again."
        )
    direct = factbook.pii_identifiers(ev, "direct")
    quasi = factbook.pii_identifiers(ev, "quasi")
    parts = []
    if direct:
        parts.append(f"Direct identifiers (they name a person on their own): {cite.cite(direct)}.")
    else:
        parts.append("The scan found no direct identifier.")
    if quasi:
        parts.append(f"Quasi identifiers (they identify in combination): {cite.cite(quasi)}.")
    if direct:
        parts.append(
            "Apply the recommended action to each direct identifier before training; the DP methods refuse "
            "tables that still hold one unless forced."
        )
    return " ".join(parts)
