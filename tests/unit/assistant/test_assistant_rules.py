"""Each suggestion rule fires on a crafted scorecard (or report) and not on a good one."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from synthstudio_kernel.assistant import suggestions_for
from synthstudio_kernel.assistant.context import Evidence
from synthstudio_kernel.assistant.numbers import ungrounded
from synthstudio_kernel.assistant.rules import RULES, suggestions

GOOD_CARD: dict[str, Any] = {
    "digest_version": "1",
    "scores": {"fidelity": 0.93, "utility": 0.88, "privacy": 0.91},
    "holdout": True,
    "rows": {"real_rows": 1000, "synthetic_rows": 1000, "holdout_rows": 250},
    "run": {"run_id": None, "guarantee": "differential privacy", "epsilon": 1.0},
    "fidelity": {
        "column_shapes": 0.94,
        "pair_trends": 0.9,
        "row_validity": 1.0,
        "collapsed_columns": [],
        "unscored_columns": [],
        "columns": [{"column": "age", "metric": "KSComplement", "score": 0.9}],
        "pairs": [{"columns": ["age", "income"], "metric": "CorrelationSimilarity", "score": 0.93}],
    },
    "utility": {
        "target": "income",
        "task": "classification",
        "primary_metric": "roc_auc",
        "classes": {"real": 2, "synthetic": 2, "missing": 0, "rarest_real_share": 0.24, "rarest_missing_share": None},
        "models": [],
    },
    "privacy": {
        "exact_copy_rate": 0.0,
        "excess_copy_rate": 0.0,
        "membership_auc": 0.52,
        "components": [{"name": "membership", "label": "Membership", "safety": 0.95, "value": 0.52, "measured": True}],
        "not_measured": [],
    },
    "verdicts": {},
}
GOOD_PRIVACY = {"guarantee": "dp", "method": "dp-tvae", "epsilon": 1.0, "delta": 1e-5, "noise_multiplier": 1.1,
                "level": "strong", "meaning": "strong: suitable for healthcare and financial records"}  # fmt: skip
GOOD_PII = {"columns": [], "direct": [], "quasi": [], "rows": 100}
GOOD_BUDGET = {"dataset": "d", "total": 5.0, "spent": 1.0, "reserved": 0.0, "remaining": 4.0, "used_fraction": 0.2,
               "private_runs": 1, "non_private_runs": 0, "runs": []}  # fmt: skip


def _good() -> Evidence:
    ev = Evidence()
    ev.scorecard, ev.scorecard_source = copy.deepcopy(GOOD_CARD), "crafted scorecard"
    ev.privacy, ev.privacy_source = dict(GOOD_PRIVACY), "crafted privacy report"
    ev.pii, ev.pii_source = copy.deepcopy(GOOD_PII), "crafted PII report"
    ev.budget = dict(GOOD_BUDGET)
    return ev


def _card(ev: Evidence, section: str, key: str, value: Any) -> None:
    assert ev.scorecard is not None
    ev.scorecard[section][key] = value


BREAKS: dict[str, Callable[[Evidence], None]] = {
    "rare_class_lost": lambda ev: _card(
        ev,
        "utility",
        "classes",
        {"real": 3, "synthetic": 2, "missing": 1, "rarest_real_share": 0.02, "rarest_missing_share": 0.02},
    ),
    "collapsed_column": lambda ev: _card(ev, "fidelity", "collapsed_columns", ["smoker"]),
    "weak_column": lambda ev: _card(
        ev, "fidelity", "columns", [{"column": "bmi", "metric": "KSComplement", "score": 0.41}]
    ),
    "high_noise": lambda ev: ev.privacy.update(noise_multiplier=3.4),  # type: ignore[union-attr]
    "exact_copies": lambda ev: _card(ev, "privacy", "excess_copy_rate", 0.034),
    "membership": lambda ev: _card(ev, "privacy", "membership_auc", 0.71),
    "no_holdout": lambda ev: ev.scorecard.update(holdout=False),  # type: ignore[union-attr]
    "no_guarantee": lambda ev: ev.privacy.update(guarantee="none", epsilon=None, method="ctgan"),  # type: ignore[union-attr]
    "epsilon_high": lambda ev: ev.privacy.update(epsilon=8.0),  # type: ignore[union-attr]
    "direct_identifier": lambda ev: ev.pii.update(  # type: ignore[union-attr]
        direct=[{"column": "ssn", "entity": "US_SSN", "recommendation": "drop", "identifier": "direct"}]
    ),
    "low_utility": lambda ev: ev.scorecard["scores"].update(utility=0.31),  # type: ignore[index]
    "low_fidelity": lambda ev: ev.scorecard["scores"].update(fidelity=0.42),  # type: ignore[index]
    "budget_low": lambda ev: ev.budget.update(remaining=0.4, spent=4.6, used_fraction=0.92),  # type: ignore[union-attr]
}


def test_every_rule_has_a_crafted_case() -> None:
    assert set(BREAKS) == set(RULES)


def test_no_rule_fires_on_a_good_run() -> None:
    assert suggestions(_good()) == []


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_fires_with_its_reason_and_triggering_fact(rule: str) -> None:
    # Setup
    ev = _good()
    BREAKS[rule](ev)

    # Run
    fired = {s.rule: s for s in suggestions(ev)}

    # Assert
    assert rule in fired, fired
    suggestion = fired[rule]
    assert suggestion.fact.text in suggestion.reason
    assert suggestion.fact.source
    allowed = [n for f in suggestion.facts() for n in f.numbers()]
    assert ungrounded(suggestion.line(), allowed) == []


def test_suggestions_for_a_scorecard_is_what_the_panel_calls() -> None:
    card = copy.deepcopy(GOOD_CARD)
    assert suggestions_for(card) == []
    card["privacy"]["membership_auc"] = 0.8
    card["fidelity"]["collapsed_columns"] = ["region"]
    fired = [s.rule for s in suggestions_for(card)]
    assert fired == ["collapsed_column", "membership"]
    assert suggestions_for(card)[0].to_dict()["fact"]["text"] == "region"
