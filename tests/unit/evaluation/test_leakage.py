"""Leakage details: what is measured with and without a holdout, exact-copy baseline, scoring."""

from __future__ import annotations

import pandas as pd
import pytest

from synthstudio_kernel.evaluation import Scorecard
from synthstudio_kernel.evaluation.leakage import WEIGHTS, _combine, _exact_copies
from synthstudio_kernel.evaluation.tables import prepare_tables


def test_without_holdout_the_unmeasurable_is_listed_not_guessed(no_holdout_card: Scorecard) -> None:
    # Setup
    details = no_holdout_card.privacy["details"]

    # Assert
    assert details["membership_inference"] is None
    assert details["closer_share"] is None
    assert details["dcr"]["holdout"] is None and details["dcr"]["ratio_median"] is None
    assert {m["metric"] for m in details["not_measured"]} == {
        "closer_share", "membership", "anonymeter_control", "dcr_ratio"
    }  # fmt: skip
    measured = {c["name"] for c in details["components"] if c["measured"]}
    assert measured == {"exact_copies", "proximity", "anonymeter"}  # Anonymeter scored against its baseline
    anonymeter = next(c for c in details["components"] if c["name"] == "anonymeter")
    assert "baseline" in anonymeter["explanation"]
    assert details["anonymeter"]["relative_to_control"] is False
    assert "no control" in details["anonymeter"]["risk_kind"]
    assert "cannot be measured" in no_holdout_card.privacy["summary"]
    assert no_holdout_card.verdict("partner_sharing") == "undetermined"
    assert no_holdout_card.verdict("public_release") == "undetermined"


def test_with_holdout_every_component_is_measured(cards: dict[str, Scorecard]) -> None:
    details = cards["holdout"].privacy["details"]
    assert all(c["measured"] for c in details["components"])
    assert details["not_measured"] == []
    assert details["anonymeter"]["relative_to_control"] is True
    for risk in (details["anonymeter"]["singling_out"], details["anonymeter"]["linkability"]):
        assert risk["ci"][0] <= risk["risk"] <= risk["ci"][1]


def test_exact_copy_rate_discounts_the_holdouts_natural_duplicates(adult_split) -> None:
    # Setup: a categorical-only projection has many natural duplicates between any two samples.
    columns = ["sex", "race", "income"]
    train, holdout = adult_split["train"][columns], adult_split["holdout"][columns]
    tables = prepare_tables(train, adult_split["fresh"][columns], holdout)

    # Run
    copies = _exact_copies(tables, tables.holdout)

    # Assert
    assert copies["synthetic_rate"] > 0.9 and copies["holdout_rate"] > 0.9
    assert copies["excess_rate"] < 0.1


def test_membership_and_anonymeter_attacks_catch_a_copy(cards: dict[str, Scorecard]) -> None:
    details = cards["copy"].privacy["details"]
    assert details["membership_inference"]["distance_attack"]["median_distance_members"] == 0.0
    assert details["anonymeter"]["inference"]["max_risk"] > 0.5
    assert details["dcr"]["synthetic"]["share_zero"] >= 0.99
    assert details["dcr"]["ratio_median"] == pytest.approx(0.0, abs=1e-9)


def test_combined_score_is_half_weighted_mean_half_weakest() -> None:
    # Setup
    components = [
        {"name": name, "weight": weight, "measured": True, "safety": safety}
        for (name, weight), safety in zip(WEIGHTS.items(), [1.0, 0.5, 1.0, 1.0, 1.0], strict=True)
    ]
    components.append({"name": "extra", "weight": 5.0, "measured": False, "safety": None})

    # Run
    score = _combine(components)

    # Assert
    mean = 1.0 - WEIGHTS["proximity"] * 0.5 / sum(WEIGHTS.values())
    assert score == pytest.approx(0.5 * mean + 0.5 * 0.5)


def test_subsample_sizes_are_recorded(cards: dict[str, Scorecard]) -> None:
    sampling = pd.DataFrame(cards["holdout"].sampling)
    assert {"fidelity", "utility", "dcr", "membership", "anonymeter", "plots"} <= set(sampling["step"])
    assert (sampling["rows_used"] <= sampling["rows_available"]).all()


def test_a_successful_attack_without_control_is_scored_against_its_baseline() -> None:
    # Setup: the case, an inference attack at 0.233 against a 0.095 baseline
    from synthstudio_kernel.evaluation.leakage import baseline_excess

    attack = {"attack_rate": {"value": 0.233, "error": 0.04}, "baseline_rate": {"value": 0.095, "error": 0.02}}
    failed = {"attack_rate": {"value": 0.09, "error": 0.03}, "baseline_rate": {"value": 0.1, "error": 0.03}}
    anonymeter = {"singling_out": failed, "linkability": {"risk": None}, "inference": {"secrets": [attack]}}

    # Run
    risk = baseline_excess(anonymeter)

    # Assert: (0.193 - 0.115) / (1 - 0.115) ≈ 0.088, and an attack no better than guessing scores 0
    assert risk is not None and abs(risk - (0.193 - 0.115) / 0.885) < 1e-9
    assert baseline_excess({"singling_out": failed, "linkability": {}, "inference": {"secrets": []}}) == 0.0
    assert baseline_excess({"singling_out": {}, "linkability": {}, "inference": {}}) is None
