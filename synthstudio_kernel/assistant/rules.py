"""Smart suggestions: explicit rules over the facts, each with its reason and triggering fact.

A :class:`Rule` looks at the evidence and returns the fact that triggers it (and the
threshold it crossed), or None. Rules live in a registry (:func:`register_rule`); every
answer of ``ss.ask``, the persona's replies and the evaluation panel
(:func:`suggestions_for`) show the suggestions of the rules that fire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import factbook
from .answer import Suggestion
from .context import Evidence
from .facts import Fact
from .numbers import fmt_epsilon, fmt_score, fmt_share

Trigger = tuple[Fact, Fact | None]


@dataclass(frozen=True)
class Rule:
    """``check(evidence)`` returns (triggering fact, threshold fact) or None."""

    id: str
    text: str
    reason: str  # may use {fact} and {threshold}
    check: Callable[[Evidence], Trigger | None]

    def suggest(self, ev: Evidence) -> Suggestion | None:
        trigger = self.check(ev)
        if trigger is None:
            return None
        fact, threshold = trigger
        reason = self.reason.format(fact=fact.text, threshold=threshold.text if threshold else "")
        return Suggestion(self.id, self.text, reason, fact, threshold)


RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> None:
    """Add or replace a rule."""
    RULES[rule.id] = rule


def suggestions(ev: Evidence) -> list[Suggestion]:
    """The suggestions of every rule that fires on ``ev``, in registry order."""
    out = []
    for rule in RULES.values():
        suggestion = rule.suggest(ev)
        if suggestion is not None:
            out.append(suggestion)
    return out


def suggestions_for(scorecard: Any, run: Any = None) -> list[Suggestion]:
    """Suggestions for an evaluation panel: ``scorecard`` (a Scorecard or its dict) and, optionally,
    its ``run`` (a TrainedModel, a run id or None: then the scorecard's own run is read from the ledger)."""
    from . import adapter, context

    ev = context.resolve(run, use_memory=False) if run is not None else context.Evidence()
    ev.scorecard, ev.scorecard_source = adapter.scorecard_view(scorecard), "the scorecard"
    if run is None:
        context._fill_from_ledger(ev)
    return suggestions(ev)


# --- the rules ----------------------------------------------------------------------------------


def _threshold(rule: str, label: str, text: str, value: float) -> Fact:
    return Fact(f"rule.{rule}", label, text, f"suggestion rule {rule!r}", value)


def _value(ev: Evidence, *path: str) -> Any:
    node: Any = ev.scorecard or {}
    for key in path:
        node = (node or {}).get(key) if isinstance(node, dict) else None
    return node


def _rare_class_lost(ev: Evidence) -> Trigger | None:
    c = _value(ev, "utility", "classes")
    fact = factbook.classes(ev)
    return (fact, None) if c and c.get("missing") and fact else None


def _collapsed(ev: Evidence) -> Trigger | None:
    fact = factbook.collapsed(ev)
    return (fact, None) if fact else None


WEAK_COLUMN = 0.70


def _weak_column(ev: Evidence) -> Trigger | None:
    columns = [c for c in _value(ev, "fidelity", "columns") or [] if c.get("score") is not None]
    if not columns or columns[0]["score"] >= WEAK_COLUMN:
        return None
    return factbook.column(ev, columns[0]), _threshold(
        "weak_column", "Weak column below", fmt_score(WEAK_COLUMN), WEAK_COLUMN
    )


HIGH_NOISE = 2.0


def _high_noise(ev: Evidence) -> Trigger | None:
    fact = factbook.report_field(ev, "noise_multiplier")
    if fact is None or fact.value <= HIGH_NOISE:
        return None
    return fact, _threshold("high_noise", "High noise above", f"{HIGH_NOISE:.3g}", HIGH_NOISE)


MAX_EXCESS_COPIES = 0.01


def _exact_copies(ev: Evidence) -> Trigger | None:
    fact = factbook.privacy_measure(ev, "excess_copy_rate")
    if fact is None or fact.value <= MAX_EXCESS_COPIES:
        return None
    return fact, _threshold("exact_copies", "Excess copies allowed", fmt_share(MAX_EXCESS_COPIES), MAX_EXCESS_COPIES)


MAX_MEMBERSHIP_AUC = 0.60


def _membership(ev: Evidence) -> Trigger | None:
    fact = factbook.privacy_measure(ev, "membership_auc")
    if fact is None or fact.value <= MAX_MEMBERSHIP_AUC:
        return None
    return fact, _threshold("membership", "Membership AUC allowed", fmt_score(MAX_MEMBERSHIP_AUC), MAX_MEMBERSHIP_AUC)


def _no_holdout(ev: Evidence) -> Trigger | None:
    if ev.scorecard is None or ev.scorecard.get("holdout") is not False:
        return None
    fact = Fact("scorecard.holdout", "Holdout", "no holdout was given", f"{ev.scorecard_source} · data.holdout_rows")
    return fact, None


def _no_guarantee(ev: Evidence) -> Trigger | None:
    fact = factbook.guarantee(ev)
    if fact is None or not fact.text.startswith("no formal"):
        return None
    return fact, None


PUBLIC_MAX_EPSILON = 3.0


def _epsilon_high(ev: Evidence) -> Trigger | None:
    fact = factbook.epsilon(ev)
    if fact is None or fact.value <= PUBLIC_MAX_EPSILON:
        return None
    bound = _threshold("epsilon_high", "Largest ε for public release", f"ε {fmt_epsilon(PUBLIC_MAX_EPSILON)}", 3.0)
    return fact, bound


def _direct_identifier(ev: Evidence) -> Trigger | None:
    fact = factbook.pii_identifiers(ev, "direct")
    return (fact, None) if fact else None


LOW_UTILITY = 0.50


def _low_utility(ev: Evidence) -> Trigger | None:
    fact = factbook.score(ev, "utility")
    if fact is None or fact.value >= LOW_UTILITY or _rare_class_lost(ev):
        return None
    return fact, _threshold("low_utility", "Low utility below", fmt_score(LOW_UTILITY), LOW_UTILITY)


LOW_FIDELITY = 0.60


def _low_fidelity(ev: Evidence) -> Trigger | None:
    fact = factbook.score(ev, "fidelity")
    if fact is None or fact.value >= LOW_FIDELITY:
        return None
    return fact, _threshold("low_fidelity", "Low fidelity below", fmt_score(LOW_FIDELITY), LOW_FIDELITY)


BUDGET_NEARLY_USED = 0.8


def _budget_low(ev: Evidence) -> Trigger | None:
    b = ev.budget
    if not b or b["used_fraction"] < BUDGET_NEARLY_USED:
        return None
    fact = factbook.budget_facts(b)["remaining"]
    return fact, _threshold("budget_low", "Share of the budget used at which to plan", fmt_share(0.8), 0.8)


for _rule in (
    Rule(
        "rare_class_lost",
        "Use a target-aware method (ctgan or dp-ctgan, whose conditional sampling keeps rare classes) or give "
        "the run more budget and epochs.",
        "the synthetic rows lost a target class: {fact}",
        _rare_class_lost,
    ),
    Rule(
        "collapsed_column",
        "Train longer (or with more ε), and declare the collapsed columns' categories or bounds as public metadata.",
        "columns collapsed to a single value: {fact}",
        _collapsed,
    ),
    Rule(
        "weak_column",
        "Inspect that column on the scorecard's Fidelity tab; more epochs, or a method that models its shape "
        "(gaussian-copula for smooth numeric columns), usually helps.",
        "the worst column scores {fact}, under {threshold}",
        _weak_column,
    ),
    Rule(
        "high_noise",
        "Train fewer epochs (fewer steps need less noise for the same ε) or declare public bounds and categories "
        "so that less ε goes to preprocessing.",
        "the noise multiplier is {fact}, above {threshold}",
        _high_noise,
    ),
    Rule(
        "exact_copies",
        "Use stronger privacy: a DP method (dp-tvae, dp-ctgan) or a lower ε.",
        "the excess exact-copy rate is {fact}, above {threshold}",
        _exact_copies,
    ),
    Rule(
        "membership",
        "Use stronger privacy: a DP method or a lower ε, and fewer epochs.",
        "a membership-inference attack reaches AUC {fact}, above {threshold}",
        _membership,
    ),
    Rule(
        "no_holdout",
        "Keep a share of the real rows out of training and pass them as holdout=... so privacy can be judged.",
        "{fact}: membership and closeness attacks could not run",
        _no_holdout,
    ),
    Rule(
        "no_guarantee",
        "For public release, train a DP method (dp-tvae or dp-ctgan) with an ε within the public-release limit.",
        "the run has {fact}",
        _no_guarantee,
    ),
    Rule(
        "epsilon_high",
        "For public release, train again with a smaller ε.",
        "the run spent {fact}, more than {threshold}",
        _epsilon_high,
    ),
    Rule(
        "direct_identifier",
        "Apply the PII recommendations (drop or pseudonymize those columns) before training.",
        "direct identifiers are still present: {fact}",
        _direct_identifier,
    ),
    Rule(
        "low_utility",
        "Train more epochs or with a larger ε; check that the target column was modelled (target=...).",
        "utility is {fact}, under {threshold}",
        _low_utility,
    ),
    Rule(
        "low_fidelity",
        "Train more epochs, or try a marginal-based DP method when one is available.",
        "fidelity is {fact}, under {threshold}",
        _low_fidelity,
    ),
    Rule(
        "budget_low",
        "Plan the remaining budget: fewer, larger runs compose better than many small ones.",
        "only {fact} is left, with more than {threshold} of the budget used",
        _budget_low,
    ),
):
    register_rule(_rule)
