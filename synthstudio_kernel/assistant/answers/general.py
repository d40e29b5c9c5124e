"""General answers: what a metric means, what to try next, what the assistant can answer."""

from __future__ import annotations

from collections.abc import Callable

from .. import factbook, rules
from ..context import Evidence
from ..facts import Citations, Fact
from ..knowledge import metrics
from . import Query, writer

#: metric id -> the fact holding its value for the run in context.
_VALUE_OF: dict[str, Callable[[Evidence], Fact | None]] = {
    "fidelity": lambda ev: factbook.score(ev, "fidelity"),
    "utility": lambda ev: factbook.score(ev, "utility"),
    "privacy": lambda ev: factbook.score(ev, "privacy"),
    "column_shapes": lambda ev: factbook.fidelity_part(ev, "column_shapes"),
    "pair_trends": lambda ev: factbook.fidelity_part(ev, "pair_trends"),
    "row_validity": lambda ev: factbook.fidelity_part(ev, "row_validity"),
    "collapsed_columns": factbook.collapsed,
    "exact_copies": lambda ev: factbook.privacy_measure(ev, "excess_copy_rate"),
    "dcr": lambda ev: factbook.privacy_measure(ev, "dcr_ratio"),
    "proximity": lambda ev: factbook.privacy_measure(ev, "proximity_share"),
    "closer_share": lambda ev: factbook.privacy_measure(ev, "closer_share"),
    "membership_inference": lambda ev: factbook.privacy_measure(ev, "membership_auc"),
    "anonymeter": lambda ev: factbook.privacy_measure(ev, "anonymeter_max_risk"),
    "epsilon": factbook.epsilon,
    "delta": factbook.delta,
    "privacy_level": factbook.level,
    "noise_multiplier": lambda ev: factbook.report_field(ev, "noise_multiplier"),
    "sample_rate": lambda ev: factbook.report_field(ev, "sample_rate"),
    "steps": lambda ev: factbook.report_field(ev, "steps"),
    "preprocessing_epsilon": lambda ev: factbook.report_field(ev, "preprocessing_epsilon"),
    "max_grad_norm": lambda ev: factbook.report_field(ev, "max_grad_norm"),
    "target": factbook.target,
    "pii_identifier": lambda ev: factbook.pii_identifiers(ev, "direct"),
}

CAPABILITIES = (
    ("overall verdicts", "Is this good enough to share with partners, and why not?"),
    ("scores", "What is the fidelity score of the last run?"),
    ("columns and pairs that differ most", "Which columns differ most from the real data?"),
    ("why utility is low", "Why is utility low?"),
    ("what a metric means", "What does the membership-inference AUC mean?"),
    ("ε and δ in plain words", "What does this epsilon mean?"),
    ("empirical privacy risk", "Are there exact copies of training rows?"),
    ("the privacy budget", "How much budget is left, and what does it allow?"),
    ("comparing runs", "Compare the last two runs."),
    ("identifiers in the data", "Which columns are direct identifiers?"),
    ("what to try next", "What should I try next?"),
)


def capabilities() -> str:
    lines = "\n".join(f"- {topic}, e.g. “{example}”" for topic, example in CAPABILITIES)
    return f"I can answer about:\n{lines}"


@writer("metric")
def metric(q: Query, ev: Evidence, cite: Citations) -> str:
    if not q.metrics:
        names = ", ".join(sorted(m.name for m in metrics().values()))
        return f"Which metric do you mean? I can explain: {names}."
    parts = []
    for m in q.metrics:
        parts.append(cite.cite(m.fact()))
        getter = _VALUE_OF.get(m.id)
        value = getter(ev) if getter else None
        if value is not None:
            where = f" for {cite.cite(run)}" if (run := factbook.run_fact(ev)) else ""
            parts.append(f"Recorded{where}: {value.label.lower()} {cite.cite(value)}.")
    return "\n\n".join(parts)


@writer("next_steps")
def next_steps(q: Query, ev: Evidence, cite: Citations) -> str:
    if ev.scorecard is None and ev.privacy is None and ev.pii is None:
        return (
            "Nothing is recorded yet to base a suggestion on. Train a model (ss.train), evaluate a sample with a "
            "holdout (ss.evaluate), then ask again."
        )
    found = rules.suggestions(ev)
    run = factbook.run_fact(ev)
    about = f"For {cite.cite(run)}" if run else "For the latest results"
    if not found:
        return f"{about}, no suggestion rule fires: the recorded facts show no problem that a rule knows how to fix."
    for s in found:
        cite.add(s.facts())
    lines = "\n".join(f"- {s.text} (because {s.reason})" for s in found)
    return (
        f"{about}, the facts suggest:\n{lines}\nAfter trying one, evaluate a new sample and ask me to compare the runs."
    )


@writer("help")
def help_(q: Query, ev: Evidence, cite: Citations) -> str:
    return (
        "I answer quality and privacy questions about your synthetic data from the facts Synth Studio recorded "
        f"(scorecards, privacy reports, PII scans, the budget ledger), never from guesses. {capabilities()}"
    )


@writer("unknown")
def unknown(q: Query, ev: Evidence, cite: Citations) -> str:
    return f"I can't answer that from the recorded facts. {capabilities()}"
