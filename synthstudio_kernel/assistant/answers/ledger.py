"""Ledger answers: the budget left per dataset and what it allows; two runs compared."""

from __future__ import annotations

import dataclasses
from typing import Any

from ...privacy.levels import privacy_level
from .. import adapter, context, factbook, memory
from ..context import Evidence, short
from ..facts import Citations, Fact
from . import Query, writer


@writer("budget")
def budget(q: Query, ev: Evidence, cite: Citations) -> str:
    budgets = _budgets(q, ev)
    if not budgets:
        return (
            "No budgeted dataset is recorded in the privacy ledger yet. Register one with "
            "ss.register_dataset(df, name, total_epsilon=...) and train a DP method on it."
        )
    parts = []
    for b in budgets:
        f = factbook.budget_facts(b)
        line = (
            f"Dataset {b['dataset']!r}: {cite.cite(f['remaining'])} left of {cite.cite(f['total'])} "
            f"({cite.cite(f['spent'])} spent by {cite.cite(f['runs'])} DP run(s)"
        )
        line += f", {cite.cite(f['reserved'])} reserved by runs not settled yet)." if "reserved" in f else ")."
        parts.append(line)
        parts.append(_allows(b, ev, cite))
    return " ".join(p for p in parts if p)


def _budgets(q: Query, ev: Evidence) -> list[dict[str, Any]]:
    everything = context.all_budgets()
    if q.datasets:
        return [b for b in everything if b["dataset"] in q.datasets]
    if ev.budget is not None:
        return [ev.budget]
    return everything


def _allows(b: dict[str, Any], ev: Evidence, cite: Citations) -> str:
    remaining = b["remaining"]
    if remaining <= 0:
        return "The budget is exhausted: no further DP run can be charged to this dataset."
    per_run = None
    if ev.run and ev.run.get("private") and ev.run.get("dataset") == b["dataset"] and ev.run.get("epsilon"):
        per_run, what = float(ev.run["epsilon"]), "the ε of this run"
    else:
        charged = [r for r in b["runs"] if r["private"] and r["epsilon"]]
        if charged:
            per_run, what = float(charged[0]["epsilon"]), "the ε of the latest DP run"
    text = ""
    if per_run:
        text = f"At {what}, it pays for {cite.cite(factbook.affordable_runs(b, per_run, what))}. "
    level = privacy_level(remaining)
    whole = Fact(
        f"budget.{b['dataset']}.level_if_spent",
        f"Privacy level of one run spending all that is left ({b['dataset']})",
        level.meaning,
        f"derived: privacy level of the remaining ε of {b['dataset']!r}",
    )
    return text + f"One run spending all of it would be {cite.cite(whole)}; runs add up (sequential composition)."


@writer("compare")
def compare(q: Query, ev: Evidence, cite: Citations) -> str:
    pair = _pair(q, ev)
    if len(pair) < 2:
        return (
            "I need two evaluated runs to compare, and the ledger holds fewer. Evaluate a sample of each model "
            "(ss.evaluate keeps its scores on the run), or name two run ids."
        )
    (label_a, a), (label_b, b) = pair
    for label, _ in pair:
        cite.cite(Fact(f"{label}.id", "Run compared", label, "ledger run id" if label.startswith("run ") else "kernel"))
    parts = [f"Comparing {label_a} (newer) with {label_b} (older)."]
    for name in ("fidelity", "utility", "privacy"):
        fa, fb = factbook.score(a, name), factbook.score(b, name)
        if fa is None or fb is None:
            continue
        diff = fa.value - fb.value
        delta = Fact(
            f"compare.{name}",
            f"{name} difference (newer − older)",
            f"{diff:+.2f}",
            f"derived: {label_a} minus {label_b}",
            diff,
        )
        parts.append(
            f"{name.capitalize()}: {cite.cite(_scoped(fa, label_a))} vs {cite.cite(_scoped(fb, label_b))} "
            f"({cite.cite(delta)})."
        )
    for label, e in pair:
        eps = factbook.epsilon(e)
        guarantee = factbook.guarantee(e)
        if eps:
            parts.append(f"{label} spent {cite.cite(_scoped(eps, label))}.")
        elif guarantee:
            parts.append(f"{label} has {cite.cite(_scoped(guarantee, label))}.")
    for use_case in ("partner_sharing", "public_release"):
        va, vb = factbook.verdict(a, use_case), factbook.verdict(b, use_case)
        if va and vb and va.text != vb.text:
            parts.append(
                f"{va.label}: {cite.cite(_scoped(va, label_a))} now, {cite.cite(_scoped(vb, label_b))} before."
            )
    return " ".join(parts)


def _scoped(fact: Fact, label: str) -> Fact:
    return dataclasses.replace(fact, key=f"{label}.{fact.key}", label=f"{label}: {fact.label}")


def _pair(q: Query, ev: Evidence) -> list[tuple[str, Evidence]]:
    if len(q.run_ids) >= 2:
        return [(f"run {short(r)}", context.resolve(r, use_memory=False)) for r in q.run_ids[:2]]
    out: list[tuple[str, Evidence]] = []
    seen: set[str] = set()
    for run in context.ledger_runs(ev.dataset, limit=50):
        view = adapter.ledger_scorecard_view(run)
        if view is None or run.id in seen:
            continue
        seen.add(run.id)
        e = Evidence()
        context._ledger_run(e, run)
        out.append((f"run {short(run.id)}", e))
        if len(out) == 2:
            return out
    cards = list(reversed(memory.history("scorecard")))[:2]
    if len(cards) < 2:
        return out
    views = [adapter.scorecard_view(card) for card in cards]
    ids = [adapter.scorecard_run_id(v) for v in views]
    distinct = None not in ids and ids[0] != ids[1]
    out = []
    for i, view in enumerate(views):
        e = Evidence()
        label = (
            f"run {short(str(ids[i]))}" if distinct else ("the latest scorecard" if i == 0 else "the scorecard before")
        )
        e.scorecard, e.scorecard_source = view, f"{label} (this kernel)"
        out.append((label, e))
    return out
