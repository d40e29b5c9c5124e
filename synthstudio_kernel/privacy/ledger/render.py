"""Text and HTML views of budgets: a gauge bar per dataset and its run history."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ...theme import ROOT, style_tag
from .records import BudgetStatus, LedgerRun, fmt_eps

NO_GUARANTEE = "no formal guarantee"
_COLORS = {"ok": "#2e7d32", "warn": "#ef6c00", "high": "#c62828"}


def gauge_level(status: BudgetStatus) -> str:
    """ "ok" below half used, "warn" below 80 %, "high" from there."""
    used = status.used_fraction
    return "ok" if used < 0.5 else "warn" if used < 0.8 else "high"


def budget_summary(status: BudgetStatus) -> str:
    parts = [f"{status.name}: {fmt_eps(status.spent)} of {fmt_eps(status.total)} ε spent"]
    if status.reserved > 0:
        parts.append(f"{fmt_eps(status.reserved)} reserved by {status.open_reservations} unsettled run(s)")
    parts.append(f"{fmt_eps(status.remaining)} left")
    if status.overspent > 0:
        parts.append(f"OVERSPENT by {fmt_eps(status.overspent)}")
    return ", ".join(parts)


def budget_text(status: BudgetStatus) -> str:
    """Plain-text view: summary, gauge, δ, counts, recent runs."""
    width = 30
    filled = round(status.used_fraction * width)
    lines = [
        budget_summary(status),
        f"  [{'#' * filled}{'.' * (width - filled)}] {status.used_fraction:.0%} used",
        f"  δ spent {fmt_eps(status.delta_spent)}"
        + (f" (+{fmt_eps(status.delta_reserved)} reserved)" if status.delta_reserved else ""),
        f"  DP runs: {status.private_runs}"
        + (f"; refused before training: {status.refused_runs}" if status.refused_runs else "")
        + (f"; non-private runs: {status.non_private_runs} — {NO_GUARANTEE}" if status.non_private_runs else ""),
    ]
    if not status.dataset.registered:
        lines.append("  (unregistered: created from the table's fingerprint with the default budget)")
    for run in status.runs:
        lines.append("  " + run_line(run))
    return "\n".join(lines)


def run_line(run: LedgerRun) -> str:
    started = run.started_at.strftime("%Y-%m-%d %H:%M") if run.started_at else "?"
    if run.status == "refused":
        eps = f"nothing spent (asked for ε {fmt_eps(run.epsilon_target)})" if run.private else "nothing spent"
    elif run.private and run.status == "reserved":
        eps = f"ε {fmt_eps(run.epsilon_target)} reserved, δ {fmt_eps(run.delta)}"
    elif run.private:
        eps = f"ε {fmt_eps(run.epsilon_spent)} of {fmt_eps(run.epsilon_target)}, δ {fmt_eps(run.delta)}"
    else:
        eps = NO_GUARANTEE
    return f"{started}  {run.method:<16} {run.status:<9} {eps}  ({run.id[:8]})"


def budget_html(status: BudgetStatus, *, show_runs: bool = True) -> str:
    """One dataset: title, gauge, δ and counts, then its recent runs."""
    parts = [
        f'{style_tag()}<div class="{ROOT} synthstudio-budget" style="max-width: 720px; margin: 4px 0 10px 0;">',
        f"<div><b>{escape(status.name)}</b>"
        + ("" if status.dataset.registered else ' <span style="opacity:.7">(unregistered)</span>')
        + f' <span style="opacity:.7">· {status.dataset.rows:,} rows</span></div>',
        gauge_html(status),
        f'<div style="font-size: 90%;">δ spent {escape(fmt_eps(status.delta_spent))}'
        + (f" (+{escape(fmt_eps(status.delta_reserved))} reserved)" if status.delta_reserved else "")
        + f" · DP runs: {status.private_runs}"
        + (f" · refused before training: {status.refused_runs}" if status.refused_runs else "")
        + (
            f' · <span title="GaussianCopula, CTGAN, TVAE: the synthetic data may reveal training records">'
            f"non-private runs: {status.non_private_runs} — {NO_GUARANTEE}</span>"
            if status.non_private_runs
            else ""
        )
        + "</div>",
    ]
    if show_runs and status.runs:
        parts.append(runs_table_html(status.runs))
    parts.append("</div>")
    return "".join(parts)


def gauge_html(status: BudgetStatus) -> str:
    """A horizontal bar: spent (solid), reserved (striped), remaining (empty)."""
    total = status.total if status.total > 0 else 1.0
    spent_pct = min(100.0, 100.0 * status.spent / total)
    reserved_pct = min(100.0 - spent_pct, 100.0 * status.reserved / total)
    color = _COLORS[gauge_level(status)]
    label = escape(budget_summary(status))
    return (
        f'<div role="meter" aria-valuemin="0" aria-valuemax="{status.total}" '
        f'aria-valuenow="{status.spent + status.reserved}" aria-label="{label}" title="{label}" '
        'style="display:flex; height: 14px; border: 1px solid #9e9e9e; border-radius: 3px; '
        'overflow: hidden; background: var(--ss-track, #f5f5f5); margin: 3px 0;">'
        f'<div style="width:{spent_pct:.2f}%; background:{color};"></div>'
        f'<div style="width:{reserved_pct:.2f}%; background: repeating-linear-gradient(45deg, {color}, {color} 4px, '
        '#ffffff 4px, #ffffff 8px); opacity: .6;"></div>'
        "</div>"
        f'<div style="font-size: 90%;">{escape(fmt_eps(status.spent))} of {escape(fmt_eps(status.total))} ε spent'
        + (f" · {escape(fmt_eps(status.reserved))} reserved" if status.reserved > 0 else "")
        + f" · <b>{escape(fmt_eps(status.remaining))} left</b>"
        + (
            f' · <b style="color:var(--ss-bad,{_COLORS["high"]})">overspent by {escape(fmt_eps(status.overspent))}</b>'
            if status.overspent
            else ""
        )
        + "</div>"
    )


def runs_table_html(runs: Sequence[LedgerRun]) -> str:
    head = "".join(
        f'<th style="text-align:left; padding: 2px 8px;">{h}</th>'
        for h in ("started (UTC)", "method", "status", "ε spent / target", "δ", "guarantee", "run")
    )
    rows = []
    for run in runs:
        started = run.started_at.strftime("%Y-%m-%d %H:%M") if run.started_at else "?"
        if run.status == "refused":
            eps, guarantee = f"0 / {fmt_eps(run.epsilon_target)}", "refused before training"
        elif run.private:
            spent = "reserved" if run.status == "reserved" else fmt_eps(run.epsilon_spent)
            eps = f"{spent} / {fmt_eps(run.epsilon_target)}"
            guarantee = "(ε, δ)-DP"
        else:
            eps, guarantee = "—", NO_GUARANTEE
        cells = (started, run.method, run.status, eps, fmt_eps(run.delta), guarantee, run.id[:8])
        rows.append("<tr>" + "".join(f'<td style="padding: 2px 8px;">{escape(str(c))}</td>' for c in cells) + "</tr>")
    return (
        '<table style="border-collapse: collapse; font-size: 90%; margin-top: 4px;">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def budgets_html(statuses: Sequence[BudgetStatus]) -> str:
    """Every dataset: one gauge each, no run tables."""
    if not statuses:
        return f"{style_tag()}<div class='{ROOT}'>" + escape(EMPTY_MESSAGE) + "</div>"
    return "".join(budget_html(s, show_runs=False) for s in statuses)


def budgets_text(statuses: Sequence[BudgetStatus]) -> str:
    if not statuses:
        return EMPTY_MESSAGE
    lines = []
    for status in statuses:
        summary, gauge = budget_text(status).splitlines()[:2]
        lines.append(f"{summary}\n  {gauge.strip()}")
    return "\n".join(lines)


EMPTY_MESSAGE = (
    "No datasets in the privacy ledger yet. Register one with "
    "ss.register_dataset(df, 'name', total_epsilon=...) or train a DP model."
)
