"""Compliance status of one run, built only from facts the ledger holds.

Each framework-neutral check reads one kind of fact and gives a badge (pass, warn, fail or
unknown) with the reasons behind it:

- ``formal-privacy``: the run's formal guarantee, ε and δ spent against the target (ledger);
- ``budget``: what the run charged to its dataset's budget, and what is left (ledger);
- ``safety-checks``: the pre-training safety checks (facts ``"safety"``);
- ``identifiers``: identifiers found in the training data and how they were handled (facts ``"pii"``);
- ``fidelity``, ``utility``, ``privacy-risk``: evaluation scores against the evaluation's own
  use-case thresholds (facts ``"evaluation"``), or one ``evaluation`` badge when there is none.

A check whose facts were never recorded is ``unknown`` and says which fact is missing; nothing
is guessed. Reasons quote counts, scores, column names and parameters, never data values.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

CheckStatus = Literal["pass", "warn", "fail", "unknown"]

#: Worst first: the overall status is the worst badge's.
SEVERITY: tuple[CheckStatus, ...] = ("fail", "warn", "unknown", "pass")

#: Relative slack when comparing ε spent with the target (float noise from the accountant).
_EPS_SLACK = 1e-6


@dataclass(frozen=True)
class Badge:
    """One check's outcome with its reasons (at least one)."""

    check: str
    label: str
    status: CheckStatus
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "label": self.label, "status": self.status, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class ComplianceStatus:
    """The badges of one run and their overall status (the worst of them)."""

    run_id: str
    badges: tuple[Badge, ...]
    privacy_level: dict[str, str] | None = None

    @property
    def status(self) -> CheckStatus:
        present = {badge.status for badge in self.badges}
        return next((status for status in SEVERITY if status in present), "unknown")

    @property
    def known(self) -> int:
        return sum(badge.status != "unknown" for badge in self.badges)

    @property
    def unknown(self) -> int:
        return sum(badge.status == "unknown" for badge in self.badges)

    @property
    def summary(self) -> str:
        """One line, e.g. "1 check fails (Formal privacy); 2 not known (Identifiers, Evaluation)"."""
        if not self.badges:
            return "No checks apply."
        parts = []
        for status, verb in (("fail", "fail"), ("warn", "warn"), ("unknown", "not known")):
            labels = [badge.label for badge in self.badges if badge.status == status]
            if labels:
                noun = "check" if len(labels) == 1 and status != "unknown" else "checks"
                verb_here = "fails" if status == "fail" and len(labels) == 1 else verb
                verb_here = "warns" if status == "warn" and len(labels) == 1 else verb_here
                prefix = f"{len(labels)} {noun} {verb_here}" if status != "unknown" else f"{len(labels)} not known"
                parts.append(f"{prefix} ({', '.join(labels)})")
        if not parts:
            return f"All {len(self.badges)} checks pass."
        return "; ".join(parts) + "."

    def badge(self, check: str) -> Badge | None:
        """The badge of one check, or None when it does not apply to this run."""
        return next((badge for badge in self.badges if badge.check == check), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe; the wire shape ``ComplianceStatus`` of synthstudio_kernel/schema/api.schema.json."""
        return {
            "run_id": self.run_id,
            "status": self.status,
            "summary": self.summary,
            "privacy_level": dict(self.privacy_level) if self.privacy_level else None,
            "badges": [badge.to_dict() for badge in self.badges],
            "known": self.known,
            "unknown": self.unknown,
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(b.label)}</td><td><b>{html.escape(b.status)}</b></td>"
            f"<td>{'<br>'.join(html.escape(r) for r in b.reasons)}</td></tr>"
            for b in self.badges
        )
        return (
            f"<div><p><b>Compliance of run {html.escape(self.run_id[:8])}: {html.escape(self.status)}</b>"
            f" — {html.escape(self.summary)}</p><table>{rows}</table></div>"
        )


@dataclass(frozen=True)
class RunFacts:
    """What the checks read: a ledger run (``LedgerRun.to_dict()`` shape) and its dataset's budget."""

    run_id: str
    method: str
    status: str
    private: bool
    epsilon_target: float | None
    epsilon_spent: float | None
    delta: float | None
    accounting: Mapping[str, Any]
    facts: Mapping[str, Any]
    dataset_name: str | None = None
    budget: Mapping[str, Any] | None = None
    privacy_level: dict[str, str] | None = field(default=None)

    @classmethod
    def from_run(cls, run: Any, budget: Any = None) -> RunFacts:
        data = run.to_dict() if hasattr(run, "to_dict") else dict(run)
        budget_data = budget.to_dict() if hasattr(budget, "to_dict") else budget
        private = data.get("private")
        if private is None:
            private = data.get("guarantee") == "differential-privacy"
        return cls(
            run_id=str(data["id"]),
            method=str(data.get("method") or "unknown method"),
            status=str(data.get("status") or "unknown"),
            private=bool(private),
            epsilon_target=_number(data.get("epsilon_target")),
            epsilon_spent=_number(data.get("epsilon_spent")),
            delta=_number(data.get("delta")),
            accounting=data.get("accounting") or {},
            facts=data.get("facts") or {},
            dataset_name=data.get("dataset_name"),
            budget=budget_data,
        )


#: A check reads a run's facts and returns its badges (none when it does not apply to the run).
Check = Callable[[RunFacts], Sequence[Badge]]

#: check name -> function, in display order.
CHECKS: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    """Add or replace a check (its badge appears for every run it applies to)."""
    CHECKS[name] = check


def compliance_status(
    run: Any, *, budget: Any = None, privacy_level: Callable[[float], Any] | None = None
) -> ComplianceStatus:
    """The compliance status of ``run`` (a ledger run or its ``to_dict()``).

    ``budget`` is the run's dataset budget (``BudgetStatus`` or its dict) for the budget check;
    ``privacy_level(epsilon)`` reads ε in plain words (default: ``privacy.levels``).
    """
    facts = RunFacts.from_run(run, budget)
    level = _level(facts, privacy_level)
    facts = RunFacts(**{**facts.__dict__, "privacy_level": level})
    badges = tuple(badge for check in CHECKS.values() for badge in check(facts))
    return ComplianceStatus(run_id=facts.run_id, badges=badges, privacy_level=level)


# -- checks -------------------------------------------------------------------------------------


def formal_privacy(run: RunFacts) -> list[Badge]:
    return [_formal_privacy(run)]


def _formal_privacy(run: RunFacts) -> Badge:
    label = "Formal privacy"
    if not run.private:
        return Badge(
            "formal-privacy",
            label,
            "fail",
            (
                f"{run.method} gives no formal privacy guarantee: it is not differentially private, "
                "so synthetic rows may reveal training records.",
                "Train with dp-tvae or dp-ctgan for an (ε, δ) guarantee.",
            ),
        )
    target = _eps(run.epsilon_target)
    if run.status == "refused":
        return Badge(
            "formal-privacy",
            label,
            "pass",
            (f"Refused by the safety checks before training (target ε {target}): the data was not used.",),
        )
    if run.status == "reserved":
        return Badge(
            "formal-privacy",
            label,
            "unknown",
            (f"Training has not finished: ε {target} is reserved, the ε actually spent is not known yet.",),
        )
    if run.epsilon_spent is None or run.delta is None:
        missing = "ε spent" if run.epsilon_spent is None else "δ"
        return Badge("formal-privacy", label, "unknown", (f"The ledger holds no {missing} for this run.",))
    reasons = [
        f"(ε, δ)-differential privacy with ε = {_eps(run.epsilon_spent)}, δ = {_eps(run.delta)} (target ε {target})."
    ]
    reasons += _accounting_reasons(run.accounting)
    if run.privacy_level:
        level = run.privacy_level
        reasons.append(f"Privacy level {level['label']} ({level['range']}): {level['meaning']}.")
    void = run.accounting.get("void")
    if void:
        return Badge("formal-privacy", label, "fail", (f"{str(void).capitalize()}: seeded noise, no DP guarantee.",))
    if run.status == "failed":
        executed = [m.get("label") for m in (run.accounting.get("executed") or {}).get("mechanisms", [])]
        what = ", ".join(str(m) for m in executed) if executed else "nothing (the data was not touched)"
        error = run.accounting.get("error")
        return Badge(
            "formal-privacy",
            label,
            "warn",
            (
                f"Training failed{f' ({error})' if error else ''}: no model was released.",
                f"Charged ε {_eps(run.epsilon_spent)} for the mechanisms that ran: {what}.",
            ),
        )
    if run.status == "stopped":
        reasons.insert(0, "Training was stopped early: the model released is charged the steps it took.")
    if run.epsilon_target is not None and run.epsilon_spent > run.epsilon_target * (1 + _EPS_SLACK):
        reasons.insert(0, f"ε spent ({_eps(run.epsilon_spent)}) exceeds the target ({target}).")
        return Badge("formal-privacy", label, "fail", tuple(reasons))
    return Badge("formal-privacy", label, "pass", tuple(reasons))


def budget_check(run: RunFacts) -> list[Badge]:
    badge = _budget(run)
    return [badge] if badge else []


def _budget(run: RunFacts) -> Badge | None:
    if not run.private:
        return None  # nothing is charged for a run without a formal guarantee
    label = "Budget"
    if not run.budget:
        return Badge("budget", label, "unknown", ("The dataset's budget was not available.",))
    name = run.budget.get("dataset") or run.dataset_name or "the dataset"
    total, spent = _number(run.budget.get("total")), _number(run.budget.get("spent"))
    reserved, remaining = _number(run.budget.get("reserved")) or 0.0, _number(run.budget.get("remaining"))
    if total is None or spent is None or remaining is None:
        return Badge("budget", label, "unknown", ("The dataset's budget is incomplete in the ledger.",))
    if run.status == "refused":
        charged = "Nothing was charged (refused before training)."
    elif run.status == "reserved":
        charged = f"ε {_eps(run.epsilon_target)} is reserved while the run trains."
    else:
        charged = f"Charged ε {_eps(run.epsilon_spent)}."
    reasons = [charged, f"'{name}' has spent ε {_eps(spent)} of {_eps(total)}; ε {_eps(remaining)} left."]
    if reserved > 0:
        reasons.append(f"ε {_eps(reserved)} is held by runs that have not settled.")
    if spent + reserved > total * (1 + _EPS_SLACK):
        reasons.insert(0, f"The dataset's budget is overspent by ε {_eps(spent + reserved - total)}.")
        return Badge("budget", label, "fail", tuple(reasons))
    if remaining <= 0:
        reasons.append("The budget is used up: further DP runs on this dataset will be refused.")
        return Badge("budget", label, "warn", tuple(reasons))
    return Badge("budget", label, "pass", tuple(reasons))


def safety_checks(run: RunFacts) -> list[Badge]:
    badge = _safety(run)
    return [badge] if badge else []


def _safety(run: RunFacts) -> Badge | None:
    label = "Safety checks"
    safety = run.facts.get("safety")
    if not isinstance(safety, Mapping):
        if not run.private:
            return None  # the DP safety checks do not apply to methods without a guarantee
        return Badge("safety-checks", label, "unknown", ("No pre-training safety checks were recorded for this run.",))
    errors = [str(e) for e in safety.get("errors") or []]
    warnings = [str(w) for w in safety.get("warnings") or []]
    checks = [c for c in safety.get("checks") or [] if isinstance(c, Mapping)]
    if errors:
        return Badge("safety-checks", label, "fail", tuple(errors))
    if warnings:
        return Badge("safety-checks", label, "warn", tuple(warnings))
    if safety.get("ok") is False:
        return Badge("safety-checks", label, "fail", ("The safety checks refused this configuration.",))
    names = ", ".join(str(c.get("name")) for c in checks if c.get("name"))
    count = f"All {len(checks)} checks passed" if checks else "The safety checks passed"
    return Badge("safety-checks", label, "pass", (f"{count}{': ' + names if names else ''}.",))


def identifiers(run: RunFacts) -> list[Badge]:
    return [_identifiers(run)]


def _identifiers(run: RunFacts) -> Badge:
    label = "Identifiers"
    pii = run.facts.get("pii")
    if isinstance(pii, Mapping):
        status, reasons = _read_pii(pii, private=run.private)
        return Badge("identifiers", label, status, tuple(reasons))
    scanned = _safety_check(run, "identifiers")
    if scanned is not None:  # the safety layer scanned the training data itself
        message = str(scanned.get("message") or "").rstrip(".")
        return Badge(
            "identifiers",
            label,
            _SAFETY_STATUS.get(str(scanned.get("status")), "unknown"),
            (
                f"Safety checks: {message}." if message else "The safety checks scanned for identifiers.",
                "No PII cleaning was recorded (ss.scan_pii(df).apply(df) records what it does).",
            ),
        )
    return Badge(
        "identifiers",
        label,
        "unknown",
        (
            "No PII scan was recorded for the training data: which identifiers it held, and how they "
            "were handled, is not known.",
            "Scan with ss.scan_pii(df) and train on report.apply(df).",
        ),
    )


_SAFETY_STATUS: dict[str, CheckStatus] = {"ok": "pass", "warning": "warn", "error": "fail"}


def _safety_check(run: RunFacts, name: str) -> Mapping[str, Any] | None:
    safety = run.facts.get("safety")
    if not isinstance(safety, Mapping):
        return None
    return next(
        (c for c in safety.get("checks") or [] if isinstance(c, Mapping) and c.get("name") == name),
        None,
    )


#: (facts key, check name, label, what the score means)
_SCORES = (
    ("fidelity", "fidelity", "Fidelity", "statistical similarity to the real data"),
    ("utility", "utility", "Utility", "models trained on synthetic data vs real data"),
    ("privacy", "privacy-risk", "Re-identification risk", "privacy score, 1 = no measurable leakage"),
)


def evaluation_checks(run: RunFacts) -> list[Badge]:
    evaluation = run.facts.get("evaluation")
    if not isinstance(evaluation, Mapping):
        return [
            Badge(
                "evaluation",
                "Evaluation",
                "unknown",
                (
                    "Not evaluated: fidelity, utility and re-identification risk are not known. "
                    "Run ss.evaluate(real, synthetic) on samples of this model.",
                ),
            )
        ]
    thresholds = _use_case_minimums(run)
    badges = []
    for key, check, label, meaning in _SCORES:
        score = _number(evaluation.get(key))
        if score is None:
            why = "no prediction target could be evaluated" if key == "utility" else "the score was not recorded"
            badges.append(Badge(check, label, "unknown", (f"Not known: {why}.",)))
            continue
        met = [name for name, minimum in thresholds[key] if score >= minimum]
        reasons = [f"Score {score:.2f} ({meaning})."]
        if thresholds[key]:
            bars = ", ".join(f"{name} ≥ {minimum:.2f}" for name, minimum in thresholds[key])
            reasons.append(f"Thresholds: {bars}.")
        status: CheckStatus = "pass" if len(met) == len(thresholds[key]) else ("warn" if met else "fail")
        if key == "privacy":
            reasons += _leakage_reasons(evaluation)
        badges.append(Badge(check, label, status, tuple(reasons)))
    verdicts = evaluation.get("verdicts")
    if isinstance(verdicts, Mapping) and verdicts and badges:
        text = ", ".join(f"{name.replace('_', ' ')}: {value}" for name, value in verdicts.items())
        first = badges[0]
        badges[0] = Badge(first.check, first.label, first.status, (*first.reasons, f"Evaluation verdicts — {text}."))
    return badges


# -- registry -----------------------------------------------------------------------------------

register_check("formal-privacy", formal_privacy)
register_check("budget", budget_check)
register_check("safety-checks", safety_checks)
register_check("identifiers", identifiers)
register_check("evaluation", evaluation_checks)


# -- helpers ------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _eps(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.3g}"
    return text


def _accounting_reasons(accounting: Mapping[str, Any]) -> list[str]:
    parts = []
    accountant = accounting.get("accountant")
    steps = accounting.get("steps")
    sigma = _number(accounting.get("noise_multiplier"))
    rate = _number(accounting.get("sample_rate"))
    if accountant:
        detail = [f"{steps} steps" if steps is not None else None]
        detail.append(f"noise multiplier {sigma:.3g}" if sigma is not None else None)
        detail.append(f"sample rate {rate:.3g}" if rate is not None else None)
        shown = ", ".join(d for d in detail if d)
        parts.append(f"Accounted with the {str(accountant).upper()} accountant{' (' + shown + ')' if shown else ''}.")
    pre = _number(accounting.get("preprocessing_epsilon"))
    if pre is not None and pre > 0:
        parts.append(f"Includes ε {_eps(pre)} spent on private preprocessing (bounds, categories).")
    return parts


def _leakage_reasons(evaluation: Mapping[str, Any]) -> list[str]:
    reasons = []
    copies = _number(evaluation.get("exact_copy_rate"))
    if copies is not None:
        reasons.append(f"{copies:.2%} of synthetic rows exactly copy a real row.")
    auc = _number(evaluation.get("membership_auc"))
    if auc is not None:
        reasons.append(f"Membership-inference AUC {auc:.2f} (0.5 = attacker guesses).")
    return reasons


def _use_case_minimums(run: RunFacts) -> dict[str, list[tuple[str, float]]]:
    """The evaluation's own use-case thresholds per score (with the DP relief for privacy)."""
    from ..evaluation.verdicts import USE_CASES

    out: dict[str, list[tuple[str, float]]] = {"fidelity": [], "utility": [], "privacy": []}
    for case in USE_CASES.values():
        out["fidelity"].append((case.label.lower(), case.min_fidelity))
        out["utility"].append((case.label.lower(), case.min_utility))
        minimum = case.min_privacy
        relief = case.dp_epsilon_relief
        if (
            relief is not None
            and case.min_privacy_with_dp is not None
            and run.private
            and run.epsilon_spent is not None
            and run.epsilon_spent <= relief
        ):
            minimum = case.min_privacy_with_dp
        out["privacy"].append((case.label.lower(), minimum))
    return out


def _level(run: RunFacts, reader: Callable[[float], Any] | None) -> dict[str, str] | None:
    """ε in plain words (``privacy.levels``), only for a DP run whose ε spent is known."""
    epsilon = run.epsilon_spent if run.status not in ("reserved", "refused") else None
    if not run.private or epsilon is None:
        return None
    if reader is None:
        from ..privacy.levels import privacy_level

        reader = privacy_level
    level: Any = reader(epsilon)
    data: Mapping[str, Any] = level.to_dict() if hasattr(level, "to_dict") else level
    return {key: str(data.get(key) or "") for key in ("name", "label", "range", "meaning")}


#: Actions that leave an identifier column in the training data as it was.
_KEPT = {"keep", "kept", "none", "retain", "retained", "ignore", "ignored"}
#: Kept for training, only synthetic values released: handled under a DP guarantee, kept without one.
_SYNTHESIZED = {"synthesize", "synthesized"}


def _read_pii(pii: Mapping[str, Any], *, private: bool) -> tuple[CheckStatus, list[str]]:
    """Status and reasons from the PII facts (what the scan found and what ``apply`` did)."""
    records = [r for r in pii.get("columns") or [] if isinstance(r, Mapping)]
    unscanned = [str(c) for c in pii.get("unscanned_columns") or []]
    if not records:
        return "unknown", ["The PII facts list no scanned columns."]
    found = [r for r in records if r.get("identifier") in ("direct", "quasi")]
    notes = [f"Not scanned: {', '.join(unscanned)}."] if unscanned else []
    if not found:
        status: CheckStatus = "warn" if unscanned else "pass"
        return status, [f"The scan found no direct or quasi-identifiers in {len(records)} columns.", *notes]
    unrecorded = [str(r.get("column")) for r in found if not _action(r)]
    if unrecorded:
        return "unknown", [
            f"Identifiers were found ({', '.join(unrecorded)}) but how they were handled was not recorded."
        ]

    def kept(record: Mapping[str, Any]) -> bool:
        action = _action(record)
        return action in _KEPT or (action in _SYNTHESIZED and not private)

    kept_direct = [r for r in found if r.get("identifier") == "direct" and kept(r)]
    kept_quasi = [r for r in found if r.get("identifier") == "quasi" and kept(r)]
    handled = [r for r in found if not kept(r)]
    reasons = []
    if kept_direct:
        reasons.append(f"Direct identifiers kept in the training data: {_columns(kept_direct)}.")
    if kept_quasi:
        reasons.append(f"Quasi-identifiers kept: {_columns(kept_quasi)} (together they can single people out).")
    if handled:
        reasons.append("Handled: " + ", ".join(f"{r.get('column')} ({_action(r)})" for r in handled) + ".")
    if any(_action(r) in _SYNTHESIZED for r in found) and private:
        reasons.append("Synthesized columns are covered by the run's differential-privacy guarantee.")
    reasons += notes
    status = "fail" if kept_direct else ("warn" if kept_quasi or unscanned else "pass")
    return status, reasons


def _action(record: Mapping[str, Any]) -> str | None:
    value = record.get("action") or record.get("applied") or record.get("handling")
    return str(value).lower() if value else None


def _columns(records: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(str(r.get("column")) for r in records)
