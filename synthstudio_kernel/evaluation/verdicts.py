"""Plain-language verdicts per use case, against documented thresholds.

=================  ========  =======  =======  =============  ========  ========  ============
use case           fidelity  utility  privacy  excess copies  MIA AUC   holdout   DP guarantee
=================  ========  =======  =======  =============  ========  ========  ============
internal_testing   ≥ 0.60    ≥ 0.50   ≥ 0.25   ≤ 20 %         —         optional  —
partner_sharing    ≥ 0.75    ≥ 0.70   ≥ 0.60   ≤ 1 %          ≤ 0.60    required  —
public_release     ≥ 0.75    ≥ 0.60   ≥ 0.80*  ≤ 0.2 %        ≤ 0.55    required  ε ≤ 3
=================  ========  =======  =======  =============  ========  ========  ============

\\* ≥ 0.60 when the data comes from a run with a formal differential-privacy guarantee
of ε ≤ 3. Public release requires that guarantee (read from the ledger run of the
synthetic table): empirical attacks only bound what *these* attacks find. A table from
a run without a guarantee fails; a table not linked to a run is undetermined at best.

A verdict is ``pass`` when every check passes, ``fail`` when one fails, and
``undetermined`` when a required measure is missing: without a holdout the privacy
checks of the sharing use cases are not judged (fidelity and utility still are). A
utility check is skipped, with a note, when no prediction target could be evaluated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class UseCase:
    name: str
    label: str
    min_fidelity: float
    min_utility: float
    min_privacy: float
    max_excess_copy_rate: float
    max_membership_auc: float | None
    requires_holdout: bool
    #: With a formal DP guarantee of at most this ε, ``min_privacy_with_dp`` applies instead.
    dp_epsilon_relief: float | None = None
    min_privacy_with_dp: float | None = None
    #: The data must come from a DP run with ε ≤ ``dp_epsilon_relief``.
    requires_dp: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


USE_CASES: dict[str, UseCase] = {}


def register_use_case(use_case: UseCase) -> None:
    """Add or replace a use case (its verdict appears in every scorecard)."""
    USE_CASES[use_case.name] = use_case


register_use_case(UseCase("internal_testing", "Internal testing", 0.60, 0.50, 0.25, 0.20, None, False))
register_use_case(UseCase("partner_sharing", "Sharing with partners", 0.75, 0.70, 0.60, 0.01, 0.60, True))
register_use_case(
    UseCase(
        "public_release",
        "Public release",
        0.75,
        0.60,
        0.80,
        0.002,
        0.55,
        True,
        dp_epsilon_relief=3.0,
        min_privacy_with_dp=0.60,
        requires_dp=True,
    )
)


@dataclass(frozen=True)
class Facts:
    """What the verdicts look at (all aggregates)."""

    fidelity: float
    utility: float | None
    privacy: float
    excess_copy_rate: float
    membership_auc: float | None
    has_holdout: bool
    dp_epsilon: float | None = None
    #: "differential privacy", "none" (a run without formal guarantee) or "unknown" (no linked run).
    guarantee: str = "unknown"


def verdict(use_case: UseCase, facts: Facts) -> dict[str, Any]:
    """One use case's verdict: status, a one-line summary and the checks behind it.

    When the use case requires a holdout and none was given, the privacy checks are
    "unknown" (a partial privacy score is not judged against its threshold), while the
    fidelity and utility checks still count.
    """
    checks = [_minimum("fidelity", "Fidelity", facts.fidelity, use_case.min_fidelity), _utility_check(use_case, facts)]
    if use_case.requires_holdout and not facts.has_holdout:
        checks.append(
            {
                "name": "holdout",
                "status": "unknown",
                "value": None,
                "threshold": None,
                "message": "A holdout (real rows not used for training) is required to judge privacy for this use case; "
                "pass holdout=...",
            }
        )
    else:
        checks.append(_privacy_check(use_case, facts))
        checks.append(
            _maximum(
                "exact_copies",
                "Excess exact-copy rate",
                facts.excess_copy_rate,
                use_case.max_excess_copy_rate,
                percent=True,
            )
        )
        if use_case.max_membership_auc is not None:
            checks.append(
                _maximum("membership", "Membership-inference AUC", facts.membership_auc, use_case.max_membership_auc)
            )
    if use_case.requires_dp:
        checks.append(_guarantee_check(use_case, facts))
    statuses = {c["status"] for c in checks}
    status = "fail" if "fail" in statuses else "undetermined" if "unknown" in statuses else "pass"
    return {"status": status, "label": use_case.label, "summary": _summary(use_case, status, checks), "checks": checks}


def all_verdicts(facts: Facts) -> dict[str, dict[str, Any]]:
    return {name: verdict(use_case, facts) for name, use_case in USE_CASES.items()}


def thresholds() -> dict[str, dict[str, Any]]:
    return {name: use_case.to_dict() for name, use_case in USE_CASES.items()}


def _utility_check(use_case: UseCase, facts: Facts) -> dict[str, Any]:
    if facts.utility is None:
        return {
            "name": "utility",
            "status": "skipped",
            "value": None,
            "threshold": use_case.min_utility,
            "message": "Utility was not measured (no usable prediction target), so it is not judged.",
        }
    return _minimum("utility", "Utility", facts.utility, use_case.min_utility)


def _privacy_check(use_case: UseCase, facts: Facts) -> dict[str, Any]:
    relief = (
        use_case.dp_epsilon_relief is not None
        and use_case.min_privacy_with_dp is not None
        and facts.dp_epsilon is not None
        and facts.dp_epsilon <= use_case.dp_epsilon_relief
    )
    if relief and use_case.min_privacy_with_dp is not None:
        check = _minimum("privacy", "Privacy", facts.privacy, use_case.min_privacy_with_dp)
        check["message"] += (
            f" (lower bar: the data has a formal DP guarantee, ε = {facts.dp_epsilon:.2g} ≤ {use_case.dp_epsilon_relief:g})"
        )
        return check
    return _minimum("privacy", "Privacy", facts.privacy, use_case.min_privacy)


def _guarantee_check(use_case: UseCase, facts: Facts) -> dict[str, Any]:
    bound = use_case.dp_epsilon_relief
    check: dict[str, Any] = {"name": "formal_guarantee", "value": facts.dp_epsilon, "threshold": bound}
    if facts.guarantee == "differential privacy" and facts.dp_epsilon is not None:
        ok = bound is None or facts.dp_epsilon <= bound
        word = "is within" if ok else "exceeds"
        return {
            **check,
            "status": "pass" if ok else "fail",
            "message": f"Formal DP guarantee ε = {facts.dp_epsilon:.2g} {word} the maximum of {bound:g}",
        }
    if facts.guarantee == "none":
        return {
            **check,
            "status": "fail",
            "message": "The generating run has no formal privacy guarantee; train with dp-ctgan or dp-tvae",
        }
    return {
        **check,
        "status": "unknown",
        "message": "A formal DP guarantee is required, and this table is not linked to a ledger run; "
        "evaluate a sample drawn from a DP model",
    }


def _minimum(name: str, label: str, value: float | None, threshold: float) -> dict[str, Any]:
    if value is None:
        return {
            "name": name,
            "status": "unknown",
            "value": None,
            "threshold": threshold,
            "message": f"{label} was not measured.",
        }
    ok = value >= threshold
    word = "meets" if ok else "is below"
    return {
        "name": name,
        "status": "pass" if ok else "fail",
        "value": value,
        "threshold": threshold,
        "message": f"{label} {value:.2f} {word} the minimum of {threshold:.2f}",
    }


def _maximum(name: str, label: str, value: float | None, threshold: float, percent: bool = False) -> dict[str, Any]:
    if value is None:
        return {
            "name": name,
            "status": "unknown",
            "value": None,
            "threshold": threshold,
            "message": f"{label} could not be measured (it needs a holdout).",
        }
    ok = value <= threshold
    fmt = (lambda v: f"{v:.2%}" if 0 < abs(v) < 0.01 else f"{v:.1%}") if percent else (lambda v: f"{v:.2f}")
    word = "is within" if ok else "exceeds"
    return {
        "name": name,
        "status": "pass" if ok else "fail",
        "value": value,
        "threshold": threshold,
        "message": f"{label} {fmt(value)} {word} the maximum of {fmt(threshold)}",
    }


def _summary(use_case: UseCase, status: str, checks: list[dict[str, Any]]) -> str:
    if status == "pass":
        return f"Suitable for {use_case.label.lower()}: every check passes."
    if status == "fail":
        failed = "; ".join(c["message"] for c in checks if c["status"] == "fail")
        return f"Not suitable for {use_case.label.lower()}: {failed}."
    unknown = "; ".join(c["message"].rstrip(".") for c in checks if c["status"] == "unknown")
    return f"Cannot decide for {use_case.label.lower()}: {unknown}."
